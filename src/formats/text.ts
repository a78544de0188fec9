// Text helpers shared by every format adapter: line endings, positions, and splicing.

export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /**
   * Among insertions at one point, lower goes first (default 0). A new TOML section says 1: at the end
   * of a file without a final newline, a key appended to the last table must come before it.
   */
  order?: number;
}

export type Eol = '\n' | '\r\n';

/** The file's dominant line ending, so inserted lines match their neighbours. */
export function detectEol(text: string): Eol {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** The line ending of the line that contains `offset` (mixed-ending files keep each line's own). */
export function eolAt(text: string, offset: number): Eol {
  const nl = text.indexOf('\n', offset);
  if (nl === -1) return detectEol(text);
  return nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** 1-based line and column of an offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: offset - last };
}

/** Whitespace from the start of the line up to `offset`, or undefined when other text precedes it. */
export function indentBefore(text: string, offset: number): string | undefined {
  const start = lineStartOf(text, offset);
  const lead = text.slice(start, offset);
  return /^[ \t]*$/.test(lead) ? lead : undefined;
}

/** Splice non-overlapping edits into text; equal-offset insertions keep their given order. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || (a.e.order ?? 0) - (b.e.order ?? 0) || a.i - b.i)
    .map((x) => x.e);
  let out = '';
  let cursor = 0;
  for (const e of sorted) {
    if (e.start < cursor) throw new Error(`overlapping edits at offset ${e.start}`);
    out += text.slice(cursor, e.start) + e.text;
    cursor = e.end;
  }
  return out + text.slice(cursor);
}
