// A Dockerfile as BuildKit reads it: parser directives, then logical instructions. A logical instruction
// joins physical lines that end in the escape character (`\`, or `` ` `` after `# escape=``), drops comment
// and empty lines inside such a continuation, and for RUN/COPY/ADD takes the bodies of its here-documents
// (`<<EOF` … `EOF`). Every instruction keeps exact offsets, so edits can be spliced into the original text.
import { LineIndex } from '../script/line-index.js';
import { detectEol, type Eol } from '../text.js';
import { memoByText } from '../../engine/memo.js';

export interface Directive {
  /** Lower-case name: syntax, escape, check. */
  name: string;
  value: string;
  line: number;
}

export interface Heredoc {
  /** The delimiter word, unquoted. */
  delimiter: string;
  /** Whether `<<-` strips leading tabs from the body and the terminator. */
  stripTabs: boolean;
  /** The body lines joined with '\n', without the terminator line. */
  body: string;
}

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, USER… */
  keyword: string;
  /** Offset of the start of the instruction's first line (before any indentation). */
  lineStart: number;
  /** Offset of the keyword. */
  start: number;
  /** Offset just past the instruction's last content (before that line's ending); heredoc bodies included. */
  end: number;
  /** 1-based first and last line. */
  line: number;
  endLine: number;
  /** The argument text as the builder sees it: continuations joined, comment lines dropped, trimmed. */
  args: string;
  /** The offset in the file of each character of `args`. */
  argOffsets: number[];
  heredocs: Heredoc[];
}

export interface Stage {
  index: number;
  /** The `AS name`, lower-cased as BuildKit compares it. */
  name: string | undefined;
  /** The base image as written (`ubuntu:24.04`, `${BASE}`, or an earlier stage's name). */
  image: string;
  /** The FROM instruction, then every instruction up to the next FROM. */
  instructions: Instruction[];
}

export interface Dockerfile {
  directives: Directive[];
  escape: '\\' | '`';
  eol: Eol;
  /** Every instruction in order. */
  instructions: Instruction[];
  /** Instructions before the first FROM (only ARG is allowed there). */
  preamble: Instruction[];
  stages: Stage[];
}

export type DockerfileParse = { ok: true; file: Dockerfile } | { ok: false; reason: string; line: number };

const DIRECTIVE = /^#[ \t]*([A-Za-z][A-Za-z0-9_-]*)[ \t]*=[ \t]*(.*?)[ \t]*$/;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g;
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

/** parseDockerfile, memoized: transforms and the verifier share one parse per text. */
export const parseDockerfile = memoByText(parseUncached);

function parseUncached(text: string): DockerfileParse {
  const lines = new LineIndex(text);
  const directives: Directive[] = [];
  let escape: '\\' | '`' = '\\';
  let n = 1;
  // Directives: only at the very top, before any comment, blank line or instruction.
  for (; n <= lines.count; n++) {
    const content = stripBom(lines.content(n), n);
    const m = DIRECTIVE.exec(content);
    if (!m || !KNOWN_DIRECTIVES.has(m[1]!.toLowerCase())) break;
    const name = m[1]!.toLowerCase();
    if (directives.some((d) => d.name === name)) return { ok: false, reason: `the parser directive "${name}" is given twice`, line: n };
    directives.push({ name, value: m[2]!, line: n });
    if (name === 'escape') {
      if (m[2] !== '\\' && m[2] !== '`') return { ok: false, reason: `invalid escape directive "${m[2]}" (only \\ and \` are allowed)`, line: n };
      escape = m[2];
    }
  }
  const continuation = new RegExp(`${escape === '\\' ? '\\\\' : '`'}[ \\t]*$`);
  const instructions: Instruction[] = [];
  while (n <= lines.count) {
    const content = stripBom(lines.content(n), n);
    if (/^[ \t]*$/.test(content) || /^[ \t]*#/.test(content)) {
      n++;
      continue;
    }
    const indent = /^[ \t]*/.exec(content)![0].length;
    const lineStart = lines.start(n) + (n === 1 && text.charCodeAt(0) === 0xfeff ? 1 : 0);
    const start = lineStart + indent;
    const word = /^[A-Za-z]+/.exec(content.slice(indent))?.[0];
    if (word === undefined) return { ok: false, reason: `"${content.trim().slice(0, 40)}" is not an instruction`, line: n };
    const keyword = word.toUpperCase();
    let args = '';
    const argOffsets: number[] = [];
    const take = (from: number, s: string): void => {
      for (let k = 0; k < s.length; k++) argOffsets.push(from + k);
      args += s;
    };
    const first = n;
    let line = n;
    let lastTaken = n;
    let chunkStart = start + word.length;
    let chunk = text.slice(chunkStart, lines.contentEnd(line));
    for (;;) {
      const cont = continuation.exec(chunk);
      if (!cont) {
        take(chunkStart, chunk);
        break;
      }
      take(chunkStart, chunk.slice(0, cont.index));
      // Continued: the next line that is neither empty nor a comment carries on the instruction.
      line++;
      while (line <= lines.count && (/^[ \t]*$/.test(lines.content(line)) || /^[ \t]*#/.test(lines.content(line)))) line++;
      if (line > lines.count) {
        line = lastTaken;
        break;
      }
      lastTaken = line;
      chunkStart = lines.start(line);
      chunk = lines.content(line);
    }
    let endLine = line;
    let end = lines.contentEnd(endLine);
    // Trim the argument text, keeping the offset map aligned.
    const lead = /^[ \t]*/.exec(args)![0].length;
    const trail = /[ \t]*$/.exec(args)![0].length;
    const trimmed = args.slice(lead, args.length - trail);
    const offsets = argOffsets.slice(lead, argOffsets.length - trail);
    const heredocs: Heredoc[] = [];
    if (HEREDOC_KEYWORDS.has(keyword)) {
      for (const m of trimmed.matchAll(HEREDOC)) {
        if (insideQuotes(trimmed, m.index)) continue;
        const stripTabs = m[1] === '-';
        const delimiter = m[3]!;
        const body: string[] = [];
        let closed = false;
        while (endLine < lines.count) {
          endLine++;
          const raw = lines.content(endLine);
          if ((stripTabs ? raw.replace(/^\t+/, '') : raw) === delimiter) {
            closed = true;
            break;
          }
          body.push(stripTabs ? raw.replace(/^\t+/, '') : raw);
        }
        if (!closed) return { ok: false, reason: `the here-document <<${delimiter} that starts on line ${first} is never closed by a line "${delimiter}"`, line: first };
        heredocs.push({ delimiter, stripTabs, body: body.join('\n') });
      }
      end = lines.contentEnd(endLine);
    }
    instructions.push({ keyword, lineStart, start, end, line: first, endLine, args: trimmed, argOffsets: offsets, heredocs });
    n = endLine + 1;
  }

  const preamble: Instruction[] = [];
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const from = parseFrom(ins.args);
      if (!from) return { ok: false, reason: 'FROM names no image', line: ins.line };
      stages.push({ index: stages.length, name: from.name, image: from.image, instructions: [ins] });
    } else if (stages.length === 0) {
      if (ins.keyword !== 'ARG') return { ok: false, reason: `${ins.keyword} comes before the first FROM (only ARG may)`, line: ins.line };
      preamble.push(ins);
    } else stages[stages.length - 1]!.instructions.push(ins);
  }
  if (stages.length === 0) return { ok: false, reason: 'the Dockerfile has no FROM instruction', line: Math.max(1, lines.count) };
  return { ok: true, file: { directives, escape, eol: detectEol(text), instructions, preamble, stages } };
}

function stripBom(content: string, line: number): string {
  return line === 1 && content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
}

/** Whether offset `at` of a shell-ish text sits inside single or double quotes. */
function insideQuotes(text: string, at: number): boolean {
  let quote: string | undefined;
  for (let i = 0; i < at; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '\\') i++;
    else if (c === '"' || c === "'") quote = c;
  }
  return quote !== undefined;
}

/** `FROM [--platform=…] image [AS name]`. */
export function parseFrom(args: string): { image: string; name: string | undefined } | undefined {
  const words = args.split(/[ \t]+/).filter((w) => w && !w.startsWith('--'));
  const image = words[0];
  if (!image) return undefined;
  const as = words[1]?.toUpperCase() === 'AS' ? words[2] : undefined;
  return { image, name: as?.toLowerCase() };
}

/** One word of an argument text, unquoted, with its position in that text. */
export interface Word {
  text: string;
  start: number;
  end: number;
}

/** Splits an argument text into shell-like words (quotes and backslash escapes kept out of the values). */
export function splitWords(args: string, escape: '\\' | '`' = '\\'): Word[] {
  const out: Word[] = [];
  let i = 0;
  while (i < args.length) {
    while (i < args.length && /[ \t\r\n]/.test(args[i]!)) i++;
    if (i >= args.length) break;
    const start = i;
    let value = '';
    while (i < args.length && !/[ \t\r\n]/.test(args[i]!)) {
      const c = args[i]!;
      if (c === escape && i + 1 < args.length) {
        value += args[i + 1];
        i += 2;
      } else if (c === '"' || c === "'") {
        const close = args.indexOf(c, i + 1);
        const end = close < 0 ? args.length : close;
        let inner = args.slice(i + 1, end);
        if (c === '"') inner = inner.replace(new RegExp(`\\${escape}(["\\${escape}$])`, 'g'), '$1');
        value += inner;
        i = end + 1;
      } else {
        value += c;
        i++;
      }
    }
    out.push({ text: value, start, end: Math.min(i, args.length) });
  }
  return out;
}

/** An exec-form (JSON array) argument list, with each element's span in the argument text. */
export interface ExecForm {
  values: string[];
  /** Span of each element, quotes included, in the argument text. */
  spans: { start: number; end: number }[];
  /** Offset of the closing ']' in the argument text. */
  close: number;
}

/** The exec form of ENTRYPOINT/CMD/RUN/SHELL when the arguments are a JSON array of strings; else undefined (shell form). */
export function execForm(args: string): ExecForm | undefined {
  if (!args.startsWith('[')) return undefined;
  let values: unknown;
  try {
    values = JSON.parse(args);
  } catch {
    return undefined;
  }
  if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) return undefined;
  const spans: { start: number; end: number }[] = [];
  let i = 1;
  for (;;) {
    while (/\s|,/.test(args[i] ?? '')) i++;
    if (args[i] !== '"') break;
    const start = i;
    i++;
    while (i < args.length && args[i] !== '"') i += args[i] === '\\' ? 2 : 1;
    i++;
    spans.push({ start, end: i });
  }
  return { values: values as string[], spans, close: args.lastIndexOf(']') };
}

/** Name/value pairs of ENV (`k=v k2="v 2"`, or the legacy `ENV k v w`) and ARG (`name[=default]`). */
export function keyValues(ins: Instruction, escape: '\\' | '`' = '\\'): { name: string; value: string | undefined }[] {
  const words = splitWords(ins.args, escape);
  if (ins.keyword === 'ENV' && words.length > 0 && !words[0]!.text.includes('=')) {
    const rest = ins.args.slice(words[0]!.end).trim();
    return [{ name: words[0]!.text, value: rest }];
  }
  return words.map((w) => {
    const eq = w.text.indexOf('=');
    return eq < 0 ? { name: w.text, value: undefined } : { name: w.text.slice(0, eq), value: w.text.slice(eq + 1) };
  });
}

/**
 * `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}` expanded from `vars`; undefined when a variable is
 * unknown (the value depends on the build).
 */
export function expand(value: string, vars: ReadonlyMap<string, string>): string | undefined {
  let unknown = false;
  const out = value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    const v = vars.get(name);
    if (op === '-') return v !== undefined && v !== '' ? v : (word ?? '');
    if (op === '+') return v !== undefined && v !== '' ? (word ?? '') : '';
    if (v === undefined) unknown = true;
    return v ?? '';
  });
  return unknown ? undefined : out;
}

/**
 * The build variables in scope at instruction `upTo` of a stage (exclusive): ARG defaults declared in the
 * stage (a global ARG's default once the stage redeclares it) and ENV values, in order.
 */
export function scopeAt(file: Dockerfile, stage: Stage, upTo: number): Map<string, string> {
  const globals = globalScope(file);
  const vars = new Map<string, string>();
  for (const ins of stage.instructions.slice(1, upTo)) {
    if (ins.keyword !== 'ARG' && ins.keyword !== 'ENV') continue;
    for (const kv of keyValues(ins, file.escape)) {
      if (kv.value === undefined) {
        const g = globals.get(kv.name);
        if (ins.keyword === 'ARG' && g !== undefined && !vars.has(kv.name)) vars.set(kv.name, g);
        continue;
      }
      const v = expand(kv.value, vars);
      if (v === undefined) vars.delete(kv.name);
      else vars.set(kv.name, v);
    }
  }
  return vars;
}

/** The defaults of the ARGs before the first FROM: what FROM lines expand with. */
export function globalScope(file: Dockerfile): Map<string, string> {
  const globals = new Map<string, string>();
  for (const ins of file.preamble) {
    for (const kv of keyValues(ins, file.escape)) {
      const v = kv.value === undefined ? undefined : expand(kv.value, globals);
      if (v !== undefined) globals.set(kv.name, v);
    }
  }
  return globals;
}

/** The raw file span of part of an instruction's argument text. */
export function rawSpan(ins: Instruction, start: number, end: number): { start: number; end: number } {
  return { start: ins.argOffsets[start]!, end: ins.argOffsets[end - 1]! + 1 };
}
