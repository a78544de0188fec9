// `harden fix` on a terminal without --yes or --dry-run: pick fixes, give parameters, read the diff of
// exactly that selection, confirm. Nothing is written before the confirmation, which defaults to No.
import { selectionKey } from '../../engine/plan.js';
import type { Finding } from '../../engine/types.js';
import { applyPlan, planHome, type HomePlan, type RunRequest } from '../../run.js';
import type { Style } from '../../report/text.js';
import { ALL_TRANSFORMS } from '../../../transforms/index.js';
import { EXIT } from '../exit-codes.js';
import { toRequest, type CommonArgs } from '../options.js';
import type { Output } from '../output.js';
import { choiceGroups, fixItems } from './choices.js';
import { showPaged } from './pager.js';
import { askParams, paramQuestions } from './params.js';
import { PlannerAbort, type Prompts } from './prompts.js';
import { diffText, headerText, notOfferedText, outcomeText } from './screens.js';
import { writeOptions } from '../write-options.js';

export interface PlannerDeps {
  prompts: Prompts;
  /** Shows the diff: printed, or through a pager when it is longer than the terminal. */
  page(text: string): void;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The selected fixes that the final plan really applies (refused ones drop out). */
function appliedKeys(plan: HomePlan, selection: ReadonlySet<string>): Set<string> {
  return new Set(plan.findings.filter((f) => f.status === 'fixable' && selection.has(selectionKey(f))).map(selectionKey));
}

const sameChanges = (a: HomePlan, b: HomePlan): boolean =>
  a.changes.length === b.changes.length &&
  a.changes.every((c, i) => b.changes[i]?.path === c.path && b.changes[i]?.before === c.before && b.changes[i]?.after === c.after && b.changes[i]?.mode?.to === c.mode?.to);

export async function runPlanner(args: CommonArgs & { backup?: boolean }, out: Output, style: Style, deps?: PlannerDeps): Promise<number> {
  const request = toRequest(args);
  // Values harden.toml's [params] gives count as given too: the planner asks only for what is missing.
  const given = { ...request.config?.params, ...request.params };
  const first = planHome(request);
  out.stdout(`${headerText(first, style)}\n\n`);
  const items = fixItems(first.findings, ALL_TRANSFORMS, given);
  const offered = new Set(items.map((i) => i.key));
  const notOffered = notOfferedText(first.findings, offered, selectionKey, style);
  if (items.length === 0) {
    out.stdout(`Nothing here that harden can fix.\n${notOffered}`);
    return notOffered ? EXIT.findings : EXIT.clean;
  }

  const io = deps ?? { prompts: await (await import('./terminal-prompts.js')).openTerminalPrompts(), page: (t: string) => showPaged(t, out) };
  try {
    const picked = new Set(await io.prompts.pick('Fixes to apply (the highlighted one is explained below the list)', choiceGroups(items, style)));
    if (notOffered) out.stdout(`\n${notOffered}\n`);
    if (picked.size === 0) throw new PlannerAbort('nothing-selected');

    const pickedRules = new Set(items.filter((i) => picked.has(i.key)).map((i) => i.ruleId));
    const answers = await askParams(paramQuestions(pickedRules, ALL_TRANSFORMS, given), io.prompts);
    const selection = new Set(items.filter((i) => picked.has(i.key) && !answers.skippedRules.has(i.ruleId)).map((i) => i.key));
    const finalRequest: RunRequest = { ...request, params: { ...given, ...answers.values }, selection };
    const plan = planHome(finalRequest);
    const applied = appliedKeys(plan, selection);
    const refused = plan.findings.filter((f) => f.status === 'error');
    if (refused.length) out.stdout(`${style.red('Refused (failed verification, will not be written):')}\n${refused.map((f) => `  ${f.ruleId}: ${f.message}`).join('\n')}\n\n`);
    if (plan.changes.length === 0) {
      out.stdout('The selected fixes change nothing; nothing written.\n');
      return EXIT.findings;
    }

    io.page(`${diffText(plan, style)}\n`);
    const yes = await io.prompts.confirm(`Apply ${plural(applied.size, 'change')} to ${plural(plan.changes.length, 'file')}?`, false);
    if (!yes) throw new PlannerAbort('declined');
    // The files must still be the ones the diff was made from: never overwrite an edit made meanwhile.
    if (!sameChanges(plan, planHome(finalRequest))) {
      out.stderr('harden: files in HOME changed while you were deciding; nothing written. Run harden fix again.\n');
      return EXIT.error;
    }
    applyPlan(plan, writeOptions(args, out));
    const isOpen = (f: Finding): boolean => ['needs-input', 'manual', 'error'].includes(f.status);
    const notSelected = plan.findings.filter((f) => f.status === 'fixable' && !applied.has(selectionKey(f)));
    const open = plan.findings.filter(isOpen);
    out.stdout(`\n${outcomeText({ home: plan.home, written: plan.changes, notSelected, open, advice: plan.findings.filter((f) => f.status === 'advisory'), backedUp: args.backup !== false }, style)}`);
    return notSelected.length || open.length ? EXIT.findings : EXIT.clean;
  } catch (e) {
    if (!(e instanceof PlannerAbort)) throw e;
    out.stderr(`${e.reason === 'nothing-selected' ? 'nothing selected; ' : ''}aborted, nothing written\n`);
    return e.reason === 'interrupt' ? EXIT.interrupted : EXIT.findings;
  } finally {
    io.prompts.close();
  }
}
