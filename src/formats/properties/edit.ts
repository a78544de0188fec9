// Splice edits for .properties files: each returns the smallest TextEdit and the value the entry will
// have afterwards (for the intent), so comments, separators, continuations and line endings survive.
import { eolAt, type TextEdit } from '../text.js';
import type { PropEntry } from './locate.js';

/** Escapes text for a value; `atStart` also protects leading blanks, which Properties.load would drop. */
export function escapeValue(s: string, atStart: boolean): string {
  let out = '';
  let leading = atStart;
  for (const c of s) {
    if (leading && (c === ' ' || c === '\t' || c === '\f')) {
      out += c === ' ' ? '\\ ' : c === '\t' ? '\\t' : '\\f';
      continue;
    }
    leading = false;
    out += c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\f' ? '\\f' : c;
  }
  return out;
}

/** Escapes a key: separators, blanks and comment characters too. */
export function escapeKey(s: string): string {
  return s.replace(/[\\=:#! \t\f]/g, (c) => (c === '\t' ? '\\t' : c === '\f' ? '\\f' : `\\${c}`)).replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export interface ValueEdit {
  edit: TextEdit;
  /** The entry's decoded value once the edit is applied. */
  value: string;
}

/**
 * Replaces decoded characters [from, to) of the entry's value with `text` (decoded). Positions map through
 * the entry's raw offsets, so escapes and continuation lines elsewhere in the value stay as written.
 */
export function spliceValue(entry: PropEntry, from: number, to: number, text: string): ValueEdit {
  if (from < 0 || to < from || to > entry.value.length) throw new Error(`no characters ${from}..${to} in the value of ${entry.key}`);
  const start = entry.valueOffsets[from]!;
  // The end of a replaced run is where the character after it starts (or the value's end).
  const end = entry.valueOffsets[to]!;
  // A key written alone ("key") has no separator: text right after it would become part of the key.
  const sep = start === entry.keyEnd && text.length > 0 ? '=' : '';
  return {
    edit: { start, end, text: sep + escapeValue(text, from === 0) },
    value: entry.value.slice(0, from) + text + entry.value.slice(to),
  };
}

/** Replaces the value, keeping trailing blanks that follow it (they are part of the value, but never meant). */
export function replaceValue(entry: PropEntry, value: string): ValueEdit {
  return spliceValue(entry, 0, entry.value.replace(/[ \t\f]+$/, '').length, value);
}

/**
 * A new `key=value` line right after `anchor`'s last line, indented and separated like the anchor and
 * ended like its line; in a file without a final newline the new line becomes the last, also without one.
 */
export function addAfter(text: string, anchor: PropEntry, key: string, value: string): TextEdit {
  const sep = /^[ \t\f]*[=:]?[ \t\f]*$/.test(anchor.separator) && anchor.separator.length > 0 ? anchor.separator : '=';
  // A separator of blanks only would make a value that starts with '=' or ':' lose that character.
  const safeSep = /[=:]/.test(sep) || !/^[=:]/.test(value) ? sep : '=';
  const eol = eolAt(text, anchor.lineEnd);
  return { start: anchor.lineEnd, end: anchor.lineEnd, text: `${eol}${anchor.indent}${escapeKey(key)}${safeSep}${escapeValue(value, true)}` };
}
