// `harden plan [HOME] --out plan.json`: saves what fix would change, for review and a later `harden apply`;
// with --format, also prints the report of the planned home (as fix --dry-run --format would) on stdout.
import { planHome } from '../../run.js';
import { buildPlanDoc, hashedPaths, serialisePlan } from '../../plan-file.js';
import { absoluteHome, hashHomeFiles, writePlanFile } from '../../io/plan-file.js';
import { detectionText, type Style } from '../../report/text.js';
import { EXIT, PLAN_DETAILED } from '../exit-codes.js';
import { machineFormat, toRequest, type CommonArgs } from '../options.js';
import type { Output } from '../output.js';

export interface PlanArgs extends CommonArgs {
  out: string;
  detailedExitcode?: boolean;
}

export async function runPlan(args: PlanArgs, out: Output, style: Style): Promise<number> {
  const home = absoluteHome(args.home);
  const request = { ...toRequest(args), home };
  const plan = planHome(request);
  for (const n of plan.notices) out.stderr(`harden: ${n}\n`);
  const doc = buildPlanDoc(plan, home, request, hashHomeFiles(home, hashedPaths(plan)));
  writePlanFile(args.out, serialisePlan(doc));
  // --format: the report of what was planned on stdout (html: the page, naming the plan file).
  const format = machineFormat(args);
  if (format) {
    const { htmlPage, machineReport, reportInput } = await import('../machine-report.js');
    if (format === 'html') out.stdout(await htmlPage('plan', [(await import('../../report/html.js')).htmlHome(reportInput(plan, 'dry-run'))], args.out));
    else out.stdout(await machineReport(format, plan, 'dry-run'));
  }
  out.stderr(`${detectionText(plan, style)}\n\n`);
  const n = doc.changes.length;
  out.stderr(
    n
      ? `planned changes to ${n} file(s): ${doc.changes.map((c) => c.path).join(', ')}; saved to ${args.out} (harden show ${args.out} prints the diff, harden apply ${args.out} writes it); nothing was written to HOME\n`
      : `nothing to change; saved to ${args.out}\n`,
  );
  if (args.detailedExitcode) return n ? PLAN_DETAILED.changes : PLAN_DETAILED.noChanges;
  return EXIT.clean;
}
