import { describe, it, expect } from '@jest/globals';
import { applyEdits } from '../text.js';
import { appendArrayTable } from './append-array-table.js';
import { locateToml } from './locate.js';
import type { TomlWritable } from './render.js';
import { verifyToml } from './semantic.js';

type Pairs = Array<[string, TomlWritable]>;

/** Appends one element and checks the result against the verifier too. */
function append(text: string, path: string[], pairs: Pairs): string {
  const after = applyEdits(text, appendArrayTable(locateToml(text), path, pairs));
  expect(verifyToml(text, after, [{ kind: 'toml-append', key: path, value: Object.fromEntries(pairs) }])).toBeUndefined();
  return after;
}

const FILTERS = [
  '[[tomcat.header_security_filters]]',
  'name = "ContentTypeBasedCachePreventionFilter"',
  'class = "org.wso2.carbon.ui.filters.cache.ContentTypeBasedCachePreventionFilter"',
  '',
  '[[tomcat.header_security_filters]]',
  'name = "HttpHeaderSecurityFilter"',
  '',
  '# commented example',
  '#[[tomcat.header_security_filters]]',
  '',
  '[secrets]',
  'x = "[y]"',
  '',
].join('\n');

describe('appendArrayTable', () => {
  it('adds an element after the last one, with a blank line like its neighbours, before trailing comments', () => {
    expect(append(FILTERS, ['tomcat', 'header_security_filters'], [['name', 'HSTS'], ['hstsMaxAgeSeconds', 31536000]])).toBe(
      FILTERS.replace(
        'name = "HttpHeaderSecurityFilter"\n',
        'name = "HttpHeaderSecurityFilter"\n\n[[tomcat.header_security_filters]]\nname = "HSTS"\nhstsMaxAgeSeconds = 31536000\n',
      ),
    );
  });

  it('copies tight spacing and key style, and goes after the last element’s sub-tables', () => {
    const text = '[[event_listener]]\nid="a"\n[event_listener.properties]\nu="1"\n[[event_listener]]\nid="b"\n[event_listener.properties]\nu="2"\n\n[other]\nk = 1\n';
    expect(append(text, ['event_listener'], [['id', 'c']])).toBe(
      text.replace('u="2"\n', 'u="2"\n[[event_listener]]\nid="c"\n'),
    );
  });

  it('sets off a sole element’s successor by a blank line unless the sole one sits tight', () => {
    const loose = '# Logs\n[[log.destinations]]\npath = "a.log"\n';
    expect(append(loose, ['log', 'destinations'], [['path', 'b.log']])).toBe(`${loose}\n[[log.destinations]]\npath = "b.log"\n`);
    const tight = '[a]\nx = 1\n[[log.destinations]]\npath = "a.log"';
    expect(append(tight, ['log', 'destinations'], [['path', 'b.log']])).toBe(`${tight}\n[[log.destinations]]\npath = "b.log"`);
  });

  it('starts a new array before [secrets], or at the end of a file without final newline', () => {
    const text = '[server]\nhostname = "h"\n\n[secrets]\nx = "[y]"\n';
    expect(append(text, ['tomcat', 'header_security_filters'], [['name', 'F'], ['urlPatterns', ['/*']]])).toBe(
      '[server]\nhostname = "h"\n\n[[tomcat.header_security_filters]]\nname = "F"\nurlPatterns = ["/*"]\n\n[secrets]\nx = "[y]"\n',
    );
    expect(append('[server]\nhostname = "h"', ['f'], [['name', 'F']])).toBe('[server]\nhostname = "h"\n\n[[f]]\nname = "F"');
  });

  it('copies the last header byte for byte', () => {
    const text = "  [[ tomcat.'header_security_filters' ]]\n  name = 'a'\n";
    expect(append(text, ['tomcat', 'header_security_filters'], [['name', 'b']])).toBe(
      `${text}\n  [[ tomcat.'header_security_filters' ]]\n  name = "b"\n`,
    );
  });

  it('keeps CRLF', () => {
    expect(append('[[f]]\r\nname = "a"\r\n', ['f'], [['name', 'b']])).toBe('[[f]]\r\nname = "a"\r\n\r\n[[f]]\r\nname = "b"\r\n');
  });

  it('writes a dotted key path as a dotted key, quoting only the segments that need it', () => {
    const text = '[server]\nhostname = "h"\n';
    const after = applyEdits(text, appendArrayTable(locateToml(text), ['catalina', 'valves'], [[['properties', 'className'], 'org.example.V'], [['properties', 'a.b'], 'x']]));
    expect(after).toBe('[server]\nhostname = "h"\n\n[[catalina.valves]]\nproperties.className = "org.example.V"\nproperties."a.b" = "x"\n');
    expect(verifyToml(text, after, [{ kind: 'toml-append', key: ['catalina', 'valves'], value: { properties: { className: 'org.example.V', 'a.b': 'x' } } }])).toBeUndefined();
  });

  it('refuses a path that is a table or a value, or inside another array of tables', () => {
    const refuse = (text: string, path: string[]): (() => unknown) => () => appendArrayTable(locateToml(text), path, [['k', 1]]);
    expect(refuse('[f]\nname = "a"\n', ['f'])).toThrow(/already a table/);
    expect(refuse('f = [{name = "a"}]\n', ['f'])).toThrow(/is a value/);
    expect(refuse('[[p]]\n[[p.q]]\nk = 1\n', ['p', 'q'])).toThrow(/inside the array of tables p/);
  });
});
