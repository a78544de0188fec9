// Several deployment.toml settings written as one change, each as its own minimal edit of the original
// text: values already written are replaced in place, keys of an existing table are added after its last
// key, and keys bound for tables that do not exist yet share one new section per table (so two keys for a
// new [keystore.primary] do not make two headers). A new [secrets] section goes after every other new
// one, so it stays the last table. Edits never span text they do not change: reports that show an edit's
// text line by line (SARIF) then never repeat an untouched line, such as an existing [secrets] entry.
import type { TextEdit } from '../formats/text.js';
import { find, samePath, startsWith, type TomlDoc } from '../formats/toml/locate.js';
import { addKey } from '../formats/toml/add-key.js';
import { sectionEdit } from '../formats/toml/new-section.js';
import { keyStyle, keyValueLine, renderHeader, type TomlWritable } from '../formats/toml/render.js';
import { setValue } from '../formats/toml/set-value.js';
import type { Intent } from '../engine/types.js';
import { effective, flatKey, type TomlConfig } from './deployment-toml.js';

export type BatchStep =
  /** A canonical setting (key-mappings.json aware): in place wherever written, else at `writeAs`. */
  | { canonical: string; writeAs: readonly string[]; value: TomlWritable }
  /** A literal key path: set where it is, else added to its table. */
  | { path: readonly string[]; value: TomlWritable };

export interface BatchEdit {
  edits: TextEdit[];
  intents: Intent[];
  /** Where each step landed, e.g. "[keystore.tls] password", in step order (steps that changed nothing left out). */
  where: string[];
}

/** Whether adding a key to `table` needs a new `[table]` section (no header, no dotted key defines it). */
function needsSection(doc: TomlDoc, table: readonly string[]): boolean {
  if (table.length === 0) return false;
  if (doc.tables.some((t) => samePath(t.path, table))) return false;
  return !doc.entries.some((e) => !e.inline && e.path.length > table.length && startsWith(e.path, table));
}

/** Throws (with the writer's reason) when a step cannot be written without reformatting. */
export function writeSettings(config: TomlConfig, steps: readonly BatchStep[]): BatchEdit {
  const { doc } = config;
  const edits: TextEdit[] = [];
  const intents: Intent[] = [];
  const where: string[] = [];
  const sections = new Map<string, { table: string[]; keys: [string, TomlWritable][] }>();
  const set = (path: readonly string[], value: TomlWritable): void => {
    const e = setValue(doc, path, value);
    if (!e.length) return;
    const entry = find(doc, path)!;
    edits.push(...e);
    intents.push({ kind: 'toml-set', key: [...path], value });
    where.push(`[${flatKey(entry.table.path)}] ${entry.keyRaw}`);
  };
  for (const step of steps) {
    let path: readonly string[];
    if ('canonical' in step) {
      const written = effective(config, step.canonical).entries;
      if (written.length) {
        for (const e of written) set(e.path, step.value);
        continue;
      }
      path = step.writeAs;
    } else path = step.path;
    if (find(doc, path)) {
      set(path, step.value);
      continue;
    }
    const table = path.slice(0, -1);
    const key = path.at(-1)!;
    const added = addKey(doc, table, key, step.value); // also refuses what cannot be written
    intents.push({ kind: 'toml-set', key: [...path], value: step.value });
    where.push(`[${flatKey(table)}] ${key}`);
    if (!needsSection(doc, table)) {
      edits.push(...added);
      continue;
    }
    const id = JSON.stringify(table);
    const section = sections.get(id) ?? { table: [...table], keys: [] };
    section.keys.push([key, step.value]);
    sections.set(id, section);
  }
  const style = { ...keyStyle(doc, []), indent: '' };
  const ordered = [...sections.values()].sort((a, b) => Number(samePath(a.table, ['secrets'])) - Number(samePath(b.table, ['secrets'])));
  for (const s of ordered) {
    edits.push(sectionEdit(doc, [renderHeader(s.table, false, style.quote), ...s.keys.map(([k, v]) => keyValueLine(style, k, v))]));
  }
  return { edits, intents, where };
}
