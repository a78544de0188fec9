// The new-transform scaffold must stay a working transform: filled in as templates/README.md says,
// it type-checks (ts-jest compiles it) and runs through the real pipeline.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planHome } from '../src/run.js';
import type { Transform } from '../src/engine/types.js';
import { repoRoot } from './helpers/corpus.js';

const dir = join(repoRoot, 'transforms', 'zz-scaffold-check');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('templates/new-transform', () => {
  it('becomes a transform that plans on a real home', async () => {
    const source = readFileSync(join(repoRoot, 'templates', 'new-transform', 'index.ts.tmpl'), 'utf8')
      .replaceAll('RULE_ID', 'zz-scaffold-check')
      .replaceAll('RuleName', 'scaffoldCheck')
      .replaceAll('TITLE', 'Scaffold check')
      .replaceAll('FILE', 'carbon.xml');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.ts'), source);
    const mod = (await import(join(dir, 'index.ts'))) as { scaffoldCheck: Transform };
    const plan = planHome({ home: join(repoRoot, 'examples', 'apim-2.6-home'), transforms: [mod.scaffoldCheck] });
    expect(plan.findings.map((f) => [f.ruleId, f.status, f.file])).toEqual([['zz-scaffold-check', 'compliant', 'repository/conf/carbon.xml']]);
    expect(plan.changes).toEqual([]);
  });
});
