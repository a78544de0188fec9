// Commented-out elements: found by range among an element's own comments, turned back into markup (and an
// element into a comment) by a splice that keeps the line's indentation, and verified through xml-js.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { childComments, commentedChildren, commentedElement } from '../../src/formats/xml/comments.js';
import { commentOut, commentedOutBody, replaceComment } from '../../src/formats/xml/edit.js';
import { childrenNamed, locateXml, walk } from '../../src/formats/xml/locate.js';
import { verifyXml } from '../../src/formats/xml/semantic.js';
import { applyEdits } from '../../src/formats/text.js';
import { corpusRoot, hasCorpus, listFiles } from '../helpers/corpus.js';

const CARBON = [
  '<Server xmlns="http://wso2.org/projects/carbon/carbon.xml">',
  '    <Version>1.0</Version>',
  '    <!-- Host name or IP address, e.g. <HostName>x</HostName> -->',
  '    <!--HostName>www.wso2.org</HostName-->',
  '    <Inner>',
  '        <!--HostName>nested.example.org</HostName-->',
  '    </Inner>',
  '    <!-- EnableHTTPAdminConsole>true</EnableHTTPAdminConsole -->',
  '</Server>',
  '',
].join('\r\n');

describe('childComments / commentedElement', () => {
  const doc = locateXml(CARBON);

  it('lists only the element\'s own comments, in order, with their ranges', () => {
    const cs = childComments(doc, doc.root);
    expect(cs.map((c) => c.index)).toEqual([0, 1, 2]);
    for (const c of cs) expect(CARBON.slice(c.start, c.end)).toBe(`<!--${c.body}-->`);
    expect(cs.map((c) => c.body)).not.toContain('HostName>nested.example.org</HostName');
  });

  it('reads the shipped commented-out shapes and ignores prose', () => {
    expect(commentedElement({ body: 'HostName>www.wso2.org</HostName' })).toEqual({ name: 'HostName', attrs: {}, text: 'www.wso2.org' });
    expect(commentedElement({ body: ' EnableHTTPAdminConsole>true</EnableHTTPAdminConsole ' })?.text).toBe('true');
    expect(commentedElement({ body: '<parameter name="HostnameVerifier">DefaultAndLocalhost</parameter>' })).toEqual({
      name: 'parameter',
      attrs: { name: 'HostnameVerifier' },
      text: 'DefaultAndLocalhost',
    });
    expect(commentedElement({ body: ' Host name or IP address, e.g. <HostName>x</HostName> ' })).toBeUndefined();
    expect(commentedElement({ body: 'supports Strict|AllowAll|DefaultAndLocalhost or the default if none specified ' })).toBeUndefined();
    expect(commentedElement({ body: '<a><b/></a>' })).toBeUndefined(); // an element with children is not a setting
  });

  it('finds commented-out children by name only among the element\'s own comments', () => {
    expect(commentedChildren(doc, doc.root, 'HostName').map((c) => c.element.text)).toEqual(['www.wso2.org']);
  });
});

describe('replaceComment / commentOut', () => {
  it('turns a commented-out element into markup in place, keeping indentation and CRLF, and verifies', () => {
    const doc = locateXml(CARBON);
    const c = commentedChildren(doc, doc.root, 'HostName')[0]!;
    const after = applyEdits(CARBON, [replaceComment(doc, c, '<HostName>api.example.com</HostName>')]);
    expect(after).toBe(CARBON.replace('<!--HostName>www.wso2.org</HostName-->', '<HostName>api.example.com</HostName>'));
    expect(verifyXml(CARBON, after, [{ kind: 'xml-uncomment', parent: [], comment: c.index, xml: '<HostName>api.example.com</HostName>' }])).toBeUndefined();
    // The wrong comment, or a different value, is refused.
    expect(verifyXml(CARBON, after, [{ kind: 'xml-uncomment', parent: [], comment: 0, xml: '<HostName>api.example.com</HostName>' }])).toMatch(/differs/);
    expect(verifyXml(CARBON, after, [{ kind: 'xml-uncomment', parent: [], comment: c.index, xml: '<HostName>other.example.com</HostName>' }])).toMatch(/differs/);
  });

  it('indents the further lines of multi-line markup like the comment', () => {
    const doc = locateXml(CARBON);
    const c = commentedChildren(doc, doc.root, 'HostName')[0]!;
    const edit = replaceComment(doc, c, '<A>\n    <B/>\n</A>');
    expect(edit.text).toBe('<A>\r\n        <B/>\r\n    </A>');
  });

  it('refuses a range that is not a comment', () => {
    const doc = locateXml(CARBON);
    expect(() => replaceComment(doc, { start: 0, end: 10 }, '<x/>')).toThrow(/no comment/);
  });

  it('comments an element out in the shipped shape, and back again to the same bytes', () => {
    const text = '<S>\n    <EnableHTTPAdminConsole>true</EnableHTTPAdminConsole>\n    <X/>\n</S>\n';
    const doc = locateXml(text);
    const el = childrenNamed(doc.root, 'EnableHTTPAdminConsole')[0]!;
    const body = commentedOutBody(doc, el)!;
    expect(body).toBe('EnableHTTPAdminConsole>true</EnableHTTPAdminConsole');
    const after = applyEdits(text, [commentOut(el, body)]);
    expect(after).toBe('<S>\n    <!--EnableHTTPAdminConsole>true</EnableHTTPAdminConsole-->\n    <X/>\n</S>\n');
    expect(verifyXml(text, after, [{ kind: 'xml-comment-out', path: el.path, comment: body }])).toBeUndefined();
    expect(verifyXml(text, after, [{ kind: 'xml-comment-out', path: [1], comment: body }])).toMatch(/differs/);
    const again = locateXml(after);
    const c = commentedChildren(again, again.root, 'EnableHTTPAdminConsole')[0]!;
    expect(applyEdits(after, [replaceComment(again, c, '<EnableHTTPAdminConsole>true</EnableHTTPAdminConsole>')])).toBe(text);
  });

  it('will not comment out markup that a comment cannot hold', () => {
    const text = '<S><A>a--b</A><B>x-</B></S>';
    const doc = locateXml(text);
    expect(commentedOutBody(doc, doc.root.children[0]!)).toBeUndefined();
    expect(commentedOutBody(doc, doc.root.children[1]!, 'B>x-')).toBeUndefined();
    expect(() => commentOut(doc.root.children[0]!, 'A>a--b</A')).toThrow(/'--'/);
  });

  it('keeps inserts after other elements right when a comment before them becomes an element', () => {
    const text = '<S>\n  <!--A>1</A-->\n  <B/>\n</S>';
    const doc = locateXml(text);
    const c = childComments(doc, doc.root)[0]!;
    const b = doc.root.children[0]!;
    const after = applyEdits(text, [replaceComment(doc, c, '<A>2</A>'), { start: b.end, end: b.end, text: '\n  <C/>' }]);
    expect(
      verifyXml(text, after, [
        { kind: 'xml-uncomment', parent: [], comment: 0, xml: '<A>2</A>' },
        { kind: 'xml-insert', after: b.path, xml: '<C/>' },
      ]),
    ).toBeUndefined();
  });
});

// Every commented-out element in the corpus's carbon.xml, jmx.xml and axis2.xml files can be restored in place and verified.
const files = hasCorpus ? listFiles(corpusRoot, (p) => /(^|\/)(carbon|axis2)\.xml$/.test(p)) : [];
(hasCorpus ? describe : describe.skip)('commented-out elements in the corpus', () => {
  it.each(files)('%s', (rel) => {
    const text = readFileSync(join(corpusRoot, rel), 'utf8');
    const doc = locateXml(text);
    const found = [...walk(doc.root)].flatMap((el) => childComments(doc, el).map((c) => ({ el, c, element: commentedElement(c) })));
    const settings = found.filter((f) => f.element);
    expect(settings.length).toBeGreaterThan(0);
    for (const { el, c, element } of settings) {
      const xml = `<${element!.name}>${element!.text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</${element!.name}>`;
      const after = applyEdits(text, [replaceComment(doc, c, xml)]);
      expect({ rel, at: c.start, why: verifyXml(text, after, [{ kind: 'xml-uncomment', parent: el.path, comment: c.index, xml }]) }).toEqual({ rel, at: c.start, why: undefined });
    }
    if (/carbon\.xml$/.test(rel) && text.includes('<!--HostName>')) expect(commentedChildren(doc, doc.root, 'HostName')).toHaveLength(1);
    if (/axis2\.xml$/.test(rel) && text.includes('<!--<parameter name="HostnameVerifier">')) {
      expect(settings.some((f) => f.element!.attrs.name === 'HostnameVerifier' && f.el.name === 'transportSender')).toBe(true);
    }
  });
});
