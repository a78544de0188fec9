// The Dockerfiles of ../shared/corpus/docker (wso2/docker-apim, docker-is, docker-ei and a user's ESB
// image), as a home of its own: detected as container builds, every Dockerfile parses, every rule runs
// without an error, the WSO2 images are compliant and the user image is reported; with their USER lines
// taken out, fix puts a verified USER back into each and a second run plans nothing.
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planHome } from '../../src/run.js';
import { parseDockerfile } from '../../src/formats/dockerfile/parse.js';
import { corpusRoot, hasCorpus, listFiles } from '../helpers/corpus.js';
import { runCli } from '../helpers/capture.js';
import { cleanupTemps, snapshotTree, tempCopy } from '../helpers/homes.js';
import { tryAsUser } from '../helpers/as-user.js';

afterAll(cleanupTemps);
const home = join(corpusRoot, 'docker');
const dockerfiles = hasCorpus ? listFiles(home, (p) => /(^|\/)Dockerfile$/.test(p)) : [];

(hasCorpus ? describe : describe.skip)('the docker corpus home', () => {
  it('is a home of container builds, and every Dockerfile in it parses', () => {
    const plan = planHome({ home, only: ['container-non-root'] });
    expect(plan.product.model).toBe('container');
    expect(dockerfiles.length).toBe(15);
    for (const rel of dockerfiles) expect({ rel, ok: parseDockerfile(readFileSync(join(home, rel), 'utf8')).ok }).toEqual({ rel, ok: true });
  });

  it('check: no rule errs; the WSO2 images run as wso2carbon, the ESB image is reported as running as root', async () => {
    const plan = planHome({ home });
    expect(plan.findings.filter((f) => f.status === 'error')).toEqual([]);
    const mine = plan.findings.filter((f) => f.ruleId === 'container-non-root');
    const user = 'serrodcal-docker-wso2esb/7fc96df/Dockerfile';
    expect(mine.filter((f) => f.status === 'compliant').map((f) => f.file).sort()).toEqual(dockerfiles.filter((p) => p !== user));
    expect(mine.filter((f) => f.status === 'manual').map((f) => f.file)).toEqual([user]);
    expect(plan.findings.filter((f) => f.ruleId === 'patch-level').length).toBe(dockerfiles.length);
    const cli = await runCli(['check', home]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/MANUAL.*container-non-root serrodcal-docker-wso2esb\/7fc96df\/Dockerfile:1/);
  });

  it('fix --dry-run and --yes change nothing; a second run plans nothing', async () => {
    const run = await tryAsUser('docker');
    expect(run.changed).toEqual([]);
    expect(snapshotTree(run.applied)).toEqual(run.original);
    const again = planHome({ home: run.applied });
    expect(again.changes).toEqual([]);
    expect(again.findings.filter((f) => f.status === 'error' || f.status === 'fixable')).toEqual([]);
  });

  it('with the USER lines taken out, fix writes USER ${USER_ID} back into every WSO2 Dockerfile, verified, and only that', async () => {
    const copy = tempCopy(home);
    const wso2 = dockerfiles.filter((p) => p.startsWith('docker-'));
    for (const rel of wso2) {
      const text = readFileSync(join(copy, rel), 'utf8');
      expect(text).toMatch(/^USER \$\{USER_ID\}\n/m);
      writeFileSync(join(copy, rel), text.replace(/^USER \$\{USER_ID\}\n/m, ''));
    }
    const broken = snapshotTree(copy);
    const fix = await runCli(['fix', copy, '--yes', '--only', 'container-non-root']);
    expect(fix.stderr).not.toMatch(/refused|failed verification/);
    const fixed = snapshotTree(copy);
    for (const rel of wso2) {
      const was = broken.get(rel)!.toString('utf8').split('\n');
      const now = fixed.get(rel)!.toString('utf8').split('\n');
      // Exactly one line more: USER ${USER_ID}, right before the comment above the ENTRYPOINT.
      expect(now.length).toBe(was.length + 1);
      const at = now.indexOf('USER ${USER_ID}');
      expect(now.filter((l) => l === 'USER ${USER_ID}').length).toBe(1);
      expect([...now.slice(0, at), ...now.slice(at + 1)]).toEqual(was);
      expect(now.slice(at + 1).find((l) => !l.startsWith('#'))).toMatch(/^ENTRYPOINT /);
    }
    const again = planHome({ home: copy, only: ['container-non-root'] });
    expect(again.changes).toEqual([]);
    expect(again.findings.filter((f) => f.status === 'compliant').length).toBe(wso2.length);
  });
});
