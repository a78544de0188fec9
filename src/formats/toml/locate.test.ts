import { describe, it, expect } from '@jest/globals';
import { entries, find, locateToml } from './locate.js';
import { TomlSyntaxError } from './syntax-error.js';

const SAMPLE = [
  'title = "x"',
  'a.b = 1',
  '',
  '[transport.https]',
  'properties.port = 9443   # trailing comment',
  "'http.origin-server' = 'wso2'",
  '',
  '# belongs to what follows',
  '#[commented.table]',
  '',
  '[[tomcat.header_security_filters]]',
  'name = "one"',
  '',
  '[[tomcat.header_security_filters]]',
  'name = "two"',
  '[tomcat.header_security_filters.properties]',
  'hsts = true',
  '',
  '[empty]',
  '[inline]',
  'admin = {username = "admin", pw = { v = "p" }}',
  'users = [{name = "a"}, {name = "b"}]',
  'list = [',
  '  "x",',
  "  'y',",
  ']',
  'when = 1979-05-27',
  '',
].join('\n');

describe('locateToml', () => {
  const doc = locateToml(SAMPLE);

  it('resolves every key path through headers, arrays of tables, dotted, quoted and inline keys', () => {
    expect(entries(doc).map((e) => e.path.join('|'))).toEqual([
      'title',
      'a|b',
      'transport|https|properties|port',
      'transport|https|http.origin-server',
      'tomcat|header_security_filters|0|name',
      'tomcat|header_security_filters|1|name',
      'tomcat|header_security_filters|1|properties|hsts',
      'inline|admin',
      'inline|admin|username',
      'inline|admin|pw',
      'inline|admin|pw|v',
      'inline|users',
      'inline|users|0|name',
      'inline|users|1|name',
      'inline|list',
      'inline|when',
    ]);
  });

  it('records kinds, decoded values, styles and ranges', () => {
    const port = find(doc, ['transport', 'https', 'properties', 'port']);
    expect(port).toMatchObject({ kind: 'integer', value: 9443, keyRaw: 'properties.port', inline: false });
    expect(SAMPLE.slice(port?.valueStart, port?.valueEnd)).toBe('9443');
    expect(SAMPLE.slice(port?.lineStart, port?.lineEnd)).toBe('properties.port = 9443   # trailing comment');
    expect(port?.keyParts.map((p) => p.name)).toEqual(['properties', 'port']);

    const quoted = find(doc, ['transport', 'https', 'http.origin-server']);
    expect(quoted).toMatchObject({ kind: 'string', style: 'literal', value: 'wso2', keyRaw: "'http.origin-server'" });
    expect(quoted?.keyParts[0]?.quoted).toBe('literal');

    const list = find(doc, ['inline', 'list']);
    expect(list).toMatchObject({ kind: 'array', value: ['x', 'y'] });
    expect(list?.items?.map((i) => i.style)).toEqual(['basic', 'literal']);
    expect(SAMPLE.slice(list?.lineStart, list?.lineEnd)).toBe('list = [\n  "x",\n  \'y\',\n]');

    expect(find(doc, ['inline', 'admin', 'pw', 'v'])).toMatchObject({ kind: 'string', inline: true, value: 'p' });
    expect(find(doc, ['inline', 'admin'])).toMatchObject({ kind: 'inline-table', value: { username: 'admin', pw: { v: 'p' } } });
    expect(find(doc, ['inline', 'when'])?.kind).toBe('datetime');
    expect(find(doc, ['inline', 'nothing'])).toBeUndefined();
  });

  it('ends a table body at its last key-value line, leaving trailing comments to what follows', () => {
    const https = doc.tables.find((t) => t.path.join('.') === 'transport.https');
    expect(SAMPLE.slice(https?.headerStart, https?.headerEnd)).toBe('[transport.https]');
    expect(SAMPLE.slice(https?.bodyStart, https?.bodyEnd)).toBe(
      "properties.port = 9443   # trailing comment\n'http.origin-server' = 'wso2'",
    );
    const empty = doc.tables.find((t) => t.path.join('.') === 'empty');
    expect(empty?.entries).toEqual([]);
    expect(SAMPLE.slice(0, empty?.bodyEnd).endsWith('[empty]')).toBe(true);
    expect(doc.tables.map((t) => `${t.kind}:${t.path.join('.')}`)).toEqual([
      'root:',
      'standard:transport.https',
      'array:tomcat.header_security_filters.0',
      'array:tomcat.header_security_filters.1',
      'standard:tomcat.header_security_filters.1.properties',
      'standard:empty',
      'standard:inline',
    ]);
    const root = doc.tables[0];
    expect(SAMPLE.slice(root?.bodyStart, root?.bodyEnd)).toBe('title = "x"\na.b = 1');
  });

  it('throws TomlSyntaxError with a 1-based line and column', () => {
    expect(() => locateToml('[a]\nx = \n')).toThrow(TomlSyntaxError);
    try {
      locateToml('[a]\nref = 1\nref = 2\n');
    } catch (e) {
      expect(e).toBeInstanceOf(TomlSyntaxError);
      expect(e).toMatchObject({ line: 3, column: 1 });
    }
    expect.assertions(3);
  });
});

describe('locateToml value ranges at the end of a file', () => {
  it.each(['a = 0', '[s]\noffset = 0', 'b = 1\nc = 0'])('covers a final 0 in %j (the parser reports it empty)', (text) => {
    const e = locateToml(text).entries.at(-1)!;
    expect(text.slice(e.valueStart, e.valueEnd)).toBe('0');
  });
});
