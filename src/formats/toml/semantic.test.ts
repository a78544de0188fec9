import { describe, it, expect } from '@jest/globals';
import { tomlMeaning, verifyToml } from './semantic.js';
import { TomlSyntaxError } from './syntax-error.js';

const BEFORE = [
  '[server]',
  'hostname = "localhost"',
  'started = 1979-05-27T07:32:00Z',
  'day = 1979-05-27',
  '',
  '[[tomcat.header_security_filters]]',
  'name = "a"',
  '[[tomcat.header_security_filters]]',
  'name = "b"',
  '[[tomcat.header_security_filters]]',
  'name = "c"',
  '',
].join('\n');

describe('tomlMeaning', () => {
  it('reads TOML, and reports a syntax error with line and column', () => {
    expect(tomlMeaning('a.b = 1\n')).toEqual({ a: { b: 1 } });
    expect(() => tomlMeaning('x = 1\ny = \n')).toThrow(TomlSyntaxError);
    expect(() => tomlMeaning('x = 1\ny = \n')).toThrow(/invalid value \(line 2, column/);
  });
});

describe('verifyToml', () => {
  const FILTERS = ['tomcat', 'header_security_filters'];

  it('accepts exactly the intended set, including one inside an array-of-tables element', () => {
    const after = BEFORE.replace('name = "c"', 'name = "z"').replace('"localhost"', '"h"');
    expect(
      verifyToml(BEFORE, after, [
        { kind: 'toml-set', key: [...FILTERS, '2', 'name'], value: 'z' },
        { kind: 'toml-set', key: ['server', 'hostname'], value: 'h' },
      ]),
    ).toBeUndefined();
  });

  it('accepts a new key in a new table and an appended element', () => {
    const after = `${BEFORE}[[tomcat.header_security_filters]]\nname = "d"\n[transport.https.properties]\nserver = "x"\n`;
    expect(
      verifyToml(BEFORE, after, [
        { kind: 'toml-append', key: FILTERS, value: { name: 'd' } },
        { kind: 'toml-set', key: ['transport', 'https', 'properties', 'server'], value: 'x' },
      ]),
    ).toBeUndefined();
  });

  it('names the first unintended difference', () => {
    const after = BEFORE.replace('"localhost"', '"h"');
    expect(verifyToml(BEFORE, after, [])).toBe('server.hostname should be "localhost", found "h"');
    expect(verifyToml(BEFORE, `${BEFORE}extra = 1\n`, [])).toBe('tomcat.header_security_filters.2.extra was added but no intent says so');
    expect(verifyToml(BEFORE, BEFORE, [{ kind: 'toml-set', key: ['server', 'hostname'], value: 'h' }])).toBe(
      'server.hostname should be "h", found "localhost"',
    );
    expect(verifyToml(BEFORE, BEFORE.replace('name = "b"\n', ''), [])).toBe('tomcat.header_security_filters.1.name is missing after the edit');
  });

  it('compares datetimes by kind and instant', () => {
    expect(verifyToml(BEFORE, BEFORE.replace('07:32:00Z', '07:32:01Z'), [])).toMatch(/^server\.started should be 1979-05-27T07:32:00/);
    expect(verifyToml(BEFORE, BEFORE.replace('day = 1979-05-27', 'day = 1979-05-27T00:00:00Z'), [])).toMatch(/^server\.day should be/);
    expect(verifyToml(BEFORE, BEFORE.replace('hostname', 'host'), [])).toMatch(/hostname is missing/);
  });

  it('distinguishes types: "1" is not 1', () => {
    expect(verifyToml('a = "1"\n', 'a = 1\n', [])).toBe('a should be "1", found 1');
  });

  it('reports an edited file that no longer parses, and impossible intents', () => {
    expect(verifyToml(BEFORE, `${BEFORE}[server]\n`, [])).toMatch(/^the edited file is not valid TOML: .*\(line 12, column 2\)$/);
    expect(verifyToml(BEFORE, BEFORE, [{ kind: 'toml-set', key: ['server', 'hostname', 'x'], value: 1 }])).toMatch(/not a table/);
    expect(verifyToml(BEFORE, BEFORE, [{ kind: 'toml-append', key: ['server', 'hostname'], value: {} }])).toMatch(/not an array of tables/);
  });
});
