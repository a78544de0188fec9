// The runs recorded under HOME/.harden/backups/, and putting a run's original bytes back.
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertHome } from './read-home.js';
import { backupCopy, listManifests, sha256, STATE_DIR, StateError, writeManifest, type Manifest, type ManifestFile } from './state.js';
import { commitWrites, settleHome, withLock, WriteError, type FileWrite, type WriteHooks } from './write-files.js';

/** A rollback refused because files changed since harden wrote them; nothing was written. */
export class RollbackRefused extends WriteError {}

export interface RestoredFile extends ManifestFile {
  /** True when the file had changed since harden wrote it and --force restored it anyway. */
  forced: boolean;
}

export interface RollbackResult {
  /** The run that was undone. */
  undone: Manifest;
  /** The rollback's own run id (it keeps what it replaced, so it can be undone too). */
  runId?: string;
  restored: RestoredFile[];
  /** Files that already hold their original bytes, mode and owner. */
  unchanged: string[];
}

export interface RollbackOptions extends WriteHooks {
  /** The run to undo; default: the latest fix that is applied and not rolled back. */
  run?: string;
  /** Restore files that changed since harden wrote them (what they held is kept as this rollback's backup). */
  force?: boolean;
}

/** Every run recorded in HOME/.harden, newest first; an interrupted run is finished or reverted first. */
export function listRuns(home: string, hooks: WriteHooks = {}): Manifest[] {
  assertHome(home);
  settleHome(home, hooks);
  return listManifests(home).reverse();
}

function pickRun(home: string, runs: Manifest[], wanted: string | undefined): Manifest {
  if (wanted) {
    const m = runs.find((r) => r.runId === wanted);
    if (!m) throw new StateError(`no run ${wanted} is recorded in ${join(home, STATE_DIR, 'backups')} (harden history lists the runs)`);
    if (m.status === 'rolled-back') throw new StateError(`run ${wanted} was already rolled back by run ${m.rolledBackBy ?? '?'}`);
    if (m.status !== 'applied') throw new StateError(`run ${wanted} is ${m.status}: it changed no file, so there is nothing to roll back`);
    return m;
  }
  const m = [...runs].reverse().find((r) => r.kind === 'fix' && r.status === 'applied');
  if (!m) {
    throw new StateError(
      runs.length
        ? `no applied harden fix is left to roll back in ${home} (harden history lists the runs; --run ID picks one)`
        : `harden has recorded no run in ${home} (runs with --no-backup keep nothing to roll back)`,
    );
  }
  return m;
}

/**
 * Puts back the original bytes, mode and owner of every file a run wrote. Refuses, naming each file,
 * when a file changed since harden wrote it (unless `force`), and writes all files or none.
 */
export function rollbackRun(home: string, options: RollbackOptions = {}): RollbackResult {
  assertHome(home);
  if (!existsSync(join(home, STATE_DIR))) throw new StateError(`harden has recorded no run in ${home} (there is no ${STATE_DIR}/ directory)`);
  return withLock(home, 'rollback', options, () => {
    const undone = pickRun(home, listManifests(home), options.run);
    const writes: FileWrite[] = [];
    const restored: RestoredFile[] = [];
    const unchanged: string[] = [];
    const refused: string[] = [];
    for (const f of undone.files) {
      const abs = join(home, f.path);
      const copy = readCopy(home, undone.runId, f);
      let st;
      try {
        st = lstatSync(abs);
      } catch {
        refused.push(`${f.path}: is gone since harden wrote it; its original is in ${join(STATE_DIR, 'backups', undone.runId, 'files', f.path)}`);
        continue;
      }
      if (!st.isFile()) {
        refused.push(`${f.path}: is no longer a regular file (harden wrote a file there); its original is in ${join(STATE_DIR, 'backups', undone.runId, 'files', f.path)}`);
        continue;
      }
      const now = readFileSync(abs);
      const hash = sha256(now);
      const metaSame = (st.mode & 0o7777) === f.mode && st.uid === f.uid && st.gid === f.gid;
      if (hash === f.before && metaSame) {
        unchanged.push(f.path);
        continue;
      }
      const changed = hash !== f.after && hash !== f.before;
      if (changed && !options.force) {
        refused.push(`${f.path}: changed since harden wrote it (someone edited it after run ${undone.runId}); not restoring over those edits — --force restores it anyway and keeps the edited version as the rollback's backup`);
        continue;
      }
      writes.push({ path: f.path, bytes: copy, expected: now, meta: { mode: f.mode, uid: f.uid, gid: f.gid } });
      restored.push({ ...f, forced: changed });
    }
    if (refused.length) throw new RollbackRefused(`cannot roll back run ${undone.runId}:\n${refused.join('\n')}\nnothing was written`);
    const result = commitWrites(home, writes, { notify: options.notify, onStep: options.onStep, kind: 'rollback', backup: true, undoes: undone.runId });
    if (writes.length === 0) {
      // Nothing to write: record it, so that a plain `harden rollback` does not pick this run again.
      writeManifest(home, { ...undone, status: 'rolled-back', note: 'every file already held its original bytes, mode and owner when harden rollback ran' });
    }
    return { undone, ...(result.runId ? { runId: result.runId } : {}), restored, unchanged };
  });
}

function readCopy(home: string, runId: string, f: ManifestFile): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(backupCopy(home, runId, f.path));
  } catch {
    throw new StateError(`the backup of ${f.path} in ${join(STATE_DIR, 'backups', runId)} is missing; nothing was written`);
  }
  if (sha256(bytes) !== f.before) throw new StateError(`the backup of ${f.path} in ${join(STATE_DIR, 'backups', runId)} is damaged (its hash differs from the manifest); nothing was written`);
  return bytes;
}
