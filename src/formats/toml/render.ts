// Writes TOML values and keys as text, copying the style the file already uses.
import type { TomlDoc, TomlEntry, TomlStringStyle } from './locate.js';

/** What the edits can write: scalars and arrays of strings. */
export type TomlWritable = string | number | boolean | readonly string[];

const ESCAPES: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '"': '\\"', '\\': '\\\\' };

export function basicString(s: string): string {
  const body = s.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${body}"`;
}

/** A literal string cannot hold a quote, a line break or control characters other than tab. */
function literalFits(s: string): boolean {
  return !/['\u0000-\u0008\u000a-\u001f\u007f]/.test(s);
}

export function renderString(s: string, style: TomlStringStyle | undefined): string {
  const literal = style === 'literal' || style === 'multiline-literal';
  return literal && literalFits(s) ? `'${s}'` : basicString(s);
}

export function renderScalar(value: string | number | boolean, style: TomlStringStyle | undefined): string {
  if (typeof value === 'string') return renderString(value, style);
  if (typeof value === 'boolean') return String(value);
  if (!Number.isFinite(value)) throw new Error(`cannot write ${value} into TOML`);
  return String(value);
}

/** One-line array: copies the original one-line array's brackets, separators and quotes, else `["a", "b"]`. */
export function renderArray(values: readonly string[], like?: { entry: TomlEntry; text: string }): string {
  let open = '[';
  let sep = ', ';
  let close = ']';
  let style: TomlStringStyle | undefined;
  const entry = like?.entry;
  const text = like?.text ?? '';
  const items = entry?.kind === 'array' ? entry.items : undefined;
  const first = items?.[0];
  const last = items?.at(-1);
  if (entry && first && last && !text.slice(entry.valueStart, entry.valueEnd).includes('\n')) {
    open = text.slice(entry.valueStart, first.start);
    close = text.slice(last.end, entry.valueEnd);
    const second = items[1];
    if (second) sep = text.slice(first.end, second.start);
    style = first.style;
  }
  if (values.length === 0) return '[]';
  return open + values.map((v) => renderString(v, style)).join(sep) + close;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

export function renderKey(key: string, quote: 'basic' | 'literal'): string {
  if (BARE_KEY.test(key)) return key;
  return quote === 'literal' && literalFits(key) ? `'${key}'` : basicString(key);
}

export interface KeyStyle {
  indent: string;
  /** Text between key and value, e.g. ' = ' or '='. */
  equals: string;
  quote: 'basic' | 'literal';
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = v;
  return best;
}

/** The most common layout among `near` (a table's own keys), else among all the file's keys, else ` = `. */
export function keyStyle(doc: TomlDoc, near: readonly TomlEntry[]): KeyStyle {
  const pick = (f: (e: TomlEntry) => string | undefined): string | undefined => {
    for (const group of [near, doc.entries]) {
      const found = mostCommon(group.filter((e) => !e.inline).flatMap((e) => f(e) ?? []));
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const indent = pick((e) => {
    const lead = doc.text.slice(e.lineStart, e.keyStart);
    return /^[ \t]*$/.test(lead) ? lead : undefined;
  });
  const equals = pick((e) => {
    const between = doc.text.slice(e.keyEnd, e.valueStart);
    return /^[ \t]*=[ \t]*$/.test(between) ? between : undefined;
  });
  const quote = pick((e) => e.keyParts.find((p) => p.quoted)?.quoted);
  return { indent: indent ?? '', equals: equals ?? ' = ', quote: quote === 'literal' ? 'literal' : 'basic' };
}

/** `key = value` in the given style; `prefix` is an already-written dotted key prefix such as `properties.`. */
export function keyValueLine(style: KeyStyle, key: string, value: TomlWritable, prefix = ''): string {
  const rendered = typeof value === 'object' ? renderArray(value) : renderScalar(value, undefined);
  return `${style.indent}${prefix}${renderKey(key, style.quote)}${style.equals}${rendered}`;
}

/** A header `[a.b]` or `[[a.b]]` with each segment quoted only when it must be. */
export function renderHeader(path: readonly string[], array: boolean, quote: 'basic' | 'literal'): string {
  const key = path.map((s) => renderKey(s, quote)).join('.');
  return array ? `[[${key}]]` : `[${key}]`;
}
