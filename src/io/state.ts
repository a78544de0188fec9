// HOME/.harden: the lock that keeps two runs apart, the journal of the run that is writing, and the
// backups of every run. Every file here is written atomically (temp, fsync, rename, fsync of the
// directory), so a run killed at any instant leaves either the old or the new version of each.
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';

export const STATE_DIR = '.harden';

/** The lock is busy, HOME/.harden is unusable, or an interrupted run can be neither finished nor reverted. */
export class StateError extends Error {}

export type Notify = (message: string) => void;

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export interface StatePaths {
  dir: string;
  lock: string;
  journal: string;
  backups: string;
}

export function statePaths(home: string): StatePaths {
  const dir = join(home, STATE_DIR);
  return { dir, lock: join(dir, 'lock'), journal: join(dir, 'journal.json'), backups: join(dir, 'backups') };
}

/** Sortable and unique: UTC time to the millisecond, then random bits. */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes a file of harden's own state atomically (never a product file: those go through write-files). */
export function writeStateFile(path: string, bytes: Buffer | string, mode = 0o600): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

export function readJson<T>(path: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** HOME/.harden, created private (it will hold copies of files with passwords); true when this call made it. */
export function ensureStateDir(home: string): boolean {
  const { dir } = statePaths(home);
  try {
    mkdirSync(dir, { mode: 0o700 });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new StateError(`cannot create ${STATE_DIR}/ in ${home}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const st = lstatSync(dir);
  if (st.isSymbolicLink() || !st.isDirectory()) throw new StateError(`${STATE_DIR} in ${home} is not a directory (harden keeps its lock, journal and backups there); remove or rename it`);
  return false;
}

// ---------------------------------------------------------------------------------------------
// The lock

interface LockInfo {
  pid: number;
  host: string;
  started: string;
  command: string;
}

function readLock(path: string): { info?: LockInfo; raw: string; ageMs: number } | undefined {
  try {
    const raw = readFileSync(path, 'utf8');
    const ageMs = Date.now() - statSync(path).mtimeMs;
    try {
      const info = JSON.parse(raw) as LockInfo;
      return typeof info.pid === 'number' ? { info, raw, ageMs } : { raw, ageMs };
    } catch {
      return { raw, ageMs };
    }
  } catch {
    return undefined;
  }
}

/** Whether the process that wrote a lock still runs; undefined when harden cannot tell (another host). */
function holderAlive(info: LockInfo): boolean | undefined {
  if (info.host !== hostname()) return undefined;
  if (info.pid === process.pid) return false; // our own leftover: this process is not inside another run
  try {
    process.kill(info.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Lock {
  release(): void;
}

/**
 * Takes HOME/.harden/lock with O_EXCL. A lock whose process no longer runs is taken over (and said so);
 * a live one is an error naming its pid.
 */
export function acquireLock(home: string, command: string, notify: Notify): Lock {
  const { dir, lock } = statePaths(home);
  ensureStateDir(home);
  const mine = `${JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString(), command } satisfies LockInfo)}\n`;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      try {
        writeSync(fd, mine);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return {
        release: () => {
          rmSync(lock, { force: true });
          removeIfEmpty(dir); // nothing else in it (no backups kept): leave no trace
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new StateError(`cannot create the lock ${STATE_DIR}/lock: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    const held = readLock(lock);
    if (!held) continue; // released meanwhile
    const info = held.info;
    if (!info) {
      // Written by a run killed between creating and filling it, or being written right now.
      if (held.ageMs < 5000) throw new StateError(`${STATE_DIR}/lock in ${home} is being taken by another harden run; try again`);
    } else {
      const alive = holderAlive(info);
      if (alive === undefined) {
        throw new StateError(
          `${STATE_DIR}/lock in ${home} is held by harden pid ${info.pid} on host ${info.host} (${info.command}, since ${info.started}); ` +
            `harden cannot tell from here whether it still runs. If it does not, remove ${join(home, STATE_DIR, 'lock')}`,
        );
      }
      if (alive) throw new StateError(`another harden run (pid ${info.pid}, ${info.command}, since ${info.started}) is working on ${home}; wait for it to finish`);
    }
    // Stale: move it aside under our own name, and make sure what we moved is what we judged.
    const aside = `${lock}.stale-${process.pid}`;
    try {
      renameSync(lock, aside);
    } catch {
      continue;
    }
    const moved = readLock(aside);
    if (moved?.raw !== held.raw) {
      // Another run replaced the stale lock between our read and our rename: give it back.
      try {
        linkSync(aside, lock);
      } catch {
        // it has taken a new one meanwhile; ours was moved aside only
      }
      rmSync(aside, { force: true });
      throw new StateError(`another harden run is taking the lock of ${home}; try again`);
    }
    rmSync(aside, { force: true });
    notify(
      info
        ? `took over the lock of harden pid ${info.pid} (${info.command}, since ${info.started}), which is no longer running`
        : 'took over an empty lock left by a harden run that was killed while taking it',
    );
  }
  throw new StateError(`could not take ${STATE_DIR}/lock in ${home}`);
}

/** True when HOME/.harden/lock exists and the run that took it no longer runs (on this host). */
export function lockIsStale(home: string): boolean {
  const held = readLock(statePaths(home).lock);
  if (!held) return false;
  if (!held.info) return held.ageMs >= 5000;
  return holderAlive(held.info) === false;
}

export function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (backups of earlier runs), or already gone
  }
}

// ---------------------------------------------------------------------------------------------
// The journal of the run that is writing, and the manifests of runs

export type RunKind = 'fix' | 'rollback';

export interface JournalFile {
  /** HOME-relative. */
  path: string;
  /** HOME-relative temp file beside it. */
  tmp: string;
  /** sha256 of the bytes before and after the run. */
  before: string;
  after: string;
  /** Mode, owner and group the file gets. */
  mode: number;
  /** Mode the file had before the run, what a revert puts back (absent in journals of older versions). */
  modeBefore?: number;
  uid: number;
  gid: number;
}

export interface Journal {
  version: 1;
  runId: string;
  kind: RunKind;
  pid: number;
  started: string;
  /** prepare: temps are being written, no product file is touched yet. commit: renames have begun. */
  phase: 'prepare' | 'commit';
  backup: boolean;
  /** For a rollback: the run it undoes. */
  undoes?: string;
  files: JournalFile[];
}

export type RunStatus = 'pending' | 'applied' | 'reverted' | 'rolled-back';

export interface ManifestFile {
  path: string;
  /** sha256 of the original bytes (kept in files/<path>) and of what harden wrote. */
  before: string;
  after: string;
  /** Mode (permission bits), owner and group of the original file. */
  mode: number;
  uid: number;
  gid: number;
}

export interface Manifest {
  version: 1;
  runId: string;
  kind: RunKind;
  started: string;
  finished?: string;
  status: RunStatus;
  rules?: string[];
  undoes?: string;
  rolledBackBy?: string;
  note?: string;
  files: ManifestFile[];
}

export function readJournal(home: string): Journal | undefined {
  const { journal } = statePaths(home);
  if (!existsSync(journal)) return undefined;
  const j = readJson<Journal>(journal);
  if (!j || j.version !== 1 || !Array.isArray(j.files)) {
    throw new StateError(`${STATE_DIR}/journal.json in ${home} is unreadable; harden cannot tell what the interrupted run wrote. Compare the files with ${STATE_DIR}/backups/ and remove the journal`);
  }
  return j;
}

export function writeJournal(home: string, j: Journal): void {
  writeStateFile(statePaths(home).journal, `${JSON.stringify(j, null, 2)}\n`);
}

export function removeJournal(home: string): void {
  const { journal, dir } = statePaths(home);
  rmSync(journal, { force: true });
  fsyncDir(dir);
}

export const runDir = (home: string, runId: string): string => join(statePaths(home).backups, runId);
export const backupCopy = (home: string, runId: string, path: string): string => join(runDir(home, runId), 'files', path);

export function readManifest(home: string, runId: string): Manifest | undefined {
  return readJson<Manifest>(join(runDir(home, runId), 'manifest.json'));
}

export function writeManifest(home: string, m: Manifest): void {
  writeStateFile(join(runDir(home, m.runId), 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
}

/** Every run with a manifest, oldest first. */
export function listManifests(home: string): Manifest[] {
  const { backups } = statePaths(home);
  if (!existsSync(backups)) return [];
  return readdirSync(backups)
    .sort()
    .map((id) => readManifest(home, id))
    .filter((m): m is Manifest => m !== undefined && m.version === 1);
}

/** Makes a directory and its parents with private modes, fsyncing each new entry into its parent. */
export function mkdirPrivate(dir: string): void {
  if (existsSync(dir)) return;
  mkdirPrivate(dirname(dir));
  mkdirSync(dir, { mode: 0o700 });
  fsyncDir(dirname(dir));
}
