// Where every key-value and table header of a TOML file is, by source offset, from toml-eslint-parser's AST.
// smol-toml (semantic.ts) is the judge of validity, so a file locates only when the verifier can also read it.
//
// A table's body runs from just after its header line to the end of its last key-value line. Blank and
// comment lines after that belong to whatever follows (shipped files keep commented-out `#[table]` examples
// there), so new keys go right after the last key-value line, never after those comments.
import { getStaticTOMLValue, parseTOML, ParseError, type AST } from 'toml-eslint-parser';
import { positionOf } from '../text.js';
import { tomlMeaning } from './semantic.js';
import { TomlSyntaxError } from './syntax-error.js';
import { memoByText } from '../../engine/memo.js';

export type TomlKind = 'string' | 'integer' | 'float' | 'boolean' | 'datetime' | 'array' | 'inline-table';
export type TomlStringStyle = 'basic' | 'literal' | 'multiline-basic' | 'multiline-literal';

/** One segment of a written key; `quoted` is set when it was written as a quoted key. */
export interface TomlKeyPart {
  name: string;
  quoted: 'basic' | 'literal' | undefined;
  start: number;
  end: number;
}

/** An array element's source range (used to copy an array's layout). */
export interface TomlItem {
  kind: TomlKind;
  style: TomlStringStyle | undefined;
  start: number;
  end: number;
}

export interface TomlEntry {
  /** Full key path from the root: headers, dotted and quoted keys resolved; array-of-tables indexes as '0', '1', …. */
  path: string[];
  kind: TomlKind;
  /** Decoded value (datetimes as Date). */
  value: unknown;
  style: TomlStringStyle | undefined;
  valueStart: number;
  valueEnd: number;
  /** Elements of an array value. */
  items: TomlItem[] | undefined;
  /** The key as written (possibly dotted and quoted). */
  keyRaw: string;
  keyStart: number;
  keyEnd: number;
  keyParts: TomlKeyPart[];
  /** Start of the key-value's first line and end (before the line ending) of its last line. */
  lineStart: number;
  lineEnd: number;
  /** The header section the key-value is written in (the root table for top-level keys). */
  table: TomlTable;
  /** Written inside an inline table (or an inline table in an array). */
  inline: boolean;
}

export interface TomlTable {
  /** Resolved header path; array-of-tables elements end with their index. The root table has []. */
  path: string[];
  kind: 'root' | 'standard' | 'array';
  /** Offsets of the header from '[' to just past ']' or ']]' (0, 0 for the root). */
  headerStart: number;
  headerEnd: number;
  /** Start of the line after the header (0 for the root). */
  bodyStart: number;
  /** End of the last key-value line, before its line ending; the header line's end when there is none. */
  bodyEnd: number;
  /** Key-values written directly in this section, in source order (not those inside inline tables). */
  entries: TomlEntry[];
}

export interface TomlDoc {
  text: string;
  /** Root first, then headers in source order. */
  tables: TomlTable[];
  /** Every key-value, including those inside inline tables, in source order. */
  entries: TomlEntry[];
}

/** Offset of the end of the line containing `offset`, before its '\r\n' or '\n'. */
export function lineEndOf(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  if (nl === -1) return text.length;
  return nl > 0 && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
}

/** Offset just past the line ending of the line containing `offset` (text.length on the last line). */
function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

function kindOf(node: AST.TOMLContentNode): TomlKind {
  if (node.type === 'TOMLArray') return 'array';
  if (node.type === 'TOMLInlineTable') return 'inline-table';
  return node.kind === 'string' || node.kind === 'integer' || node.kind === 'float' || node.kind === 'boolean'
    ? node.kind
    : 'datetime';
}

function styleOf(node: AST.TOMLContentNode): TomlStringStyle | undefined {
  if (node.type !== 'TOMLValue' || node.kind !== 'string') return undefined;
  return node.multiline ? `multiline-${node.style}` : node.style;
}

function keyPartsOf(key: AST.TOMLKey): TomlKeyPart[] {
  return key.keys.map((k) => ({
    name: k.type === 'TOMLBare' ? k.name : k.value,
    quoted: k.type === 'TOMLQuoted' ? k.style : undefined,
    start: k.range[0],
    end: k.range[1],
  }));
}

function parseAst(text: string): AST.TOMLProgram {
  tomlMeaning(text); // throws TomlSyntaxError at smol-toml's (earliest) error
  try {
    return parseTOML(text, { tomlVersion: '1.0' });
  } catch (e) {
    if (e instanceof ParseError) throw new TomlSyntaxError(e.message, e.lineNumber, e.column + 1);
    throw e;
  }
}

/** locateToml, memoized: the same text is parsed once per run (results are read-only). */
export const locateToml = memoByText(parseLocateToml);

function parseLocateToml(text: string): TomlDoc {
  const top = parseAst(text).body[0];
  const root: TomlTable = { path: [], kind: 'root', headerStart: 0, headerEnd: 0, bodyStart: 0, bodyEnd: 0, entries: [] };
  const doc: TomlDoc = { text, tables: [root], entries: [] };

  const addKeyValue = (kv: AST.TOMLKeyValue, base: string[], table: TomlTable, inline: boolean): void => {
    const keyParts = keyPartsOf(kv.key);
    const path = [...base, ...keyParts.map((p) => p.name)];
    const v = kv.value;
    const entry: TomlEntry = {
      path,
      kind: kindOf(v),
      value: getStaticTOMLValue(v),
      style: styleOf(v),
      valueStart: v.range[0],
      valueEnd: valueEndOf(text, v.range),
      items: v.type === 'TOMLArray' ? v.elements.map((el) => ({ kind: kindOf(el), style: styleOf(el), start: el.range[0], end: el.range[1] })) : undefined,
      keyRaw: text.slice(kv.key.range[0], kv.key.range[1]),
      keyStart: kv.key.range[0],
      keyEnd: kv.key.range[1],
      keyParts,
      lineStart: text.lastIndexOf('\n', kv.range[0] - 1) + 1,
      lineEnd: lineEndOf(text, kv.range[1]),
      table,
      inline,
    };
    doc.entries.push(entry);
    if (!inline) table.entries.push(entry);
    addNested(v, path, table);
  };

  // Keys inside inline tables, also those in arrays (addressed by element index).
  const addNested = (v: AST.TOMLContentNode, path: string[], table: TomlTable): void => {
    if (v.type === 'TOMLInlineTable') for (const kv of v.body) addKeyValue(kv, path, table, true);
    if (v.type === 'TOMLArray') v.elements.forEach((el, i) => addNested(el, [...path, String(i)], table));
  };

  for (const node of top.body) {
    if (node.type === 'TOMLKeyValue') {
      addKeyValue(node, [], root, false);
      continue;
    }
    const close = text.indexOf(node.kind === 'array' ? ']]' : ']', node.key.range[1]);
    const headerEnd = close + (node.kind === 'array' ? 2 : 1);
    const headerLineEnd = lineEndOf(text, headerEnd);
    const table: TomlTable = {
      path: node.resolvedKey.map(String),
      kind: node.kind,
      headerStart: node.range[0],
      headerEnd,
      bodyStart: nextLineStart(text, headerEnd),
      bodyEnd: headerLineEnd,
      entries: [],
    };
    doc.tables.push(table);
    for (const kv of node.body) addKeyValue(kv, table.path, table, false);
  }
  for (const t of doc.tables) {
    const last = t.entries.at(-1);
    if (last) t.bodyEnd = last.lineEnd;
  }
  return doc;
}

export function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

export function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => s === path[i]);
}

export function find(doc: TomlDoc, keyPath: readonly string[]): TomlEntry | undefined {
  return doc.entries.find((e) => samePath(e.path, keyPath));
}

export function entries(doc: TomlDoc): readonly TomlEntry[] {
  return doc.entries;
}

/** 1-based line of an offset, for messages. */
export function lineOf(doc: TomlDoc, offset: number): number {
  return positionOf(doc.text, offset).line;
}

/**
 * toml-eslint-parser 1.0.3 gives a `0` that ends the file an empty range (its look-ahead for 0x/0o/0b
 * runs off the end), so an edit would insert before the digit instead of replacing it. A bare value's
 * end is where its token ends.
 */
function valueEndOf(text: string, [start, end]: [number, number]): number {
  if (end > start) return end;
  return start + (/^[^\s,\]}#]*/.exec(text.slice(start))?.[0].length ?? 0);
}
