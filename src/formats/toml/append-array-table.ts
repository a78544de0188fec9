// Appends one `[[array.of.tables]]` element after the array's last element (sub-tables included), spaced like
// the elements before it; a first element goes where new sections go (before `[secrets]`, else at the end).
import { eolAt, lineStartOf, type TextEdit } from '../text.js';
import { lineOf, samePath, startsWith, type TomlDoc, type TomlTable } from './locate.js';
import { attachedCommentsStart, lineBefore, sectionEdit } from './new-section.js';
import { keyStyle, keyValueLine, renderHeader, renderKey, type TomlWritable } from './render.js';

/** A key of the new element: a name, or a dotted path (`['properties', 'className']` → `properties.className`). */
export type ElementKey = string | readonly string[];

/** End of an element's last line, counting its sub-tables (`[[a]]` then `[a.properties]`). */
function elementEnd(doc: TomlDoc, element: TomlTable): number {
  return Math.max(...doc.tables.filter((t) => startsWith(t.path, element.path)).map((t) => t.bodyEnd));
}

/** Whether the last element is set off from what precedes it by a blank line (comments above it count as its own). */
function blankBefore(doc: TomlDoc, blocks: readonly TomlTable[]): boolean {
  const last = blocks.at(-1);
  const prev = blocks.at(-2);
  if (!last) return true;
  const headerLine = lineStartOf(doc.text, last.headerStart);
  if (prev) return /\n[ \t]*\r?\n/.test(doc.text.slice(elementEnd(doc, prev), headerLine));
  const above = lineBefore(doc.text, attachedCommentsStart(doc.text, headerLine));
  return above === undefined || above.trim() === '';
}

export function appendArrayTable(
  doc: TomlDoc,
  path: readonly string[],
  entries: ReadonlyArray<readonly [ElementKey, TomlWritable]>,
): TextEdit[] {
  const name = path.join('.');
  if (path.length === 0) throw new Error('an array of tables needs a name');
  const blocks = doc.tables.filter((t) => t.kind === 'array' && samePath(t.path.slice(0, -1), path));
  const clash = doc.entries.find((e) => startsWith(path, e.path));
  if (clash) throw new Error(`${clash.path.join('.')} (line ${lineOf(doc, clash.keyStart)}) is a value, so ${name} cannot be an array of tables`);
  if (blocks.length === 0 && (doc.tables.some((t) => startsWith(t.path, path)) || doc.entries.some((e) => startsWith(e.path, path)))) {
    throw new Error(`${name} is already a table, not an array of tables`);
  }
  const outer = doc.tables.find((t) => t.kind === 'array' && t.path.length - 1 < path.length && startsWith(path, t.path.slice(0, -1)));
  if (outer) throw new Error(`${name} is inside the array of tables ${outer.path.slice(0, -1).join('.')}: not supported`);

  const last = blocks.at(-1);
  // A first element starts at column 0 like any new section.
  const style = last ? keyStyle(doc, last.entries) : { ...keyStyle(doc, []), indent: '' };
  // The last element's header line, copied byte for byte (indent, spacing, quoting), names the same array.
  const header = last
    ? doc.text.slice(lineStartOf(doc.text, last.headerStart), last.headerEnd)
    : renderHeader(path, true, style.quote);
  const line = (k: ElementKey, v: TomlWritable): string => {
    if (typeof k === 'string') return keyValueLine(style, k, v);
    const last = k.at(-1);
    if (last === undefined) throw new Error('an empty key path names no key');
    return keyValueLine(style, last, v, k.slice(0, -1).map((s) => `${renderKey(s, style.quote)}.`).join(''));
  };
  const lines = [header, ...entries.map(([k, v]) => line(k, v))];
  if (!last) return [sectionEdit(doc, lines)];
  const end = elementEnd(doc, last);
  const eol = eolAt(doc.text, end);
  return [{ start: end, end, text: eol + (blankBefore(doc, blocks) ? eol : '') + lines.join(eol) }];
}
