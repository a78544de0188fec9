// Sets several keys of one table at once: existing keys in place, missing ones after the table's last key, and
// a table that does not exist yet as ONE new section holding all of them (addKey alone would write one section
// per key).
import type { TextEdit } from '../text.js';
import { addKey } from './add-key.js';
import { find, samePath, startsWith, type TomlDoc } from './locate.js';
import { sectionEdit } from './new-section.js';
import { keyStyle, keyValueLine, renderHeader, type TomlWritable } from './render.js';
import { setValue } from './set-value.js';

export function setKeys(doc: TomlDoc, tablePath: readonly string[], pairs: ReadonlyArray<readonly [string, TomlWritable]>): TextEdit[] {
  const edits: TextEdit[] = [];
  const missing: (readonly [string, TomlWritable])[] = [];
  for (const pair of pairs) {
    if (find(doc, [...tablePath, pair[0]])) edits.push(...setValue(doc, [...tablePath, pair[0]], pair[1]));
    else missing.push(pair);
  }
  const first = missing[0];
  if (!first) return edits;
  const table = tablePath.length === 0 || doc.tables.some((t) => samePath(t.path, tablePath));
  const dotted = doc.entries.some((e) => !e.inline && e.path.length > tablePath.length && startsWith(e.path, tablePath) && e.table.path.length < tablePath.length);
  if (table || dotted) {
    for (const [k, v] of missing) edits.push(...addKey(doc, tablePath, k, v));
    return edits;
  }
  addKey(doc, tablePath, first[0], first[1]); // only for its checks: it refuses paths through values and arrays
  const style = { ...keyStyle(doc, []), indent: '' };
  edits.push(sectionEdit(doc, [renderHeader(tablePath, false, style.quote), ...missing.map(([k, v]) => keyValueLine(style, k, v))]));
  return edits;
}
