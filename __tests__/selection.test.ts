// Planning a chosen subset (what the interactive planner does): only the chosen rule × file pairs
// change, the rest stay reported as fixable, and the subset is still verified and idempotent.
import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { applyPlan, planHome } from '../src/run.js';
import { selectionKey } from '../src/engine/plan.js';
import { repoRoot } from './helpers/corpus.js';
import { cleanupTemps, tempCopy } from './helpers/homes.js';

const example = join(repoRoot, 'examples', 'apim-2.6-home');
afterAll(cleanupTemps);

describe('planning a selection', () => {
  it('changes only the selected rule × file pairs', () => {
    const home = tempCopy(example);
    const all = planHome({ home });
    const pick = new Set([selectionKey({ ruleId: 'tomcat-server-header', file: 'repository/conf/tomcat/catalina-server.xml' })]);
    const some = planHome({ home, selection: pick });
    expect(some.changes.map((c) => c.path)).toEqual(['repository/conf/tomcat/catalina-server.xml']);
    expect(some.changes[0]!.rules).toEqual(['tomcat-server-header']);
    expect(some.findings.filter((f) => f.status === 'fixable').length).toBe(all.findings.filter((f) => f.status === 'fixable').length);
    expect(some.findings.filter((f) => f.status === 'error')).toEqual([]);

    applyPlan(some);
    const after = planHome({ home });
    expect(after.findings.filter((f) => f.ruleId === 'tomcat-server-header' && f.status === 'fixable')).toEqual([]);
    expect(after.findings.filter((f) => f.ruleId === 'tomcat-tls-protocols' && f.status === 'fixable').length).toBeGreaterThan(0);
  });

  it('plans nothing for an empty selection', () => {
    expect(planHome({ home: example, selection: new Set() }).changes).toEqual([]);
  });
});
