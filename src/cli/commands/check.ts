// `harden check [HOME]`: what is weak, what is fine, and what harden would change.
import { planHome } from '../../run.js';
import { resolveHomes } from '../../run-many.js';
import { detectionText, findingsText, openFindings, summaryText, type Style } from '../../report/text.js';
import { EXIT, withExpiredWaivers } from '../exit-codes.js';
import { machineFormat, toRequest, type CommonArgs } from '../options.js';
import type { Output } from '../output.js';
import { openArchiveFor } from '../archive.js';

export async function runCheck(args: CommonArgs, out: Output, style: Style): Promise<number> {
  const machine = machineFormat(args);
  // Several homes (or a folder of homes): one report over all of them.
  const { homeArgs } = await import('../many.js');
  const homes = resolveHomes(homeArgs(args.home));
  if (homes.many) return (await import('../many.js')).runMany('check', args, homes, out, style);
  args = { ...args, home: homes.homes[0]! };
  // HOME may be a product .zip: read in place, nothing extracted.
  const plan = planHome(toRequest(args, openArchiveFor(args, 'check', out)));
  // An interrupted earlier run was finished or reverted before planning: say which.
  for (const n of plan.notices) out.stderr(`harden: ${n}\n`);
  const code = withExpiredWaivers(plan.findings, openFindings(plan.findings).length || plan.changes.length ? EXIT.findings : EXIT.clean);
  if (machine) {
    // Machine output alone on stdout; the human text is not printed.
    out.stdout(await (await import('../machine-report.js')).machineReport(machine, plan, 'check'));
    return code;
  }
  out.stdout(`${detectionText(plan, style)}\n\n`);
  const listed = findingsText(plan.findings, style, args.verbose);
  if (listed) out.stdout(`${listed}\n\n`);
  out.stdout(`${summaryText(plan.findings)}\n`);
  if (plan.changes.length) out.stdout(`harden fix would change ${plan.changes.length} file(s): ${plan.changes.map((c) => c.path).join(', ')}\n`);
  return code;
}
