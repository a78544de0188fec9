import { describe, expect, it } from '@jest/globals';
import { applyEdits } from '../formats/text.js';
import { locateXml } from '../formats/xml/locate.js';
import { verifyXml } from '../formats/xml/semantic.js';
import { commentedFilters } from './web-xml-filters.js';
import { uncommentEdit } from './xml-uncomment.js';

const restore = (text: string): string => {
  const doc = locateXml(text);
  const b = commentedFilters(doc)[0]!;
  const after = applyEdits(text, [uncommentEdit(text, b.comment, b.comment.body)]);
  expect(verifyXml(text, after, [{ kind: 'xml-uncomment', parent: [], comment: b.comment.index, xml: b.comment.body }])).toBeUndefined();
  return after;
};

const F = '<filter><filter-name>F</filter-name><filter-class>C</filter-class></filter>';
const M = '<filter-mapping><filter-name>F</filter-name><url-pattern>*</url-pattern></filter-mapping>';

describe('uncommentEdit', () => {
  it('drops a <!-- and --> that stand on lines of their own, with those lines', () => {
    expect(restore(`<web-app>\n    <!--\n    ${F}\n\n    ${M}\n    -->\n    <x/>\n</web-app>\n`)).toBe(`<web-app>\n    ${F}\n\n    ${M}\n    <x/>\n</web-app>\n`);
    expect(restore(`<web-app>\r\n\t<!--\t\r\n\t${F}\r\n\t-->  \r\n</web-app>`)).toBe(`<web-app>\r\n\t${F}\r\n</web-app>`);
  });

  it('drops only the delimiters (and blanks next to them) when they share a line with markup', () => {
    expect(restore(`<web-app>\n    <!--${F}-->\n</web-app>`)).toBe(`<web-app>\n    ${F}\n</web-app>`);
    expect(restore(`<web-app>\n    <!-- ${F}\n    ${M} -->\n</web-app>`)).toBe(`<web-app>\n    ${F}\n    ${M}\n</web-app>`);
    expect(restore(`<web-app><x/><!--\n  ${F}--></web-app>`)).toBe(`<web-app><x/>\n  ${F}</web-app>`);
    expect(restore(`<web-app>\n  <!--\n  ${F}\n  --><x/>\n</web-app>`)).toBe(`<web-app>\n  ${F}\n<x/>\n</web-app>`);
  });

  it('refuses a range that is not a comment', () => {
    expect(() => uncommentEdit('<a/>', { start: 0, end: 4 }, '')).toThrow(/no comment/);
  });
});

describe('commentedFilters', () => {
  it('takes only comments that are nothing but filter markup', () => {
    const text = [
      '<web-app>',
      '  <!-- uncomment the <filter> below to enable HSTS -->',
      `  <!--${F}-->`,
      `  <!-- ${M} -->`,
      '  <!-- <filter><filter-name>X</filter-name></filter> and some prose -->',
      '  <!-- <servlet><servlet-name>s</servlet-name></servlet> -->',
      '  <!-- <filter> unbalanced -->',
      '</web-app>',
    ].join('\n');
    const found = commentedFilters(locateXml(text));
    expect(found.map((b) => [b.comment.index, b.filters, b.mappings])).toEqual([
      [1, ['F'], []],
      [2, [], ['F']],
    ]);
  });
});
