// The three JVM-flag rules insert at the same point of the same scripts: on every fixture of any of them, running
// all three at once must verify, match running them one after another, and plan nothing the second time.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan, planHome } from '../../src/run.js';
import { repoRoot } from '../../__tests__/helpers/corpus.js';
import { cleanupTemps, snapshotTree, tempCopy } from '../../__tests__/helpers/homes.js';

const RULES = ['jvm-ephemeral-dh', 'jvm-reject-client-renegotiation', 'jvm-hostname-verification'];

const cases = RULES.flatMap((id) => {
  const dir = join(repoRoot, 'transforms', id, 'fixtures');
  return existsSync(dir) ? readdirSync(dir).sort().map((name) => join(id, 'fixtures', name)) : [];
});

afterAll(cleanupTemps);

describe('jvm-* rules together', () => {
  it.each(cases)('%s', (rel) => {
    const caseDir = join(repoRoot, 'transforms', rel);
    const spec = JSON.parse(readFileSync(join(caseDir, 'case.json'), 'utf8')) as { params?: Record<string, string> };
    const together = tempCopy(join(caseDir, 'before'));
    const plan = planHome({ home: together, only: RULES, params: spec.params });
    expect(plan.findings.filter((f) => f.status === 'error')).toEqual([]);
    applyPlan(plan);
    expect(planHome({ home: together, only: RULES, params: spec.params }).changes).toEqual([]);

    const oneByOne = tempCopy(join(caseDir, 'before'));
    for (const id of RULES) applyPlan(planHome({ home: oneByOne, only: [id], params: spec.params }));
    expect(snapshotTree(together)).toEqual(snapshotTree(oneByOne));
  });
});
