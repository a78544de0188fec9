// A small, tolerant reader of Ballerina source: enough to find imports, declarations and the arguments of
// `new http:Listener(...)` without a grammar. It never throws: an unterminated string ends at its line, an
// unbalanced bracket ends the expression, and anything it does not understand is an `other` expression that
// the caller treats as "cannot tell".
//
// Lexical facts it relies on (Ballerina language spec): comments are `//` to the end of the line, and `#`
// starts a documentation line; strings are double-quoted with backslash escapes; backtick templates may hold
// `${ … }` interpolations (which may hold strings, braces and templates); `'` starts a quoted identifier
// (`'type`), never a string; a backslash escapes one character inside an identifier (`port\$3`); a qualified
// identifier is written without spaces around its colon (`http:Listener`).

export type TokKind = 'ident' | 'string' | 'template' | 'number' | 'punct';

export interface Tok {
  kind: TokKind;
  /** The source text (identifiers as written, e.g. `'type`). */
  text: string;
  /** Identifiers without the quote and escapes; decoded string contents. */
  value: string;
  start: number;
  end: number;
}

const PUNCT = ['===', '!==', '...', '..<', '==', '!=', '<=', '>=', '=>', '->', '<-', '&&', '||', '?:', '?.'];
const isIdentStart = (c: string): boolean => /[A-Za-z_\u0080-\uffff]/.test(c);
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_\u0080-\uffff]/.test(c);

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', "'": "'" };

function decodeString(body: string): string {
  return body.replace(/\\(u\{([0-9a-fA-F]+)\}|.)/g, (_m, e: string, hex: string | undefined) => {
    if (hex !== undefined) {
      const cp = parseInt(hex, 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
    }
    return ESCAPES[e] ?? e;
  });
}

class Lexer {
  pos = 0;
  constructor(readonly src: string) {}

  /** The next token, or undefined at the end; comments and whitespace are skipped. */
  next(): Tok | undefined {
    const s = this.src;
    for (;;) {
      while (this.pos < s.length && /\s/.test(s[this.pos]!)) this.pos++;
      if (this.pos >= s.length) return undefined;
      if (s.startsWith('//', this.pos) || s[this.pos] === '#') {
        const nl = s.indexOf('\n', this.pos);
        this.pos = nl === -1 ? s.length : nl + 1;
        continue;
      }
      break;
    }
    const start = this.pos;
    const c = s[start]!;
    if (c === '"') {
      let j = start + 1;
      while (j < s.length && s[j] !== '"' && s[j] !== '\n') j += s[j] === '\\' ? 2 : 1;
      const closed = j < s.length && s[j] === '"';
      const body = s.slice(start + 1, Math.min(j, s.length));
      this.pos = closed ? j + 1 : Math.min(j, s.length);
      return { kind: 'string', text: s.slice(start, this.pos), value: decodeString(body), start, end: this.pos };
    }
    if (c === '`') {
      this.pos = start + 1;
      this.skipTemplate();
      return { kind: 'template', text: s.slice(start, this.pos), value: s.slice(start + 1, Math.max(start + 1, this.pos - 1)), start, end: this.pos };
    }
    const num = /^(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[dDfF]?)/.exec(s.slice(start, start + 64));
    if (num) {
      this.pos = start + num[0].length;
      return { kind: 'number', text: num[0], value: num[0], start, end: this.pos };
    }
    const quoted = c === "'" && start + 1 < s.length && (isIdentStart(s[start + 1]!) || s[start + 1] === '\\');
    if (isIdentStart(c) || c === '\\' || quoted) {
      let j = quoted ? start + 1 : start;
      let value = '';
      while (j < s.length) {
        if (s[j] === '\\' && j + 1 < s.length) {
          value += s[j + 1];
          j += 2;
        } else if (isIdentPart(s[j]!)) value += s[j++];
        else break;
      }
      this.pos = j;
      return { kind: 'ident', text: s.slice(start, j), value, start, end: j };
    }
    const p = PUNCT.find((x) => s.startsWith(x, start)) ?? c;
    this.pos = start + p.length;
    return { kind: 'punct', text: p, value: p, start, end: this.pos };
  }

  /** From just after an opening backtick to just after the closing one (or the end). */
  private skipTemplate(): void {
    const s = this.src;
    while (this.pos < s.length) {
      const ch = s[this.pos]!;
      if (ch === '`') {
        this.pos++;
        return;
      }
      if (ch === '$' && s[this.pos + 1] === '{') {
        this.pos += 2;
        let depth = 1;
        while (depth > 0) {
          const t = this.next();
          if (!t) return;
          if (t.text === '{') depth++;
          else if (t.text === '}') depth--;
        }
        continue;
      }
      this.pos++;
    }
  }
}

export function tokenize(src: string): Tok[] {
  const lexer = new Lexer(src);
  const out: Tok[] = [];
  for (let t = lexer.next(); t; t = lexer.next()) out.push(t);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Expressions: only the shapes a listener configuration is written in.

export interface Arg {
  name: string | undefined;
  value: Expr;
}

export interface Field {
  name: string;
  value: Expr;
  start: number;
}

export type Expr =
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'number'; text: string; start: number; end: number }
  /** An identifier, qualified (`http:TLS`) or not. */
  | { kind: 'ref'; name: string; start: number; end: number }
  | { kind: 'list'; items: Expr[]; start: number; end: number }
  | { kind: 'record'; fields: Field[]; start: number; end: number }
  /** `new T(args)` or `new (args)` (type undefined: it comes from the declaration). */
  | { kind: 'new'; type: string | undefined; args: Arg[]; start: number; end: number }
  | { kind: 'call'; callee: string; args: Arg[]; start: number; end: number }
  /** Anything else: an operator expression, a template, a member access, … */
  | { kind: 'other'; start: number; end: number };

const CLOSERS = new Set([',', ')', ']', '}', ';']);
const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

export class Parser {
  constructor(
    readonly toks: readonly Tok[],
    public pos = 0,
  ) {}

  peek(o = 0): Tok | undefined {
    return this.toks[this.pos + o];
  }

  private is(text: string, o = 0): boolean {
    return this.peek(o)?.kind === 'punct' && this.peek(o)?.text === text;
  }

  /** Skips one balanced group starting at an opener, or one token. */
  skipOne(): void {
    const t = this.toks[this.pos];
    if (!t) return;
    const close = t.kind === 'punct' ? OPENERS[t.text] : undefined;
    this.pos++;
    if (!close) return;
    while (this.pos < this.toks.length && !this.is(close)) {
      if (this.peek()!.kind === 'punct' && CLOSERS.has(this.peek()!.text) && this.peek()!.text !== ',' && this.peek()!.text !== ';') return; // unbalanced: stop
      this.skipOne();
    }
    if (this.is(close)) this.pos++;
  }

  /** A qualified identifier at pos (`http:Listener`, written without spaces), consumed; else undefined. */
  qualified(): string | undefined {
    const a = this.peek();
    if (a?.kind !== 'ident') return undefined;
    const colon = this.peek(1);
    const b = this.peek(2);
    if (colon?.text === ':' && colon.start === a.end && b?.kind === 'ident' && b.start === colon.end) {
      this.pos += 3;
      return `${a.value}:${b.value}`;
    }
    this.pos++;
    return a.value;
  }

  /** One expression up to `,` `)` `]` `}` `;` at its own depth. */
  expr(): Expr {
    const startTok = this.peek();
    const start = startTok?.start ?? 0;
    while (this.peek()?.kind === 'ident' && ['check', 'checkpanic', 'trap'].includes(this.peek()!.text)) this.pos++;
    const first = this.primary();
    let end = first.end;
    let extra = false;
    while (this.pos < this.toks.length && !(this.peek()!.kind === 'punct' && CLOSERS.has(this.peek()!.text))) {
      extra = true;
      const before = this.pos;
      this.skipOne();
      end = this.toks[this.pos - 1]?.end ?? end;
      if (this.pos === before) break;
    }
    return extra ? { kind: 'other', start, end } : first;
  }

  private primary(): Expr {
    const t = this.peek();
    if (!t) return { kind: 'other', start: 0, end: 0 };
    if (t.kind === 'string') {
      this.pos++;
      return { kind: 'string', value: t.value, start: t.start, end: t.end };
    }
    if (t.kind === 'number') {
      this.pos++;
      return { kind: 'number', text: t.text, start: t.start, end: t.end };
    }
    if (t.kind === 'punct' && t.text === '[') return this.list();
    if (t.kind === 'punct' && t.text === '{') return this.record();
    if (t.kind === 'punct' && t.text === '(') {
      this.pos++;
      const inner = this.expr();
      if (this.is(')')) {
        this.pos++;
        return inner;
      }
      return { kind: 'other', start: t.start, end: inner.end };
    }
    if (t.kind === 'ident' && t.text === 'new') {
      this.pos++;
      let type: string | undefined;
      if (this.peek()?.kind === 'ident') type = this.qualified();
      const args = this.is('(') ? this.args() : [];
      return { kind: 'new', type, args, start: t.start, end: this.toks[this.pos - 1]?.end ?? t.end };
    }
    if (t.kind === 'ident') {
      const name = this.qualified()!;
      if (this.is('(')) {
        const args = this.args();
        return { kind: 'call', callee: name, args, start: t.start, end: this.toks[this.pos - 1]?.end ?? t.end };
      }
      return { kind: 'ref', name, start: t.start, end: this.toks[this.pos - 1]?.end ?? t.end };
    }
    this.skipOne();
    return { kind: 'other', start: t.start, end: this.toks[this.pos - 1]?.end ?? t.end };
  }

  /** `(a, name = b, …)`: from the opening parenthesis to just after the closing one. */
  args(): Arg[] {
    const out: Arg[] = [];
    this.pos++; // (
    while (this.pos < this.toks.length && !this.is(')')) {
      const named = this.peek()?.kind === 'ident' && this.is('=', 1);
      const name = named ? this.peek()!.value : undefined;
      if (named) this.pos += 2;
      out.push({ name, value: this.expr() });
      if (this.is(',')) this.pos++;
      else if (!this.is(')')) break;
    }
    if (this.is(')')) this.pos++;
    return out;
  }

  private list(): Expr {
    const open = this.peek()!;
    const items: Expr[] = [];
    this.pos++;
    while (this.pos < this.toks.length && !this.is(']')) {
      items.push(this.expr());
      if (this.is(',')) this.pos++;
      else if (!this.is(']')) break;
    }
    const end = this.is(']') ? this.peek()!.end : this.toks[this.pos - 1]?.end ?? open.end;
    if (this.is(']')) this.pos++;
    return { kind: 'list', items, start: open.start, end };
  }

  private record(): Expr {
    const open = this.peek()!;
    const fields: Field[] = [];
    this.pos++;
    while (this.pos < this.toks.length && !this.is('}')) {
      if (this.peek()?.text === 'readonly' && this.peek(1)?.kind !== 'punct') this.pos++;
      const key = this.peek();
      if (key && (key.kind === 'ident' || key.kind === 'string') && this.is(':', 1)) {
        this.pos += 2;
        fields.push({ name: key.value, value: this.expr(), start: key.start });
      } else if (key?.kind === 'ident' && (this.is(',', 1) || this.is('}', 1))) {
        // {certFile, keyFile}: a field named after the variable that holds its value.
        this.pos++;
        fields.push({ name: key.value, value: { kind: 'ref', name: key.value, start: key.start, end: key.end }, start: key.start });
      } else {
        this.expr(); // a spread `...x` or a computed key: not a field we can name
      }
      if (this.is(',')) this.pos++;
      else if (!this.is('}')) break;
    }
    const end = this.is('}') ? this.peek()!.end : this.toks[this.pos - 1]?.end ?? open.end;
    if (this.is('}')) this.pos++;
    return { kind: 'record', fields, start: open.start, end };
  }
}

export function field(expr: Expr | undefined, name: string): Expr | undefined {
  return expr?.kind === 'record' ? expr.fields.find((f) => f.name === name)?.value : undefined;
}

/** The strings of a list of string literals; undefined when any item is not a string literal. */
export function stringList(expr: Expr | undefined): string[] | undefined {
  if (expr?.kind !== 'list') return undefined;
  const out: string[] = [];
  for (const item of expr.items) {
    if (item.kind !== 'string') return undefined;
    out.push(item.value);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Declarations of one source file.

export interface Import {
  /** `ballerina/http`, `ballerina/http.default`. */
  module: string;
  /** The prefix the file uses: `as x`, else the last part of the module name (`http`, `default`). */
  prefix: string;
}

export interface Declaration {
  name: string;
  /** The type as written (tokens joined by spaces where the source had them), e.g. `string[]`, `http:Listener`. */
  type: string;
  configurable: boolean;
  listener: boolean;
  /** The initializer; undefined for `= ?` (a required configurable) or none. */
  init: Expr | undefined;
  /** `configurable T x = ?;` */
  required: boolean;
  /** Offset of the name. */
  start: number;
}

export interface BalFile {
  text: string;
  tokens: Tok[];
  imports: Import[];
  /** Module-level and local `T name = expr` declarations, in source order. */
  declarations: Declaration[];
}

const STATEMENT_END = new Set([';', '{', '}']);

function readImport(toks: readonly Tok[], at: number): Import | undefined {
  let i = at + 1;
  let module = '';
  while (i < toks.length && toks[i]!.text !== ';' && !(toks[i]!.kind === 'ident' && toks[i]!.text === 'as')) {
    module += toks[i]!.kind === 'ident' ? toks[i]!.value : toks[i]!.text;
    i++;
  }
  if (!module.includes('/')) return undefined;
  const alias = toks[i]?.text === 'as' && toks[i + 1]?.kind === 'ident' ? toks[i + 1]!.value : undefined;
  const modName = module.slice(module.indexOf('/') + 1);
  return { module, prefix: alias ?? modName.slice(modName.lastIndexOf('.') + 1) };
}

/** The type tokens before the declared name, back to the start of the statement. */
function typeBefore(toks: readonly Tok[], nameAt: number, src: string): { type: string; modifiers: Set<string> } | undefined {
  let i = nameAt - 1;
  while (i >= 0 && !(toks[i]!.kind === 'punct' && STATEMENT_END.has(toks[i]!.text))) i--;
  const from = i + 1;
  if (from >= nameAt) return undefined;
  const modifiers = new Set<string>();
  let j = from;
  while (j < nameAt && toks[j]!.kind === 'ident' && ['public', 'final', 'configurable', 'listener', 'isolated', 'private'].includes(toks[j]!.text)) {
    modifiers.add(toks[j]!.text);
    j++;
  }
  if (j < nameAt && toks[j]!.text === '|') j++; // a field of a closed record type `{| int port = 9090; |}`
  if (j >= nameAt && !modifiers.has('listener')) return undefined;
  // A type holds no `=` and no `,` outside brackets, and its brackets balance: a named argument `f(a, b = 1)`
  // or a parameter default `function f(int p = 1)` is not a declaration.
  let depth = 0;
  for (let k = j; k < nameAt; k++) {
    const x = toks[k]!;
    if (x.kind !== 'punct') continue;
    if (x.text === '=' || x.text === '=>' || (x.text === ',' && depth === 0)) return undefined;
    if (['(', '[', '{'].includes(x.text)) depth++;
    if ([')', ']', '}'].includes(x.text) && --depth < 0) return undefined;
  }
  if (depth !== 0) return undefined;
  const type = j < nameAt ? src.slice(toks[j]!.start, toks[nameAt - 1]!.end) : '';
  // A type ends in a name, `]`, `>`, `?` or `)`; an expression statement (`x = y;`) has no type.
  const last = toks[nameAt - 1]!;
  if (!modifiers.has('listener') && !(last.kind === 'ident' || [']', '>', '?', ')'].includes(last.text))) return undefined;
  if (/^(return|if|while|foreach|match|lock|do|else)\b/.test(type)) return undefined;
  return { type, modifiers };
}

export function scanBal(text: string): BalFile {
  const tokens = tokenize(text);
  const imports: Import[] = [];
  const declarations: Declaration[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'ident' && t.text === 'import' && (i === 0 || tokens[i - 1]!.text === ';')) {
      const imp = readImport(tokens, i);
      if (imp) imports.push(imp);
      continue;
    }
    const eq = tokens[i + 1];
    if (t.kind !== 'ident' || eq?.kind !== 'punct' || eq.text !== '=') continue;
    const head = typeBefore(tokens, i, text);
    if (!head) continue;
    const required = tokens[i + 2]?.text === '?' && tokens[i + 3]?.text === ';';
    const init = required ? undefined : new Parser(tokens, i + 2).expr();
    declarations.push({
      name: t.value,
      type: head.type,
      configurable: head.modifiers.has('configurable'),
      listener: head.modifiers.has('listener'),
      init,
      required,
      start: t.start,
    });
  }
  return { text, tokens, imports, declarations };
}

/** Every `new …(…)` expression in the file, with the declaration it initializes when it is one (`T x = new (…)`). */
export function newExpressions(file: BalFile): { expr: Extract<Expr, { kind: 'new' }>; declaration: Declaration | undefined }[] {
  const out: { expr: Extract<Expr, { kind: 'new' }>; declaration: Declaration | undefined }[] = [];
  file.tokens.forEach((t, i) => {
    if (t.kind !== 'ident' || t.text !== 'new') return;
    // Skip `check`/`checkpanic` back to the `=` of a declaration, if any.
    let j = i - 1;
    while (j >= 0 && file.tokens[j]!.kind === 'ident' && ['check', 'checkpanic'].includes(file.tokens[j]!.text)) j--;
    const name = file.tokens[j]?.text === '=' ? file.tokens[j - 1] : undefined;
    const declaration = name ? file.declarations.find((d) => d.start === name.start) : undefined;
    out.push({ expr: parseNewAt(file.tokens, i), declaration });
  });
  return out;
}

/** The `new` expression starting at token `at`, however the surrounding expression continues. */
function parseNewAt(toks: readonly Tok[], at: number): Extract<Expr, { kind: 'new' }> {
  const p = new Parser(toks, at + 1);
  let type: string | undefined;
  if (p.peek()?.kind === 'ident') type = p.qualified();
  const args = p.peek()?.text === '(' ? p.args() : [];
  return { kind: 'new', type, args, start: toks[at]!.start, end: toks[p.pos - 1]?.end ?? toks[at]!.end };
}
