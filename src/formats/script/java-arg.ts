// Words of a java command line and the -Dname=value flags among them, shared by the .sh and .bat adapters.

import type { TextEdit } from '../text.js';

/** One whitespace-separated word of the command, as written; offsets into the file text, line 1-based. */
export interface JavaArg {
  text: string;
  start: number;
  end: number;
  line: number;
}

/**
 * A `-Dname=value`, `-Dname="value"` or `-Dname` word. `value` is unquoted but not expanded (`$VAR`, `%VAR%`
 * stay as written). `valueStart`/`valueEnd` cover the value bytes, inside the quotes when `quoted`; for a flag
 * without `=` both sit where `=value` would go.
 */
export interface JavaFlag {
  name: string;
  value: string | undefined;
  quoted: boolean;
  arg: JavaArg;
  valueStart: number;
  valueEnd: number;
}

/** A word with its quotes removed: `rawIndex[k]` is the offset in the word of `chars[k]`. */
export interface Unquoted {
  chars: string;
  rawIndex: number[];
  /** Quote pairs as word offsets of the opening and closing quote (`close` = word length if unterminated). */
  regions: Array<{ open: number; close: number }>;
}

/** Names we are willing to write: what real system properties use, and nothing the shell or cmd would touch. */
const WRITABLE_NAME = /^[\w.:/-]+$/;

export function assertWritableName(name: string): void {
  if (!WRITABLE_NAME.test(name)) throw new RangeError(`unsupported system property name: ${JSON.stringify(name)}`);
}

/** Read a word as a -D flag, or undefined when it is some other argument. */
export function toFlag(arg: JavaArg, word: Unquoted): JavaFlag | undefined {
  const { chars, rawIndex, regions } = word;
  if (!chars.startsWith('-D') || chars.length < 3) return undefined;
  const last = arg.text.length - 1;
  const eq = chars.indexOf('=');
  if (eq === 2) return undefined;
  if (eq < 0) {
    // `-Dname` or `"-Dname"`: the value would go after the name, inside the closing quote if there is one.
    const after = (rawIndex[chars.length - 1] ?? last) + 1;
    const quoted = after === last && regions.some((r) => r.close === last && r.open < after);
    return { name: chars.slice(2), value: undefined, quoted, arg, valueStart: arg.start + after, valueEnd: arg.start + after };
  }
  const eqRaw = rawIndex[eq] ?? 0;
  const spanning = regions.find((r) => r.close === last && (r.open < eqRaw || r.open === eqRaw + 1));
  const quoted = spanning !== undefined;
  const valueStart = arg.start + (spanning !== undefined && spanning.open === eqRaw + 1 ? eqRaw + 2 : eqRaw + 1);
  const valueEnd = arg.start + (quoted ? last : last + 1);
  return { name: chars.slice(2, eq), value: chars.slice(eq + 1), quoted, arg, valueStart, valueEnd };
}

/** The semantic form of an argument: flags as `-Dname=value` without quotes, anything else as written. */
export function normalizeArg(arg: JavaArg, flag: JavaFlag | undefined): string {
  if (flag === undefined) return arg.text;
  return flag.value === undefined ? `-D${flag.name}` : `-D${flag.name}=${flag.value}`;
}

/** The quote character around a quoted flag's value (the byte right after the value). */
export function quoteOf(text: string, flag: JavaFlag): '"' | "'" | undefined {
  if (!flag.quoted) return undefined;
  const q = text[flag.valueEnd];
  return q === "'" ? "'" : '"';
}

/** Union deletions that touch or overlap (two neighbouring removed words may both claim the space between them). */
export function mergeDeletions(deletions: readonly TextEdit[]): TextEdit[] {
  const merged: TextEdit[] = [];
  for (const d of [...deletions].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last !== undefined && d.start <= last.end) last.end = Math.max(last.end, d.end);
    else merged.push({ start: d.start, end: d.end, text: '' });
  }
  return merged;
}
