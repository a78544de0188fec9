// The README's set-up is true on a fresh checkout: after `npm ci` (which builds), `npx harden fix
// examples/apim-2.6-home --dry-run` prints a real diff and changes nothing.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helpers/corpus.js';
import { builtBin, ensureBuilt } from './helpers/built-cli.js';
import { snapshotTree } from './helpers/homes.js';

beforeAll(ensureBuilt, 120_000);

describe('README set-up', () => {
  it('names the two commands this test runs', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain('npm ci && npx harden fix examples/apim-2.6-home --dry-run');
    expect(readme).toMatch(/^npm test\b/m);
  });

  it('the built bin is executable, as npx runs it directly', () => {
    expect(statSync(builtBin).mode & 0o111).toBe(0o111);
  });

  it('npx harden fix examples/apim-2.6-home --dry-run prints the diff and writes nothing', () => {
    const example = join(repoRoot, 'examples', 'apim-2.6-home');
    const before = snapshotTree(example);
    const r = spawnSync('npx', ['--no-install', 'harden', 'fix', 'examples/apim-2.6-home', '--dry-run'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toContain('dry run:');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^--- a\/repository\/conf\/tomcat\/catalina-server\.xml$/m);
    expect(r.stdout).toMatch(/^\+.*sslEnabledProtocols="TLSv1\.2"/m);
    expect(snapshotTree(example)).toEqual(before);
  });
});
