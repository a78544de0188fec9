// harden rules and harden explain: every registered rule is listed with its metadata, applicability
// follows the engine's own reason, and every id has a page that explain prints whole.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TRANSFORMS } from '../transforms/index.js';
import { notApplicableReason } from '../src/engine/plan.js';
import { detectHome } from '../src/run.js';
import { repoRoot } from './helpers/corpus.js';
import { runCli } from './helpers/capture.js';

const example = join(repoRoot, 'examples', 'apim-2.6-home');

interface Row {
  id: string;
  severity: string;
  fixClass: string;
  generations: string;
  applies?: boolean;
  reason?: string;
}

describe('harden rules', () => {
  it('lists every rule with severity, fix class and generations', async () => {
    const r = await runCli(['rules', '--format', 'json']);
    expect(r.code).toBe(0);
    const rules = (JSON.parse(r.stdout) as { rules: Row[] }).rules;
    expect(rules.map((x) => x.id)).toEqual(ALL_TRANSFORMS.map((t) => t.id));
    for (const t of ALL_TRANSFORMS) {
      const row = rules.find((x) => x.id === t.id)!;
      expect([row.severity, row.fixClass]).toEqual([t.severity, t.fixClass]);
      expect(row.generations.length).toBeGreaterThan(0);
      expect(row.applies).toBeUndefined();
    }
  });

  it('says which rules apply to a home, for the same reasons the engine uses', async () => {
    const r = await runCli(['rules', example, '--format', 'json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { product: { model: string }; rules: Row[] };
    expect(body.product.model).toBe('xml');
    const product = detectHome(example);
    for (const t of ALL_TRANSFORMS) {
      const row = body.rules.find((x) => x.id === t.id)!;
      expect(row.applies).toBe(notApplicableReason(t, product) === undefined);
    }
    // An XML home has rules that apply and, with deployment.toml-only rules registered, some that do not.
    expect(body.rules.some((x) => x.applies)).toBe(true);
  });

  it('prints a readable table with the count', async () => {
    const r = await runCli(['rules', example]);
    expect(r.code).toBe(0);
    for (const t of ALL_TRANSFORMS) expect(r.stdout).toContain(t.id);
    expect(r.stdout).toMatch(new RegExp(`${ALL_TRANSFORMS.length} rules, \\d+ apply to this home`));
  });

  it('refuses a folder that does not exist', async () => {
    const r = await runCli(['rules', join(repoRoot, 'no-such-home')]);
    expect(r.code).toBe(2);
  });
});

describe('harden explain', () => {
  it.each(ALL_TRANSFORMS.map((t) => [t.id] as const))('%s: prints its docs page whole', async (id) => {
    const r = await runCli(['explain', id]);
    expect(r.code).toBe(0);
    const page = readFileSync(join(repoRoot, 'docs', 'transforms', `${id}.md`), 'utf8');
    expect(r.stdout).toContain(page);
    for (const p of ALL_TRANSFORMS.find((t) => t.id === id)!.params) expect(r.stdout).toContain(p.name);
  });

  it('names near ids for an unknown one and exits 2', async () => {
    const r = await runCli(['explain', 'tomcat-ciphers']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('tomcat-tls-ciphers');
  });
});
