// Adds a key that is not in the file yet: after the last key-value line of its table, as a dotted key next to
// its siblings when the table exists only through dotted keys, or in a new `[table]` section.
import { eolAt, type TextEdit } from '../text.js';
import { find, lineOf, samePath, startsWith, type TomlDoc, type TomlEntry, type TomlTable } from './locate.js';
import { sectionEdit } from './new-section.js';
import { keyStyle, keyValueLine, renderHeader, type TomlWritable } from './render.js';
import { setValue } from './set-value.js';

const dotted = (path: readonly string[]): string => path.join('.');

/** Refuses paths the edit could only satisfy by reformatting or by changing what existing keys mean. */
function checkTablePath(doc: TomlDoc, tablePath: readonly string[]): void {
  for (const e of doc.entries) {
    if (!startsWith(tablePath, e.path)) continue;
    const where = `${dotted(e.path)} (line ${lineOf(doc, e.keyStart)})`;
    if (e.kind === 'inline-table') {
      throw new Error(`${where} is an inline table: adding a key to it would mean reformatting it, so harden leaves it alone`);
    }
    throw new Error(`${where} is ${e.kind === 'array' ? 'an array' : 'a value'}, not a table`);
  }
  const array = doc.tables.find((t) => t.kind === 'array' && samePath(t.path.slice(0, -1), tablePath));
  if (array) {
    throw new Error(`${dotted(tablePath)} is an array of tables: address one element (${dotted([...tablePath, '0'])}) or use appendArrayTable`);
  }
}

/** A new header under an array of tables would attach to its last element (or need placing inside it): refused. */
function checkNewTable(doc: TomlDoc, tablePath: readonly string[]): void {
  const array = doc.tables.find((t) => t.kind === 'array' && startsWith(tablePath, t.path.slice(0, -1)));
  if (array) {
    throw new Error(`${dotted(tablePath)} would be a new table inside the array of tables ${dotted(array.path.slice(0, -1))}: not supported`);
  }
}

/** Inserts a line after `after` (the end of a key-value or header line), with that line's own line ending. */
function lineAfter(doc: TomlDoc, after: number, line: string): TextEdit {
  return { start: after, end: after, text: eolAt(doc.text, after) + line };
}

function intoTable(doc: TomlDoc, table: TomlTable, key: string, value: TomlWritable): TextEdit {
  const line = keyValueLine(keyStyle(doc, table.entries), key, value);
  if (table.kind === 'root' && table.entries.length === 0) {
    // No top-level keys yet: the new key must come before the first header.
    const eol = eolAt(doc.text, 0);
    return { start: 0, end: 0, text: line + eol + (doc.text === '' ? '' : eol) };
  }
  return lineAfter(doc, table.bodyEnd, line);
}

/** Key-values that define `tablePath` implicitly through dotted keys (e.g. `properties.port` in `[transport.https]`). */
function dottedSiblings(doc: TomlDoc, tablePath: readonly string[]): TomlEntry[] {
  return doc.entries.filter(
    (e) => !e.inline && e.path.length > tablePath.length && startsWith(e.path, tablePath) && e.table.path.length < tablePath.length,
  );
}

export function addKey(doc: TomlDoc, tablePath: readonly string[], key: string, value: TomlWritable): TextEdit[] {
  const full = [...tablePath, key];
  const existing = find(doc, full);
  if (existing) throw new Error(`${dotted(full)} is already set at line ${lineOf(doc, existing.keyStart)}: use setValue`);
  if (doc.tables.some((t) => startsWith(t.path, full)) || doc.entries.some((e) => startsWith(e.path, full))) {
    throw new Error(`${dotted(full)} is already a table`);
  }
  checkTablePath(doc, tablePath);

  const table = doc.tables.find((t) => samePath(t.path, tablePath));
  if (table) return [intoTable(doc, table, key, value)];

  const siblings = dottedSiblings(doc, tablePath);
  const last = siblings.at(-1);
  if (last) {
    // Reuse the sibling's own spelling of the shared prefix, quotes and all.
    const part = last.keyParts[tablePath.length - last.table.path.length - 1];
    const prefix = part ? doc.text.slice(last.keyStart, part.end) + '.' : '';
    const line = keyValueLine(keyStyle(doc, last.table.entries), key, value, prefix);
    return [lineAfter(doc, last.lineEnd, line)];
  }

  checkNewTable(doc, tablePath);
  const style = keyStyle(doc, []);
  const header = renderHeader(tablePath, false, style.quote);
  return [sectionEdit(doc, [header, keyValueLine({ ...style, indent: '' }, key, value)])];
}

/** setValue when the key is in the file, else addKey into the table named by all but the last segment. */
export function setOrAdd(doc: TomlDoc, keyPath: readonly string[], value: TomlWritable): TextEdit[] {
  const key = keyPath.at(-1);
  if (key === undefined) throw new Error('an empty key path names no key');
  return find(doc, keyPath) ? setValue(doc, keyPath, value) : addKey(doc, keyPath.slice(0, -1), key, value);
}
