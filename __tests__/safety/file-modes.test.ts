// Permission changes (file-permissions) go through the same journal, backups and rollback as text edits:
// fix --yes makes keystores and files with passwords private without changing a byte or an owner,
// rollback puts the old modes back, a run killed at any step is finished or reverted with the right
// modes, a saved plan refuses a file whose mode changed since, and the dry-run diff carries git's
// `old mode`/`new mode` lines that GNU patch applies.
import { afterAll, describe, expect, it } from '@jest/globals';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/capture.js';
import { applyPatch, cleanupTemps, tempCopy } from '../helpers/homes.js';
import { writeSteps } from '../../src/io/write-files.js';
import { exampleHome, fullSnapshot, isRoot, runBuilt, strayTemps, type Entry } from './helpers.js';

afterAll(cleanupTemps);

const KEYSTORE = 'repository/resources/security/wso2carbon.jks';
const TRUSTSTORE = 'repository/resources/security/client-truststore.jks';
const CIPHER = 'repository/conf/security/cipher-text.properties';
const PERSIST = 'password-persist';
/** Mode before, mode after, owner (as root: not root's, so a lost owner shows). */
const SENSITIVE: [string, number, number, number][] = [
  [KEYSTORE, 0o644, 0o600, 1234],
  [TRUSTSTORE, 0o664, 0o600, 2345],
  [CIPHER, 0o640, 0o600, 1234],
  [PERSIST, 0o444, 0o400, 3456],
];

/** The example API Manager 2.6 home with a (fake, binary) keystore and truststore, Secure Vault files and password-persist. */
function homeWithSecrets(): string {
  const home = exampleHome();
  mkdirSync(join(home, 'repository/resources/security'), { recursive: true });
  mkdirSync(join(home, 'repository/conf/security'), { recursive: true });
  writeFileSync(join(home, KEYSTORE), Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1, 0xff, 0x00, 0x80]));
  writeFileSync(join(home, TRUSTSTORE), Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 0]));
  writeFileSync(join(home, CIPHER), 'Carbon.Security.KeyStore.Password=bm90IGEgcmVhbCBjaXBoZXJ0ZXh0\n');
  writeFileSync(join(home, PERSIST), 'not-a-real-keystore-password\n');
  for (const [rel, mode, , uid] of SENSITIVE) {
    if (isRoot) chownSync(join(home, rel), uid, uid);
    chmodSync(join(home, rel), mode);
  }
  return home;
}

const product = (home: string): Map<string, Entry> => new Map([...fullSnapshot(home)].filter(([p]) => p !== '.harden' && !p.startsWith('.harden/')));
const modeOf = (snap: Map<string, Entry>, p: string): number => snap.get(p)!.mode;

describe('permission changes', () => {
  it('fix --yes makes the files private without touching bytes or owners; rollback restores the modes', async () => {
    const home = homeWithSecrets();
    const original = product(home);
    const fix = await runCli(['fix', home, '--yes', '--only', 'file-permissions']);
    expect(fix.code).toBe(0);
    const fixed = product(home);
    for (const [rel, , after] of SENSITIVE) {
      expect({ rel, mode: modeOf(fixed, rel) }).toEqual({ rel, mode: after });
      expect({ rel, bytes: fixed.get(rel)!.bytes, uid: fixed.get(rel)!.uid, gid: fixed.get(rel)!.gid }).toEqual({ rel, bytes: original.get(rel)!.bytes, uid: original.get(rel)!.uid, gid: original.get(rel)!.gid });
    }
    // Nothing else changed at all.
    for (const [p, e] of original) if (!SENSITIVE.some(([rel]) => rel === p)) expect({ p, e: fixed.get(p) }).toEqual({ p, e });
    expect((await runCli(['check', home, '--only', 'file-permissions'])).code).toBe(0);

    const back = await runCli(['rollback', home]);
    expect(back.code).toBe(0);
    expect(back.stderr).toMatch(/restored repository\/resources\/security\/wso2carbon\.jks \(its original bytes, mode 0644/);
    expect(product(home)).toEqual(original);
  });

  it('with every rule: the text fixes and the mode changes land together, and rollback undoes both', async () => {
    const home = homeWithSecrets();
    const original = product(home);
    expect((await runCli(['fix', home, '--yes'])).code).toBeLessThan(2);
    const fixed = product(home);
    expect(modeOf(fixed, KEYSTORE)).toBe(0o600);
    expect(fixed.get('repository/conf/tomcat/catalina-server.xml')!.bytes).not.toBe(original.get('repository/conf/tomcat/catalina-server.xml')!.bytes);
    expect((await runCli(['fix', home, '--dry-run'])).stderr).toContain('dry run: nothing to change');
    expect((await runCli(['rollback', home])).code).toBe(0);
    expect(product(home)).toEqual(original);
  });

  it('the dry run shows git mode lines that patch -p1 applies, and writes nothing', async () => {
    const home = homeWithSecrets();
    const before = product(home);
    const dry = await runCli(['fix', home, '--dry-run', '--only', 'file-permissions']);
    expect(dry.stdout).toContain(`diff --git a/${KEYSTORE} b/${KEYSTORE}\nold mode 100644\nnew mode 100600\n`);
    expect(dry.stdout).toContain(`diff --git a/${PERSIST} b/${PERSIST}\nold mode 100444\nnew mode 100400\n`);
    expect(dry.stdout).not.toContain('not-a-real-keystore-password');
    expect(product(home)).toEqual(before);
    applyPatch(home, dry.stdoutBytes);
    const patched = product(home);
    for (const [rel, , after] of SENSITIVE) expect({ rel, mode: modeOf(patched, rel) }).toEqual({ rel, mode: after });
  });

  it('a saved plan carries the modes, and refuses a file whose mode changed since', async () => {
    const home = homeWithSecrets();
    const planFile = join(tempCopy(join(home, 'bin')), 'plan.json');
    expect((await runCli(['plan', home, '--only', 'file-permissions', '--out', planFile])).code).toBe(0);
    const show = await runCli(['show', planFile]);
    expect(show.stdout).toContain('new mode 100600');
    const doc = readFileSync(planFile, 'utf8');
    expect(JSON.parse(doc).changes.find((c: { path: string }) => c.path === KEYSTORE).mode).toEqual({ from: '0644', to: '0600' });
    writeFileSync(planFile, doc.replace('"to": "0600"', '"to": "0999"'));
    expect((await runCli(['apply', planFile])).stderr).toMatch(/changes\[\d+\]\.mode: expected/);
    writeFileSync(planFile, doc);
    chmodSync(join(home, KEYSTORE), 0o640);
    const refused = await runCli(['apply', planFile]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`${KEYSTORE.replace(/[./]/g, '\\$&')}: a re-plan now gives other permissions than the plan recorded`));
    chmodSync(join(home, KEYSTORE), 0o644);
    const applied = await runCli(['apply', planFile]);
    expect(applied.code).toBe(0);
    expect(modeOf(product(home), KEYSTORE)).toBe(0o600);
  });
});

describe('a change of modes killed at each step of the write', () => {
  const reference = homeWithSecrets();
  const original = product(reference);
  const ok = runBuilt(['fix', reference, '--yes', '--only', 'file-permissions']);
  const fixed = product(reference);
  const written = [...ok.stderr.matchAll(/^wrote (\S+)$/gm)].map((m) => m[1]!);
  const steps = writeSteps(written.length);

  it('writes the four files', () => {
    expect(ok.code).toBe(0);
    expect(written.sort()).toEqual(SENSITIVE.map(([rel]) => rel).sort());
  });

  it.each(steps)('killed after %s', async (step) => {
    const home = homeWithSecrets();
    const killed = runBuilt(['fix', home, '--yes', '--only', 'file-permissions'], { env: { HARDEN_TEST_CRASH_AFTER: step } });
    expect(killed.signal).toBe('SIGKILL');
    // Bytes never change; each file has its old or its new mode.
    for (const [rel, before, after] of SENSITIVE) {
      const e = product(home).get(rel)!;
      expect(e.bytes).toBe(original.get(rel)!.bytes);
      expect([before, after]).toContain(e.mode);
    }
    expect((await runCli(['history', home])).code).toBe(0);
    const committed = steps.indexOf(step) >= steps.indexOf('commit');
    expect(product(home)).toEqual(committed ? fixed : original);
    expect(strayTemps(home)).toEqual([]);
    expect(existsSync(join(home, '.harden/journal.json'))).toBe(false);
  });
});
