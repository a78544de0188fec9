// Where a new `[table]` or `[[array]]` section goes: before `[secrets]` (which must stay the last table,
// RULES §1.8), else at the end of the file, keeping the file's line endings and final-newline state.
import { detectEol, eolAt, lineStartOf, type TextEdit } from '../text.js';
import { samePath, type TomlDoc } from './locate.js';

const isBlank = (line: string): boolean => line.trim() === '';
const isComment = (line: string): boolean => /^[ \t]*#/.test(line);

/** The line before the one starting at `at` (without its line ending), or undefined on the first line. */
export function lineBefore(text: string, at: number): string | undefined {
  return at === 0 ? undefined : text.slice(lineStartOf(text, at - 1), at).replace(/\r?\n$/, '');
}

/** Start of the comment lines directly above the line at `at` (they describe it, so they stay with it). */
export function attachedCommentsStart(text: string, at: number): number {
  let start = at;
  for (let prev = lineBefore(text, start); prev !== undefined && isComment(prev); prev = lineBefore(text, start)) {
    start = lineStartOf(text, start - 1);
  }
  return start;
}

/** Inserts `lines` (a header and its key-values) as a section of their own, set off by a blank line. */
export function sectionEdit(doc: TomlDoc, lines: readonly string[]): TextEdit {
  const { text } = doc;
  const secrets = doc.tables.find((t) => t.kind === 'standard' && samePath(t.path, ['secrets']));
  if (secrets) {
    const at = attachedCommentsStart(text, lineStartOf(text, secrets.headerStart));
    const eol = eolAt(text, secrets.headerStart);
    const prev = lineBefore(text, at);
    const lead = prev === undefined || isBlank(prev) ? '' : eol;
    return { start: at, end: at, text: lead + lines.join(eol) + eol + eol };
  }
  const eol = detectEol(text);
  const end = text.length;
  const body = lines.join(eol);
  if (text === '') return { start: 0, end: 0, text: body + eol };
  if (text.endsWith('\n')) {
    const endsBlank = /(^|\n)[ \t]*\r?\n$/.test(text);
    return { start: end, end, text: (endsBlank ? '' : eol) + body + eol };
  }
  // No final newline: end the last line, leave a blank line, and again end without one. A key appended to
  // the last table inserts at this same point and must stay in that table, so the section goes after it.
  return { start: end, end, text: eol + eol + body, order: 1 };
}
