// Logging configuration files as the log rules see them: log4j 1.x `log4j.properties` (Carbon 4.4) grouped
// into appenders by `log4j.appender.NAME[.prop]`, and log4j2 `log4j2.properties` (Carbon ≥ 4.5, EI 6.6, MI)
// grouped by `appender.ID.prop`. Neither file is rendered by the config mapper (RULES §1.2), so both are
// fixed in place; a home whose templates or last start say otherwise is reported instead.
import type { Finding, Intent, ProductInfo, TransformContext, TransformMeta } from '../engine/types.js';
import { spliceValue } from '../formats/properties/edit.js';
import { findEntry, locateProperties, type PropEntry, type PropsDoc } from '../formats/properties/locate.js';
import type { TextEdit } from '../formats/text.js';
import { lineOf, report } from './findings.js';

const TEMPLATES = 'repository/resources/conf/templates';

export interface Appender {
  /** NAME of log4j.appender.NAME, or ID of appender.ID. */
  name: string;
  /** log4j 1.x: the `log4j.appender.NAME` line that names the class. */
  classEntry: PropEntry | undefined;
  /** Effective entry of each property below the appender, by lower-cased suffix ('layout.conversionpattern'). */
  props: Map<string, PropEntry>;
  /** The appender's entry written last in the file (new properties go after it). */
  last: PropEntry;
}

/** A property's decoded value, trimmed as log4j trims it; undefined when not set. */
export function prop(a: Appender, suffix: string): string | undefined {
  return a.props.get(suffix.toLowerCase())?.value.trim();
}

function group(doc: PropsDoc, prefix: string): Map<string, Appender> {
  const out = new Map<string, Appender>();
  // Only the last of duplicated keys counts (APIM 2.6 defines LOGEVENT twice).
  const effective = new Map<string, PropEntry>();
  for (const e of doc.entries) effective.set(e.key, e);
  for (const e of doc.entries) {
    if (!e.key.startsWith(prefix)) continue;
    const rest = e.key.slice(prefix.length);
    const dot = rest.indexOf('.');
    const name = dot === -1 ? rest : rest.slice(0, dot);
    if (!name) continue;
    let a = out.get(name);
    if (!a) out.set(name, (a = { name, classEntry: undefined, props: new Map(), last: e }));
    a.last = e;
    if (effective.get(e.key) !== e) continue;
    if (dot === -1) a.classEntry = e;
    else a.props.set(rest.slice(dot + 1).toLowerCase(), e);
  }
  return out;
}

/** log4j 1.x appenders (log4j.properties). */
export function log4jAppenders(doc: PropsDoc): Map<string, Appender> {
  return group(doc, 'log4j.appender.');
}

/**
 * log4j2 appenders (log4j2.properties); the class is the `type` property. When the file lists
 * `appenders = A, B`, log4j2 configures only those (EI 6.6 defines an unlisted CORRELATION), so only they count.
 */
export function log4j2Appenders(doc: PropsDoc): Map<string, Appender> {
  const all = group(doc, 'appender.');
  const listed = findEntry(doc, 'appenders')?.value;
  if (listed === undefined) return all;
  const names = new Set(listed.split(',').map((n) => n.trim()));
  return new Map([...all].filter(([name]) => names.has(name)));
}

/** Carbon 4.4-style log4j.properties, one per configuration directory. */
export function log4jFiles(product: ProductInfo): string[] {
  return product.model === 'xml' ? product.confDirs.map((d) => `${d}/log4j.properties`) : [];
}

/** log4j2.properties of every configuration directory, and (deployment.toml homes) the template it would have. */
export function log4j2Files(product: ProductInfo): string[] {
  const files = product.confDirs.map((d) => `${d}/log4j2.properties`);
  return product.model === 'toml' || product.model === 'mi' ? [...files, ...files.map((f) => `${TEMPLATES}/${f}.j2`)] : files;
}

/** Why a logging file must not be edited in place (the config mapper renders it), or undefined. */
export function renderedReason(ctx: TransformContext, path: string): string | undefined {
  if (ctx.product.model !== 'toml' && ctx.product.model !== 'mi') return undefined;
  if (ctx.files.get(`${TEMPLATES}/${path}.j2`)) return `this product renders ${path} from templates/${path}.j2, so an edit would be overwritten at the next start`;
  if (ctx.product.generated.some((g) => g.path === path)) return `metadata_config.properties lists ${path} as generated at the last start, so an edit would be overwritten`;
  return undefined;
}

/** The located file, or undefined when the home has none. */
export function propertiesOf(ctx: TransformContext, path: string): PropsDoc | undefined {
  const f = ctx.files.get(path);
  return f ? locateProperties(f.text) : undefined;
}

/**
 * A log rule's plan over every logging file: `log4j` for each Carbon 4.4 log4j.properties, `log4j2` for each
 * log4j2.properties that is edited in place; one the config mapper renders is reported as manual, with
 * `templateAdvice` saying what to change in the template instead.
 */
export function planLogFiles(
  t: TransformMeta,
  ctx: TransformContext,
  templateAdvice: string,
  log4j: (file: string, doc: PropsDoc) => Finding[],
  log4j2: (file: string, doc: PropsDoc) => Finding[],
): Finding[] {
  const findings: Finding[] = [];
  for (const file of log4jFiles(ctx.product)) {
    const doc = propertiesOf(ctx, file);
    if (doc) findings.push(...log4j(file, doc));
  }
  for (const file of log4j2Files(ctx.product).filter((f) => f.endsWith('.properties'))) {
    const doc = propertiesOf(ctx, file);
    if (!doc) continue;
    const rendered = renderedReason(ctx, file);
    if (rendered) {
      findings.push(report(t, 'manual', `${rendered}; ${templateAdvice}`, file));
      continue;
    }
    findings.push(...log4j2(file, doc));
  }
  if (findings.length === 0) findings.push(report(t, 'not-applicable', 'no log4j.properties or log4j2.properties in the configuration directories'));
  return findings;
}

/** Edits to appender properties gathered for one finding: the edits, their intents, the appenders changed, the first line. */
export class AppenderEdits {
  readonly edits: TextEdit[] = [];
  readonly intents: Intent[] = [];
  /** Names of the appenders whose values were spliced, in order. */
  readonly names: string[] = [];
  firstLine: number | undefined;

  constructor(private readonly doc: PropsDoc) {}

  /** Inserts `text` at character `at` of the decoded value of `entry`, a property of appender `name`. */
  insert(name: string, entry: PropEntry, at: number, text: string): void {
    const s = spliceValue(entry, at, at, text);
    this.edits.push(s.edit);
    this.intents.push({ kind: 'properties-set', key: entry.key, value: s.value });
    this.names.push(name);
    this.firstLine ??= lineOf(this.doc.text, entry.keyStart);
  }
}

/** Log4j2 appender types that write files. */
export const FILE_APPENDER_TYPES = new Set(['rollingfile', 'rollingrandomaccessfile', 'file', 'randomaccessfile', 'memorymappedfile']);

/** Where %i goes: after the last date conversion, else before the file name's extension, else at the end. */
export function indexPosition(pattern: string): number {
  let at = -1;
  for (const m of pattern.matchAll(/%d(\{[^}]*\})?/g)) at = m.index + m[0].length;
  if (at !== -1) return at;
  const base = pattern.lastIndexOf('/') + 1;
  const dot = pattern.indexOf('.', base);
  return dot === -1 ? pattern.length : dot;
}
