// deployment.toml homes (RULES §2.12, RULES-FACTCHECK A30, B15): the global repository/conf/tomcat/web.xml is
// the default descriptor of every context (the console and every web application), and from kernel 4.6.1 its
// template renders [[tomcat.filter]] / [[tomcat.filter_mapping]]. One HttpHeaderSecurityFilter declared there
// sends HSTS for every application, including those whose own web.xml is rendered from a template.
import { eolAt, lineStartOf, type TextEdit } from '../../src/formats/text.js';
import { setOrAdd } from '../../src/formats/toml/add-key.js';
import { samePath, startsWith, type TomlDoc } from '../../src/formats/toml/locate.js';
import { sectionEdit } from '../../src/formats/toml/new-section.js';
import { keyStyle, keyValueLine, renderHeader, type TomlWritable } from '../../src/formats/toml/render.js';
import { effective, tomlConfig, type TomlConfig } from '../../src/kit/deployment-toml.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { HSTS_FILTER_CLASS, isTrue, maxAgeOf } from '../../src/kit/hsts-filter.js';
import { isTree, tomlArray } from '../../src/kit/toml-array-tables.js';
import type { Finding, Intent, TransformContext, TransformMeta } from '../../src/engine/types.js';
import type { HstsTarget } from './web-xml.js';

/** The global default web.xml (HOME-relative, and its path under templates/). */
export const GLOBAL_WEB_XML = 'repository/conf/tomcat/web.xml';
const FILTERS = ['tomcat', 'filter'];
const MAPPINGS = ['tomcat', 'filter_mapping'];
/** Not "HttpHeaderSecurityFilter": a web application's own filter of that name would override this one for it. */
const NAME = 'httpHeaderSecurity';

const LOOPS = (template: string): boolean =>
  /\{%-?\s*for\s+\w+\s+in\s+tomcat\.filter\s*-?%\}/.test(template) && /\{%-?\s*for\s+\w+\s+in\s+tomcat\.filter_mapping\s*-?%\}/.test(template);

/** Only HSTS changes: the filter's other headers default to on and would change every application's behaviour. */
function initParams(wanted: string): [string, TomlWritable][] {
  return [
    ['hstsEnabled', true],
    ['hstsMaxAgeSeconds', Number(wanted)],
    ['antiClickJackingEnabled', false],
    ['blockContentTypeSniffingEnabled', false],
  ];
}

/** End of an array-of-tables element's last line, its sub-tables (`[tomcat.filter.init_params]`) included. */
function elementEnd(doc: TomlDoc, path: readonly string[]): number | undefined {
  const elements = doc.tables.filter((t) => t.kind === 'array' && samePath(t.path.slice(0, -1), path));
  const last = elements.at(-1);
  if (!last) return undefined;
  return Math.max(...doc.tables.filter((t) => startsWith(t.path, last.path)).map((t) => t.bodyEnd));
}

/** A new element (header, keys, optional sub-table) after the array's last one, or as a new section. */
function appendElement(doc: TomlDoc, path: readonly string[], lines: string[]): TextEdit {
  const end = elementEnd(doc, path);
  if (end === undefined) return sectionEdit(doc, lines);
  const eol = eolAt(doc.text, end);
  return { start: end, end, text: eol + eol + lines.join(eol) };
}

const show = (v: unknown): string => (v === undefined ? '(not set)' : JSON.stringify(v));

export function globalFilterFindings(t: TransformMeta, ctx: TransformContext, o: HstsTarget): Finding[] {
  const config = tomlConfig(ctx);
  if (!config) return [report(t, 'not-applicable', 'no deployment.toml')];
  const file = config.path;
  const manual = (why: string, line?: number): Finding[] => [report(t, 'manual', why, file, line)];
  const target = `hstsEnabled = true and hstsMaxAgeSeconds = ${o.wanted}`;
  if (!config.hasTemplates) {
    return manual(
      `this copy of the home has no repository/resources/conf/templates/, so harden cannot tell whether the product's ${GLOBAL_WEB_XML} template renders [[tomcat.filter]] (kernel 4.6.1 and later); run harden on the full product home`,
    );
  }
  const template = config.template(GLOBAL_WEB_XML);
  if (template === undefined || !LOOPS(template)) {
    return manual(
      `this product's templates/${GLOBAL_WEB_XML}.j2 ${template === undefined ? 'is missing' : 'has no tomcat.filter loop (kernels 4.5.x and 4.6.0, e.g. API Manager 3.x)'}, so deployment.toml cannot declare a filter for every web application; send Strict-Transport-Security from the load balancer or reverse proxy in front of the server`,
    );
  }
  for (const [path, canonical] of [[FILTERS, 'tomcat.filter'], [MAPPINGS, 'tomcat.filter_mapping']] as const) {
    const legacy = effective(config, canonical).entries.find((e) => !startsWith(e.path, path));
    if (legacy) return manual(`${legacy.keyRaw} sets ${canonical} through key-mappings.json; declare the HSTS filter there by hand with ${target}`, lineOf(config.doc.text, legacy.keyStart));
  }
  const filters = tomlArray(config.doc, FILTERS);
  const mappings = tomlArray(config.doc, MAPPINGS);
  for (const a of [filters, mappings]) if (typeof a === 'string') return manual(`${a}, but the global web.xml template loops over it as a list of tables; declare the HSTS filter by hand`);
  const fs = filters as Exclude<typeof filters, string>;
  const ms = mappings as Exclude<typeof mappings, string>;
  // An array written in deployment.toml replaces the default one wholesale (RULES §1.1).
  for (const [written, canonical] of [[fs, 'tomcat.filter'], [ms, 'tomcat.filter_mapping']] as const) {
    if (!written && config.defaults[canonical] !== undefined) {
      return manual(`default.json defines ${canonical}, and a [[${canonical}]] array in deployment.toml would replace it wholesale; restate its entries by hand together with an HSTS filter (${target})`);
    }
  }
  const elements = fs?.elements ?? [];
  const mapped = (name: string): boolean =>
    (ms?.elements ?? []).some((m) => isTree(m) && typeof m.name === 'string' && m.name.trim() === name && m.url_pattern !== undefined);
  const hsts = elements.flatMap((e, index) => (isTree(e) && typeof e.class === 'string' && e.class.trim() === HSTS_FILTER_CLASS ? [{ e, index }] : []));
  if (hsts.length > 1) return manual(`deployment.toml declares ${hsts.length} [[tomcat.filter]] entries of class ${HSTS_FILTER_CLASS}; keep one, mapped to "/*", with ${target}`, fs!.line);

  if (hsts.length === 1) return existingFilter(t, config, hsts[0]!.e, hsts[0]!.index, fs!, mapped, o);

  if (elements.some((e) => isTree(e) && e.name === NAME) || (ms?.elements ?? []).some((m) => isTree(m) && m.name === NAME)) {
    return manual(`deployment.toml already uses the filter name "${NAME}" for something else; declare the HSTS filter by hand under another name with ${target}`, fs?.line ?? ms?.line);
  }
  if (fs?.form === 'inline' || ms?.form === 'inline') {
    return manual(`tomcat.filter or tomcat.filter_mapping is an inline array, which harden does not reformat; add the HSTS filter to it by hand with ${target}`, (fs?.form === 'inline' ? fs : ms)?.line);
  }
  const style = { ...keyStyle(config.doc, []), indent: '' };
  const params = initParams(o.wanted);
  const filterLines = [
    renderHeader(FILTERS, true, style.quote),
    keyValueLine(style, 'name', NAME),
    keyValueLine(style, 'class', HSTS_FILTER_CLASS),
    '',
    renderHeader([...FILTERS, 'init_params'], false, style.quote),
    ...params.map(([k, v]) => keyValueLine(style, k, v)),
  ];
  const mappingEntry: [string, TomlWritable][] = [['name', NAME], ['url_pattern', '/*'], ['dispatchers', ['REQUEST']]];
  const mappingLines = [renderHeader(MAPPINGS, true, style.quote), ...mappingEntry.map(([k, v]) => keyValueLine(style, k, v))];
  const edits: TextEdit[] =
    !fs && !ms
      ? [sectionEdit(config.doc, [...filterLines, '', ...mappingLines])]
      : [appendElement(config.doc, FILTERS, filterLines), appendElement(config.doc, MAPPINGS, mappingLines)];
  const intents: Intent[] = [
    { kind: 'toml-append', key: FILTERS, value: { name: NAME, class: HSTS_FILTER_CLASS, init_params: Object.fromEntries(params) } },
    { kind: 'toml-append', key: MAPPINGS, value: Object.fromEntries(mappingEntry) },
  ];
  const first = [...edits].sort((a, b) => a.start - b.start)[0]!;
  const lead = /^(\r?\n)*/.exec(first.text)?.[0] ?? '';
  const line = lineOf(config.doc.text, first.start) + (lead.match(/\n/g)?.length ?? 0);
  return [
    fix(
      t,
      file,
      line,
      `no filter in the global default web.xml sends Strict-Transport-Security, so web applications without their own HSTS filter never send it; declare [[tomcat.filter]] "${NAME}" (${HSTS_FILTER_CLASS}) with ${target}, mapped to "/*" (anti-click-jacking and content-type-sniffing headers off, so only HSTS changes; sent on HTTPS responses only)`,
      edits,
      intents,
    ),
  ];
}

/** A [[tomcat.filter]] of the HSTS class is already there: made to send HSTS with a real max-age, in place. */
function existingFilter(
  t: TransformMeta,
  config: TomlConfig,
  e: Record<string, unknown>,
  index: number,
  fs: NonNullable<Exclude<ReturnType<typeof tomlArray>, string>>,
  mapped: (name: string) => boolean,
  o: HstsTarget,
): Finding[] {
  const file = config.path;
  const manual = (why: string): Finding[] => [report(t, 'manual', why, file, fs.line)];
  const name = typeof e.name === 'string' ? e.name.trim() : '';
  const target = `hstsEnabled = true and hstsMaxAgeSeconds = ${o.wanted}`;
  const which = `[[tomcat.filter]] "${name || '(no name)'}" (${HSTS_FILTER_CLASS})`;
  if (!name || !mapped(name)) return manual(`${which} is declared but no [[tomcat.filter_mapping]] with a url_pattern names it, so it sends nothing; map it to "/*" and give it ${target}`);
  if (e.init_params !== undefined && !isTree(e.init_params)) return manual(`${which} has init_params that are not a table; give it ${target} by hand`);
  const params = (e.init_params ?? {}) as Record<string, unknown>;
  const enabled = params.hstsEnabled;
  const maxAge = params.hstsMaxAgeSeconds;
  const placeholder = [enabled, maxAge].find((v) => typeof v === 'string' && /\$(env|sys|ref|secret)?\{/.test(v));
  if (placeholder !== undefined) return manual(`${which} has the value ${show(placeholder)}, which harden cannot evaluate; make sure it resolves to ${target}`);
  // Absent hstsEnabled is Tomcat's default true; absent max-age its default 0.
  const enabledOk = enabled === undefined || isTrue(enabled);
  const age = maxAgeOf(maxAge);
  if (enabledOk && age >= o.floor) return [report(t, 'compliant', `${which} sends Strict-Transport-Security: max-age=${age} for every web application`, file, fs.line)];
  if (fs.form === 'inline') return manual(`${which} is in an inline array, which harden does not reformat; give it ${target} by hand`);
  const base = [...FILTERS, String(index), 'init_params'];
  const edits: TextEdit[] = [];
  const intents: Intent[] = [];
  const problems: string[] = [];
  const set = (key: string, value: TomlWritable): void => {
    edits.push(...setOrAdd(config.doc, [...base, key], value));
    intents.push({ kind: 'toml-set', key: [...base, key], value });
  };
  try {
    if (!enabledOk) {
      set('hstsEnabled', typeof enabled === 'string' ? 'true' : true);
      problems.push(`hstsEnabled = ${show(enabled)}`);
    }
    if (age < o.floor) {
      set('hstsMaxAgeSeconds', typeof maxAge === 'string' ? o.wanted : Number(o.wanted));
      problems.push(maxAge === undefined ? "no hstsMaxAgeSeconds (Tomcat's default 0 sends max-age=0, HSTS off)" : `hstsMaxAgeSeconds = ${show(maxAge)}${age === 0 ? ' (HSTS off)' : ` (below ${o.floor})`}`);
    }
  } catch (err) {
    return manual(`${which} cannot be edited without reformatting it (${(err as Error).message}); give it ${target} by hand`);
  }
  const first = edits[0];
  const line = first ? lineOf(config.doc.text, lineStartOf(config.doc.text, first.start)) : fs.line;
  return [fix(t, file, line, `${which} has ${problems.join(' and ')}; set ${target} (sent on HTTPS responses only)`, edits, intents)];
}
