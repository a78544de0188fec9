// Every transform has a folder and a docs page of the same id, with the same title; every page a transform.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TRANSFORMS } from '../transforms/index.js';
import { repoRoot } from './helpers/corpus.js';

const pages = readdirSync(join(repoRoot, 'docs', 'transforms')).filter((f) => f.endsWith('.md'));
const HEADINGS = ['## Why', '## What it changes', '## Parameters', '## When not to apply', '## References'];

describe('transform metadata and docs', () => {
  it('has one page per transform and one transform per page', () => {
    expect(pages.map((p) => p.replace(/\.md$/, '')).sort()).toEqual(ALL_TRANSFORMS.map((t) => t.id).sort());
  });

  it('lists every parameter in the CLI reference', () => {
    const cli = readFileSync(join(repoRoot, 'docs', 'cli.md'), 'utf8');
    const section = cli.slice(cli.indexOf('## Parameters'), cli.indexOf('## Exit codes'));
    for (const t of ALL_TRANSFORMS) for (const p of t.params) expect({ param: p.name, listed: section.includes(`\`${p.name}\``) }).toEqual({ param: p.name, listed: true });
  });

  it('has no duplicate ids', () => {
    expect(new Set(ALL_TRANSFORMS.map((t) => t.id)).size).toBe(ALL_TRANSFORMS.length);
  });

  it.each(ALL_TRANSFORMS.map((t) => [t.id, t] as const))('%s: folder, page title and headings match', (id, t) => {
    expect(existsSync(join(repoRoot, 'transforms', id, 'index.ts'))).toBe(true);
    const page = readFileSync(join(repoRoot, 'docs', 'transforms', `${id}.md`), 'utf8');
    const lines = page.split('\n');
    expect(lines[0]).toBe(`# ${id}`);
    expect(lines[2]).toBe(t.title);
    for (const h of HEADINGS) expect(lines).toContain(h);
    for (const p of t.params) expect(page).toContain(`\`${p.name}\``);
    expect(t.sources.length).toBeGreaterThan(0);
    expect(t.rationale.length).toBeGreaterThan(40);
  });
});
