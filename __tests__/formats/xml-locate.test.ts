import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { locateXml, walk, XmlSyntaxError, type XmlElement } from '../../src/formats/xml/locate.js';
import { xmlMeaning, type XmlNode } from '../../src/formats/xml/semantic.js';
import { corpusRoot, hasCorpus, listFiles } from '../helpers/corpus.js';

// The locator must see the same elements and attribute values as xml-js, or offsets would lie.
function shapeOfLocated(el: XmlElement): unknown {
  return { name: el.name, attrs: Object.fromEntries(el.attrs.map((a) => [a.name, a.value])), children: el.children.map(shapeOfLocated) };
}
function shapeOfMeaning(n: Extract<XmlNode, { t: 'element' }>): unknown {
  return { name: n.name, attrs: n.attrs, children: n.children.filter((c) => c.t === 'element').map((c) => shapeOfMeaning(c as Extract<XmlNode, { t: 'element' }>)) };
}

describe('locateXml', () => {
  it('skips look-alike text inside comments and CDATA', () => {
    const text = '<a>\n  <!-- <b x="1"/> -->\n  <![CDATA[<c/>]]>\n  <d y=\'2\'/>\n</a>';
    const doc = locateXml(text);
    expect(doc.root.children.map((c) => c.name)).toEqual(['d']);
    const y = doc.root.children[0]!.attrs[0]!;
    expect(text.slice(y.valueStart, y.valueEnd)).toBe('2');
    expect(y.quote).toBe("'");
  });

  it('reports the line and column of a mismatched end tag', () => {
    expect(() => locateXml('<a>\n<b></c>\n</a>')).toThrow(XmlSyntaxError);
    try {
      locateXml('<a>\n<b></c>\n</a>');
    } catch (e) {
      expect((e as XmlSyntaxError).line).toBe(2);
      expect((e as XmlSyntaxError).column).toBe(4);
    }
  });

  it('refuses a second root element', () => {
    expect(() => locateXml('<a/>\n<b/>')).toThrow(/after the root/);
  });

  it('decodes entities in attribute values but keeps raw offsets', () => {
    const text = '<a u="x?a=1&amp;b=2"/>';
    const a = locateXml(text).root.attrs[0]!;
    expect(a.value).toBe('x?a=1&b=2');
    expect(text.slice(a.valueStart, a.valueEnd)).toBe('x?a=1&amp;b=2');
  });
});

const corpusXml = hasCorpus ? listFiles(corpusRoot, (p) => p.endsWith('.xml')) : [];
(hasCorpus ? describe : describe.skip)('locateXml on every corpus XML file', () => {
  it.each(corpusXml)('%s', (rel) => {
    const text = readFileSync(join(corpusRoot, rel), 'utf8');
    const doc = locateXml(text);
    const meaning = xmlMeaning(text).filter((n) => n.t === 'element');
    expect(shapeOfLocated(doc.root)).toEqual(shapeOfMeaning(meaning[0] as Extract<XmlNode, { t: 'element' }>));
    for (const el of walk(doc.root)) expect(text.startsWith(`<${el.name}`, el.start)).toBe(true);
  });
});
