// `harden show plan.json`: a saved plan as the unified diff `fix --dry-run` printed (stdout), and a summary (stderr);
// --format html prints it as one self-contained page instead of the diff.
import { parsePlan, planDiffs } from '../../plan-file.js';
import { readPlanFile } from '../../io/plan-file.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../../errors.js';
import type { Output } from '../output.js';

export interface ShowArgs {
  plan: string;
  /** text (the diffs, byte for byte) or html (one self-contained page). */
  format?: string;
}

export async function runShow(args: ShowArgs, out: Output): Promise<number> {
  const format = args.format ?? 'text';
  if (format !== 'text' && format !== 'html') throw new UsageError(`show --format takes text or html, got "${format}"`);
  const doc = parsePlan(readPlanFile(args.plan));
  if (format === 'html') {
    const { htmlPage } = await import('../machine-report.js');
    out.stdout(await htmlPage('show', [(await import('../../report/html.js')).htmlHomeFromPlan(doc)], args.plan));
  } else for (const bytes of planDiffs(doc)) out.stdout(bytes);
  const p = doc.product;
  const what = `${p.id}${p.version ? ` ${p.version}` : ''} at ${doc.home} (profile ${doc.request.profile}, JDK ${doc.request.jdk})`;
  const masked = doc.changes.filter((c) => c.masked).length;
  out.stderr(`plan: ${doc.changes.length} file(s) would change in ${what}${masked ? `; ${masked} diff(s) mask a secret as ********` : ''}\n`);
  return EXIT.clean;
}
