// `harden check [HOME]`: what is weak, what is fine, and what harden would change.
import { planHome } from '../../run.js';
import { detectionText, findingsText, openFindings, summaryText, type Style } from '../../report/text.js';
import { EXIT } from '../exit-codes.js';
import { toRequest, type CommonArgs } from '../options.js';
import type { Output } from '../output.js';

export function runCheck(args: CommonArgs, out: Output, style: Style): number {
  const plan = planHome(toRequest(args));
  // An interrupted earlier run was finished or reverted before planning: say which.
  for (const n of plan.notices) out.stderr(`harden: ${n}\n`);
  out.stdout(`${detectionText(plan, style)}\n\n`);
  const listed = findingsText(plan.findings, style, args.verbose);
  if (listed) out.stdout(`${listed}\n\n`);
  out.stdout(`${summaryText(plan.findings)}\n`);
  if (plan.changes.length) out.stdout(`harden fix would change ${plan.changes.length} file(s): ${plan.changes.map((c) => c.path).join(', ')}\n`);
  return openFindings(plan.findings).length || plan.changes.length ? EXIT.findings : EXIT.clean;
}
