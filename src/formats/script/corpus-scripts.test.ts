// Every real start-up script in the shared corpus: it parses (wild-6 reports its broken chain), and setting two
// hardening flags changes the java command by exactly those flags.

import { describe, it, expect } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { applyEdits } from '../text.js';
import type { TextEdit } from '../text.js';
import { javaArgsBat, parseBatJava, setBatFlag } from './java-bat.js';
import { javaArgsSh, parseShJava, setShFlag } from './java-sh.js';
import { changedOnlyWithin, withFlag } from './testing.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus', import.meta.url));
const FLAGS: Array<[string, string]> = [
  ['jdk.tls.ephemeralDHKeySize', '2048'],
  ['httpclient.hostnameVerifier', 'Strict'],
];

function scripts(ext: '.sh' | '.bat'): Array<[string, string]> {
  if (!existsSync(CORPUS)) return [];
  return readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith(ext))
    .map((p): [string, string] => [p, readFileSync(`${CORPUS}/${p}`, 'utf8')])
    .filter(([, text]) => text.includes('Bootstrap'))
    .sort(([a], [b]) => a.localeCompare(b));
}

const describeCorpus = existsSync(CORPUS) ? describe : describe.skip;

describeCorpus('corpus .sh start-up scripts', () => {
  const all = scripts('.sh');

  it('finds the scripts', () => {
    expect(all.length).toBeGreaterThanOrEqual(19);
  });

  it('reports the broken chain in wild-6', () => {
    const [, text] = all.find(([p]) => p.startsWith('wild-6/')) ?? ['', ''];
    expect(parseShJava(text)).toEqual({
      ok: false,
      reason:
        'the java command is broken at line 317: the line has no trailing backslash, so the lines after it run as a separate command',
      line: 317,
    });
  });

  it.each(all.filter(([p]) => !p.startsWith('wild-6/')))('%s: parses and takes both flags exactly', (_path, text) => {
    const parsed = parseShJava(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    // icp-1.x's dashboard.sh runs plain `java \`, not $JAVACMD: no block, nothing to edit.
    expect(parsed.blocks).toHaveLength(/^[ \t]*\$JAVACMD \\$/m.test(text) ? 1 : 0);
    const block = parsed.blocks[0];
    if (block === undefined) return;
    expect(block.flags.some((f) => f.name === 'com.sun.management.jmxremote')).toBe(true);

    const edits: TextEdit[] = FLAGS.flatMap(([name, value]) => setShFlag(text, block, name, value));
    const after = applyEdits(text, edits);
    expect(changedOnlyWithin(text, after, edits)).toBe(true);

    const before = javaArgsSh(text) ?? [];
    const mainAt = before.indexOf(block.mainClass);
    const expected = FLAGS.reduce((args, [name, value]) => withFlag(args, name, value, args.indexOf(block.mainClass)), before);
    expect(mainAt).toBeGreaterThan(0);
    expect(javaArgsSh(after)).toEqual(expected);

    const again = parseShJava(after);
    if (!again.ok) throw new Error(again.reason);
    expect(again.blocks.flatMap((b) => FLAGS.flatMap(([name, value]) => setShFlag(after, b, name, value)))).toEqual([]);
  });
});

describeCorpus('corpus .bat start-up scripts', () => {
  const all = scripts('.bat');

  it('finds the scripts', () => {
    expect(all.length).toBeGreaterThanOrEqual(14);
  });

  it('reads the hand-written wild-2 launcher as having no java command', () => {
    const text = readFileSync(`${CORPUS}/wild-2/bin/launcher_wso2server.bat`, 'utf8');
    expect(parseBatJava(text)).toEqual({ ok: true, java: undefined });
  });

  it.each(all)('%s: parses and takes both flags exactly', (path, text) => {
    const parsed = parseBatJava(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    const java = parsed.java;
    if (java === undefined) throw new Error('no CMD_LINE_ARGS');
    expect(java.runJavaLineStart).toBeDefined();
    expect(java.lines.length > 1).toBe(/^apim-(3|4)\./.test(path));
    expect(java.eol).toBe(text.includes('\r\n') ? '\r\n' : '\n');

    const edits: TextEdit[] = FLAGS.flatMap(([name, value]) => setBatFlag(text, java, name, value));
    const after = applyEdits(text, edits);
    expect(changedOnlyWithin(text, after, edits)).toBe(true);

    const before = javaArgsBat(text) ?? [];
    const expected = FLAGS.reduce((args, [name, value]) => withFlag(args, name, value, args.length), before);
    expect(javaArgsBat(after)).toEqual(expected);

    const again = parseBatJava(after);
    if (!again.ok || again.java === undefined) throw new Error('edited file no longer parses');
    const java2 = again.java;
    expect(FLAGS.flatMap(([name, value]) => setBatFlag(after, java2, name, value))).toEqual([]);
  });
});
