// The deployment.toml form (RULES §2.11, RULES-FACTCHECK A29, B2, C16, C17): what renders the console web.xml
// decides the fix. Not templated (IS 6/7) → the static file is fixed in place; APIM 4.x's template loops
// [[tomcat.header_security_filters]] → that array; the kernel key or a hard-coded template → manual.
import { setOrAdd } from '../../src/formats/toml/add-key.js';
import { samePath } from '../../src/formats/toml/locate.js';
import type { TomlWritable } from '../../src/formats/toml/render.js';
import type { TextEdit } from '../../src/formats/text.js';
import { effective, tomlConfig, type TomlConfig } from '../../src/kit/deployment-toml.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { isTrue, maxAgeOf } from '../../src/kit/hsts-filter.js';
import { appendArrayTables, isTree, isWritable, tomlArray } from '../../src/kit/toml-array-tables.js';
import type { Finding, Intent, Transform, TransformContext } from '../../src/engine/types.js';

export const CONSOLE_WEB_XML = 'repository/conf/tomcat/carbon/WEB-INF/web.xml';
/** The global default web.xml, applied to every context including /carbon (RULES §2.12). */
export const GLOBAL_WEB_XML = 'repository/conf/tomcat/web.xml';
const ARRAY = ['tomcat', 'header_security_filters'];
const CANONICAL = 'tomcat.header_security_filters';

export interface HstsOptions {
  wanted: string;
  floor: number;
  /** The XML form's fix of a web.xml file in place. */
  inPlace: (file: string) => Finding[];
}

export function tomlFindings(t: Transform, ctx: TransformContext, o: HstsOptions): Finding[] {
  const config = tomlConfig(ctx);
  if (!config) return [report(t, 'not-applicable', 'no deployment.toml')];
  const template = config.template(CONSOLE_WEB_XML);
  if (template === undefined && !ctx.files.get(CONSOLE_WEB_XML)) {
    return [report(t, 'not-applicable', `no management console web.xml (${CONSOLE_WEB_XML}) and no template for it`)];
  }
  const manual = (why: string, file = config.path, line?: number): Finding[] => [report(t, 'manual', why, file, line)];
  if (template === undefined) {
    // Not templated: the file is static (IS 6/7) unless the config mapper says it generated it.
    const generated = ctx.product.generated ?? [];
    if (generated.some((g) => g.path === CONSOLE_WEB_XML)) {
      return manual(
        `metadata_config.properties lists ${CONSOLE_WEB_XML} as generated at the last start, but this copy has no template for it, so an edit may be overwritten; check where it comes from, then give its HttpHeaderSecurityFilter hstsEnabled=true and hstsMaxAgeSeconds=${o.wanted}`,
        CONSOLE_WEB_XML,
      );
    }
    if (!config.hasTemplates && generated.length === 0) {
      return manual(
        `this copy of the home has no repository/resources/conf/templates/ and the server has not run, so harden cannot tell whether the config mapper regenerates ${CONSOLE_WEB_XML}; run harden on the full product home`,
        CONSOLE_WEB_XML,
      );
    }
    return o.inPlace(CONSOLE_WEB_XML);
  }
  const where = `the product's template templates/${CONSOLE_WEB_XML}.j2`;
  if (template.includes(CANONICAL)) return arrayFindings(t, config, o);
  const instead = globalFilterGuidance(config, o.wanted);
  if (template.includes('http_header_security_filter.hsts.enabled')) {
    return manual(
      `${where} renders hstsEnabled from [http_header_security_filter] hsts.enabled but has no hstsMaxAgeSeconds parameter: enabling it alone sends Strict-Transport-Security: max-age=0 (HSTS off), and the template cannot set a max-age. ${instead}`,
    );
  }
  const off = /hstsEnabled\s*<\/param-name>\s*<param-value>\s*false\s*</.test(template) ? ' (hstsEnabled=false)' : '';
  return manual(
    `${where} hard-codes the HttpHeaderSecurityFilter init-params${off}: no deployment.toml key reaches them, and an edit of the rendered ${CONSOLE_WEB_XML} is lost at the next start. ${instead}`,
  );
}

/** The §2.12 global filter as advice (never written: it applies to every web application, not just the console). */
function globalFilterGuidance(config: TomlConfig, wanted: string): string {
  const global = config.template(GLOBAL_WEB_XML);
  if (global === undefined || !/\btomcat\.filter(?![\w.])/.test(global)) {
    return `This product's templates/${GLOBAL_WEB_XML}.j2 has no tomcat.filter loop either, so deployment.toml cannot add HSTS to the console: send Strict-Transport-Security from the load balancer or reverse proxy in front of it.`;
  }
  return (
    `Instead, declare the filter for every web application (the console included) in deployment.toml by hand: ` +
    `[[tomcat.filter]] name = "httpHeaderSecurity", class = "org.apache.catalina.filters.HttpHeaderSecurityFilter"; ` +
    `[tomcat.filter.init_params] hstsEnabled = true, hstsMaxAgeSeconds = ${wanted}; ` +
    `[[tomcat.filter_mapping]] name = "httpHeaderSecurity", url_pattern = "/*", dispatchers = "REQUEST" ` +
    `(keep a name other than HttpHeaderSecurityFilter, which the console's own filter would override).`
  );
}

/** The line an insertion's first non-blank line will have (an insertion usually starts by ending the line before). */
function firstLine(text: string, edit: TextEdit | undefined): number {
  if (!edit) return 1;
  const lead = /^(\r?\n)*/.exec(edit.text)?.[0] ?? '';
  return lineOf(text, edit.start) + (lead.match(/\n/g)?.length ?? 0);
}

/** A config-mapper placeholder or a runtime property: harden cannot know its value. */
const isPlaceholder = (v: unknown): boolean => typeof v === 'string' && /\$(env|sys|ref|secret)?\{/.test(v);
/** The new value in the old value's TOML type (a quoted "false" becomes "true"). */
const like = (old: unknown, v: boolean | number): TomlWritable => (typeof old === 'string' ? String(v) : v);
const shown = (elements: unknown[]): string =>
  `[${elements.map((e) => (isTree(e) ? `${String(e.name)}=${e.value === undefined ? '(no value)' : String(e.value)}` : JSON.stringify(e))).join(', ')}]`;

interface ParamAt {
  index: number;
  value: unknown;
}

interface Evaluation {
  enabled: ParamAt[];
  maxAge: ParamAt[];
  placeholder: ParamAt | undefined;
  compliant: boolean;
}

/** What is wrong, for messages: the values that fail, or the missing max-age. */
function problems(state: Evaluation, floor: number): string[] {
  return [
    ...state.enabled.filter((p) => !isTrue(p.value)).map((p) => `hstsEnabled=${String(p.value)}`),
    ...state.maxAge.filter((p) => maxAgeOf(p.value) < floor).map((p) => `hstsMaxAgeSeconds=${String(p.value)}${maxAgeOf(p.value) === 0 ? ' (HSTS off)' : ` (below ${floor})`}`),
    ...(state.maxAge.length ? [] : ["no hstsMaxAgeSeconds (Tomcat's default 0 sends max-age=0, HSTS off)"]),
  ];
}

function evaluate(elements: unknown[], floor: number): Evaluation {
  const named = (name: string): ParamAt[] =>
    elements.flatMap((e, index) => (isTree(e) && typeof e.name === 'string' && e.name.trim() === name ? [{ index, value: e.value }] : []));
  const enabled = named('hstsEnabled');
  const maxAge = named('hstsMaxAgeSeconds');
  return {
    enabled,
    maxAge,
    placeholder: [...enabled, ...maxAge].find((p) => isPlaceholder(p.value)),
    // An absent hstsEnabled is Tomcat's default true; an absent max-age is its default 0.
    compliant: enabled.every((p) => isTrue(p.value)) && maxAge.length > 0 && maxAge.every((p) => maxAgeOf(p.value) >= floor),
  };
}

/** APIM ≥ 4.0: the console filter's init-params are the elements of tomcat.header_security_filters. */
function arrayFindings(t: Transform, config: TomlConfig, o: HstsOptions): Finding[] {
  const { doc, path: file } = config;
  const manual = (why: string, line?: number): Finding[] => [report(t, 'manual', why, file, line)];
  const target = `hstsEnabled = true and hstsMaxAgeSeconds = ${o.wanted}`;
  const legacy = effective(config, CANONICAL).entries.find((e) => !samePath(e.path, ARRAY));
  if (legacy) {
    return manual(`${legacy.keyRaw} sets ${CANONICAL} through key-mappings.json; give that array ${target} by hand`, lineOf(doc.text, legacy.keyStart));
  }
  const written = tomlArray(doc, ARRAY);
  if (typeof written === 'string') return manual(`${written}, but the console's web.xml template loops over it as a list of {name, value}; make it [[tomcat.header_security_filters]] entries with ${target}`);

  if (written) {
    const state = evaluate(written.elements, o.floor);
    const list = `deployment.toml's ${CANONICAL} ${shown(written.elements)} (line ${written.line})`;
    if (state.placeholder) {
      return manual(`${list} has the value "${String(state.placeholder.value)}", which harden cannot evaluate; make sure it resolves to ${target}`, written.line);
    }
    if (state.compliant) return [report(t, 'compliant', `${list} renders Strict-Transport-Security: max-age=${Math.min(...state.maxAge.map((p) => maxAgeOf(p.value)))} on the console`, file, written.line)];
    if (state.maxAge.length === 0 && written.form === 'inline') {
      return manual(`${list} has no hstsMaxAgeSeconds (Tomcat's default 0 sends max-age=0, HSTS off) and is an inline array, which harden does not reformat; add {name = "hstsMaxAgeSeconds", value = ${o.wanted}} to it by hand and make sure hstsEnabled is true`, written.line);
    }
    const edits: TextEdit[] = [];
    const intents: Intent[] = [];
    const set = (p: ParamAt, value: TomlWritable): void => {
      const key = [...ARRAY, String(p.index), 'value'];
      edits.push(...setOrAdd(doc, key, value));
      intents.push({ kind: 'toml-set', key, value });
    };
    try {
      for (const p of state.enabled.filter((x) => !isTrue(x.value))) {
        set(p, like(p.value, true));
      }
      for (const p of state.maxAge.filter((x) => maxAgeOf(x.value) < o.floor)) {
        set(p, like(p.value, Number(o.wanted)));
      }
      if (state.maxAge.length === 0) {
        const element = [['name', 'hstsMaxAgeSeconds'], ['value', Number(o.wanted)]] as const;
        edits.push(...appendArrayTables(doc, ARRAY, [element]));
        intents.push({ kind: 'toml-append', key: ARRAY, value: Object.fromEntries(element) });
      }
    } catch (e) {
      return manual(`${list} cannot be edited without reformatting it (${(e as Error).message}); set ${target} by hand`, written.line);
    }
    return [fix(t, file, written.line, `${list} has ${problems(state, o.floor).join(' and ')}; set ${target} (sent on HTTPS responses only)`, edits, intents)];
  }

  // Not in deployment.toml: default.json's array applies, and an array written in the TOML replaces it wholesale.
  const defaults = config.defaults[CANONICAL];
  if (defaults === undefined) {
    return manual(
      `deployment.toml does not set ${CANONICAL} and this home's default.json does not define it, so harden cannot restate the default entries that a [[tomcat.header_security_filters]] array would replace; add the product's default entries by hand with ${target}`,
    );
  }
  if (!Array.isArray(defaults) || !defaults.every((e) => isTree(e) && typeof e.name === 'string' && Object.values(e).every(isWritable))) {
    return manual(`default.json's ${CANONICAL} is not a list of {name, value}; add [[tomcat.header_security_filters]] entries by hand with ${target}`);
  }
  const state = evaluate(defaults, o.floor);
  const list = `default.json's ${CANONICAL} ${shown(defaults)} (deployment.toml does not set it)`;
  if (state.placeholder) return manual(`${list} has the value "${String(state.placeholder.value)}", which harden cannot evaluate; make sure it resolves to ${target}`);
  if (state.compliant) return [report(t, 'compliant', `${list} renders Strict-Transport-Security: max-age=${Math.min(...state.maxAge.map((p) => maxAgeOf(p.value)))} on the console`, file)];
  // Restate every default entry, with the HSTS ones made secure, then the max-age when the default has none.
  const restated = (defaults as Record<string, TomlWritable>[]).map((e): [string, TomlWritable][] =>
    Object.entries(e).map(([k, v]): [string, TomlWritable] => {
      if (k !== 'value') return [k, v];
      if (e.name === 'hstsEnabled' && !isTrue(v)) return [k, like(v, true)];
      if (e.name === 'hstsMaxAgeSeconds' && maxAgeOf(v) < o.floor) return [k, like(v, Number(o.wanted))];
      return [k, v];
    }),
  );
  if (state.maxAge.length === 0) restated.push([['name', 'hstsMaxAgeSeconds'], ['value', Number(o.wanted)]]);
  let edits: TextEdit[];
  try {
    edits = appendArrayTables(doc, ARRAY, restated);
  } catch (e) {
    return manual(`${list}; harden cannot add [[tomcat.header_security_filters]] here (${(e as Error).message}); add the default entries by hand with ${target}`);
  }
  const intents: Intent[] = restated.map((r) => ({ kind: 'toml-append', key: ARRAY, value: Object.fromEntries(r) }));
  const others = defaults.filter((e) => !['hstsEnabled', 'hstsMaxAgeSeconds'].includes(String((e as { name: string }).name).trim()));
  const keep = others.length ? `, restating ${others.map((e) => String((e as { name: string }).name)).join(', ')} unchanged because an array in deployment.toml replaces the default wholesale` : '';
  return [
    fix(t, file, firstLine(doc.text, edits[0]), `${list} has ${problems(state, o.floor).join(' and ')}; write the array into deployment.toml with ${target}${keep}`, edits, intents),
  ];
}
