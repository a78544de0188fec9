// Locates XML elements and attributes by source offset. xml-js (the card's parser) cannot report
// offsets, so this scanner finds *where* things are; xml-js stays the judge of well-formedness and
// of what a document means (see verify.ts). Comments, CDATA, PIs and the DOCTYPE are skipped whole,
// so look-alike text inside them is never located.
import { positionOf } from '../text.js';
import { memoByText } from '../../engine/memo.js';

export interface XmlAttr {
  name: string;
  /** Value with entities decoded. */
  value: string;
  quote: '"' | "'";
  /** Offset of the attribute name. */
  start: number;
  /** Offset just past the closing quote. */
  end: number;
  /** Offsets of the raw value between the quotes. */
  valueStart: number;
  valueEnd: number;
}

export interface XmlElement {
  name: string;
  /** Offset of '<'. */
  start: number;
  /** Offset just past the start tag's '>' (or '/>'). */
  openEnd: number;
  selfClosing: boolean;
  /** Offset of '</' of the end tag; equals openEnd for a self-closing element. */
  closeStart: number;
  /** Offset just past the whole element. */
  end: number;
  attrs: XmlAttr[];
  children: XmlElement[];
  parent: XmlElement | undefined;
  /** Indexes among element children from the root (the root is []). */
  path: number[];
}

export interface XmlDoc {
  text: string;
  root: XmlElement;
}

export class XmlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} (line ${line}, column ${column})`);
  }
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const SPACE = /[ \t\r\n]*/y;

export function decodeEntities(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_m, ent: string) => {
    if (ent[0] === '#') {
      const code = ent[1] === 'x' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[ent] ?? '';
  });
}

/** Escapes a value for an attribute written with the given quote character. */
export function escapeAttr(value: string, quote: '"' | "'"): string {
  let out = value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  out = quote === '"' ? out.replace(/"/g, '&quot;') : out.replace(/'/g, '&apos;');
  return out;
}

export function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** locateXml, memoized: the same text is parsed once per run (results are read-only). */
export const locateXml = memoByText(parseLocateXml);

function parseLocateXml(text: string): XmlDoc {
  let pos = 0;
  const fail = (reason: string, at: number = pos): never => {
    const { line, column } = positionOf(text, at);
    throw new XmlSyntaxError(reason, line, column);
  };
  const skipUntil = (token: string, what: string): void => {
    const i = text.indexOf(token, pos);
    if (i === -1) fail(`unterminated ${what}`);
    pos = i + token.length;
  };
  const skipMarkup = (): boolean => {
    if (text.startsWith('<!--', pos)) {
      const from = pos;
      pos += 4;
      const i = text.indexOf('-->', pos);
      if (i === -1) fail('unterminated comment', from);
      pos = i + 3;
      return true;
    }
    if (text.startsWith('<![CDATA[', pos)) {
      skipUntil(']]>', 'CDATA section');
      return true;
    }
    if (text.startsWith('<?', pos)) {
      skipUntil('?>', 'processing instruction');
      return true;
    }
    if (text.startsWith('<!DOCTYPE', pos)) {
      // An internal subset may hold '>' inside brackets.
      let depth = 0;
      for (pos += 9; pos < text.length; pos++) {
        const c = text[pos];
        if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth <= 0) {
          pos++;
          return true;
        }
      }
      fail('unterminated DOCTYPE');
    }
    return false;
  };
  const readName = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(text);
    if (!m) fail('expected a name');
    pos += m![0].length;
    return m![0];
  };
  const skipSpace = (): number => {
    SPACE.lastIndex = pos;
    const m = SPACE.exec(text)!;
    pos += m[0].length;
    return m[0].length;
  };

  const readStartTag = (parent: XmlElement | undefined, path: number[]): XmlElement => {
    const start = pos;
    pos++; // '<'
    const name = readName();
    const attrs: XmlAttr[] = [];
    for (;;) {
      const spaced = skipSpace();
      if (text.startsWith('/>', pos)) {
        pos += 2;
        return { name, start, openEnd: pos, selfClosing: true, closeStart: pos, end: pos, attrs, children: [], parent, path };
      }
      if (text[pos] === '>') {
        pos++;
        return { name, start, openEnd: pos, selfClosing: false, closeStart: -1, end: -1, attrs, children: [], parent, path };
      }
      if (pos >= text.length) fail(`unterminated start tag <${name}>`, start);
      if (!spaced) fail(`expected whitespace before an attribute in <${name}>`);
      const aStart = pos;
      const aName = readName();
      skipSpace();
      if (text[pos] !== '=') fail(`attribute ${aName} of <${name}> has no value`);
      pos++;
      skipSpace();
      const quote = text[pos];
      if (quote !== '"' && quote !== "'") fail(`attribute ${aName} of <${name}> is not quoted`);
      const valueStart = pos + 1;
      const close = text.indexOf(quote!, valueStart);
      if (close === -1) fail(`unterminated value of attribute ${aName}`, aStart);
      const raw = text.slice(valueStart, close);
      if (raw.includes('<')) fail(`'<' inside the value of attribute ${aName}`, valueStart);
      if (attrs.some((a) => a.name === aName)) fail(`duplicate attribute ${aName} in <${name}>`, aStart);
      pos = close + 1;
      attrs.push({ name: aName, value: decodeEntities(raw), quote: quote as '"' | "'", start: aStart, end: pos, valueStart, valueEnd: close });
    }
  };

  // Prolog: declaration, comments, PIs, DOCTYPE, whitespace.
  for (;;) {
    skipSpace();
    if (pos >= text.length) fail('no root element');
    if (!skipMarkup()) break;
  }
  if (text[pos] !== '<') fail('text before the root element');
  const root = readStartTag(undefined, []);
  const stack: XmlElement[] = [];
  if (!root.selfClosing) stack.push(root);
  while (stack.length > 0) {
    const lt = text.indexOf('<', pos);
    if (lt === -1) fail(`<${stack[stack.length - 1]!.name}> is never closed`, stack[stack.length - 1]!.start);
    pos = lt;
    if (skipMarkup()) continue;
    const parent = stack[stack.length - 1]!;
    if (text.startsWith('</', pos)) {
      const closeStart = pos;
      pos += 2;
      const name = readName();
      skipSpace();
      if (text[pos] !== '>') fail(`malformed end tag </${name}>`);
      pos++;
      if (name !== parent.name) fail(`end tag </${name}> does not match <${parent.name}>`, closeStart);
      parent.closeStart = closeStart;
      parent.end = pos;
      stack.pop();
      continue;
    }
    const child = readStartTag(parent, [...parent.path, parent.children.length]);
    parent.children.push(child);
    if (!child.selfClosing) stack.push(child);
  }
  // Epilog: only whitespace, comments and PIs may follow the root.
  for (;;) {
    skipSpace();
    if (pos >= text.length) break;
    if (text.startsWith('<!--', pos) || text.startsWith('<?', pos)) {
      skipMarkup();
      continue;
    }
    fail('content after the root element');
  }
  return { text, root };
}

/** Depth-first walk over every element. */
export function* walk(el: XmlElement): Generator<XmlElement> {
  yield el;
  for (const c of el.children) yield* walk(c);
}

export function findAll(doc: XmlDoc, pred: (el: XmlElement) => boolean): XmlElement[] {
  return [...walk(doc.root)].filter(pred);
}

export function attr(el: XmlElement, name: string): XmlAttr | undefined {
  return el.attrs.find((a) => a.name === name);
}

/** Local name without a namespace prefix. */
export function localName(el: XmlElement): string {
  const i = el.name.indexOf(':');
  return i === -1 ? el.name : el.name.slice(i + 1);
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => localName(c) === name);
}

/** Raw text between the tags of an element that has no child elements, with comments kept. */
export function innerRaw(doc: XmlDoc, el: XmlElement): string {
  return el.selfClosing ? '' : doc.text.slice(el.openEnd, el.closeStart);
}

/** The element's text content (entities decoded, CDATA unwrapped, comments dropped), trimmed. */
export function textOf(doc: XmlDoc, el: XmlElement): string {
  const raw = innerRaw(doc, el)
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_m, c: string) => c.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
  return decodeEntities(raw.replace(/<[^>]*>/g, '')).trim();
}
