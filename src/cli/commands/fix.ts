// `harden fix [HOME] --dry-run | --yes`: the diff of every verified fix, or the fixes written; on a
// terminal without either, the interactive planner.
import { applyPlan, planHome } from '../../run.js';
import { resolveHomes } from '../../run-many.js';
import { UsageError } from '../../errors.js';
import { changeDiff } from '../../engine/diff.js';
import { encodeText } from '../../engine/encoding.js';
import { detectionText, findingsText, openFindings, summaryText, type Style } from '../../report/text.js';
import { EXIT, withExpiredWaivers } from '../exit-codes.js';
import { machineFormat, toRequest, type ArchiveArgs, type CommonArgs } from '../options.js';
import type { Output } from '../output.js';
import { openArchiveFor, writeArchiveFix } from '../archive.js';

export interface FixArgs extends CommonArgs, ArchiveArgs {
  dryRun?: boolean;
  yes?: boolean;
  backup?: boolean;
}

export async function runFix(args: FixArgs, out: Output, style: Style): Promise<number> {
  const machine = machineFormat(args);
  // Several homes (or a folder of homes): --dry-run reports on all of them; writing goes one home at a time.
  const { homeArgs } = await import('../many.js');
  const homes = resolveHomes(homeArgs(args.home));
  if (homes.many) {
    if (!args.dryRun) {
      const found = homes.homes.length > 3 ? `${homes.homes.slice(0, 3).join(', ')} and ${homes.homes.length - 3} more` : homes.homes.join(', ');
      throw new UsageError(`harden fix takes several homes, or a folder of homes (here: ${found}), only with --dry-run; --yes and the interactive planner change one home at a time: harden fix HOME --yes`);
    }
    return (await import('../many.js')).runMany('dry-run', args, homes, out, style);
  }
  args = { ...args, home: homes.homes[0]! };
  // HOME may be a product .zip: --dry-run reads it in place; --yes writes a new archive (--out), never the input.
  const archive = openArchiveFor(args, 'fix', out);
  if (!args.dryRun && !args.yes) {
    if (machine) {
      out.stderr(`harden fix --format ${machine} needs --dry-run or --yes (the interactive planner speaks only text); nothing was written.\n`);
      return EXIT.error;
    }
    // Loaded only here: the planner is the one part of harden that needs inquirer.
    if (out.isTTY) return (await import('../planner/index.js')).runPlanner(args, out, style);
    out.stderr(
      'harden fix has no terminal to ask on, so nothing was written.\n' +
        'Use --dry-run to print the diff (writes nothing) or --yes to apply every verified fix without asking.\n',
    );
    return EXIT.error;
  }
  const plan = planHome(toRequest(args, archive));
  if (archive && args.yes) return writeArchiveFix(args, plan, archive, out, style);
  if (machine) {
    const { machineReport } = await import('../machine-report.js');
    const remaining = openFindings(plan.findings).filter((f) => f.status !== 'fixable');
    if (args.dryRun) {
      for (const n of plan.notices) out.stderr(`harden: ${n}\n`);
      out.stdout(await machineReport(machine, plan, 'dry-run'));
      return withExpiredWaivers(plan.findings, plan.changes.length || remaining.length ? EXIT.findings : EXIT.clean);
    }
    // Notices (an interrupted run settled, where the backups are) still go to stderr; the report to stdout.
    const written = applyPlan(plan, (await import('../write-options.js')).writeOptions(args, out));
    out.stdout(await machineReport(machine, plan, 'apply', written));
    return withExpiredWaivers(plan.findings, remaining.length ? EXIT.findings : EXIT.clean);
  }
  out.stderr(`${detectionText(plan, style)}\n\n`);
  if (args.dryRun) {
    // fix --yes hands these to applyPlan; a dry run writes nothing, so it says them here.
    for (const n of plan.notices) out.stderr(`harden: ${n}\n`);
    const masked: string[] = [];
    for (const c of plan.changes) {
      const d = changeDiff(c);
      if (d.redacted) masked.push(c.path);
      out.stdout(encodeText(d.text, plan.files.get(c.path)?.encoding ?? 'utf8'));
    }
    const remaining = openFindings(plan.findings).filter((f) => f.status !== 'fixable');
    if (remaining.length) out.stderr(`${findingsText(remaining, style)}\n\n`);
    out.stderr(`${summaryText(plan.findings)}\n`);
    out.stderr(plan.changes.length ? `dry run: ${plan.changes.length} file(s) would change; nothing was written\n` : 'dry run: nothing to change\n');
    for (const path of masked) out.stderr(`masked: ${path} (a changed line carries a secret, shown as ********; patch cannot apply that file's diff, harden fix --yes can)\n`);
    return withExpiredWaivers(plan.findings, plan.changes.length || remaining.length ? EXIT.findings : EXIT.clean);
  }
  const written = applyPlan(plan, (await import('../write-options.js')).writeOptions(args, out));
  const remaining = openFindings(plan.findings).filter((f) => f.status !== 'fixable');
  for (const path of written) out.stderr(`wrote ${path}\n`);
  if (remaining.length) out.stderr(`\n${findingsText(remaining, style)}\n\n`);
  out.stderr(`${written.length ? `applied fixes to ${written.length} file(s)` : 'nothing to change'}; ${remaining.length} finding(s) still need attention\n`);
  if (written.length) out.stderr('restart the server for the changes to take effect\n');
  return withExpiredWaivers(plan.findings, remaining.length ? EXIT.findings : EXIT.clean);
}
