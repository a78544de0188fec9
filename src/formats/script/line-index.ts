// Line lookups by offset; lines are 1-based and split on '\n' (a preceding '\r' belongs to the line ending).

import type { Eol } from '../text.js';

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** Number of lines; a final line ending opens one more (empty) line. */
  get count(): number {
    return this.starts.length;
  }

  /** 1-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** Offset of the first character of a line. */
  start(line: number): number {
    return this.starts[line - 1] ?? this.text.length;
  }

  /** Offset where the next line starts (after this line's ending), or the text length. */
  next(line: number): number {
    return this.starts[line] ?? this.text.length;
  }

  /** Offset of the end of a line's content, before its line ending. */
  contentEnd(line: number): number {
    return this.next(line) - this.eol(line).length;
  }

  content(line: number): string {
    return this.text.slice(this.start(line), this.contentEnd(line));
  }

  /** The line's own ending, or '' for a last line without one. */
  eol(line: number): Eol | '' {
    const next = this.starts[line];
    if (next === undefined) return '';
    return next >= 2 && this.text[next - 2] === '\r' ? '\r\n' : '\n';
  }
}

/** Leading spaces and tabs of a line's content. */
export function indentationOf(content: string): string {
  return /^[ \t]*/.exec(content)?.[0] ?? '';
}
