// Writes planned files all or nothing, and finishes or reverts a run that was killed while writing.
//
// The protocol (each step names a point where the process may die; HARDEN_TEST_CRASH_AFTER kills it
// there in tests):
//   lock      HOME/.harden/lock taken (O_EXCL, with our pid); an interrupted run is finished or reverted
//   journal   journal.json written: phase "prepare", every target with its temp name and both hashes
//   backup    the original bytes and a manifest under backups/<run-id>/ (unless --no-backup)
//   temp:N    the new bytes of file N in a temp file beside it: same mode, owner and group, fsynced
//   staged    every temp written; every target re-read: a target that changed aborts, nothing written
//   commit    journal phase "commit": from here an interrupted run is finished, not reverted
//   rename:N  temp N renamed over file N (its hash is checked once more right before)
//   renamed   every directory fsynced
//   done      manifest "applied", journal removed (the lock goes right after)
// Before the commit, recovery deletes the temps: no product file was touched. After it, recovery
// renames the temps that are left, and reverts from the backups only if a file no longer holds what
// either side of the run expects.
import {
  closeSync,
  existsSync,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import {
  acquireLock,
  backupCopy,
  fsyncDir,
  lockIsStale,
  mkdirPrivate,
  newRunId,
  readJournal,
  readManifest,
  removeJournal,
  runDir,
  sha256,
  STATE_DIR,
  StateError,
  statePaths,
  writeJournal,
  writeManifest,
  writeStateFile,
  type Journal,
  type JournalFile,
  type Notify,
  type RunKind,
} from './state.js';

/** A write that was refused or abandoned; nothing was written. */
export class WriteError extends Error {}

export type WriteStep = 'lock' | 'journal' | 'backup' | `temp:${number}` | 'staged' | 'commit' | `rename:${number}` | 'renamed' | 'done';

/** The steps of a run that writes `n` files, in order (backup only when backups are kept). */
export function writeSteps(n: number, backup = true): WriteStep[] {
  const each = <T extends string>(f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i + 1));
  return [
    'lock',
    'journal',
    ...(backup ? (['backup'] as const) : []),
    ...each((i) => `temp:${i}` as const),
    'staged',
    'commit',
    ...each((i) => `rename:${i}` as const),
    'renamed',
    'done',
  ];
}

export interface WriteHooks {
  /** Told what harden did besides the writes: a stale lock taken over, an interrupted run finished or reverted. */
  notify?: Notify;
  /** Called after each step of the protocol; the CLI's test hook kills the process there. */
  onStep?: (step: WriteStep) => void;
}

export interface FileWrite {
  /** HOME-relative. */
  path: string;
  bytes: Buffer;
  /** The bytes harden planned from: if the file holds anything else when it is written, nothing is written. */
  expected: Buffer;
  /** Mode, owner and group to give the file; default: the ones it has. */
  meta?: { mode: number; uid: number; gid: number };
  /**
   * A planned change of the file's permission bits: it must still have `from` when it is written (else
   * nothing is written), and gets `to`. With `bytes` equal to `expected` this is a change of mode alone.
   */
  mode?: { from: number; to: number };
}

export interface WriteRun extends WriteHooks {
  kind?: RunKind;
  /** Keep the original bytes under HOME/.harden/backups/<run-id>/ (default true). */
  backup?: boolean;
  rules?: string[];
  undoes?: string;
}

export interface WriteResult {
  /** The run's id when a backup was kept (what `harden rollback --run` takes). */
  runId?: string;
  written: string[];
}

const noop = (): void => undefined;
const code = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));

function insideHome(home: string, abs: string): boolean {
  const rel = relative(realpathSync(home), abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Refuses, before anything is written, targets harden must not replace: links (the target may be
 * outside HOME; a rename would replace the link, not the file), anything but a regular file, files
 * whose owner may not write them (root could, but a read-only mode is a decision someone made), and
 * files with several hard links (a rename would detach the others).
 */
export function checkWritable(home: string, paths: string[], modeOnly: ReadonlySet<string> = new Set()): void {
  const problems: string[] = [];
  for (const rel of paths) {
    const abs = join(home, rel);
    let st: Stats;
    try {
      st = lstatSync(abs);
    } catch (e) {
      problems.push(`${rel}: cannot be examined (${code(e)})`);
      continue;
    }
    if (st.isSymbolicLink()) {
      let target: string;
      try {
        target = realpathSync(abs);
      } catch {
        problems.push(`${rel}: is a symbolic link whose target does not exist; harden does not write through links`);
        continue;
      }
      problems.push(
        insideHome(home, target)
          ? `${rel}: is a symbolic link to ${relative(realpathSync(home), target)}; harden does not write through links (give the link's target its place, or edit it by hand)`
          : `${rel}: is a symbolic link to ${target}, outside the home; harden never writes through it`,
      );
      continue;
    }
    if (!st.isFile()) {
      problems.push(`${rel}: is not a regular file`);
      continue;
    }
    const dir = realpathSync(dirname(abs));
    if (!insideHome(home, join(dir, basename(abs)))) {
      problems.push(`${rel}: lies in ${dir}, outside the home (a directory on its path is a symbolic link); harden never writes through it`);
      continue;
    }
    // A change of mode alone keeps the owner's bits, so it respects a read-only decision.
    if ((st.mode & 0o200) === 0 && !modeOnly.has(rel)) {
      problems.push(`${rel}: is read-only (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')}); harden does not replace a file its owner may not write — make it writable (chmod u+w) to harden it`);
      continue;
    }
    if (st.nlink > 1) problems.push(`${rel}: has ${st.nlink} hard links; replacing it would leave the other links with the old content`);
  }
  if (problems.length) throw new WriteError(`${problems.join('\n')}\nnothing was written`);
}

function writeAll(fd: number, bytes: Buffer): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** A temp file with the given bytes, mode, owner and group, fsynced; refuses to change a file's owner. */
function writeTemp(abs: string, rel: string, bytes: Buffer, f: Pick<JournalFile, 'mode' | 'uid' | 'gid'>): void {
  const fd = openSync(abs, 'wx', 0o600);
  try {
    writeAll(fd, bytes);
    try {
      fchownSync(fd, f.uid, f.gid);
    } catch {
      const st = fstatSync(fd);
      if (st.uid !== f.uid || st.gid !== f.gid) {
        throw new WriteError(`${rel}: harden cannot keep its owner and group ${f.uid}:${f.gid} (it runs as uid ${process.getuid?.() ?? '?'}; only root may give a file away)`);
      }
    }
    // After the chown, which clears set-id bits; and not through open's mode, which the umask trims.
    fchmodSync(fd, f.mode);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function hashOf(abs: string): string | undefined {
  try {
    const st = lstatSync(abs);
    if (!st.isFile()) return undefined;
    return sha256(readFileSync(abs));
  } catch {
    return undefined;
  }
}

function assertHolds(home: string, path: string, hash: string, when: string): void {
  const now = hashOf(join(home, path));
  if (now !== hash) {
    throw new WriteError(`${path}: changed ${when} (another program or person wrote it); nothing was written — run harden again to plan from the new content`);
  }
}

const modeOf = (abs: string): number | undefined => {
  try {
    return lstatSync(abs).mode & 0o7777;
  } catch {
    return undefined;
  }
};

function assertMode(home: string, path: string, mode: number): void {
  const now = modeOf(join(home, path));
  if (now !== mode) {
    const shown = (m: number): string => m.toString(8).padStart(4, '0');
    throw new WriteError(`${path}: its permissions changed since harden read them (planned from ${shown(mode)}, now ${now === undefined ? 'gone' : shown(now)}); nothing was written — run harden again to plan from the new mode`);
  }
}

/** The journal entry as it was before the run: what a revert puts back (older journals did not record the mode). */
const original = (f: JournalFile): JournalFile => ({ ...f, mode: f.modeBefore ?? f.mode });

function fsyncDirs(home: string, files: { path: string }[]): void {
  for (const d of new Set(files.map((f) => dirname(join(home, f.path))))) fsyncDir(d);
}

/** Marks a run applied (and the run a rollback undoes as rolled back), then drops the journal. */
function finish(home: string, j: Journal, note?: string): void {
  if (j.backup) {
    const m = readManifest(home, j.runId);
    if (m) writeManifest(home, { ...m, status: 'applied', finished: new Date().toISOString(), ...(note ? { note } : {}) });
    if (j.undoes) {
      const undone = readManifest(home, j.undoes);
      if (undone) writeManifest(home, { ...undone, status: 'rolled-back', rolledBackBy: j.runId });
    }
  }
  removeJournal(home);
}

/** Marks a run reverted (its copies are no longer needed: every file holds its original), drops the journal. */
function abandon(home: string, j: Journal, note: string): void {
  if (j.backup) {
    const m = readManifest(home, j.runId);
    rmSync(join(runDir(home, j.runId), 'files'), { recursive: true, force: true });
    if (m) writeManifest(home, { ...m, status: 'reverted', finished: new Date().toISOString(), note });
    else rmSync(runDir(home, j.runId), { recursive: true, force: true });
  }
  for (const f of j.files) rmSync(join(home, f.tmp), { force: true });
  removeJournal(home);
}

/**
 * Writes every file or none, inside the lock. Each target must still hold `expected` (checked before
 * anything is written and again right before its rename).
 */
export function commitWrites(home: string, writes: FileWrite[], run: WriteRun = {}): WriteResult {
  const step = run.onStep ?? noop;
  if (writes.length === 0) return { written: [] };
  for (const w of writes) assertHolds(home, w.path, sha256(w.expected), 'since harden read it');
  for (const w of writes) if (w.mode) assertMode(home, w.path, w.mode.from);
  const runId = newRunId();
  const backup = run.backup !== false;
  const files: JournalFile[] = writes.map((w) => {
    const st = lstatSync(join(home, w.path));
    return {
      path: w.path,
      tmp: join(dirname(w.path), `.${basename(w.path)}.harden-${runId}.tmp`),
      before: sha256(w.expected),
      after: sha256(w.bytes),
      mode: w.mode?.to ?? w.meta?.mode ?? st.mode & 0o7777,
      modeBefore: st.mode & 0o7777,
      uid: w.meta?.uid ?? st.uid,
      gid: w.meta?.gid ?? st.gid,
    };
  });
  const journal: Journal = {
    version: 1,
    runId,
    kind: run.kind ?? 'fix',
    pid: process.pid,
    started: new Date().toISOString(),
    phase: 'prepare',
    backup,
    ...(run.undoes ? { undoes: run.undoes } : {}),
    files,
  };
  writeJournal(home, journal);
  step('journal');
  let renamed = 0;
  let committed = false;
  try {
    if (backup) {
      writes.forEach((w) => {
        const copy = backupCopy(home, runId, w.path);
        mkdirPrivate(dirname(copy));
        writeStateFile(copy, w.expected);
      });
      writeManifest(home, {
        version: 1,
        runId,
        kind: journal.kind,
        started: journal.started,
        status: 'pending',
        ...(run.rules ? { rules: run.rules } : {}),
        ...(run.undoes ? { undoes: run.undoes } : {}),
        files: writes.map((w, i) => {
          const st = lstatSync(join(home, w.path));
          return { path: w.path, before: files[i]!.before, after: files[i]!.after, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
        }),
      });
      step('backup');
    }
    writes.forEach((w, i) => {
      writeTemp(join(home, files[i]!.tmp), w.path, w.bytes, files[i]!);
      step(`temp:${i + 1}`);
    });
    step('staged');
    for (const f of files) assertHolds(home, f.path, f.before, 'while harden was preparing to write it');
    writeJournal(home, { ...journal, phase: 'commit' });
    committed = true;
    step('commit');
    files.forEach((f, i) => {
      assertHolds(home, f.path, f.before, 'while harden was writing');
      renameSync(join(home, f.tmp), join(home, f.path));
      renamed++;
      step(`rename:${i + 1}`);
    });
    fsyncDirs(home, files);
    step('renamed');
    finish(home, { ...journal, phase: 'commit' });
    step('done');
    return { ...(backup ? { runId } : {}), written: files.map((f) => f.path) };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (!committed) {
      abandon(home, journal, `abandoned before any file was replaced: ${why}`);
      throw e instanceof WriteError ? e : new WriteError(`nothing was written: ${why}`);
    }
    // Renames had begun: put the replaced files back from the bytes we hold.
    try {
      for (const [i, f] of files.slice(0, renamed).entries()) {
        const back = join(home, `${f.tmp}.back`);
        rmSync(back, { force: true });
        writeTemp(back, f.path, writes[i]!.expected, original(f));
        renameSync(back, join(home, f.path));
      }
      fsyncDirs(home, files);
      abandon(home, journal, `reverted while writing: ${why}`);
    } catch (again) {
      throw new StateError(
        `writing stopped half way (${why}) and putting the files back failed too (${again instanceof Error ? again.message : String(again)}); ` +
          `${STATE_DIR}/journal.json is kept: the next harden run finishes or reverts this run`,
      );
    }
    throw new WriteError(`${why.replace(/; nothing was written.*$/, '')}; the ${renamed} file(s) already replaced were put back, so nothing was written`);
  }
}

/** Finishes or reverts a run that was killed while writing; the lock must be held. */
export function recoverInterrupted(home: string, notify: Notify): void {
  const j = readJournal(home);
  if (!j) return;
  const who = `an earlier harden ${j.kind} (run ${j.runId}, pid ${j.pid}, started ${j.started})`;
  const n = j.files.length;
  if (j.phase === 'prepare') {
    abandon(home, j, 'interrupted before any file was replaced; reverted by the next run');
    notify(`${who} was interrupted before it replaced any file; reverted it: removed its temporary files, so its ${n} file(s) are as they were (${j.files.map((f) => f.path).join(', ')})`);
    return;
  }
  const states = j.files.map((f) => {
    const now = hashOf(join(home, f.path));
    // A change of mode alone holds the same bytes before and after: only the mode tells whether it was renamed in.
    const modeDone = f.before !== f.after || modeOf(join(home, f.path)) === f.mode || hashOf(join(home, f.tmp)) !== f.after;
    if (now === f.after && modeDone) return 'done' as const;
    if (now === f.before && hashOf(join(home, f.tmp)) === f.after) return 'pending' as const;
    return 'conflict' as const;
  });
  const done = states.filter((s) => s === 'done').length;
  if (!states.includes('conflict')) {
    j.files.forEach((f, i) => {
      if (states[i] === 'pending') renameSync(join(home, f.tmp), join(home, f.path));
      else rmSync(join(home, f.tmp), { force: true });
    });
    fsyncDirs(home, j.files);
    finish(home, j, `interrupted after ${done} of ${n} file(s) were replaced; finished by the next run`);
    notify(
      `${who} was interrupted after replacing ${done} of ${n} file(s); finished it: replaced the other ${n - done} from its fsynced temporary files` +
        (j.backup ? `; \`harden rollback --run ${j.runId}\` undoes it` : ''),
    );
    return;
  }
  const conflicts = j.files.filter((_, i) => states[i] === 'conflict').map((f) => f.path);
  const copiesIntact = j.backup && j.files.every((f) => hashOf(backupCopy(home, j.runId, f.path)) === f.before);
  if (!copiesIntact) {
    throw new StateError(
      `${who} was interrupted while replacing files, and it can be neither finished nor reverted: ${conflicts.join(', ')} ` +
        `changed since${j.backup ? ' and its backups are damaged' : ', and it kept no backups (--no-backup)'}. ` +
        `Check those files by hand, then remove ${join(STATE_DIR, 'journal.json')}`,
    );
  }
  j.files.forEach((f, i) => {
    if (states[i] !== 'done') return;
    const back = join(home, `${f.tmp}.back`);
    rmSync(back, { force: true });
    writeTemp(back, f.path, readFileSync(backupCopy(home, j.runId, f.path)), original(f));
    renameSync(back, join(home, f.path));
  });
  fsyncDirs(home, j.files);
  abandon(home, j, `interrupted; could not be finished because ${conflicts.join(', ')} changed; reverted by the next run`);
  notify(
    `${who} was interrupted after replacing ${done} of ${n} file(s) and cannot be finished (${conflicts.join(', ')} changed since); ` +
      `reverted it: put back the original bytes of the ${done} replaced file(s) from ${STATE_DIR}/backups/${j.runId}`,
  );
}

/** Takes the lock, finishes or reverts an interrupted run, runs `fn`, and lets the lock go. */
export function withLock<T>(home: string, command: string, hooks: WriteHooks, fn: () => T): T {
  const lock = acquireLock(home, command, hooks.notify ?? noop);
  (hooks.onStep ?? noop)('lock');
  try {
    recoverInterrupted(home, hooks.notify ?? noop);
    return fn();
  } finally {
    lock.release();
  }
}

/**
 * Before a home is read: a run interrupted while writing it is finished or reverted first (under the
 * lock; a live run holding it is an error), and a lock left by a dead run is cleared. Without either,
 * nothing is created or changed.
 */
export function settleHome(home: string, hooks: WriteHooks): void {
  if (existsSync(statePaths(home).journal)) withLock(home, 'recovery', { notify: hooks.notify }, noop);
  else if (lockIsStale(home)) {
    try {
      withLock(home, 'recovery', { notify: hooks.notify }, noop);
    } catch {
      // A stale lock alone is harmless (the next run that writes takes it over); a read-only home keeps it.
    }
  }
}

/** Checks, locks, and writes every file or none. */
export function writeFilesAtomically(home: string, writes: FileWrite[], run: WriteRun = {}): WriteResult {
  if (writes.length === 0) return { written: [] };
  const modeOnly = new Set(writes.filter((w) => w.mode && w.bytes.equals(w.expected)).map((w) => w.path));
  checkWritable(home, writes.map((w) => w.path), modeOnly);
  return withLock(home, run.kind ?? 'fix', run, () => commitWrites(home, writes, run));
}
