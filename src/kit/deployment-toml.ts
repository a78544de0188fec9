// deployment.toml as the product's config mapper sees it (RULES.md §1): the TOML, renamed through
// key-mappings.json, else the product's own default.json. Transforms ask for a setting by its
// canonical key (the one the templates read) and get back where it is written, if anywhere.
import { InputError } from '../engine/source-files.js';
import type { Intent, ProductInfo, TransformContext } from '../engine/types.js';
import type { TextEdit } from '../formats/text.js';
import { locateToml, type TomlDoc, type TomlEntry } from '../formats/toml/locate.js';
import { setOrAdd } from '../formats/toml/add-key.js';
import { setValue } from '../formats/toml/set-value.js';
import type { TomlWritable } from '../formats/toml/render.js';

const RESOURCES = 'repository/resources/conf';

/** Where the model keeps deployment.toml: MI under conf/, Carbon ≥ 4.5 under repository/conf/. */
export function deploymentTomlPath(product: ProductInfo): string {
  return product.model === 'mi' ? 'conf/deployment.toml' : 'repository/conf/deployment.toml';
}

/** The files every TOML-form transform reads, plus the templates it names (relative to templates/). */
export function tomlFiles(product: ProductInfo, templates: string[] = []): string[] {
  if (product.model !== 'toml' && product.model !== 'mi') return [];
  return [
    deploymentTomlPath(product),
    `${RESOURCES}/default.json`,
    `${RESOURCES}/key-mappings.json`,
    ...templates.map((t) => `${RESOURCES}/templates/${t}.j2`),
  ];
}

export interface TomlConfig {
  path: string;
  doc: TomlDoc;
  defaults: Record<string, unknown>;
  mappings: Record<string, string | string[]>;
  /** False in partial copies of a home (no templates/): template checks then cannot be made. */
  hasTemplates: boolean;
  template(rel: string): string | undefined;
}

const cache = new WeakMap<object, TomlConfig>();

function readJson(ctx: TransformContext, path: string): Record<string, unknown> {
  const f = ctx.files.get(path);
  if (!f) return {};
  try {
    return JSON.parse(f.text) as Record<string, unknown>;
  } catch (e) {
    throw new InputError(path, `is not valid JSON: ${(e as Error).message}`);
  }
}

/** The home's deployment.toml with its mapping files, parsed once per run; undefined when absent. */
export function tomlConfig(ctx: TransformContext): TomlConfig | undefined {
  const path = deploymentTomlPath(ctx.product);
  const file = ctx.files.get(path);
  if (!file) return undefined;
  const cached = cache.get(file);
  if (cached) return cached;
  let doc: TomlDoc;
  try {
    doc = locateToml(file.text);
  } catch (e) {
    const err = e as { reason?: string; line?: number; column?: number; message: string };
    throw new InputError(path, `malformed TOML: ${err.reason ?? err.message}`, err.line, err.column);
  }
  const config: TomlConfig = {
    path,
    doc,
    defaults: readJson(ctx, `${RESOURCES}/default.json`),
    mappings: readJson(ctx, `${RESOURCES}/key-mappings.json`) as Record<string, string | string[]>,
    hasTemplates: ctx.files.listing.some((p) => p.startsWith(`${RESOURCES}/templates/`)),
    template: (rel) => ctx.files.get(`${RESOURCES}/templates/${rel}.j2`)?.text,
  };
  cache.set(file, config);
  return config;
}

/** A key path as the mapping files spell it: segments joined by dots, dotted segments in single quotes. */
export function flatKey(path: readonly string[]): string {
  return path.map((s) => (/^[A-Za-z0-9_-]+$/.test(s) ? s : `'${s}'`)).join('.');
}

/** Canonical keys a TOML entry lands on after key-mappings.json. */
function mappedKeys(config: TomlConfig, entry: TomlEntry): string[] {
  const flat = flatKey(entry.path);
  const m = config.mappings[flat];
  return m === undefined ? [flat] : Array.isArray(m) ? m : [m];
}

export interface Effective {
  value: unknown;
  /** toml: written in deployment.toml (possibly under a legacy key); default: the product's default.json; unset: neither. */
  source: 'toml' | 'default' | 'unset';
  /** Every TOML entry that sets the canonical key, legacy spellings included. */
  entries: TomlEntry[];
}

export function effective(config: TomlConfig, canonical: string): Effective {
  const entries = config.doc.entries.filter((e) => mappedKeys(config, e).includes(canonical));
  if (entries.length) return { value: entries[entries.length - 1]!.value, source: 'toml', entries };
  if (canonical in config.defaults) return { value: config.defaults[canonical], source: 'default', entries };
  return { value: undefined, source: 'unset', entries };
}

/** True when the product's template reads the key (a key no template reads is not a fix), or cannot be checked. */
export function templateReads(config: TomlConfig, templateRel: string, needle: string): boolean | 'unknown' {
  if (!config.hasTemplates) return 'unknown';
  const text = config.template(templateRel);
  return text !== undefined && text.includes(needle);
}

export interface SettingEdit {
  edits: TextEdit[];
  intents: Intent[];
  /** Line of the entry changed, or of the table where the key was added. */
  where: string;
}

/**
 * Writes `value` for a canonical key: in place wherever deployment.toml already sets it (a legacy
 * spelling included, so the setting is never defined twice), else at `writeAs` (the documented spelling).
 */
export function writeSetting(config: TomlConfig, canonical: string, writeAs: readonly string[], value: TomlWritable): SettingEdit {
  const { entries } = effective(config, canonical);
  if (entries.length) {
    return {
      edits: entries.flatMap((e) => setValue(config.doc, e.path, value)),
      intents: entries.map((e) => ({ kind: 'toml-set', key: [...e.path], value })),
      where: entries.map((e) => `[${flatKey(e.table.path)}] ${e.keyRaw}`).join(', '),
    };
  }
  return {
    edits: setOrAdd(config.doc, writeAs, value),
    intents: [{ kind: 'toml-set', key: [...writeAs], value }],
    where: `[${flatKey(writeAs.slice(0, -1))}] ${writeAs[writeAs.length - 1]}`,
  };
}
