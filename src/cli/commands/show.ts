// `harden show plan.json`: a saved plan as the unified diff `fix --dry-run` printed (stdout), and a summary (stderr).
import { parsePlan, planDiffs } from '../../plan-file.js';
import { readPlanFile } from '../../io/plan-file.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';

export interface ShowArgs {
  plan: string;
}

export async function runShow(args: ShowArgs, out: Output): Promise<number> {
  const doc = parsePlan(readPlanFile(args.plan));
  for (const bytes of planDiffs(doc)) out.stdout(bytes);
  const p = doc.product;
  const what = `${p.id}${p.version ? ` ${p.version}` : ''} at ${doc.home} (profile ${doc.request.profile}, JDK ${doc.request.jdk})`;
  const masked = doc.changes.filter((c) => c.masked).length;
  out.stderr(`plan: ${doc.changes.length} file(s) would change in ${what}${masked ? `; ${masked} diff(s) mask a secret as ********` : ''}\n`);
  return EXIT.clean;
}
