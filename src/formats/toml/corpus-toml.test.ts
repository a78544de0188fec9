// Every real deployment.toml and Config.toml in the shared corpus: it locates (or, for the two Helm templates and
// MI's deployment-full.toml, fails with a located TomlSyntaxError), and adding the TLS protocols key changes
// exactly that key while keeping every original line, comments included.

import { describe, it, expect } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { applyEdits } from '../text.js';
import { setOrAdd } from './add-key.js';
import { find, locateToml } from './locate.js';
import { verifyToml } from './semantic.js';
import { TomlSyntaxError } from './syntax-error.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus', import.meta.url));
const KEY = ['transport', 'https', 'sslHostConfig', 'properties', 'protocols'];
const VALUE = '+TLSv1.2,+TLSv1.3';
const BROKEN = /^(helm-tmpl-[^/]+\/.*|mi-4\.3\.0\/repository\/resources\/conf\/deployment-full\.toml)$/;

function tomlFiles(): Array<[string, string]> {
  if (!existsSync(CORPUS)) return [];
  return readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
    .filter((p) => /(^|\/)(deployment|Config|deployment-full)\.toml$/.test(p))
    .sort((a, b) => a.localeCompare(b))
    .map((p): [string, string] => [p, readFileSync(`${CORPUS}/${p}`, 'utf8')]);
}

/** True when every line of `before` appears in `after` in the same order (insertions only). */
function keepsLines(before: string, after: string): boolean {
  const now = after.split(/\r?\n/);
  let i = 0;
  return before.split(/\r?\n/).every((line) => {
    while (i < now.length && now[i] !== line) i++;
    return i++ < now.length;
  });
}

const describeCorpus = existsSync(CORPUS) ? describe : describe.skip;

describeCorpus('corpus TOML files', () => {
  const all = tomlFiles();
  const good = all.filter(([p]) => !BROKEN.test(p));

  it('finds them', () => {
    expect(all.length).toBeGreaterThanOrEqual(26);
    expect(all.filter(([p]) => BROKEN.test(p)).map(([p]) => p)).toHaveLength(3);
  });

  it.each(all.filter(([p]) => BROKEN.test(p)))('%s: throws TomlSyntaxError with a line', (_path, text) => {
    expect(() => locateToml(text)).toThrow(TomlSyntaxError);
    try {
      locateToml(text);
    } catch (e) {
      expect((e as TomlSyntaxError).line).toBeGreaterThan(1);
    }
  });

  it.each(good)('%s: takes the TLS protocols key, exactly and keeping every line', (_path, text) => {
    const doc = locateToml(text);
    expect(find(doc, KEY)).toBeUndefined();
    const after = applyEdits(text, setOrAdd(doc, KEY, VALUE));
    expect(verifyToml(text, after, [{ kind: 'toml-set', key: KEY, value: VALUE }])).toBeUndefined();
    expect(keepsLines(text, after)).toBe(true);
    const comments = (t: string): string[] => t.split(/\r?\n/).filter((l) => /^\s*#/.test(l));
    expect(comments(after)).toEqual(comments(text));
    expect(after.endsWith('\n')).toBe(text.endsWith('\n'));
    // The secrets table, when present, is still the last one.
    const tables = locateToml(after).tables.map((t) => t.path.join('.'));
    if (tables.includes('secrets')) expect(tables.at(-1)).toBe('secrets');
    // Applying it again is a no-op.
    expect(setOrAdd(locateToml(after), KEY, VALUE)).toEqual([]);
  });
});
