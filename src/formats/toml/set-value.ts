// Replaces one existing value in place, keeping its string style; everything around the value is untouched.
import { isDeepStrictEqual } from 'node:util';
import type { TextEdit } from '../text.js';
import { find, lineOf, type TomlDoc, type TomlEntry } from './locate.js';
import { renderArray, renderScalar, type TomlWritable } from './render.js';

/** True when the entry already holds `value` with a matching TOML type (so setting it again is a no-op). */
export function holds(entry: TomlEntry, value: TomlWritable): boolean {
  if (typeof value === 'string') return entry.kind === 'string' && entry.value === value;
  if (typeof value === 'boolean') return entry.kind === 'boolean' && entry.value === value;
  if (typeof value === 'number') return (entry.kind === 'integer' || entry.kind === 'float') && entry.value === value;
  return entry.kind === 'array' && isDeepStrictEqual(entry.value, [...value]);
}

export function setValue(doc: TomlDoc, keyPath: readonly string[], value: TomlWritable): TextEdit[] {
  const entry = find(doc, keyPath);
  if (!entry) throw new Error(`${keyPath.join('.')} is not in the file: add it with addKey`);
  if (holds(entry, value)) return [];
  if (entry.kind === 'inline-table') {
    throw new Error(`${keyPath.join('.')} (line ${lineOf(doc, entry.valueStart)}) is an inline table: set the keys inside it`);
  }
  const text =
    typeof value === 'object' ? renderArray(value, { entry, text: doc.text }) : renderScalar(value, entry.style);
  return [{ start: entry.valueStart, end: entry.valueEnd, text }];
}
