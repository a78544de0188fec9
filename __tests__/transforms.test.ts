// Runs every transform's fixture cases through the real pipeline and checks, byte for byte: the
// expected output, that nothing else changed, that the result re-verifies, that a second run plans
// nothing, and that the dry-run diff applied with `patch -p1` gives the same bytes.
import { afterAll, describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TRANSFORMS } from '../transforms/index.js';
import { applyPlan, planHome } from '../src/run.js';
import { changeDiff } from '../src/engine/diff.js';
import { encodeText } from '../src/engine/encoding.js';
import type { Jdk, ProfileName } from '../src/engine/tls-profiles.js';
import { repoRoot } from './helpers/corpus.js';
import { applyPatch, cleanupTemps, snapshotTree, tempCopy } from './helpers/homes.js';

const KINDS = ['insecure-default', 'already-hardened', 'formatting-preserved', 'not-applicable'] as const;
interface CaseSpec {
  title: string;
  kind: (typeof KINDS)[number];
  params?: Record<string, string>;
  profile?: ProfileName;
  jdk?: Jdk;
  /** Statuses the rule's findings must include (e.g. "needs-input"). */
  statuses?: string[];
  /** Permission bits (octal) given to files of before/ first: git keeps no mode but the executable bit. */
  modes?: Record<string, string>;
  /** Permission bits (octal) the files must have after the fix (and after patch -p1 of the dry-run diff). */
  modesAfter?: Record<string, string>;
}

/** A copy of a case's before/ with the modes its case.json gives. */
function caseHome(caseDir: string, spec: CaseSpec): string {
  const home = tempCopy(join(caseDir, 'before'));
  for (const [path, mode] of Object.entries(spec.modes ?? {})) chmodSync(join(home, path), parseInt(mode, 8));
  return home;
}

function expectModes(home: string, spec: CaseSpec): void {
  for (const [path, mode] of Object.entries(spec.modesAfter ?? {})) {
    expect({ path, mode: (statSync(join(home, path)).mode & 0o7777).toString(8).padStart(4, '0') }).toEqual({ path, mode: mode.padStart(4, '0') });
  }
}

afterAll(cleanupTemps);

for (const t of ALL_TRANSFORMS) {
  const dir = join(repoRoot, 'transforms', t.id, 'fixtures');
  const cases = existsSync(dir) ? readdirSync(dir).sort() : [];
  describe(t.id, () => {
    it('has a fixture for every required kind', () => {
      const kinds = cases.map((c) => (JSON.parse(readFileSync(join(dir, c, 'case.json'), 'utf8')) as CaseSpec).kind);
      for (const k of KINDS) expect(kinds).toContain(k);
    });

    it.each(cases)('%s', (name) => {
      const caseDir = join(dir, name);
      const spec = JSON.parse(readFileSync(join(caseDir, 'case.json'), 'utf8')) as CaseSpec;
      const home = caseHome(caseDir, spec);
      const original = snapshotTree(home);
      const req = { home, only: [t.id], params: spec.params, profile: spec.profile, jdk: spec.jdk };
      const plan = planHome(req);
      const mine = plan.findings.filter((f) => f.ruleId === t.id);
      expect(mine.filter((f) => f.status === 'error')).toEqual([]);
      for (const s of spec.statuses ?? []) expect(mine.map((f) => f.status)).toContain(s);

      if (spec.kind === 'not-applicable') {
        expect(mine.length).toBeGreaterThan(0);
        expect(mine.every((f) => f.status === 'not-applicable')).toBe(true);
      }
      if (spec.kind === 'not-applicable' || spec.kind === 'already-hardened') {
        expect(plan.changes).toEqual([]);
        expect(mine.filter((f) => f.status === 'fixable')).toEqual([]);
        return;
      }

      if (t.fixClass === 'REPORT') {
        // A report-only rule never edits: its cases prove what it finds through their statuses.
        expect(spec.statuses?.length).toBeGreaterThan(0);
        expect(plan.changes).toEqual([]);
        return;
      }
      expect(plan.changes.length).toBeGreaterThan(0);
      // Diffs in each file's own encoding (with git's mode lines where permissions change); a diff masking a
      // secret is for reading only, so it is not patched.
      const diffs = plan.changes.map((c) => ({ c, d: changeDiff(c) }));
      const patch = Buffer.concat(diffs.filter((x) => !x.d.redacted).map((x) => encodeText(x.d.text, plan.files.get(x.c.path)?.encoding ?? 'utf8')));
      const masked = diffs.filter((x) => x.d.redacted).map((x) => x.c.path);
      expect(snapshotTree(home)).toEqual(original); // planning writes nothing
      applyPlan(plan);

      const expectedDir = join(caseDir, 'after');
      const result = snapshotTree(home);
      for (const [path, bytes] of result) {
        const want = existsSync(join(expectedDir, path)) ? readFileSync(join(expectedDir, path)) : original.get(path);
        expect({ path, text: bytes.toString('latin1') }).toEqual({ path, text: want?.toString('latin1') });
      }
      expect([...result.keys()]).toEqual([...original.keys()]);
      expectModes(home, spec);

      const again = planHome(req);
      expect(again.changes).toEqual([]);

      const patched = caseHome(caseDir, spec);
      if (patch.length) applyPatch(patched, patch);
      // GNU patch 2.7+ applies the mode lines of a git-style diff.
      expectModes(patched, spec);
      const want = new Map(result);
      for (const p of masked) want.set(p, original.get(p)!);
      expect(snapshotTree(patched)).toEqual(want);
    });
  });
}
