// Writes planned files: every new text goes to a temp file beside its target first (fsynced, with
// the target's mode), and only when all temps exist are they renamed into place.
import { closeSync, fsyncSync, lstatSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync, chownSync } from 'node:fs';
import { dirname, join, relative, isAbsolute } from 'node:path';

export class WriteError extends Error {}

export interface FileWrite {
  path: string;
  bytes: Buffer;
}

function assertInside(home: string, rel: string): string {
  const abs = join(home, rel);
  const st = lstatSync(abs);
  if (st.isSymbolicLink()) {
    const target = realpathSync(abs);
    const inside = relative(realpathSync(home), target);
    if (inside.startsWith('..') || isAbsolute(inside)) throw new WriteError(`${rel} is a symbolic link to ${target}, outside the home; not writing through it`);
    throw new WriteError(`${rel} is a symbolic link; harden does not write through links`);
  }
  if (!st.isFile()) throw new WriteError(`${rel} is not a regular file`);
  return abs;
}

export function writeFilesAtomically(home: string, writes: FileWrite[]): void {
  const staged: { tmp: string; abs: string }[] = [];
  try {
    for (const w of writes) {
      const abs = assertInside(home, w.path);
      const st = statSync(abs);
      const tmp = join(dirname(abs), `.${w.path.split('/').pop()}.harden-${process.pid}.tmp`);
      const fd = openSync(tmp, 'wx', st.mode & 0o7777);
      try {
        writeSync(fd, w.bytes);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      staged.push({ tmp, abs });
      try {
        chownSync(tmp, st.uid, st.gid);
      } catch {
        // Only root may give a file away; a non-root run already owns what it writes.
      }
    }
  } catch (e) {
    for (const s of staged) rmSync(s.tmp, { force: true });
    throw e instanceof WriteError ? e : new WriteError(`nothing was written: ${(e as Error).message}`);
  }
  for (const s of staged) renameSync(s.tmp, s.abs);
}
