// Where every logical entry of a Java .properties file is, by source offset, read the way
// java.util.Properties.load reads it (log4j 1.x and log4j2's properties configuration both load through it):
//
// * natural lines end in \n, \r\n or a lone \r; a line whose first non-blank character is # or ! is a
//   comment, and a comment never continues onto the next line;
// * a logical line continues while a natural line ends in an odd number of backslashes: the backslash and
//   the line ending are dropped, and so is the leading white space of the next natural line;
// * the key runs to the first unescaped '=', ':' or white space; then white space, at most one '=' or ':',
//   and white space again separate it from the value, which keeps its trailing white space;
// * \t \n \r \f and \uXXXX are escapes; a backslash before any other character stands for that character.
//
// Nothing here ever fails: the format has no syntax errors, only odd keys.
import { memoByText } from '../../engine/memo.js';

export interface PropEntry {
  /** Decoded key and value. */
  key: string;
  value: string;
  /** Raw offsets of the key. */
  keyStart: number;
  keyEnd: number;
  /** Raw offsets of the value (valueStart === valueEnd for an empty value). */
  valueStart: number;
  valueEnd: number;
  /**
   * Raw offset of each decoded value character (where its escape or literal starts), then valueEnd:
   * length value.length + 1, so that a position in the decoded value maps to a position in the text.
   */
  valueOffsets: number[];
  /** Start of the entry's first natural line and end (before its line ending) of its last one. */
  lineStart: number;
  lineEnd: number;
  /** White space before the key on the first line. */
  indent: string;
  /** The raw text between key and value, e.g. "=", " = ", ":" or " ". */
  separator: string;
  /** The entry spans more than one natural line. */
  continued: boolean;
}

export interface PropsDoc {
  text: string;
  /** Every logical entry in source order, duplicates included (the last one of a key wins). */
  entries: PropEntry[];
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\f';
const isEol = (c: string | undefined): boolean => c === '\n' || c === '\r';

/** Offset just past the line ending at `i` (which is '\r' or '\n'). */
function pastEol(text: string, i: number): number {
  return text[i] === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1;
}

/** One character of a logical line and the raw offset it came from. */
interface Char {
  c: string;
  at: number;
}

/** Decodes escapes in chars[from, to): the decoded string and the raw offset of each decoded character. */
function decode(chars: readonly Char[], from: number, to: number): { s: string; offsets: number[] } {
  let s = '';
  const offsets: number[] = [];
  let i = from;
  while (i < to) {
    const { c, at } = chars[i]!;
    if (c !== '\\' || i + 1 >= to) {
      // A lone trailing backslash stands for nothing in Java; keeping it is the lenient reading.
      s += c;
      offsets.push(at);
      i++;
      continue;
    }
    const n = chars[i + 1]!.c;
    if (n === 'u') {
      const hex = chars.slice(i + 2, i + 6).map((x) => x.c).join('');
      if (/^[0-9a-fA-F]{4}$/.test(hex) && i + 6 <= to) {
        s += String.fromCharCode(parseInt(hex, 16));
        offsets.push(at);
        i += 6;
        continue;
      }
      // Java rejects a malformed \u escape; read it as the letter u.
    }
    s += n === 't' ? '\t' : n === 'n' ? '\n' : n === 'r' ? '\r' : n === 'f' ? '\f' : n;
    offsets.push(at);
    i += 2;
  }
  return { s, offsets };
}

/** locateProperties, memoized: the same text is parsed once per run (results are read-only). */
export const locateProperties = memoByText(parseProperties);

function parseProperties(text: string): PropsDoc {
  const entries: PropEntry[] = [];
  let pos = 0;
  while (pos < text.length) {
    const lineStart = pos;
    let i = pos;
    while (isBlank(text[i])) i++;
    if (i >= text.length) break;
    if (isEol(text[i])) {
      pos = pastEol(text, i);
      continue;
    }
    if (text[i] === '#' || text[i] === '!') {
      while (i < text.length && !isEol(text[i])) i++;
      pos = i < text.length ? pastEol(text, i) : i;
      continue;
    }
    // A logical line: gather its characters across continuations.
    const indent = text.slice(lineStart, i);
    const chars: Char[] = [];
    let continued = false;
    let lineEnd = i;
    for (;;) {
      let backslashes = 0;
      while (i < text.length && !isEol(text[i])) {
        backslashes = text[i] === '\\' ? backslashes + 1 : 0;
        chars.push({ c: text[i]!, at: i });
        i++;
      }
      lineEnd = i;
      if (backslashes % 2 === 1) {
        chars.pop(); // the continuation backslash
        if (i >= text.length) break; // at the end of the file it just disappears
        continued = true;
        i = pastEol(text, i);
        while (isBlank(text[i])) i++;
        continue;
      }
      break;
    }
    pos = i < text.length ? pastEol(text, i) : i;
    const end = chars.length;
    // The key ends at the first unescaped separator or blank.
    let k = 0;
    let escaped = false;
    let valueFrom = end;
    let hasSep = false;
    for (; k < end; k++) {
      const c = chars[k]!.c;
      if (!escaped && (c === '=' || c === ':')) {
        valueFrom = k + 1;
        hasSep = true;
        break;
      }
      if (!escaped && isBlank(c)) {
        valueFrom = k + 1;
        break;
      }
      escaped = c === '\\' ? !escaped : false;
    }
    while (valueFrom < end) {
      const c = chars[valueFrom]!.c;
      if (!isBlank(c)) {
        if (!hasSep && (c === '=' || c === ':')) hasSep = true;
        else break;
      }
      valueFrom++;
    }
    const key = decode(chars, 0, k);
    const value = decode(chars, valueFrom, end);
    const keyStart = chars[0]!.at;
    const keyEnd = k > 0 ? chars[k - 1]!.at + 1 : keyStart;
    const valueStart = valueFrom < end ? chars[valueFrom]!.at : lineEnd;
    entries.push({
      key: key.s,
      value: value.s,
      keyStart,
      keyEnd,
      valueStart,
      valueEnd: lineEnd,
      valueOffsets: [...value.offsets, lineEnd],
      lineStart,
      lineEnd,
      indent,
      separator: text.slice(keyEnd, valueStart),
      continued,
    });
  }
  return { text, entries };
}

/** The last entry of a key (the one Properties.load keeps), if any. */
export function findEntry(doc: PropsDoc, key: string): PropEntry | undefined {
  for (let i = doc.entries.length - 1; i >= 0; i--) if (doc.entries[i]!.key === key) return doc.entries[i];
  return undefined;
}

/** Every key's effective value, as Properties.load leaves it (the last duplicate wins). */
export function propertiesMap(doc: PropsDoc): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of doc.entries) out.set(e.key, e.value);
  return out;
}
