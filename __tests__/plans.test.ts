// Saved plans: `harden plan --out`, reviewed elsewhere, `harden apply` later writes exactly what
// `fix --yes` writes, or nothing (exit 2) when the home moved on; `harden show` is the dry-run diff.
import { afterAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './helpers/corpus.js';
import { runCli } from './helpers/capture.js';
import { cleanupTemps, snapshotTree, tempCopy } from './helpers/homes.js';
import { parsePlan } from '../src/plan-file.js';

const example = join(repoRoot, 'examples', 'apim-2.6-home');
const tomlHome = join(repoRoot, 'transforms', 'hsts-mgt-console', 'fixtures', '09-toml-default-array', 'before');
const scratch: string[] = [];
const scratchDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'harden-plans-'));
  scratch.push(d);
  return d;
};
afterAll(() => {
  cleanupTemps();
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** A plan made in `home`, then "committed for review": copied elsewhere and the original removed. */
async function reviewedPlan(home: string, extra: string[] = []): Promise<string> {
  const made = join(scratchDir(), 'plan.json');
  const r = await runCli(['plan', home, '--out', made, ...extra]);
  expect(r.code).toBe(0);
  const reviewed = join(scratchDir(), 'reviewed-plan.json');
  copyFileSync(made, reviewed);
  rmSync(made);
  return reviewed;
}

describe.each([
  ['the API Manager 2.6 example', example, ['--set', 'port-offset=1']],
  ['a deployment.toml home', tomlHome, []],
])('saved plans of %s', (_name, src, extra) => {
  it('apply writes exactly the bytes fix --yes writes', async () => {
    const a = tempCopy(src);
    const b = tempCopy(src);
    const plan = await reviewedPlan(a, extra);
    const doc = parsePlan(readFileSync(plan, 'utf8'));
    expect(doc.changes.length).toBeGreaterThan(0);
    expect(doc.home).toBe(a);
    const applied = await runCli(['apply', plan]);
    expect(applied.stderr).toContain('wrote ');
    const fixed = await runCli(['fix', b, '--yes', ...extra]);
    expect(applied.code).toBe(fixed.code);
    expect(snapshotTree(a)).toEqual(snapshotTree(b));
    expect(snapshotTree(a)).not.toEqual(snapshotTree(src));
  });

  it('show prints the same stdout as fix --dry-run, and a one-line summary', async () => {
    const home = tempCopy(src);
    const plan = await reviewedPlan(home, extra);
    const shown = await runCli(['show', plan]);
    const dry = await runCli(['fix', home, '--dry-run', ...extra]);
    expect(shown.code).toBe(0);
    expect(shown.stdoutBytes.equals(dry.stdoutBytes)).toBe(true);
    expect(shown.stderr.trim().split('\n')).toHaveLength(1);
    expect(shown.stderr).toMatch(/plan: \d+ file\(s\) would change/);
  });
});

describe('harden apply refuses a plan the home no longer matches (exit 2, HOME byte-identical)', () => {
  const refused = async (home: string, plan: string, args: string[] = []): Promise<string> => {
    const before = snapshotTree(home, { withHardenState: true });
    const r = await runCli(['apply', plan, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing was written');
    expect(snapshotTree(home, { withHardenState: true })).toEqual(before);
    return r.stderr;
  };

  it('a touched file changed', async () => {
    const home = tempCopy(example);
    const plan = await reviewedPlan(home);
    const file = join(home, 'repository/conf/tomcat/catalina-server.xml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}<!-- edited -->\n`);
    expect(await refused(home, plan)).toMatch(/catalina-server\.xml: changed since the plan was made/);
  });

  it('an untouched but read file changed', async () => {
    const home = tempCopy(tomlHome);
    const plan = await reviewedPlan(home);
    const doc = parsePlan(readFileSync(plan, 'utf8'));
    expect(doc.changes.map((c) => c.path)).not.toContain('bin/version.txt');
    expect(doc.reads['bin/version.txt']).toMatch(/^sha256:/);
    writeFileSync(join(home, 'bin/version.txt'), `${readFileSync(join(home, 'bin/version.txt'), 'utf8')}\n`);
    expect(await refused(home, plan)).toMatch(/bin\/version\.txt: changed since the plan was made/);
  });

  it('a file appeared where the plan recorded none', async () => {
    const home = tempCopy(tomlHome);
    const plan = await reviewedPlan(home);
    const doc = parsePlan(readFileSync(plan, 'utf8'));
    expect(doc.reads['bin/wso2carbon-version.txt']).toBe('absent');
    writeFileSync(join(home, 'bin/wso2carbon-version.txt'), 'WSO2 Carbon Framework v4.6.0\n');
    expect(await refused(home, plan)).toMatch(/bin\/wso2carbon-version\.txt: appeared since the plan was made/);
  });

  it('HOME moved', async () => {
    const home = tempCopy(example);
    const plan = await reviewedPlan(home);
    const moved = `${home}-moved`;
    renameSync(home, moved);
    scratch.push(moved);
    expect(await refused(moved, plan)).toContain(home);
  });

  it('--home names a different product', async () => {
    const home = tempCopy(example);
    const other = tempCopy(tomlHome);
    const plan = await reviewedPlan(home);
    expect(await refused(other, plan, ['--home', other])).toMatch(/product/);
  });

  it('a plan file that is not a valid plan names the bad fields', async () => {
    const home = tempCopy(example);
    const plan = await reviewedPlan(home);
    const doc = JSON.parse(readFileSync(plan, 'utf8'));
    doc.changes[0].after = 'nope';
    delete doc.request.jdk;
    writeFileSync(plan, JSON.stringify(doc));
    const stderr = await refused(home, plan);
    expect(stderr).toContain('changes[0].after');
    expect(stderr).toContain('request.jdk');
  });
});

describe('secrets in saved plans', () => {
  it('a planted keystorePass never appears in the plan file or in show', async () => {
    const home = tempCopy(example);
    const secret = 'Pl4nted-Keystore-Secret-7731';
    const file = join(home, 'repository/conf/tomcat/catalina-server.xml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('keystorePass="wso2carbon"');
    writeFileSync(file, text.replaceAll('keystorePass="wso2carbon"', `keystorePass="${secret}"`));
    const plan = await reviewedPlan(home);
    expect(readFileSync(plan, 'utf8')).not.toContain(secret);
    const shown = await runCli(['show', plan]);
    expect(shown.stdout + shown.stderr).not.toContain(secret);
    // Yet apply writes the reviewed bytes, secret included, as fix --yes would.
    const twin = tempCopy(home);
    const applied = await runCli(['apply', plan]);
    await runCli(['fix', twin, '--yes']);
    expect(applied.stderr).toContain('wrote ');
    expect(snapshotTree(home)).toEqual(snapshotTree(twin));
    expect(readFileSync(file, 'utf8')).toContain(secret);
  });
});

describe('plan exit codes', () => {
  it('exits 0 when planned, with or without changes', async () => {
    const r = await runCli(['plan', tempCopy(example), '--out', join(scratchDir(), 'p.json')]);
    expect(r.code).toBe(0);
  });

  it('--detailed-exitcode: 2 with changes pending, 0 on a hardened home, 1 on error', async () => {
    const home = tempCopy(example);
    const out = join(scratchDir(), 'p.json');
    expect((await runCli(['plan', home, '--out', out, '--detailed-exitcode'])).code).toBe(2);
    await runCli(['fix', home, '--yes']);
    expect((await runCli(['plan', home, '--out', out, '--detailed-exitcode'])).code).toBe(0);
    expect((await runCli(['plan', '/nonexistent/home', '--out', out, '--detailed-exitcode'])).code).toBe(1);
    expect((await runCli(['plan', home, '--out', out, '--detailed-exitcode', '--jdk', '9'])).code).toBe(1);
    expect((await runCli(['plan', '/nonexistent/home', '--out', out])).code).toBe(2);
  });
});
