// `harden rollback [HOME] [--run ID] [--force]`: put back the original bytes, mode and owner of every
// file a harden fix wrote.
import { rollback } from '../../run.js';
import { STATE_DIR } from '../../io/state.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { writeOptions } from '../write-options.js';

export interface RollbackArgs {
  home: string;
  run?: string;
  force?: boolean;
}

const octal = (mode: number): string => mode.toString(8).padStart(4, '0');

export function runRollback(args: RollbackArgs, out: Output): number {
  const { notify, onStep } = writeOptions({}, out);
  const r = rollback(args.home, { run: args.run, force: args.force, notify, ...(onStep ? { onStep } : {}) });
  for (const f of r.restored) {
    out.stderr(`restored ${f.path} (its original bytes, mode ${octal(f.mode)}, owner ${f.uid}:${f.gid})${f.forced ? '; it had been edited since harden wrote it (--force)' : ''}\n`);
  }
  for (const p of r.unchanged) out.stderr(`${p} already held its original bytes, mode and owner\n`);
  out.stderr(`rolled back run ${r.undone.runId} (harden ${r.undone.kind}, ${r.undone.started})\n`);
  if (r.runId) out.stderr(`what the rollback replaced is kept in ${STATE_DIR}/backups/${r.runId} (harden rollback --run ${r.runId} undoes the rollback)\n`);
  if (r.restored.length) out.stderr('restart the server for the changes to take effect\n');
  return EXIT.clean;
}
