// Adds an element laid out exactly like an existing sibling: its source text is copied (line breaks,
// indentation, line endings) with some leaf texts replaced, and everything else inside it that would
// carry meaning over (comments, other child elements) dropped, whole lines where they stood alone.
import { applyEdits, lineStartOf, type TextEdit } from '../formats/text.js';
import { setText } from '../formats/xml/edit.js';
import type { XmlDoc, XmlElement } from '../formats/xml/locate.js';

const contains = (outer: XmlElement, inner: XmlElement): boolean => outer.start <= inner.start && inner.end <= outer.end;

/** Widens a removal to its whole line (with the line ending) when nothing else stands on that line. */
function wholeLine(text: string, r: TextEdit): TextEdit {
  const start = lineStartOf(text, r.start);
  const nl = text.indexOf('\n', r.end);
  const lineEnd = nl === -1 ? text.length : nl;
  const before = text.slice(start, r.start);
  const after = text.slice(r.end, lineEnd).replace(/\r$/, '');
  if (/^[ \t]*$/.test(before) && /^[ \t]*$/.test(after)) return { start, end: nl === -1 ? text.length : nl + 1, text: '' };
  return r;
}

/**
 * The markup of `model` with the text of each leaf in `texts` replaced; child elements that hold
 * none of those leaves, and comments, are left out of the copy.
 */
export function cloneMarkup(doc: XmlDoc, model: XmlElement, texts: ReadonlyMap<XmlElement, string>): string {
  const leaves = [...texts.keys()];
  const edits: TextEdit[] = [];
  const removals: TextEdit[] = [];
  const visit = (el: XmlElement): void => {
    if (texts.has(el)) {
      edits.push(setText(doc, el, texts.get(el)!));
      return;
    }
    // Comments between this element's children (those inside a replaced leaf go with its old text).
    let gapStart = el.openEnd;
    for (const gapEnd of [...el.children.map((c) => c.start), el.closeStart]) {
      const gap = doc.text.slice(gapStart, gapEnd);
      for (const m of gap.matchAll(/<!--[\s\S]*?-->/g)) removals.push({ start: gapStart + m.index, end: gapStart + m.index + m[0].length, text: '' });
      const child = el.children.find((c) => c.start === gapEnd);
      if (child) gapStart = child.end;
    }
    for (const c of el.children) {
      if (leaves.some((l) => contains(c, l))) visit(c);
      else removals.push({ start: c.start, end: c.end, text: '' });
    }
  };
  if (!model.selfClosing) visit(model);
  // Neighbouring removals separated only by blanks on one line go as one.
  removals.sort((a, b) => a.start - b.start);
  const merged: TextEdit[] = [];
  for (const r of removals) {
    const last = merged[merged.length - 1];
    if (last && /^[ \t]*$/.test(doc.text.slice(last.end, r.start))) last.end = r.end;
    else merged.push({ ...r });
  }
  const all = [...edits, ...merged.map((r) => wholeLine(doc.text, r))];
  const local = all.map((e) => ({ start: e.start - model.start, end: e.end - model.start, text: e.text }));
  return applyEdits(doc.text.slice(model.start, model.end), local);
}
