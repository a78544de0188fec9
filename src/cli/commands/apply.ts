// `harden apply plan.json [--home DIR]`: writes exactly a saved plan, or nothing. The home is re-planned
// with the recorded request; any file changed, appeared or gone since, another home, or a re-plan that
// does not reproduce the recorded result hashes refuses the whole plan (exit 2).
import { applyPlan, planHome } from '../../run.js';
import { buildPlanDoc, hashedPaths, parsePlan, planDrift, PlanFileError, productOf } from '../../plan-file.js';
import { absoluteHome, hashHomeFiles, readPlanFile } from '../../io/plan-file.js';
import { assertHome } from '../../io/read-home.js';
import { openFindings } from '../../report/text.js';
import { EXIT } from '../exit-codes.js';
import { toRequest } from '../options.js';
import type { Output } from '../output.js';

export interface ApplyArgs {
  plan: string;
  home?: string;
  backup?: boolean;
}

const refuse = (why: string[]): PlanFileError =>
  new PlanFileError(`the plan no longer matches the home, so nothing was written:\n  ${why.join('\n  ')}\nMake and review a new plan (harden plan).`);

export async function runApply(args: ApplyArgs, out: Output): Promise<number> {
  let doc;
  try {
    doc = parsePlan(readPlanFile(args.plan));
  } catch (e) {
    if (e instanceof PlanFileError) e.message += '\nnothing was written';
    throw e;
  }
  const home = args.home === undefined ? doc.home : absoluteHome(args.home);
  try {
    assertHome(home);
  } catch (e) {
    throw refuse([`HOME ${home} (recorded in the plan): ${(e as Error).message.replace(`${home}: `, '')}`]);
  }
  const { only, skip, params, profile, jdk } = doc.request;
  // The recorded request, over HOME's harden.toml as plan read it (toRequest): a different one shows as a different result.
  const plan = planHome(toRequest({ home, only, skip, set: Object.entries(params).map(([k, v]) => `${k}=${v}`), profile, jdk }));
  const now = buildPlanDoc(plan, home, doc.request, hashHomeFiles(home, hashedPaths(plan)));
  const drift = planDrift(doc, now.reads, now);
  if (args.home !== undefined && home !== doc.home) {
    const a = JSON.stringify(doc.product);
    if (a !== JSON.stringify(productOf(plan))) drift.unshift(`--home ${home}: its product differs from the planned home's (${doc.home})`);
  }
  if (drift.length) {
    for (const n of plan.notices) out.stderr(`harden: ${n}\n`);
    throw refuse(drift);
  }
  const { writeOptions } = await import('../write-options.js');
  const written = applyPlan(plan, writeOptions(args, out));
  for (const path of written) out.stderr(`wrote ${path}\n`);
  const remaining = openFindings(plan.findings).filter((f) => f.status !== 'fixable');
  out.stderr(`${written.length ? `applied the plan to ${written.length} file(s)` : 'the plan changes nothing'}; ${remaining.length} finding(s) still need attention\n`);
  if (written.length) out.stderr('restart the server for the changes to take effect\n');
  return remaining.length ? EXIT.findings : EXIT.clean;
}
