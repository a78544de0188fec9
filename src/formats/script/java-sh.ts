// The java command of a WSO2 start-up shell script (`$JAVACMD \ … org.wso2.….Bootstrap $*`): locate it, read its
// -D flags with exact offsets, and splice flag edits into it.

import { assertWritableName, mergeDeletions, normalizeArg, quoteOf, toFlag } from './java-arg.js';
import type { JavaArg, JavaFlag, Unquoted } from './java-arg.js';
import { LineIndex, indentationOf } from './line-index.js';
import { detectEol } from '../text.js';
import type { TextEdit } from '../text.js';
import { memoByText } from '../../engine/memo.js';

export type { JavaArg, JavaFlag } from './java-arg.js';
export type { TextEdit } from '../text.js';

export interface ShJavaBlock {
  /** Offset of the `$JAVACMD` word. */
  start: number;
  /** Offset just past the last word of the command (e.g. `$*`). */
  end: number;
  firstLine: number;
  mainLine: number;
  /** Offset of the first char of the main-class line (start of line, before its indentation). */
  mainLineStart: number;
  /** Indentation of the -D lines, taken from the line before the main-class line. */
  indent: string;
  eol: '\n' | '\r\n';
  /** Every word of the command, from `$JAVACMD` to the last word after the main class. */
  args: JavaArg[];
  /** The -D words before the main class (words after it are program arguments, not system properties). */
  flags: JavaFlag[];
  mainClass: string;
}

export type ShParse = { ok: true; blocks: ShJavaBlock[] } | { ok: false; reason: string; line: number };

const JAVACMD_LINE = /^[ \t]*"?\$\{?JAVACMD\}?"?(?=[ \t\\;]|$)/;
const JAVACMD_WORD = /^"?\$\{?JAVACMD\}?"?$/;
const MAIN_CLASS_WORD = /^[\w.]+\.Bootstrap$/;
const MAIN_CLASS_LINE = /^[ \t]*[\w.]+\.Bootstrap(?![\w.])/;

/** parseShJava, memoized: the same text is parsed once per run (results are read-only). */
export const parseShJava = memoByText(parseParseShJava);

function parseParseShJava(text: string): ShParse {
  const lines = new LineIndex(text);
  const blocks: ShJavaBlock[] = [];
  for (let line = 1; line <= lines.count; line++) {
    if (!JAVACMD_LINE.test(lines.content(line))) continue;
    const command = scanCommand(text, lines.start(line), lines);
    const first = command.words[0];
    if (first === undefined || !JAVACMD_WORD.test(first.text)) continue;
    const mainIndex = command.words.findIndex((w, k) => k > 0 && MAIN_CLASS_WORD.test(w.text));
    if (mainIndex < 0) {
      // A `$JAVACMD` command without the main class is only a broken chain if an orphaned tail follows it.
      if (orphanedMainClassFollows(lines, command.endLine)) {
        const n = command.endLine;
        return {
          ok: false,
          reason: `the java command is broken at line ${n}: the line has no trailing backslash, so the lines after it run as a separate command`,
          line: n,
        };
      }
    } else if (command.gluedLine !== undefined) {
      const n = command.gluedLine;
      return {
        ok: false,
        reason: `the java command is ambiguous at line ${n}: the line ends in a backslash with no space before it and the next line is not indented, so the shell glues the two words together`,
        line: n,
      };
    } else {
      blocks.push(toBlock(text, lines, command.words, mainIndex));
    }
    line = Math.max(line, command.endLine);
  }
  return { ok: true, blocks };
}

/**
 * Edits that make `-Dname=value` hold in the block: fix the first occurrence in place (keeping its quoting),
 * drop later duplicates, or insert a new line just before the main-class line. `[]` when already so.
 */
export function setShFlag(text: string, block: ShJavaBlock, name: string, value: string): TextEdit[] {
  assertWritableName(name);
  const [first, ...duplicates] = block.flags.filter((f) => f.name === name);
  if (first === undefined) return [insertFlag(text, block, name, value)];
  const edits: TextEdit[] = [];
  if (first.value !== value) edits.push(replaceValue(text, first, value));
  return [...edits, ...mergeDeletions(duplicates.map((dup) => removeArg(text, dup.arg)))];
}

/** Normalised args of every java block, blocks separated by '--block--'; undefined if none or broken. */
export function javaArgsSh(text: string): string[] | undefined {
  const parsed = parseShJava(text);
  if (!parsed.ok || parsed.blocks.length === 0) return undefined;
  return parsed.blocks.flatMap((block, k) => {
    const flags = new Map(block.flags.map((f) => [f.arg.start, f]));
    const args = block.args.map((a) => normalizeArg(a, flags.get(a.start)));
    return k === 0 ? args : ['--block--', ...args];
  });
}

function toBlock(text: string, lines: LineIndex, words: JavaArg[], mainIndex: number): ShJavaBlock {
  const first = words[0] as JavaArg;
  const main = words[mainIndex] as JavaArg;
  const last = words[words.length - 1] as JavaArg;
  const indentLine = main.line > first.line ? main.line - 1 : main.line;
  const flags = words
    .slice(1, mainIndex)
    .map((w) => toFlag(w, unquoteSh(w.text)))
    .filter((f): f is JavaFlag => f !== undefined);
  return {
    start: first.start,
    end: last.end,
    firstLine: first.line,
    mainLine: main.line,
    mainLineStart: lines.start(main.line),
    indent: indentationOf(lines.content(indentLine)),
    eol: lines.eol(first.line) || detectEol(text),
    args: words,
    flags,
    mainClass: main.text,
  };
}

function insertFlag(text: string, block: ShJavaBlock, name: string, value: string): TextEdit {
  const flag = `-D${name}=${encodeSh(value, undefined)}`;
  if (block.mainLine === block.firstLine) {
    // One-line command: there is no line to insert before, so put the flag right before the main class.
    const main = block.args.find((a) => a.line === block.mainLine && a.text === block.mainClass) as JavaArg;
    return { start: main.start, end: main.start, text: `${flag} ` };
  }
  // An unindented new line after `…"\` would be glued to the previous word by the shell.
  const previousEnd = block.mainLineStart - (text[block.mainLineStart - 2] === '\r' ? 2 : 1);
  const glues = block.indent === '' && !/[ \t]/.test(text[previousEnd - 2] ?? ' ');
  const indent = glues ? ' ' : block.indent;
  return { start: block.mainLineStart, end: block.mainLineStart, text: `${indent}${flag} \\${block.eol}` };
}

function replaceValue(text: string, flag: JavaFlag, value: string): TextEdit {
  const { arg } = flag;
  if (!flag.quoted && /["']/.test(text.slice(arg.start, flag.valueStart))) {
    // The quoting straddles the `=` (e.g. `"-Dx=a"b`): rewrite the whole word rather than unbalance it.
    return { start: arg.start, end: arg.end, text: `-D${flag.name}=${encodeSh(value, undefined)}` };
  }
  const encoded = encodeSh(value, quoteOf(text, flag));
  const prefix = flag.value === undefined ? '=' : '';
  return { start: flag.valueStart, end: flag.valueEnd, text: prefix + encoded };
}

/** Remove a word: its whole line if it is alone there (with a trailing backslash), else the word and its spacing. */
function removeArg(text: string, arg: JavaArg): TextEdit {
  const lines = new LineIndex(text);
  const lineStart = lines.start(arg.line);
  const before = text.slice(lineStart, arg.start);
  const after = text.slice(arg.end, lines.contentEnd(arg.line));
  if (/^[ \t]*$/.test(before) && /^[ \t]*\\$/.test(after)) return { start: lineStart, end: lines.next(arg.line), text: '' };
  // Take the spaces after the word while a word follows (so neighbours removed together leave one gap), else before.
  const following = /^[ \t]+(?=[^ \t\\])/.exec(after)?.[0].length ?? 0;
  if (following > 0) return { start: arg.start, end: arg.end + following, text: '' };
  const preceding = /[ \t]*$/.exec(before)?.[0].length ?? 0;
  return { start: arg.start - preceding, end: arg.end, text: '' };
}

const SAFE_UNQUOTED = /^[\w@%+=:,./-]*$/;

/** Shell text for a literal value in the given quoting context. */
function encodeSh(value: string, quote: '"' | "'" | undefined): string {
  if (/[\r\n]/.test(value)) throw new RangeError('a system property value cannot contain a line break');
  const inDouble = value.replace(/[\\"$`]/g, '\\$&');
  if (quote === '"') return inDouble;
  if (quote === "'") return value.replace(/'/g, `'\\''`);
  return SAFE_UNQUOTED.test(value) ? value : `"${inDouble}"`;
}

/** Remove shell quoting from a word (no expansion), keeping track of where each char came from. */
export function unquoteSh(raw: string): Unquoted {
  const out: Unquoted = { chars: '', rawIndex: [], regions: [] };
  const push = (k: number): void => {
    out.chars += raw[k] ?? '';
    out.rawIndex.push(k);
  };
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      push(i + 1);
      i += 2;
    } else if (c === "'") {
      const close = raw.indexOf("'", i + 1);
      const end = close < 0 ? raw.length : close;
      for (let k = i + 1; k < end; k++) push(k);
      out.regions.push({ open: i, close: end });
      i = end + 1;
    } else if (c === '"') {
      let k = i + 1;
      while (k < raw.length && raw[k] !== '"') {
        if (raw[k] === '\\' && k + 1 < raw.length && '$`"\\\n'.includes(raw[k + 1] ?? '')) k++;
        push(k);
        k++;
      }
      out.regions.push({ open: i, close: k });
      i = k + 1;
    } else {
      push(i);
      i++;
    }
  }
  return out;
}

export interface Command {
  words: JavaArg[];
  /** The line whose unescaped newline (or `;`, `|`, `&`, end of text) ended the command. */
  endLine: number;
  /** First line whose `word\` continuation runs into an unindented next line. */
  gluedLine: number | undefined;
}

/** Split one shell command into words; backslash-newline separates words, an unescaped newline ends it. */
export function scanCommand(text: string, from: number, lines: LineIndex): Command {
  const words: JavaArg[] = [];
  let gluedLine: number | undefined;
  let i = from;
  while (i < text.length) {
    const c = text[i];
    const nl = newlineAt(text, i);
    if (nl > 0 || c === ';' || c === '|' || c === '&') return { words, endLine: lines.lineOf(i), gluedLine };
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '\\' && newlineAt(text, i + 1) > 0) {
      i += 1 + newlineAt(text, i + 1);
    } else if (c === '#') {
      while (i < text.length && newlineAt(text, i) === 0) i++;
    } else {
      const end = scanWord(text, i);
      words.push({ text: text.slice(i, end), start: i, end, line: lines.lineOf(i) });
      const nlAfter = text[end] === '\\' ? newlineAt(text, end + 1) : 0;
      const next = text[end + 1 + nlAfter];
      if (nlAfter > 0 && next !== undefined && !/[ \t\r\n]/.test(next)) gluedLine ??= lines.lineOf(end);
      i = end;
    }
  }
  return { words, endLine: lines.lineOf(text.length), gluedLine };
}

/** End offset of the word starting at `i` (quotes, escapes, `$(…)`, `${…}` and backticks stay inside it). */
function scanWord(text: string, i: number): number {
  const closers: string[] = [];
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      if (closers.length === 0 && newlineAt(text, i + 1) > 0) return i;
      i += 2;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      i = close < 0 ? text.length : close + 1;
    } else if (c === '"' || c === '`') {
      i = skipQuoted(text, i + 1, c);
    } else if (c === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) {
      closers.push(text[i + 1] === '(' ? ')' : '}');
      i += 2;
    } else if (closers.length > 0) {
      if (c === closers[closers.length - 1]) closers.pop();
      else if (c === '(') closers.push(')');
      i++;
    } else if (c === ' ' || c === '\t' || newlineAt(text, i) > 0 || c === ';' || c === '|') {
      return i;
    } else if (c === '&' && text[i - 1] !== '>' && text[i - 1] !== '<') {
      return i;
    } else {
      i++;
    }
  }
  return text.length;
}

function skipQuoted(text: string, i: number, quote: '"' | '`'): number {
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === quote) return i + 1;
    else i++;
  }
  return text.length;
}

function newlineAt(text: string, i: number): number {
  if (text[i] === '\n') return 1;
  return text[i] === '\r' && text[i + 1] === '\n' ? 2 : 0;
}

/** After a command that ended on `endLine`: do continuation lines follow that lead to a main-class line? */
function orphanedMainClassFollows(lines: LineIndex, endLine: number): boolean {
  for (let line = endLine + 1; line <= lines.count; line++) {
    const content = lines.content(line);
    if (MAIN_CLASS_LINE.test(content)) return true;
    if (!content.endsWith('\\')) return false;
  }
  return false;
}
