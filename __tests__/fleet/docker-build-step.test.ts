// The documented image-build step (examples/docker), run without a Docker engine: the Dockerfile's RUN
// line calls harden-in-build.sh; the same script, with the same environment, runs here on an unpacked home.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/corpus.js';
import { cleanupTemps, snapshotTree, tempCopy } from '../helpers/homes.js';
import { builtBin, ensureBuilt } from '../helpers/built-cli.js';
import { runCli } from '../helpers/capture.js';

const dir = join(repoRoot, 'examples', 'docker');
const script = join(dir, 'harden-in-build.sh');
const example = join(repoRoot, 'examples', 'apim-2.6-home');

let work: string;
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'harden-docker-'));
});
afterAll(() => {
  cleanupTemps();
  if (work) rmSync(work, { recursive: true, force: true });
});

function build(home: string, env: Record<string, string> = {}, args: string[] = []) {
  const report = join(work, 'harden-report.json');
  const r = spawnSync('sh', [script, home, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HARDEN: `${process.execPath} ${builtBin}`, HARDEN_REPORT: report, ...env },
  });
  return { code: r.status, stderr: r.stderr, report };
}

describe('examples/docker build step', () => {
  it('the Dockerfile hardens in the build stage through harden-in-build.sh, and ships only the result', () => {
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages).toHaveLength(2);
    expect(stages[0]).toMatch(/AS harden/);
    expect(stages[0]).toMatch(/examples\/docker\/harden-in-build\.sh \/opt\/\$\{PRODUCT\}/);
    expect(stages[1]).toMatch(/COPY --from=harden/);
    expect(stages[1]).toMatch(/^USER wso2carbon$/m);
    expect(stages[1]).not.toMatch(/harden\/dist/);
  });

  it('writes exactly what fix --yes writes, leaves no .harden, and a report of what is left', async () => {
    const built = tempCopy(example);
    const reference = tempCopy(example);
    const r = build(built);
    expect(r.stderr).toMatch(/hardened/);
    expect(r.code).toBe(0);
    await runCli(['fix', reference, '--yes', '--no-backup']);
    expect(snapshotTree(built)).toEqual(snapshotTree(reference));
    expect(existsSync(join(built, '.harden'))).toBe(false);
    const report = JSON.parse(readFileSync(r.report, 'utf8')) as { mode: string; changes: unknown[] };
    expect(report.mode).toBe('check');
    expect(report.changes).toEqual([]);
  });

  it('a second build changes nothing', () => {
    const home = tempCopy(example);
    expect(build(home).code).toBe(0);
    const once = snapshotTree(home);
    expect(build(home).code).toBe(0);
    expect(snapshotTree(home)).toEqual(once);
  });

  it('HARDEN_STRICT=1 fails the build while findings remain; bad input fails it and writes nothing', () => {
    const strict = build(tempCopy(example), { HARDEN_STRICT: '1' });
    expect(strict.code).toBe(1);
    const home = tempCopy(example);
    writeFileSync(join(home, 'repository', 'conf', 'carbon.xml'), '<Server><Broken></Server>');
    const before = snapshotTree(home);
    const bad = build(home);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/carbon\.xml/);
    expect(snapshotTree(home)).toEqual(before);
  });
});
