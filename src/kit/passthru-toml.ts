// The deployment.toml form of the PassThrough HTTPS TLS settings (RULES.md §2.8/§2.9, RULES-FACTCHECK
// A24–A27, B13, C11, C15). API Manager renders [transport.passthru_https.{listener,sender}.parameters]
// into axis2.xml; Micro Integrator renders transport.https.{listener,sender}.parameter, written as the
// documented [transport.http] listener./sender. keys or as those raw tables. Generated XML is never edited.
import { eolAt, type TextEdit } from '../formats/text.js';
import { lineOf as tomlLine, samePath, startsWith, type TomlDoc, type TomlEntry, type TomlTable } from '../formats/toml/locate.js';
import { sectionEdit } from '../formats/toml/new-section.js';
import { setOrAdd } from '../formats/toml/add-key.js';
import { keyStyle, keyValueLine, renderHeader, renderKey, type KeyStyle } from '../formats/toml/render.js';
import { xmlSafe } from '../formats/toml/xml-safe.js';
import { protocolsComply, splitList, type TlsPolicy } from '../engine/tls-profiles.js';
import { effective, flatKey, templateReads, tomlConfig, tomlFiles, writeSetting, type TomlConfig } from './deployment-toml.js';
import { fix, report } from './findings.js';
import { settingFix } from './toml-setting.js';
import { synapseSyntax } from './passthru.js';
import type { FileEdit, Finding, ProductInfo, TransformContext, TransformMeta } from '../engine/types.js';

export type Side = 'listener' | 'sender';
export type Param = 'HttpsProtocols' | 'PreferredCiphers';
const SIDES: Side[] = ['listener', 'sender'];

/** One way of writing a setting: a header table and the (possibly dotted) key written inside it. */
interface Spelling {
  table: string[];
  key: string[];
}

interface Setting {
  side: Side;
  canonical: string;
  /** Where a missing key goes when some table for it already exists, in order of preference. */
  spellings: Spelling[];
  /** The spelling of a new section, when no table for any spelling exists. */
  create: Spelling;
}

interface Layout {
  template: string;
  /** The template text that shows it renders this side's parameters. */
  needle: Record<Side, string>;
  /** The switch the template puts around each transport. */
  enable: Record<Side, string>;
  /** Keys written the Micro Integrator way, which API Manager maps nowhere useful (RULES §2.8 pitfall). */
  deadKeys: Record<Param, Partial<Record<Side, string>>>;
}

const APIM: Layout = {
  template: 'repository/conf/axis2/axis2.xml',
  needle: { listener: 'transport.passthru_https.listener.parameters', sender: 'transport.passthru_https.sender.parameters' },
  enable: { listener: 'transport.passthru_https.listener.enable', sender: 'transport.passthru_https.sender.enable' },
  deadKeys: {
    HttpsProtocols: { listener: 'transport.http.listener.secured_protocols', sender: 'transport.http.sender.secured_protocols' },
    PreferredCiphers: { listener: 'transport.http.listener.preferred_ciphers' },
  },
};

const MI: Layout = {
  template: 'conf/axis2/axis2.xml',
  needle: { listener: 'transport.https.listener.parameter', sender: 'transport.https.sender.parameter' },
  enable: { listener: 'transport.http.listener.secured_enable', sender: 'transport.http.sender.secured_enable' },
  deadKeys: { HttpsProtocols: {}, PreferredCiphers: {} },
};

/** The dynamic SSL profile of the 8243 listener (APIM): 4.2+ copy the listener's values into it, 3.2 does not (C11). */
const LISTENER_PROFILES = 'repository/resources/security/listenerprofiles.xml';

function layoutOf(product: ProductInfo): Layout | undefined {
  return product.model === 'toml' ? APIM : product.model === 'mi' ? MI : undefined;
}

export function passthruTomlFiles(product: ProductInfo): string[] {
  const layout = layoutOf(product);
  if (!layout) return [];
  return tomlFiles(product, product.model === 'toml' ? [layout.template, LISTENER_PROFILES] : [layout.template]);
}

function settingsFor(model: 'toml' | 'mi', param: Param): Setting[] {
  return SIDES.map((side): Setting => {
    if (model === 'toml') {
      const spelling = { table: ['transport', 'passthru_https', side, 'parameters'], key: [param] };
      return { side, canonical: `transport.passthru_https.${side}.parameters.${param}`, spellings: [spelling], create: spelling };
    }
    // MI: the raw table is what the template reads; the documented [transport.http] keys map onto it.
    const raw = { table: ['transport', 'https', side, 'parameter'], key: [param] };
    const documented =
      param === 'HttpsProtocols'
        ? { table: ['transport', 'http'], key: [side, 'secured_protocols'] }
        : side === 'listener'
          ? { table: ['transport', 'http'], key: [side, 'preferred_ciphers'] }
          : undefined; // the sender has no mapped cipher key (C15)
    const canonical = `transport.https.${side}.parameter.${param}`;
    // A new [transport.http] section is passthru-tls-protocols' to add; the ciphers go to the raw tables then,
    // so the two rules never add the same table in one run.
    const create = param === 'HttpsProtocols' && documented ? documented : raw;
    return { side, canonical, spellings: documented ? [documented, raw] : [raw], create };
  });
}

const label = (side: Side): string => `PassThrough HTTPS ${side}`;
const refersElsewhere = (v: string): boolean => /\$(ref|env|sys|secret)\{/.test(v);
const spelled = (s: Spelling): string => `[${flatKey(s.table)}] ${s.key.join('.')}`;

/** A value Synapse would accept and that meets the policy; arrays and other types are rendered oddly, so never. */
function judge(value: unknown, ok: (v: string) => boolean): 'ok' | 'weak' | 'reference' {
  if (typeof value !== 'string') return 'weak';
  if (refersElsewhere(value)) return 'reference';
  return synapseSyntax(value) && ok(value) ? 'ok' : 'weak';
}

/** Protocols this side will have once passthru-tls-protocols has run (a compliant value stays). */
function protocolsAfterFix(config: TomlConfig, model: 'toml' | 'mi', side: Side, policy: TlsPolicy): string[] {
  const s = settingsFor(model, 'HttpsProtocols').find((x) => x.side === side)!;
  const eff = effective(config, s.canonical);
  const values = eff.entries.length ? eff.entries.map((e) => e.value) : [eff.value];
  const keeps = values.every((v) => judge(v, (x) => protocolsComply(x, policy)) === 'ok');
  return keeps && typeof eff.value === 'string' ? splitList(eff.value) : policy.protocols;
}

export interface TomlParamRule {
  param: Param;
  /** The value to write (the policy's list, comma-joined). */
  wanted: string;
  complies: (value: string, side: Side) => boolean;
  /** Why an unset parameter is a finding. */
  unset: string;
}

type Placement =
  | { kind: 'edits'; edits: TextEdit[]; key: string[]; where: string; line: number }
  | { kind: 'append'; table: TomlTable; spelling: Spelling }
  | { kind: 'create'; spelling: Spelling }
  | { kind: 'manual'; why: string };

/** Where a key that is not in the file goes: next to what is already written for it, else a new section. */
function place(doc: TomlDoc, s: Setting, value: string): Placement {
  const line = (offset: number): number => tomlLine(doc, offset);
  const full = (sp: Spelling): string[] => [...sp.table, ...sp.key];
  const conflicts = (path: string[]): boolean =>
    doc.entries.some((e) => startsWith(path, e.path) || startsWith(e.path, path)) || doc.tables.some((t) => startsWith(t.path, path));
  const adapter = (sp: Spelling, at: number): Placement => {
    try {
      return { kind: 'edits', edits: setOrAdd(doc, full(sp), value), key: full(sp), where: spelled(sp), line: line(at) };
    } catch (e) {
      return { kind: 'manual', why: e instanceof Error ? e.message : String(e) };
    }
  };
  // First choice: the key's own table exists, as a header or through dotted keys (`listener.port` in [transport.http]).
  for (const sp of s.spellings) {
    const parent = [...sp.table, ...sp.key.slice(0, -1)];
    const header = doc.tables.find((t) => t.kind === 'standard' && samePath(t.path, parent));
    const sibling = doc.entries.filter((e) => !e.inline && e.path.length > parent.length && startsWith(e.path, parent) && e.table.path.length < parent.length).at(-1);
    if (header || sibling) return adapter(sp, header ? header.headerStart : sibling!.keyStart);
  }
  // Next: the spelling's table exists without the key's own sub-table ([transport.http] without listener.*):
  // a dotted key there reads like the documentation, where the adapter would open [transport.http.listener].
  for (const sp of s.spellings) {
    if (sp.key.length < 2) continue;
    const table = doc.tables.find((t) => t.kind === 'standard' && samePath(t.path, sp.table));
    if (table && !conflicts([...sp.table, ...sp.key.slice(0, -1)])) return { kind: 'append', table, spelling: sp };
  }
  // Defined in some other shape (dotted keys from a parent, an inline table): the adapter adds it or says why not.
  if (conflicts(s.create.table)) return adapter(s.create, 0);
  return { kind: 'create', spelling: s.create };
}

interface NewLine {
  spelling: Spelling;
  value: string;
}

/** `a.b.key = "value"` for a spelling's key, in a given style. */
function lineFor(style: KeyStyle, w: NewLine): string {
  const prefix = w.spelling.key.slice(0, -1).map((k) => renderKey(k, style.quote) + '.').join('');
  return keyValueLine(style, w.spelling.key.at(-1)!, w.value, prefix);
}

/** Lines added where a table's last key-value line ends, or a new section for the table. */
type Target = { kind: 'append'; table: TomlTable } | { kind: 'create'; table: string[] };

function render(doc: TomlDoc, target: Target, wanted: NewLine[]): TextEdit {
  if (target.kind === 'create') {
    const style = { ...keyStyle(doc, []), indent: '' };
    return sectionEdit(doc, [renderHeader(target.table, false, style.quote), ...wanted.map((w) => lineFor(style, w))]);
  }
  const at = target.table.bodyEnd;
  const style = keyStyle(doc, target.table.entries);
  return { start: at, end: at, text: wanted.map((w) => eolAt(doc.text, at) + lineFor(style, w)).join('') };
}

/** Where a TOML entry is, for messages. */
function at(doc: TomlDoc, e: TomlEntry): string {
  return `[${flatKey(e.table.path)}] ${e.keyRaw} (line ${tomlLine(doc, e.keyStart)})`;
}

/** Which sides this product renders; a reason when none. */
function renderedSides(config: TomlConfig, product: ProductInfo, layout: Layout): { sides: Side[]; skipped: string[] } | { none: string } {
  const skipped: string[] = [];
  const sides: Side[] = [];
  for (const side of SIDES) {
    const reads = templateReads(config, layout.template, layout.needle[side]);
    if (reads === false) {
      skipped.push(`${side}: the product's ${layout.template}.j2 does not render it`);
      continue;
    }
    if (reads === 'unknown') {
      // A copy without templates/: API Manager and MI ship the transport, IS and the bare kernel do not.
      const known = product.model === 'mi' || product.id === 'wso2am' || Object.keys(config.defaults).some((k) => k.startsWith(layout.needle[side]));
      if (!known) {
        skipped.push(`${side}: ${product.name} has none (this copy has no templates/ to check)`);
        continue;
      }
    }
    const on = effective(config, layout.enable[side]).value;
    if (on === false || on === 'false') {
      skipped.push(`${side}: disabled (${layout.enable[side]} = false), so not rendered`);
      continue;
    }
    sides.push(side);
  }
  if (sides.length) return { sides, skipped };
  const why = skipped.some((s) => s.includes('disabled'))
    ? `the PassThrough HTTPS transports are not rendered: ${skipped.join('; ')}`
    : config.hasTemplates
      ? `the product's ${layout.template}.j2 template renders no PassThrough HTTPS listener or sender (Identity Server and the bare kernel have none)`
      : `${product.name} has no PassThrough HTTPS transport (this copy has no templates/ to check)`;
  return { none: why };
}

/** Plans one PassThrough parameter in deployment.toml: in place where set (legacy spellings too), else added. */
export function planPassthruToml(meta: TransformMeta, ctx: TransformContext, rule: TomlParamRule): Finding[] {
  const layout = layoutOf(ctx.product)!;
  const model = ctx.product.model as 'toml' | 'mi';
  const config = tomlConfig(ctx);
  if (!config) return [report(meta, 'not-applicable', `no ${ctx.product.model === 'mi' ? 'conf' : 'repository/conf'}/deployment.toml`)];
  const doc = config.doc;
  const file = config.path;
  const policy = ctx.options.policy;
  const rendered = renderedSides(config, ctx.product, layout);
  if ('none' in rendered) return [report(meta, 'not-applicable', rendered.none)];

  const findings: Finding[] = rendered.skipped.map((why) => report(meta, 'not-applicable', `PassThrough HTTPS ${why}`));
  const toAdd: (NewLine & { target: Target; finding: Finding })[] = [];
  for (const s of settingsFor(model, rule.param)) {
    if (!rendered.sides.includes(s.side)) continue;
    const wanted = xmlSafe(rule.wanted);
    const ok = (v: string): boolean => rule.complies(v, s.side);
    const eff = effective(config, s.canonical);
    // Every spelling that sets it must comply: which one the config mapper keeps is not worth guessing.
    const verdicts = eff.entries.length ? eff.entries.map((e) => judge(e.value, ok)) : [eff.source === 'default' ? judge(eff.value, ok) : 'weak'];
    const verdict = verdicts.includes('weak') ? 'weak' : verdicts.includes('reference') ? 'reference' : 'ok';
    const shown = eff.value === undefined ? '' : typeof eff.value === 'string' ? eff.value : JSON.stringify(eff.value);
    const first = eff.entries[0];
    const line = first ? tomlLine(doc, first.keyStart) : undefined;

    if (verdict === 'ok') {
      const where = first ? eff.entries.map((e) => at(doc, e)).join(', ') : 'the product default (default.json)';
      findings.push(report(meta, 'compliant', `${label(s.side)} has ${rule.param}=${shown} (${where})`, file, line));
      continue;
    }
    if (verdict === 'reference') {
      findings.push(report(meta, 'manual', `${label(s.side)} takes ${rule.param} from ${shown} (${first ? at(doc, first) : 'default.json'}), resolved at start-up; make sure it resolves to ${wanted}`, file, line));
      continue;
    }
    const weak = eff.entries.length
      ? `${label(s.side)} has ${rule.param}=${shown || '(empty)'} at ${eff.entries.map((e) => at(doc, e)).join(', ')}, which does not meet the ${policy.profile} profile on JDK ${policy.jdk}`
      : `${label(s.side)}: ${rule.param} ${eff.source === 'default' ? `is the product default ${shown}` : `is not set (${rule.unset})`}`;
    if (model === 'toml') {
      // API Manager: one spelling; a table the sibling rule added before this one ran is found like any other.
      const writeAs = [...s.create.table, ...s.create.key];
      findings.push(settingFix(meta, config, s.canonical, writeAs, wanted, (where) => `${weak}; set ${where} = "${wanted}"`));
      continue;
    }
    if (eff.entries.length) {
      const w = writeSetting(config, s.canonical, [], wanted);
      findings.push(fix(meta, file, line ?? 1, `${weak}; set "${wanted}"`, w.edits, w.intents));
      continue;
    }
    const p = place(doc, s, wanted);
    if (p.kind === 'manual') {
      findings.push(report(meta, 'manual', `${weak}, and it cannot be added: ${p.why}; set ${spelled(s.create)} = "${wanted}" by hand`, file));
      continue;
    }
    if (p.kind === 'edits') {
      findings.push(fix(meta, file, p.line, `${weak}; add ${p.where} = "${wanted}"`, p.edits, [{ kind: 'toml-set', key: p.key, value: wanted }]));
      continue;
    }
    const spelling = p.spelling;
    const target: Target = p.kind === 'append' ? { kind: 'append', table: p.table } : { kind: 'create', table: spelling.table };
    const how = target.kind === 'create' ? ' in a new section' : '';
    const f = fix(meta, file, 1, `${weak}; add ${spelled(spelling)} = "${wanted}"${how}`, [], [
      { kind: 'toml-set', key: [...spelling.table, ...spelling.key], value: wanted },
    ]);
    findings.push(f);
    toAdd.push({ target, spelling, value: wanted, finding: f });
  }

  // Lines for the same place (a new section, or the end of a table) go in as one edit, owned by the first finding.
  const idOf = (t: Target): string => `${t.kind}\0${flatKey(t.kind === 'create' ? t.table : t.table.path)}`;
  const ids: string[] = [];
  for (const a of toAdd) if (!ids.includes(idOf(a.target))) ids.push(idOf(a.target));
  for (const id of ids) {
    const group = toAdd.filter((a) => idOf(a.target) === id);
    const target = group[0]!.target;
    const edit: FileEdit = { ...render(doc, target, group), file };
    const owner = group[0]!.finding;
    owner.edits = [...(owner.edits ?? []), edit];
    const line = target.kind === 'append' ? tomlLine(doc, target.table.headerStart) : tomlLine(doc, edit.start);
    for (const a of group) a.finding.line = line;
  }
  findings.push(...deadKeyAdvice(meta, config, layout, rule.param, rendered.sides));
  findings.push(...profileAdvice(meta, config, rule.param, rendered.sides, model));
  return findings;
}

/** MI-style keys in an API Manager toml: key-mappings.json sends them to keys no template reads. */
function deadKeyAdvice(meta: TransformMeta, config: TomlConfig, layout: Layout, param: Param, sides: Side[]): Finding[] {
  const out: Finding[] = [];
  for (const side of sides) {
    const dead = layout.deadKeys[param][side];
    if (!dead) continue;
    for (const e of config.doc.entries.filter((x) => flatKey(x.path) === dead)) {
      const m = config.mappings[dead];
      const target = m === undefined ? dead : Array.isArray(m) ? m.join(', ') : m;
      if (templateReads(config, layout.template, target) === true) continue;
      const why = m === undefined ? 'no template reads it' : `key-mappings.json sends it to ${target}, which no template reads`;
      out.push(
        report(
          meta,
          'advisory',
          `${at(config.doc, e)} does nothing in API Manager (a Micro Integrator key): ${why}; the ${side}'s ${param} is [transport.passthru_https.${side}.parameters] ${param}`,
          config.path,
          tomlLine(config.doc, e.keyStart),
        ),
      );
    }
  }
  return out;
}

/** APIM 3.2's listener profile template carries neither value and has no key for them (C11). */
function profileAdvice(meta: TransformMeta, config: TomlConfig, param: Param, sides: Side[], model: 'toml' | 'mi'): Finding[] {
  if (model !== 'toml' || !sides.includes('listener')) return [];
  const text = config.template(LISTENER_PROFILES);
  if (text === undefined || text.includes(param)) return [];
  return [
    report(
      meta,
      'advisory',
      `the dynamic SSL profile template ${LISTENER_PROFILES}.j2 renders no <${param}> and gives it no deployment.toml key, so connections served by that profile may not get the listener's ${param} (API Manager 4.2 and later copy it); the generated file is not edited`,
      config.path,
    ),
  ];
}

export { protocolsAfterFix as tomlProtocolsAfterFix, layoutOf as passthruTomlLayout };
