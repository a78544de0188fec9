import { describe, expect, it } from '@jest/globals';
import { applyEdits } from '../text.js';
import { addAfter, escapeValue, replaceValue, spliceValue } from './edit.js';
import { findEntry, locateProperties, propertiesMap } from './locate.js';
import { verifyProperties } from './semantic.js';
import { verifyFile } from '../../engine/verify.js';

const entry = (text: string, key: string) => {
  const e = findEntry(locateProperties(text), key);
  if (!e) throw new Error(`no ${key}`);
  return e;
};

describe('locateProperties', () => {
  it('reads key=value, key = value, key:value and key value', () => {
    const text = 'a=1\nb = 2\nc:3\nd 4\ne\t=\t5\nf\n';
    expect(Object.fromEntries(propertiesMap(locateProperties(text)))).toEqual({ a: '1', b: '2', c: '3', d: '4', e: '5', f: '' });
    const b = entry(text, 'b');
    expect(text.slice(b.keyStart, b.keyEnd)).toBe('b');
    expect(b.separator).toBe(' = ');
    expect(text.slice(b.valueStart, b.valueEnd)).toBe('2');
  });

  it('skips # and ! comments and blank lines, and a comment never continues', () => {
    const text = '# a=1 \\\nb=2\n  ! c=3\n\n   \nd=4';
    expect(Object.fromEntries(propertiesMap(locateProperties(text)))).toEqual({ b: '2', d: '4' });
  });

  it('joins continuation lines, dropping the backslash and the next line’s indentation', () => {
    const text = 'loggers = A, \\\n\t  B, \\\r\n    C\nx=1\n';
    const e = entry(text, 'loggers');
    expect(e.value).toBe('A, B, C');
    expect(e.continued).toBe(true);
    expect(text.slice(e.lineStart, e.lineEnd)).toBe('loggers = A, \\\n\t  B, \\\r\n    C');
    expect(entry(text, 'x').value).toBe('1');
  });

  it('an even number of trailing backslashes does not continue', () => {
    const text = 'a=c:\\\\\nb=2\n';
    expect(entry(text, 'a').value).toBe('c:\\');
    expect(entry(text, 'b').value).toBe('2');
  });

  it('decodes escapes in keys and values and keeps trailing blanks of a value', () => {
    const text = 'my\\ key\\=x = \\u0041\\tB\\:C  \n';
    const e = entry(text, 'my key=x');
    expect(e.value).toBe('A\tB:C  ');
    expect(e.valueOffsets[1]).toBe(text.indexOf('\\t'));
  });

  it('treats CR, CRLF and LF alike and a missing final newline', () => {
    const text = 'a=1\rb=2\r\nc=3';
    expect(Object.fromEntries(propertiesMap(locateProperties(text)))).toEqual({ a: '1', b: '2', c: '3' });
    expect(entry(text, 'c').lineEnd).toBe(text.length);
  });

  it('keeps duplicates in order; the last one wins', () => {
    const doc = locateProperties('k=1\nk=2\n');
    expect(doc.entries.map((e) => e.value)).toEqual(['1', '2']);
    expect(findEntry(doc, 'k')!.value).toBe('2');
  });
});

describe('properties edits', () => {
  it('replaces a value between the separator and trailing blanks', () => {
    const text = 'log4j.appender.X = org.Old  \n# c\n';
    const e = entry(text, 'log4j.appender.X');
    const { edit, value } = replaceValue(e, 'org.New');
    expect(applyEdits(text, [edit])).toBe('log4j.appender.X = org.New  \n# c\n');
    expect(value).toBe('org.New  ');
  });

  it('inserts inside a value by decoded position, across an escape', () => {
    const text = 'p=a\\tb.log\n';
    const e = entry(text, 'p');
    const at = e.value.indexOf('.log');
    const { edit, value } = spliceValue(e, at, at, '-%i');
    expect(applyEdits(text, [edit])).toBe('p=a\\tb-%i.log\n');
    expect(value).toBe('a\tb-%i.log');
  });

  it('prepends to a continued value without touching its other lines', () => {
    const text = 'p = one \\\n    two\n';
    const { edit, value } = spliceValue(entry(text, 'p'), 0, 0, '[%u] ');
    expect(applyEdits(text, [edit])).toBe('p = [%u] one \\\n    two\n');
    expect(value).toBe('[%u] one two');
  });

  it('gives a key written alone a separator before the new value', () => {
    const text = '[]\nb=2\n';
    const { edit, value } = spliceValue(entry(text, '[]'), 0, 0, 'x');
    expect(applyEdits(text, [edit])).toBe('[]=x\nb=2\n');
    expect(value).toBe('x');
  });

  it('escapes what Properties.load would otherwise read differently', () => {
    expect(escapeValue('  a\\b', true)).toBe('\\ \\ a\\\\b');
    expect(escapeValue('  a', false)).toBe('  a');
  });

  it('adds a line after an entry with its indentation, separator and line ending', () => {
    const text = '  a : 1\r\nb=2';
    const doc = locateProperties(text);
    expect(applyEdits(text, [addAfter(text, findEntry(doc, 'a')!, 'a.Max', '10MB')])).toBe('  a : 1\r\n  a.Max : 10MB\r\nb=2');
    expect(applyEdits(text, [addAfter(text, findEntry(doc, 'b')!, 'b.c', 'x')])).toBe('  a : 1\r\nb=2\r\nb.c=x');
  });

  it('adds after a continued entry, past its last line', () => {
    const text = 'a = x, \\\n  y\nz=1\n';
    expect(applyEdits(text, [addAfter(text, entry(text, 'a'), 'n', 'v')])).toBe('a = x, \\\n  y\nn = v\nz=1\n');
  });
});

describe('verifyProperties', () => {
  const before = '# keep\na=1\nb=2\n';
  it('accepts exactly the intended change', () => {
    expect(verifyProperties(before, '# keep\na=1\nb=3\n', [{ kind: 'properties-set', key: 'b', value: '3' }])).toBeUndefined();
    expect(verifyProperties(before, '# keep\na=1\nb=2\nc=4\n', [{ kind: 'properties-set', key: 'c', value: '4' }])).toBeUndefined();
  });
  it('refuses other changes, additions and removals without quoting values', () => {
    expect(verifyProperties(before, '# keep\na=9\nb=3\n', [{ kind: 'properties-set', key: 'b', value: '3' }])).toBe('a changed but no intent says so');
    expect(verifyProperties(before, '# keep\na=1\nb=2\nz=0\n', [])).toBe('z was added but no intent says so');
    expect(verifyProperties(before, '# keep\na=1\n', [])).toBe('b is missing after the edit');
    expect(verifyProperties(before, '# keep\na=1\nb=4\n', [{ kind: 'properties-set', key: 'b', value: '3' }])).toBe('b should be "3" after the edit, but is not');
  });
  it('notices that a continuation was broken', () => {
    const t = 'loggers = A, \\\n  B\nB.level=INFO\n';
    const broken = 'loggers = A, \n  B\nB.level=INFO\n';
    expect(verifyProperties(t, broken, [])).toMatch(/loggers changed|was added/);
  });
});

describe('the engine verifies .properties edits with it', () => {
  it('accepts the intended change and refuses other kinds of intent', () => {
    expect(verifyFile('repository/conf/log4j.properties', 'a=1\n', 'a=2\n', [{ kind: 'properties-set', key: 'a', value: '2' }])).toBeUndefined();
    expect(verifyFile('conf/log4j2.properties', 'a=1\n', 'a=2\nb=3\n', [{ kind: 'properties-set', key: 'a', value: '2' }])).toBe('b was added but no intent says so');
    expect(verifyFile('x.properties', 'a=1\n', 'a=2\n', [{ kind: 'toml-set', key: ['a'], value: '2' }])).toMatch(/cannot be made in this kind of file/);
  });
});
