// Killed at every step of a write: `harden fix --yes` runs as a child process with
// HARDEN_TEST_CRASH_AFTER=<step>, which SIGKILLs it right after that step (no finally blocks, no
// cleanup: what a power cut leaves). Then: every product file is whole (the old or the new bytes,
// never a mix), and the next harden run finishes the run (from the commit on) or reverts it (before),
// says which, and leaves no temp file, journal or lock behind.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/capture.js';
import { cleanupTemps } from '../helpers/homes.js';
import { writeSteps } from '../../src/io/write-files.js';
import { CATALINA, edit, exampleHome, fullSnapshot, productFiles, runBuilt, strayTemps, type Entry } from './helpers.js';

afterAll(cleanupTemps);

/** The product tree (bytes, modes, owners) before and after an uninterrupted fix of the example home. */
function reference(extra: string[] = []): { original: Map<string, string>; fixed: Map<string, string>; files: string[]; meta: Map<string, Entry> } {
  const home = exampleHome();
  const original = productFiles(home);
  const r = runBuilt(['fix', home, '--yes', ...extra]);
  expect(r.code).toBe(0);
  const files = [...r.stderr.matchAll(/^wrote (\S+)$/gm)].map((m) => m[1]!);
  const meta = new Map([...fullSnapshot(home)].filter(([p]) => !p.startsWith('.harden')));
  return { original, fixed: productFiles(home), files, meta };
}

// The rules whose findings no fix closes (a host name to give, the shipped keystore) are left out, so
// exit 0 means every fix was written.
const ARGS = ['--set', 'port-offset=1', '--skip', 'hostname,default-keystore'];
const ref = reference(ARGS);
const steps = writeSteps(ref.files.length);

describe('a fix killed at each step of the write', () => {
  it('writes several files, so every step between two renames is exercised', () => {
    expect(ref.files.length).toBeGreaterThanOrEqual(5);
    expect(steps).toEqual(expect.arrayContaining(['lock', 'journal', 'backup', 'temp:1', 'staged', 'commit', 'rename:1', 'rename:2', 'renamed', 'done']));
  });

  it.each(steps)('killed after %s', async (step) => {
    const home = exampleHome();
    const killed = runBuilt(['fix', home, '--yes', ...ARGS], { env: { HARDEN_TEST_CRASH_AFTER: step } });
    expect(killed.signal).toBe('SIGKILL');

    // Right after the kill: no file is torn, each is wholly old or wholly new.
    const now = productFiles(home);
    expect([...now.keys()].sort()).toEqual([...ref.original.keys()].sort());
    for (const [path, bytes] of now) expect({ path, whole: bytes === ref.original.get(path) || bytes === ref.fixed.get(path) }).toEqual({ path, whole: true });
    const renamed = [...now].filter(([p, b]) => b !== ref.original.get(p)).length;
    const n = Number(/^rename:(\d+)$/.exec(step)?.[1] ?? (['renamed', 'done'].includes(step) ? ref.files.length : 0));
    expect(renamed).toBe(n);

    // The next run (any command) settles the home first, and says what it did.
    const next = await runCli(['history', home]);
    expect(next.code).toBe(0);
    const committed = steps.indexOf(step) >= steps.indexOf('commit');
    if (step === 'lock' || step === 'done') {
      expect(next.stderr).toMatch(/took over the lock of harden pid \d+ \(fix, since .*\), which is no longer running/);
      expect(next.stderr).not.toMatch(/interrupted/);
    } else if (committed) {
      expect(next.stderr).toMatch(new RegExp(`was interrupted after replacing ${n} of ${ref.files.length} file\\(s\\); finished it: replaced the other ${ref.files.length - n}`));
    } else {
      expect(next.stderr).toMatch(/was interrupted before it replaced any file; reverted it: removed its temporary files/);
    }
    const settled = productFiles(home);
    expect(settled).toEqual(committed ? ref.fixed : ref.original);
    expect(strayTemps(home)).toEqual([]);
    expect(existsSync(join(home, '.harden/journal.json'))).toBe(false);
    expect(existsSync(join(home, '.harden/lock'))).toBe(false);
    // Modes and owners are those of an uninterrupted run (which keeps the originals').
    for (const [p, e] of fullSnapshot(home)) if (!p.startsWith('.harden')) expect({ p, mode: e.mode, uid: e.uid, gid: e.gid }).toEqual({ p, mode: ref.meta.get(p)!.mode, uid: ref.meta.get(p)!.uid, gid: ref.meta.get(p)!.gid });

    if (committed) {
      // The finished run is a run like any other: rollback gives back the original bytes.
      const back = await runCli(['rollback', home]);
      expect(back.code).toBe(0);
      expect(productFiles(home)).toEqual(ref.original);
    } else {
      const again = await runCli(['fix', home, '--yes', ...ARGS]);
      expect(again.code).toBe(0);
      expect(productFiles(home)).toEqual(ref.fixed);
    }
  });

  it('the run after a crash that writes is also the one that recovers: fix --yes finishes, then has nothing left to do', async () => {
    const home = exampleHome();
    expect(runBuilt(['fix', home, '--yes', ...ARGS], { env: { HARDEN_TEST_CRASH_AFTER: 'rename:2' } }).signal).toBe('SIGKILL');
    const next = await runCli(['fix', home, '--yes', ...ARGS]);
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(/finished it: replaced the other \d+/);
    expect(next.stderr).toContain('nothing to change');
    expect(productFiles(home)).toEqual(ref.fixed);
  });

  it.each([['check'], ['fix', '--dry-run']])('the run after a crash says what it did, also when it is %s', async (...cmd) => {
    const home = exampleHome();
    expect(runBuilt(['fix', home, '--yes', ...ARGS], { env: { HARDEN_TEST_CRASH_AFTER: 'rename:1' } }).signal).toBe('SIGKILL');
    const next = await runCli([...cmd, home, ...ARGS]);
    expect(next.stderr).toMatch(/harden: .*was interrupted after replacing 1 of \d+ file\(s\); finished it/);
    expect(productFiles(home)).toEqual(ref.fixed);
  });

  it('with --no-backup, an interrupted run is still finished (it needs only its temp files)', async () => {
    const home = exampleHome();
    expect(runBuilt(['fix', home, '--yes', '--no-backup', ...ARGS], { env: { HARDEN_TEST_CRASH_AFTER: 'rename:1' } }).signal).toBe('SIGKILL');
    const next = await runCli(['history', home]);
    expect(next.stderr).toMatch(/finished it/);
    expect(productFiles(home)).toEqual(ref.fixed);
    expect(existsSync(join(home, '.harden'))).toBe(false); // nothing is left to ship in an image
  });

  it('a file edited between the crash and the next run: the run cannot be finished, so it is reverted from its backups', async () => {
    const home = exampleHome();
    expect(runBuilt(['fix', home, '--yes', ...ARGS], { env: { HARDEN_TEST_CRASH_AFTER: 'rename:1' } }).signal).toBe('SIGKILL');
    // The last file of the run has not been replaced yet; someone edits it now.
    const last = ref.files[ref.files.length - 1]!;
    expect(last).toBe(CATALINA);
    edit(home, last, 'port="9763"', 'port="9764"');
    const edited = productFiles(home).get(last);
    const next = await runCli(['history', home]);
    expect(next.stderr).toMatch(new RegExp(`cannot be finished \\(${last} changed since\\); reverted it: put back the original bytes of the 1 replaced file`));
    const want = new Map(ref.original);
    want.set(last, edited!);
    expect(productFiles(home)).toEqual(want);
    expect(strayTemps(home)).toEqual([]);
    expect(next.stdout).toMatch(/fix\s+reverted/);
  });

  it('a garbage journal is reported, not guessed at', async () => {
    const home = exampleHome();
    expect(runBuilt(['fix', home, '--yes', ...ARGS], { env: { HARDEN_TEST_CRASH_AFTER: 'rename:1' } }).signal).toBe('SIGKILL');
    writeFileSync(join(home, '.harden/journal.json'), '{"version": 1, "files": [');
    const before = fullSnapshot(home);
    const r = await runCli(['fix', home, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.harden/journal.json in');
    expect(r.stderr).toContain('is unreadable; harden cannot tell what the interrupted run wrote');
    // Only the stale lock was taken over (and released); no product file was touched.
    const after = fullSnapshot(home);
    before.delete('.harden/lock');
    expect(after).toEqual(before);
  });
});
