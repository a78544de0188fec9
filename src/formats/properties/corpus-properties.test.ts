// Every .properties file of the shared corpus: harden's reader gives the same key → value map as the JDK's
// own java.util.Properties.load (run on the same files), and an edit of every entry keeps every other line
// and verifies.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { applyEdits } from '../text.js';
import { addAfter, spliceValue } from './edit.js';
import { locateProperties, propertiesMap } from './locate.js';
import { verifyProperties } from './semantic.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus', import.meta.url));
const DUMPER = fileURLToPath(new URL('./java/PropertiesDump.java', import.meta.url));
const hasJava = spawnSync('java', ['-version'], { encoding: 'utf8' }).status === 0;

function propertiesFiles(): string[] {
  if (!existsSync(CORPUS)) return [];
  return readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.properties'))
    .sort((a, b) => a.localeCompare(b));
}

const files = propertiesFiles();
const describeCorpus = files.length ? describe : describe.skip;

describeCorpus('corpus .properties files', () => {
  it('finds the log4j, log4j2 and other properties files', () => {
    expect(files.length).toBeGreaterThanOrEqual(150);
    expect(files.filter((p) => p.endsWith('/log4j.properties'))).toHaveLength(5);
    expect(files.filter((p) => p.endsWith('/log4j2.properties')).length).toBeGreaterThanOrEqual(11);
  });

  (hasJava ? it : it.skip)('reads every file exactly as java.util.Properties.load does', () => {
    const r = spawnSync('java', [DUMPER, ...files.map((p) => `${CORPUS}/${p}`)], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(files.length);
    files.forEach((p, i) => {
      const jdk = JSON.parse(lines[i]!) as Record<string, string>;
      const ours = Object.fromEntries([...propertiesMap(locateProperties(readFileSync(`${CORPUS}/${p}`, 'utf8')))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      expect({ p, map: ours }).toEqual({ p, map: jdk });
    });
  });

  it.each(files)('%s: a prefix on every value and a new line after every entry verify and keep every line', (p) => {
    const text = readFileSync(`${CORPUS}/${p}`, 'utf8');
    const doc = locateProperties(text);
    for (const e of doc.entries) {
      // Only the last of duplicated keys is effective; an edit of an earlier one changes nothing.
      if (doc.entries.filter((x) => x.key === e.key).at(-1) !== e) continue;
      const s = spliceValue(e, 0, 0, '[x] ');
      const edited = applyEdits(text, [s.edit]);
      expect(verifyProperties(text, edited, [{ kind: 'properties-set', key: e.key, value: s.value }])).toBeUndefined();
      // A pure insertion at the value's start (after an added '=' for a key written alone).
      expect([s.edit.end - s.edit.start, s.edit.text]).toEqual([0, e.valueStart === e.keyEnd ? '=[x] ' : '[x] ']);
    }
    const last = doc.entries.at(-1);
    if (!last) return;
    const added = applyEdits(text, [addAfter(text, last, 'harden.check', 'yes')]);
    expect(verifyProperties(text, added, [{ kind: 'properties-set', key: 'harden.check', value: 'yes' }])).toBeUndefined();
    const kept = added.split(/\r?\n|\r/);
    let at = 0;
    for (const line of text.split(/\r?\n|\r/)) {
      at = kept.indexOf(line, at);
      expect({ line, kept: at !== -1 }).toEqual({ line, kept: true });
    }
  });
});
