import { describe, it, expect } from '@jest/globals';
import { xmlSafe } from './xml-safe.js';

describe('xmlSafe', () => {
  it('escapes a bare & and keeps existing entities', () => {
    expect(xmlSafe('(&(objectClass=person)(uid=?))')).toBe('(&amp;(objectClass=person)(uid=?))');
    expect(xmlSafe('jdbc:mysql://h/db?a=1&amp;b=2&c=3')).toBe('jdbc:mysql://h/db?a=1&amp;b=2&amp;c=3');
    expect(xmlSafe('&lt;&gt;&quot;&apos;&#39;&#x27;&#X27;')).toBe('&lt;&gt;&quot;&apos;&#39;&#x27;&#X27;');
    expect(xmlSafe('&#;&x;&;')).toBe('&amp;#;&x;&amp;;');
  });

  it('escapes < and " so the value fits element text and double-quoted attributes', () => {
    expect(xmlSafe('a<b "c" >\'')).toBe('a&lt;b &quot;c&quot; >\'');
  });

  it('never double-escapes: applying it twice changes nothing more', () => {
    for (const v of ['a&b', 'a&amp;b', 'x<y', '"q"', '$secret{p}', '${carbon.home}/x&y']) {
      expect(xmlSafe(xmlSafe(v))).toBe(xmlSafe(v));
    }
  });
});
