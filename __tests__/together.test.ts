// Rules share files (the Tomcat rules one Connector, the PassThrough rules one receiver, the JVM rules
// one java command, and in deployment.toml tables that may not exist yet). On every fixture home of
// every rule, running all rules at once must verify, give what running them one after another gives,
// and plan nothing the second time.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan, planHome } from '../src/run.js';
import type { Jdk, ProfileName } from '../src/engine/tls-profiles.js';
import { ALL_TRANSFORMS } from '../transforms/index.js';
import { repoRoot } from './helpers/corpus.js';
import { cleanupTemps, snapshotTree, tempCopy } from './helpers/homes.js';

const ALL = ALL_TRANSFORMS.map((t) => t.id);
const cases = ALL.flatMap((id) => {
  const dir = join(repoRoot, 'transforms', id, 'fixtures');
  return existsSync(dir) ? readdirSync(dir).sort().map((name) => join(id, 'fixtures', name)) : [];
});

afterAll(cleanupTemps);

describe('all rules together', () => {
  it.each(cases)('%s', (rel) => {
    const caseDir = join(repoRoot, 'transforms', rel);
    const spec = JSON.parse(readFileSync(join(caseDir, 'case.json'), 'utf8')) as { params?: Record<string, string>; jdk?: Jdk; profile?: ProfileName };
    // Each run gets only the parameters its rules declare (a --set no selected rule reads is refused).
    const paramsFor = (only: string[]) => {
      const declared = new Set(ALL_TRANSFORMS.filter((t) => only.includes(t.id)).flatMap((t) => t.params.map((p) => p.name)));
      return Object.fromEntries(Object.entries(spec.params ?? {}).filter(([k]) => declared.has(k)));
    };
    const req = (home: string, only: string[]) => ({ home, only, params: paramsFor(only), jdk: spec.jdk, profile: spec.profile });

    const together = tempCopy(join(caseDir, 'before'));
    const plan = planHome(req(together, ALL));
    expect(plan.findings.filter((f) => f.status === 'error')).toEqual([]);
    applyPlan(plan);
    expect(planHome(req(together, ALL)).changes).toEqual([]);

    const oneByOne = tempCopy(join(caseDir, 'before'));
    for (const id of ALL) applyPlan(planHome(req(oneByOne, [id])));
    expect(snapshotTree(together)).toEqual(snapshotTree(oneByOne));
  });
});
