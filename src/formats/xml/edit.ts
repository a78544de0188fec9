// Splice edits for XML: each returns the smallest TextEdit that makes the change, laid out like
// the element's neighbours, so comments, attribute order, quotes and indentation survive.
import { eolAt, indentBefore, type TextEdit } from '../text.js';
import { escapeAttr, escapeText, type XmlAttr, type XmlDoc, type XmlElement } from './locate.js';

/** Replaces an attribute's value between its existing quotes. */
export function setAttrValue(a: XmlAttr, value: string): TextEdit {
  return { start: a.valueStart, end: a.valueEnd, text: escapeAttr(value, a.quote) };
}


/**
 * Adds an attribute after `after` (default: the last attribute), laid out like the anchor: on a new
 * line with its indentation when the anchor starts its own line, else on the same line.
 */
export function addAttr(doc: XmlDoc, el: XmlElement, name: string, value: string, after?: string): TextEdit {
  const anchor = (after ? el.attrs.find((a) => a.name === after) : undefined) ?? el.attrs[el.attrs.length - 1];
  const quote = anchor?.quote ?? '"';
  const written = `${name}=${quote}${escapeAttr(value, quote)}${quote}`;
  if (!anchor) {
    return { start: el.start + 1 + el.name.length, end: el.start + 1 + el.name.length, text: ` ${written}` };
  }
  if (el.attrs.length > 1 && indentBefore(doc.text, anchor.start) !== undefined) {
    const indent = indentBefore(doc.text, anchor.start) ?? '';
    return { start: anchor.end, end: anchor.end, text: `${eolAt(doc.text, anchor.end)}${indent}${written}` };
  }
  return { start: anchor.end, end: anchor.end, text: ` ${written}` };
}

/** Replaces the text of a leaf element, keeping any whitespace that surrounds the old value. */
export function setText(doc: XmlDoc, el: XmlElement, value: string): TextEdit {
  if (el.selfClosing) throw new Error(`<${el.name}> is self-closing and has no text to set`);
  const inner = doc.text.slice(el.openEnd, el.closeStart);
  const lead = inner.length - inner.trimStart().length;
  const trail = inner.length - inner.trimEnd().length;
  return { start: el.openEnd + lead, end: el.closeStart - trail, text: escapeText(value) };
}

/** Indentation of an element's own line ('' when text precedes it on that line). */
export function indentOf(doc: XmlDoc, el: XmlElement): string {
  return indentBefore(doc.text, el.start) ?? '';
}

/**
 * Inserts `snippet` (one or more lines, '\n'-separated, indented relative to its first line) as a
 * sibling right after `anchor`: on new lines indented like the anchor and ended like the anchor's
 * line, or straight after it when the anchor shares its line with what precedes it (one-line files).
 * `verbatim` snippets (raw text cloned from the file) keep their inner lines' indentation as is.
 */
export function insertAfter(doc: XmlDoc, anchor: XmlElement, snippet: string, verbatim = false): TextEdit {
  const eol = eolAt(doc.text, anchor.end);
  const own = indentBefore(doc.text, anchor.start);
  const lines = snippet.split(/\r?\n/); // a verbatim clone may carry the file's CRLF already
  if (own === undefined) return { start: anchor.end, end: anchor.end, text: lines.join(eol) };
  const indent = own;
  const body = lines
    .map((line, i) => (line.length && (i === 0 || !verbatim) ? indent + line : line))
    .join(eol);
  // Blanks trailing the anchor stay on the anchor's line, so that line is not changed.
  const at = anchor.end + (/^[ \t]*/.exec(doc.text.slice(anchor.end))?.[0].length ?? 0);
  const atLineEnd = doc.text.startsWith('\n', at) || doc.text.startsWith('\r\n', at);
  const pos = atLineEnd ? at : anchor.end;
  return { start: pos, end: pos, text: eol + body };
}

/**
 * Turns a comment back into markup: the comment's range (from '<!--' to past '-->') is replaced by `xml`,
 * so what precedes it on its line (its indentation) stays; further lines of `xml` get that indentation and
 * the comment line's own line ending.
 */
export function replaceComment(doc: XmlDoc, comment: { start: number; end: number }, xml: string): TextEdit {
  if (!doc.text.startsWith('<!--', comment.start) || !doc.text.startsWith('-->', comment.end - 3)) {
    throw new Error(`no comment at offsets ${comment.start}..${comment.end}`);
  }
  const indent = indentBefore(doc.text, comment.start) ?? '';
  const eol = eolAt(doc.text, comment.start);
  const text = xml
    .split(/\r?\n/)
    .map((line, i) => (i === 0 || !line ? line : indent + line))
    .join(eol);
  return { start: comment.start, end: comment.end, text };
}

/**
 * The comment an element becomes when commented out in WSO2's shipped shape: its own markup without the
 * outer '<' and '>' (`<A>x</A>` → `<!--A>x</A-->`), or `body` when given. Undefined when the markup cannot
 * stand in a comment ('--' inside, or a body ending in '-').
 */
export function commentedOutBody(doc: XmlDoc, el: XmlElement, body?: string): string | undefined {
  const b = body ?? doc.text.slice(el.start + 1, el.end - 1);
  return b.includes('--') || b.endsWith('-') ? undefined : b;
}

/** Replaces an element (start tag to end tag, nothing around it) with a comment holding `body`. */
export function commentOut(el: XmlElement, body: string): TextEdit {
  if (body.includes('--') || body.endsWith('-')) throw new Error(`<${el.name}> cannot be commented out: the comment would hold '--'`);
  return { start: el.start, end: el.end, text: `<!--${body}-->` };
}
