// The java command of a WSO2 start-up .bat file: the `set CMD_LINE_ARGS=…` lines (one long line, or APIM 3.2+'s
// repeated `set CMD_LINE_ARGS=%CMD_LINE_ARGS% …` appends) that `:runJava` passes to java.

import { assertWritableName, mergeDeletions, normalizeArg, quoteOf, toFlag } from './java-arg.js';
import type { JavaArg, JavaFlag, Unquoted } from './java-arg.js';
import { LineIndex } from './line-index.js';
import { detectEol } from '../text.js';
import type { TextEdit } from '../text.js';
import { memoByText } from '../../engine/memo.js';

export type { JavaArg, JavaFlag } from './java-arg.js';
export type { TextEdit } from '../text.js';

export interface BatCmdLine {
  lineStart: number;
  /** Offset of the end of the line's content, before its line ending. */
  lineEnd: number;
  line: number;
  /** The words of the assigned value, `%CMD_LINE_ARGS%` included. */
  args: JavaArg[];
  flags: JavaFlag[];
  /** The value starts with %CMD_LINE_ARGS%. */
  appends: boolean;
}

export interface BatJava {
  lines: BatCmdLine[];
  /** Offset of the start of the ':runJava' line that follows the assignments. */
  runJavaLineStart: number | undefined;
  eol: '\n' | '\r\n';
  flags: JavaFlag[];
}

export type BatParse = { ok: true; java: BatJava | undefined } | { ok: false; reason: string; line: number };

const SET_LINE = /^[ \t]*@?set[ \t]+CMD_LINE_ARGS=/i;
const ANY_SET = /\bset[ \t]+"?CMD_LINE_ARGS=/i;
const COMMENT = /^[ \t]*@?(?:rem(?:[ \t]|$)|::)/i;
const RUN_JAVA = /^[ \t]*:runJava(?![\w])/i;
const SELF = '%CMD_LINE_ARGS%';

/** parseBatJava, memoized: the same text is parsed once per run (results are read-only). */
export const parseBatJava = memoByText(parseParseBatJava);

function parseParseBatJava(text: string): BatParse {
  const lines = new LineIndex(text);
  const cmdLines: BatCmdLine[] = [];
  let runJavaLineStart: number | undefined;
  for (let line = 1; line <= lines.count; line++) {
    const content = lines.content(line);
    if (COMMENT.test(content)) continue;
    if (RUN_JAVA.test(content) && cmdLines.length > 0) runJavaLineStart ??= lines.start(line);
    const set = SET_LINE.exec(content);
    if (set === null) {
      if (ANY_SET.test(content)) {
        // A conditional or `set "…"` assignment may or may not run: we cannot tell which flags java gets.
        return { ok: false, reason: `line ${line} assigns CMD_LINE_ARGS in a form this tool does not edit`, line };
      }
      continue;
    }
    const lineStart = lines.start(line);
    const lineEnd = lines.contentEnd(line);
    const args = tokenizeBat(text, lineStart + set[0].length, lineEnd, line);
    const appends = text.slice(lineStart + set[0].length, lineEnd).toUpperCase().startsWith(SELF);
    const firstAssignment = cmdLines[0];
    if (!appends && firstAssignment !== undefined) {
      return {
        ok: false,
        reason: `CMD_LINE_ARGS is assigned from scratch at line ${line} after line ${firstAssignment.line}; cannot tell which assignment java runs with`,
        line,
      };
    }
    if (runJavaLineStart !== undefined) runJavaLineStart = undefined;
    const flags = args.map((a) => toFlag(a, unquoteBat(a.text))).filter((f): f is JavaFlag => f !== undefined);
    cmdLines.push({ lineStart, lineEnd, line, args, flags, appends });
  }
  const first = cmdLines[0];
  if (first === undefined) return { ok: true, java: undefined };
  return {
    ok: true,
    java: {
      lines: cmdLines,
      runJavaLineStart,
      // A file without any line ending gets cmd's native CRLF.
      eol: lines.eol(first.line) || (text.includes('\n') ? detectEol(text) : '\r\n'),
      flags: cmdLines.flatMap((l) => l.flags),
    },
  };
}

/**
 * Edits that make `-Dname=value` hold: fix the first occurrence in place (keeping its quoting), drop later
 * duplicates, or add `set CMD_LINE_ARGS=%CMD_LINE_ARGS% -Dname=value` before `:runJava`. `[]` when already so.
 */
export function setBatFlag(text: string, java: BatJava, name: string, value: string): TextEdit[] {
  assertWritableName(name);
  const [first, ...duplicates] = java.flags.filter((f) => f.name === name);
  if (first === undefined) return [insertLine(text, java, `set CMD_LINE_ARGS=${SELF} -D${name}=${encodeBat(value, false)}`)];
  const edits: TextEdit[] = [];
  if (first.value !== value) edits.push(replaceValue(text, first, value));
  return [...edits, ...mergeDeletions(duplicates.map((dup) => removeWord(text, dup.arg)))];
}

/** Normalised args of all CMD_LINE_ARGS lines in order, without the %CMD_LINE_ARGS% self-references. */
export function javaArgsBat(text: string): string[] | undefined {
  const parsed = parseBatJava(text);
  if (!parsed.ok || parsed.java === undefined) return undefined;
  const flags = new Map(parsed.java.flags.map((f) => [f.arg.start, f]));
  return parsed.java.lines
    .flatMap((l) => l.args)
    .filter((a) => a.text.toUpperCase() !== SELF)
    .map((a) => normalizeArg(a, flags.get(a.start)));
}

function insertLine(text: string, java: BatJava, line: string): TextEdit {
  if (java.runJavaLineStart !== undefined) {
    return { start: java.runJavaLineStart, end: java.runJavaLineStart, text: line + java.eol };
  }
  const last = java.lines[java.lines.length - 1] as BatCmdLine;
  const lines = new LineIndex(text);
  if (lines.eol(last.line) === '') return { start: last.lineEnd, end: last.lineEnd, text: java.eol + line };
  const at = lines.next(last.line);
  return { start: at, end: at, text: line + java.eol };
}

function replaceValue(text: string, flag: JavaFlag, value: string): TextEdit {
  const { arg } = flag;
  if (!flag.quoted && text.slice(arg.start, flag.valueStart).includes('"')) {
    // The quoting straddles the `=` (e.g. `"-Dx=a"b`): rewrite the whole word rather than unbalance it.
    return { start: arg.start, end: arg.end, text: `-D${flag.name}=${encodeBat(value, false)}` };
  }
  const encoded = encodeBat(value, quoteOf(text, flag) !== undefined);
  return { start: flag.valueStart, end: flag.valueEnd, text: (flag.value === undefined ? '=' : '') + encoded };
}

/** Remove a word plus one space before it (or after it, when it is the first word of the value). */
function removeWord(text: string, arg: JavaArg): TextEdit {
  if (text[arg.start - 1] === ' ' || text[arg.start - 1] === '\t') return { start: arg.start - 1, end: arg.end, text: '' };
  const after = text[arg.end] === ' ' || text[arg.end] === '\t' ? 1 : 0;
  return { start: arg.start, end: arg.end + after, text: '' };
}

/** cmd text for a literal value; `%` is doubled because cmd expands it even inside quotes. */
function encodeBat(value: string, inQuotes: boolean): string {
  if (/["\r\n]/.test(value)) throw new RangeError('a .bat system property value cannot contain a double quote or line break');
  const escaped = value.replace(/%/g, '%%');
  if (inQuotes || !/[\s&|<>^()]/.test(value)) return escaped;
  return `"${escaped}"`;
}

/** Split an assigned value into words on spaces and tabs outside double quotes. */
function tokenizeBat(text: string, from: number, to: number, line: number): JavaArg[] {
  const args: JavaArg[] = [];
  let i = from;
  while (i < to) {
    if (text[i] === ' ' || text[i] === '\t') {
      i++;
      continue;
    }
    const start = i;
    let quoted = false;
    while (i < to && (quoted || (text[i] !== ' ' && text[i] !== '\t'))) {
      if (text[i] === '"') quoted = !quoted;
      i++;
    }
    args.push({ text: text.slice(start, i), start, end: i, line });
  }
  return args;
}

/** Remove cmd quoting from a word: quotes go, `%%` becomes `%`; `%VAR%` stays as written. */
export function unquoteBat(raw: string): Unquoted {
  const out: Unquoted = { chars: '', rawIndex: [], regions: [] };
  let open: number | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? '';
    if (c === '"') {
      if (open === undefined) open = i;
      else {
        out.regions.push({ open, close: i });
        open = undefined;
      }
      continue;
    }
    out.chars += c;
    out.rawIndex.push(i);
    if (c === '%' && raw[i + 1] === '%') i++;
  }
  if (open !== undefined) out.regions.push({ open, close: raw.length });
  return out;
}
