// Turns a commented-out block of markup back into markup, byte-minimally: only the '<!--' and '-->' go
// (with the lines they stand alone on), and the body's own lines stay exactly as they were written, so the
// restored elements keep the indentation and line endings they had inside the comment.
import { lineStartOf, type TextEdit } from '../formats/text.js';

/**
 * The edit that replaces the comment at [start, end) by `body` (its own body, possibly edited): a '<!--' or
 * '-->' alone on its line is removed with that line; one that shares its line with the markup is removed
 * with the blanks between it and the markup.
 */
export function uncommentEdit(text: string, comment: { start: number; end: number }, body: string): TextEdit {
  if (!text.startsWith('<!--', comment.start) || !text.startsWith('-->', comment.end - 3)) {
    throw new Error(`no comment at offsets ${comment.start}..${comment.end}`);
  }
  let start = comment.start;
  let end = comment.end;
  let inner = body;
  const lineStart = lineStartOf(text, comment.start);
  if (/^[ \t]*$/.test(text.slice(lineStart, comment.start)) && /^[ \t]*\r?\n/.test(inner)) {
    start = lineStart;
    inner = inner.replace(/^[ \t]*\r?\n/, '');
  } else {
    inner = inner.replace(/^[ \t]+/, '');
  }
  const nl = text.indexOf('\n', comment.end);
  const lineEnd = nl === -1 ? text.length : nl + 1;
  if (/\r?\n[ \t]*$/.test(inner) && /^[ \t]*(\r?\n)?$/.test(text.slice(comment.end, lineEnd))) {
    inner = inner.replace(/[ \t]*$/, '');
    end = lineEnd;
  } else {
    inner = inner.replace(/[ \t]+$/, '');
  }
  return { start, end, text: inner };
}
