// `harden history [HOME]`: the runs harden recorded in HOME/.harden, newest first.
import { runHistory, type RunRecord } from '../../run.js';
import { STATE_DIR } from '../../io/state.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { writeOptions } from '../write-options.js';

export interface HistoryArgs {
  home: string;
}

function statusText(r: RunRecord): string {
  if (r.status === 'rolled-back') return r.rolledBackBy ? `rolled back by ${r.rolledBackBy}` : 'rolled back';
  if (r.status === 'applied' && r.kind === 'rollback' && r.undoes) return `applied (undoes ${r.undoes})`;
  return r.status;
}

export function runHistoryCommand(args: HistoryArgs, out: Output): number {
  const runs = runHistory(args.home, { notify: writeOptions({}, out).notify });
  if (runs.length === 0) {
    out.stdout(`harden has recorded no run in ${args.home} (runs with --no-backup keep no record)\n`);
    return EXIT.clean;
  }
  for (const r of runs) {
    out.stdout(`${r.runId}  ${r.kind.padEnd(8)} ${statusText(r)}\n`);
    out.stdout(`    started ${r.started}${r.finished ? `, finished ${r.finished}` : ''}${r.rules?.length ? `; rules ${r.rules.join(', ')}` : ''}\n`);
    if (r.note) out.stdout(`    ${r.note}\n`);
    for (const f of r.files) out.stdout(`    ${f.path}\n`);
  }
  out.stdout(`\nbackups in ${STATE_DIR}/backups/<run>/; harden rollback [--run RUN] puts a run's original files back\n`);
  return EXIT.clean;
}
