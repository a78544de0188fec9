// The comments directly inside an element, by source range, and the commented-out elements among them.
// WSO2 ships optional settings as comments in non-standard shapes (RULES.md §4a): `<!--HostName>x</HostName-->`,
// `<!-- EnableHTTPAdminConsole>true</EnableHTTPAdminConsole -->`, `<!--<parameter name="P">v</parameter>-->`.
// The locator never sees them (a setting that is commented out is absent); this finds them so that one can be
// turned back into an element in place (edit.ts replaceComment) instead of by a string replace.
import { attr, locateXml, textOf, type XmlDoc, type XmlElement } from './locate.js';

export interface XmlComment {
  /** Offset of '<!--'. */
  start: number;
  /** Offset just past '-->'. */
  end: number;
  /** The text between '<!--' and '-->', as xml-js reports a comment's value. */
  body: string;
  /** Position among the comment children of the element, in document order (what an xml-uncomment intent names). */
  index: number;
}

/** Comments that are children of `el` (not those inside its child elements), in document order. */
export function childComments(doc: XmlDoc, el: XmlElement): XmlComment[] {
  if (el.selfClosing) return [];
  const out: XmlComment[] = [];
  let from = el.openEnd;
  const gaps: [number, number][] = [];
  for (const c of el.children) {
    gaps.push([from, c.start]);
    from = c.end;
  }
  gaps.push([from, el.closeStart]);
  for (const [start, end] of gaps) {
    let pos = start;
    while (pos < end) {
      const open = doc.text.indexOf('<', pos);
      if (open === -1 || open >= end) break;
      // The locator has already refused unterminated markup; the checks only keep this loop finite.
      if (doc.text.startsWith('<!--', open)) {
        const close = doc.text.indexOf('-->', open + 4);
        if (close === -1) break;
        out.push({ start: open, end: close + 3, body: doc.text.slice(open + 4, close), index: out.length });
        pos = close + 3;
      } else if (doc.text.startsWith('<![CDATA[', open)) {
        const close = doc.text.indexOf(']]>', open);
        if (close === -1) break;
        pos = close + 3;
      } else if (doc.text.startsWith('<?', open)) {
        const close = doc.text.indexOf('?>', open);
        if (close === -1) break;
        pos = close + 2;
      } else {
        pos = open + 1;
      }
    }
  }
  return out;
}

export interface CommentedElement {
  name: string;
  attrs: Record<string, string>;
  /** The text content, trimmed and entity-decoded. */
  text: string;
}

/**
 * The element a comment holds when its body is one element with no child elements, in any of the shipped
 * shapes (`HostName>x</HostName`, ` Name>x</Name `, `<parameter name="P">v</parameter>`); undefined for prose.
 */
export function commentedElement(c: Pick<XmlComment, 'body'>): CommentedElement | undefined {
  let body = c.body.trim();
  if (!/^<?[A-Za-z_]/.test(body)) return undefined;
  if (!body.startsWith('<')) body = `<${body}`;
  if (!body.endsWith('>')) body = `${body}>`;
  let doc: XmlDoc;
  try {
    doc = locateXml(body);
  } catch {
    return undefined;
  }
  if (doc.root.children.length > 0 || doc.root.start !== 0 || doc.root.end !== body.length) return undefined;
  return {
    name: doc.root.name,
    attrs: Object.fromEntries(doc.root.attrs.map((a) => [a.name, attr(doc.root, a.name)!.value])),
    text: textOf(doc, doc.root),
  };
}

/** Comments of `el` that hold an element named `name` (optionally also matching `test`), in document order. */
export function commentedChildren(doc: XmlDoc, el: XmlElement, name: string, test?: (e: CommentedElement) => boolean): (XmlComment & { element: CommentedElement })[] {
  return childComments(doc, el).flatMap((c) => {
    const element = commentedElement(c);
    const local = element?.name.includes(':') ? element.name.slice(element.name.indexOf(':') + 1) : element?.name;
    return element && local === name && (!test || test(element)) ? [{ ...c, element }] : [];
  });
}
