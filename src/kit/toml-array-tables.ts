// Arrays of `{name, value}` tables in deployment.toml (e.g. APIM's [[tomcat.header_security_filters]]): their
// elements as the config mapper reads them, and appending several elements as one verified insertion.
import { applyEdits, type TextEdit } from '../formats/text.js';
import { appendArrayTable, type ElementKey } from '../formats/toml/append-array-table.js';
import { find, locateToml, samePath, type TomlDoc } from '../formats/toml/locate.js';
import type { TomlWritable } from '../formats/toml/render.js';
import { tomlMeaning } from '../formats/toml/semantic.js';

export type Tree = Record<string, unknown>;
export const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** A value the TOML writers can render (scalars and string arrays). */
export function isWritable(v: unknown): v is TomlWritable {
  return ['string', 'boolean'].includes(typeof v) || (typeof v === 'number' && Number.isFinite(v)) || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
}

export interface TomlArrayValue {
  /** The decoded elements, in order (index i is addressed as path + String(i)). */
  elements: unknown[];
  /** How it is written: `[[a.b]]` sections (appendable) or one inline array value (not appendable). */
  form: 'tables' | 'inline';
  /** 1-based line of the first element header or of the inline value. */
  line: number;
}

/** The array at `path` as written in the file; undefined when the file does not set it, a string when it is not an array. */
export function tomlArray(doc: TomlDoc, path: readonly string[]): TomlArrayValue | string | undefined {
  let node: unknown = tomlMeaning(doc.text);
  for (const seg of path) node = isTree(node) ? node[seg] : undefined;
  if (node === undefined) return undefined;
  if (!Array.isArray(node)) return `${path.join('.')} is not an array`;
  const first = doc.tables.find((t) => t.kind === 'array' && samePath(t.path.slice(0, -1), path));
  const inline = find(doc, path);
  const at = first?.headerStart ?? inline?.keyStart ?? 0;
  return { elements: node, form: first ? 'tables' : 'inline', line: doc.text.slice(0, at).split('\n').length };
}

/**
 * Appends `elements` to the array of tables at `path`, in order, each laid out as appendArrayTable lays out one.
 * The appends are made one after another on the growing text, then collapsed into a single insertion on the
 * original text (they all land in one contiguous run), so the engine sees one edit.
 */
export function appendArrayTables(
  doc: TomlDoc,
  path: readonly string[],
  elements: ReadonlyArray<ReadonlyArray<readonly [ElementKey, TomlWritable]>>,
): TextEdit[] {
  let text = doc.text;
  let current = doc;
  for (const el of elements) {
    text = applyEdits(text, appendArrayTable(current, path, el));
    current = locateToml(text);
  }
  if (text === doc.text) return [];
  const before = doc.text;
  let start = 0;
  while (start < before.length && start < text.length && before[start] === text[start]) start++;
  let tail = 0;
  while (tail < before.length - start && tail < text.length - start && before[before.length - 1 - tail] === text[text.length - 1 - tail]) tail++;
  return [{ start, end: before.length - tail, text: text.slice(start, text.length - tail) }];
}
