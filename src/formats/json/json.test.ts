import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { applyEdits } from '../text.js';
import { addMember, appendItem, cloneWith, jsonString, replaceValue } from './edit.js';
import { JsonSyntaxError, locateJson, member, pathOf, stringMember, type JsonNode } from './locate.js';
import { verifyJson } from './semantic.js';

const CONF = [
  '{',
  '\t"filters":[',
  '\t\t{',
  '\t\t\t"name":"HttpHeaderSecurityFilter",',
  '\t\t\t"params" : [{"name" : "hstsEnabled", "value" : "false"}]',
  '\t\t}',
  '\t],',
  '\t"title" : "Caf\u00e9 \\u00e9 \\"q\\" \\/",',
  '\t"n": -1.5e3, "t": true, "f": false, "z": null, "e": [], "o": {}',
  '}',
].join('\r\n');

describe('locateJson', () => {
  const doc = locateJson(CONF);

  it('finds every value by offset, with strings decoded', () => {
    const filters = member(doc.root, 'filters')!.value;
    expect(filters.kind).toBe('array');
    const f = (filters as Extract<JsonNode, { kind: 'array' }>).items[0]!;
    expect(stringMember(f, 'name')).toBe('HttpHeaderSecurityFilter');
    const title = member(doc.root, 'title')!.value;
    expect(title).toMatchObject({ kind: 'string', value: 'Café é "q" /' });
    expect(CONF.slice(title.start, title.end)).toBe('"Caf\u00e9 \\u00e9 \\"q\\" \\/"');
    expect(member(doc.root, 'n')!.value).toMatchObject({ kind: 'number', value: -1500 });
    expect(pathOf(doc.root, f)).toEqual(['filters', 0]);
    expect(JSON.parse(CONF)).toEqual(JSON.parse(JSON.stringify(JSON.parse(CONF))));
  });

  it('refuses what a strict JSON reader refuses, naming line and column', () => {
    for (const bad of ['{"a": 1,}', '{"a": 1 // c\n}', '/* c */ {}', "{'a': 1}", '{"a": 01}', '{"a": "x\ny"}', '[1] 2', '{"a": 1, "a": 2}', '']) {
      expect(() => locateJson(bad)).toThrow(JsonSyntaxError);
    }
    try {
      locateJson('{\n  "a": 1,\n  "a": 2\n}');
    } catch (e) {
      expect(e).toMatchObject({ reason: 'duplicate key "a"', line: 3, column: 3 });
    }
  });

  it('agrees with JSON.parse on what parses (property check)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, '\t'), (v, space) => {
        const text = JSON.stringify(v, null, space);
        const doc = locateJson(text);
        expect(doc.root.start).toBe(0);
        expect(doc.root.end).toBe(text.length);
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe('JSON edits', () => {
  const doc = locateJson(CONF);
  const f = (member(doc.root, 'filters')!.value as Extract<JsonNode, { kind: 'array' }>).items[0] as Extract<JsonNode, { kind: 'object' }>;
  const params = member(f, 'params')!.value as Extract<JsonNode, { kind: 'array' }>;
  const first = params.items[0] as Extract<JsonNode, { kind: 'object' }>;

  it('replaces a value in place and appends a clone of a sibling, verified', () => {
    const clone = cloneWith(doc, first, new Map([[member(first, 'name')!, jsonString('hstsMaxAgeSeconds')], [member(first, 'value')!, jsonString('31536000')]]));
    expect(clone).toBe('{"name" : "hstsMaxAgeSeconds", "value" : "31536000"}');
    const after = applyEdits(CONF, [replaceValue(member(first, 'value')!.value, '"true"'), appendItem(doc, params, clone)]);
    expect(after).toContain('"params" : [{"name" : "hstsEnabled", "value" : "true"}, {"name" : "hstsMaxAgeSeconds", "value" : "31536000"}]\r\n');
    expect(
      verifyJson(CONF, after, [
        { kind: 'json-set', path: ['filters', 0, 'params', 0, 'value'], value: 'true' },
        { kind: 'json-append', path: ['filters', 0, 'params'], value: { name: 'hstsMaxAgeSeconds', value: '31536000' } },
      ]),
    ).toBeUndefined();
    // Undeclared, wrong or missing changes are refused.
    expect(verifyJson(CONF, after, [{ kind: 'json-set', path: ['filters', 0, 'params', 0, 'value'], value: 'true' }])).toMatch(/differs/);
    expect(verifyJson(CONF, after.replace('"true"', '"TRUE"'), [{ kind: 'json-set', path: ['filters', 0, 'params', 0, 'value'], value: 'true' }, { kind: 'json-append', path: ['filters', 0, 'params'], value: { name: 'hstsMaxAgeSeconds', value: '31536000' } }])).toMatch(/differs/);
    expect(verifyJson(CONF, `${after},`, [])).toMatch(/not valid JSON/);
    expect(verifyJson(CONF, after.replace('"title"', '"n"'), [])).toMatch(/not valid JSON.*duplicate/);
  });

  it('lays out new items and members like their neighbours', () => {
    const multi = '{\n  "a": [\n    1,\n    2\n  ],\n  "b": [\n    1\n  ],\n  "c": [],\n  "d": {"x": 1}\n}\n';
    const d = locateJson(multi);
    const arr = (k: string) => member(d.root, k)!.value as Extract<JsonNode, { kind: 'array' }>;
    const out = applyEdits(multi, [
      appendItem(d, arr('a'), '3'),
      appendItem(d, arr('b'), '2'),
      appendItem(d, arr('c'), '1'),
      addMember(d, member(d.root, 'd')!.value as Extract<JsonNode, { kind: 'object' }>, 'y', '2'),
    ]);
    expect(out).toBe('{\n  "a": [\n    1,\n    2,\n    3\n  ],\n  "b": [\n    1,\n    2\n  ],\n  "c": [1],\n  "d": {"x": 1, "y": 2}\n}\n');
    expect(
      verifyJson(multi, out, [
        { kind: 'json-append', path: ['a'], value: 3 },
        { kind: 'json-append', path: ['b'], value: 2 },
        { kind: 'json-append', path: ['c'], value: 1 },
        { kind: 'json-set', path: ['d', 'y'], value: 2 },
      ]),
    ).toBeUndefined();
  });
});
