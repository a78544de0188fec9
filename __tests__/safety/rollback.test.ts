// Backups and rollback: every fix keeps the original bytes (with paths, hashes, modes and owners in a
// manifest); `harden rollback` puts them back byte for byte with their modes and owners, refuses files
// edited since harden wrote them unless --force, and `harden history` lists the runs. --no-backup keeps
// nothing, and harden's own state is never read as configuration.
import { afterAll, describe, expect, it } from '@jest/globals';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { runCli } from '../helpers/capture.js';
import { cleanupTemps } from '../helpers/homes.js';
import { expandGlob } from '../../src/io/read-home.js';
import { planHome } from '../../src/run.js';
import { AXIS2, CARBON, CATALINA, edit, exampleHome, fullSnapshot, isRoot, productFiles, type Entry } from './helpers.js';

afterAll(cleanupTemps);

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const product = (home: string): Map<string, Entry> => new Map([...fullSnapshot(home)].filter(([p]) => p !== '.harden' && !p.startsWith('.harden/')));

/** Unusual modes (group-writable, private, executable) and, as root, owners other than root's. */
function dressUp(home: string): void {
  const set: [string, number, number, number][] = [
    [CATALINA, 0o640, 1234, 5678],
    [CARBON, 0o664, 2345, 6789],
    [AXIS2, 0o600, 1234, 1234],
    ['bin/wso2server.sh', 0o750, 3456, 0],
  ];
  for (const [rel, mode, uid, gid] of set) {
    if (isRoot) chownSync(join(home, rel), uid, gid);
    chmodSync(join(home, rel), mode);
  }
}

describe('backups and rollback', () => {
  it('fix keeps modes and owners; its manifest records paths, hashes, modes and owners; rollback restores bytes, modes and owners', async () => {
    const home = exampleHome();
    dressUp(home);
    const original = product(home);
    const fix = await runCli(['fix', home, '--yes', '--set', 'port-offset=3']);
    expect(fix.code).toBe(1); // applied; the host name and the shipped keystore stay open
    const runId = /kept in \.harden\/backups\/(\S+);/.exec(fix.stderr)![1]!;

    // The fix changed bytes, but not one mode or owner (a umask must not trim 0664 to 0644).
    const fixed = product(home);
    for (const [p, e] of original) {
      expect({ p, mode: fixed.get(p)!.mode, uid: fixed.get(p)!.uid, gid: fixed.get(p)!.gid }).toEqual({ p, mode: e.mode, uid: e.uid, gid: e.gid });
    }
    const written = [...fix.stderr.matchAll(/^wrote (\S+)$/gm)].map((m) => m[1]!);
    expect(written).toEqual(expect.arrayContaining([CATALINA, CARBON, AXIS2, 'bin/wso2server.sh']));

    const dir = join(home, '.harden/backups', runId);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      status: string;
      files: { path: string; before: string; after: string; mode: number; uid: number; gid: number }[];
    };
    expect(manifest.status).toBe('applied');
    expect(manifest.files.map((f) => f.path).sort()).toEqual([...written].sort());
    for (const f of manifest.files) {
      const was = original.get(f.path)!;
      expect(f).toEqual({ path: f.path, before: sha(Buffer.from(was.bytes!, 'base64')), after: sha(readFileSync(join(home, f.path))), mode: was.mode, uid: was.uid, gid: was.gid });
      expect(readFileSync(join(dir, 'files', f.path))).toEqual(Buffer.from(was.bytes!, 'base64'));
      expect(statSync(join(dir, 'files', f.path)).mode & 0o777).toBe(0o600); // copies of files with passwords stay private
    }
    expect(statSync(join(home, '.harden')).mode & 0o777).toBe(0o700);

    const back = await runCli(['rollback', home]);
    expect(back.code).toBe(0);
    expect(back.stderr).toContain(`rolled back run ${runId}`);
    expect(back.stderr).toMatch(/restored repository\/conf\/carbon\.xml \(its original bytes, mode 0664, owner \d+:\d+\)/);
    expect(product(home)).toEqual(original);
  });

  it('refuses, per file, what was edited after harden wrote it; --force restores it and keeps the edit', async () => {
    const home = exampleHome();
    const original = productFiles(home);
    expect((await runCli(['fix', home, '--yes'])).code).toBeLessThan(2);
    edit(home, CATALINA, 'port="9763"', 'port="9764"');
    edit(home, AXIS2, 'TLSv1.2', 'TLSv1.3');
    const edited = productFiles(home);

    const refused = await runCli(['rollback', home]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${CATALINA}: changed since harden wrote it`);
    expect(refused.stderr).toContain(`${AXIS2}: changed since harden wrote it`);
    expect(refused.stderr).not.toContain('bin/wso2server.sh: changed');
    expect(refused.stderr).toContain('nothing was written');
    expect(productFiles(home)).toEqual(edited);

    const forced = await runCli(['rollback', home, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(new RegExp(`restored ${CATALINA} .*; it had been edited since harden wrote it \\(--force\\)`));
    expect(productFiles(home)).toEqual(original);

    // The rollback is a run too: undoing it brings back the edited files.
    const undoId = /harden rollback --run (\S+) undoes the rollback/.exec(forced.stderr)![1]!;
    const redo = await runCli(['rollback', home, '--run', undoId]);
    expect(redo.code).toBe(0);
    expect(productFiles(home)).toEqual(edited);
  });

  it('history lists the runs, newest first, with what each did', async () => {
    const home = exampleHome();
    await runCli(['fix', home, '--yes', '--set', 'port-offset=1']);
    await runCli(['fix', home, '--yes', '--set', 'port-offset=2']);
    const h = await runCli(['history', home]);
    expect(h.code).toBe(0);
    const ids = [...h.stdout.matchAll(/^(\d{8}T\d{9}Z-[0-9a-f]{6})\s+(\w+)\s+(.*)$/gm)].map((m) => [m[1], m[2], m[3]]);
    expect(ids).toHaveLength(2);
    expect(ids[0]![0]! > ids[1]![0]!).toBe(true);
    expect(ids.map((r) => r[1])).toEqual(['fix', 'fix']);
    expect(h.stdout).toContain(`    ${CARBON}`);

    // The latest fix changed carbon.xml again, so the first cannot be rolled back over it.
    const first = ids[1]![0]!;
    const r = await runCli(['rollback', home, '--run', first]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${CARBON}: changed since harden wrote it (someone edited it after run ${first})`);
    // The latest can; after it, the first can too.
    expect((await runCli(['rollback', home])).code).toBe(0);
    expect((await runCli(['rollback', home])).code).toBe(0);
    const again = await runCli(['rollback', home]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('no applied harden fix is left to roll back');
    const listed = await runCli(['history', home]);
    expect(listed.stdout.match(/rolled back by/g)).toHaveLength(2);
  });

  it('rollback of an unknown run, or in a home harden never wrote, is a clear error that writes nothing', async () => {
    const home = exampleHome();
    const before = fullSnapshot(home);
    const none = await runCli(['rollback', home]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('harden has recorded no run in');
    expect(fullSnapshot(home)).toEqual(before);
    await runCli(['fix', home, '--yes']);
    const fixed = fullSnapshot(home);
    const unknown = await runCli(['rollback', home, '--run', '20000101T000000000Z-000000']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no run 20000101T000000000Z-000000 is recorded');
    expect(fullSnapshot(home)).toEqual(fixed);
  });

  it('a damaged backup is refused, not restored', async () => {
    const home = exampleHome();
    const fix = await runCli(['fix', home, '--yes']);
    const runId = /kept in \.harden\/backups\/(\S+);/.exec(fix.stderr)![1]!;
    writeFileSync(join(home, '.harden/backups', runId, 'files', CATALINA), 'tampered');
    const fixed = productFiles(home);
    const r = await runCli(['rollback', home]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`the backup of ${CATALINA}`);
    expect(r.stderr).toContain('is damaged');
    expect(productFiles(home)).toEqual(fixed);
  });

  it('--no-backup (image builds): the fix is applied and nothing of harden is left in HOME', async () => {
    const home = exampleHome();
    const r = await runCli(['fix', home, '--yes', '--no-backup']);
    expect(r.code).toBeLessThan(2);
    expect(r.stderr).not.toContain('.harden/backups');
    expect(existsSync(join(home, '.harden'))).toBe(false);
    expect(planHome({ home }).changes).toEqual([]);
    const h = await runCli(['history', home]);
    expect(h.stdout).toContain('harden has recorded no run');
  });

  it('dry runs and check never create HOME/.harden', async () => {
    const home = exampleHome();
    const before = fullSnapshot(home);
    await runCli(['check', home]);
    await runCli(['fix', home, '--dry-run']);
    await runCli(['history', home]);
    expect(fullSnapshot(home)).toEqual(before);
  });
});

describe("harden's own state is never configuration", () => {
  it('globs never match HOME/.harden or a temp file of a write in progress', () => {
    const home = exampleHome();
    mkdirSync(join(home, '.harden/backups/x/files/repository/conf/tomcat'), { recursive: true });
    writeFileSync(join(home, '.harden/backups/x/files/repository/conf/tomcat/catalina-server.xml'), '<Server/>');
    writeFileSync(join(home, 'repository/conf/tomcat/.catalina-server.xml.harden-20260101T000000000Z-abcdef.tmp'), '<Server/>');
    expect(expandGlob(home, '*')).not.toContain('.harden');
    expect(expandGlob(home, '.harden')).toEqual([]);
    expect(expandGlob(home, '.harden/backups/x/files/repository/conf/tomcat/catalina-server.xml')).toEqual([]);
    expect(expandGlob(home, 'repository/conf/tomcat/*')).toEqual(['repository/conf/tomcat/carbon', CATALINA]);
  });

  it('after a fix, the backups of the weak originals do not make a second run find anything', async () => {
    const home = exampleHome();
    await runCli(['fix', home, '--yes', '--set', 'port-offset=1']);
    expect(existsSync(join(home, '.harden/backups'))).toBe(true);
    const plan = planHome({ home, params: { 'port-offset': '1' } });
    expect(plan.changes).toEqual([]);
    expect(plan.files.paths().filter((p) => p.includes('.harden'))).toEqual([]);
  });
});
