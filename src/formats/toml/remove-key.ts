// Removes one key-value from a TOML file: its whole line (with the line ending), or, when a comment follows the
// value on the same line, only the key-value, so that the comment stays where it was.
import type { TextEdit } from '../text.js';
import { lineOf, type TomlDoc, type TomlEntry } from './locate.js';

/** The edit that removes `entry`; refuses entries inside inline tables and lines shared with other text. */
export function removeKey(doc: TomlDoc, entry: TomlEntry): TextEdit {
  const { text } = doc;
  const where = `${entry.path.join('.')} (line ${lineOf(doc, entry.keyStart)})`;
  if (entry.inline) throw new Error(`${where} is inside an inline table: removing it would mean reformatting the table`);
  if (entry.kind === 'inline-table') throw new Error(`${where} is an inline table, not a single value`);
  if (!/^[ \t]*$/.test(text.slice(entry.lineStart, entry.keyStart))) throw new Error(`${where} shares its line with other text`);
  const after = text.slice(entry.valueEnd, entry.lineEnd);
  const trailing = /^[ \t]*(#.*)?$/.exec(after);
  if (!trailing) throw new Error(`${where} is followed by other text on its line`);
  if (trailing[1] !== undefined) {
    // `key = "v"  # note` becomes `# note` at the key's indentation.
    return { start: entry.keyStart, end: entry.valueEnd + after.indexOf('#'), text: '' };
  }
  const nl = text.indexOf('\n', entry.lineEnd);
  if (nl !== -1) return { start: entry.lineStart, end: nl + 1, text: '' };
  // The last line of a file without a final newline: take the line ending before it instead, so the file
  // still ends without one.
  const prevEnd = entry.lineStart === 0 ? 0 : entry.lineStart - (entry.lineStart >= 2 && text[entry.lineStart - 2] === '\r' ? 2 : 1);
  return { start: prevEnd, end: entry.lineEnd, text: '' };
}
