// The PassThrough HTTPS sender checks a back-end's certificate against the host it called with the verifier
// its HostnameVerifier parameter names (RULES.md §2.10, RULES-FACTCHECK A26, A28): Synapse's default lets a
// wildcard match any depth of subdomain, DefaultAndLocalhost (API Manager 3.2+'s default) waves localhost,
// 127.0.0.1 and ::1 through whatever their certificate says, AllowAll checks nothing. Strict closes all three.
// It is guarded: what Strict newly rejects depends on the current verifier, so back-ends that the on-disk
// Synapse artifacts address by a loopback name or an IP literal stop the automatic fix. The shipped axis2.xml
// has the parameter commented out; a new element is inserted and the comment is left as it is.
import { textOf, type XmlElement } from '../../src/formats/xml/locate.js';
import { eolAt, type TextEdit } from '../../src/formats/text.js';
import { setOrAdd } from '../../src/formats/toml/add-key.js';
import { samePath, startsWith, type TomlDoc } from '../../src/formats/toml/locate.js';
import { sectionEdit } from '../../src/formats/toml/new-section.js';
import { keyStyle, keyValueLine, renderHeader } from '../../src/formats/toml/render.js';
import { effective, flatKey, templateReads, tomlConfig, writeSetting } from '../../src/kit/deployment-toml.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { axis2Files, directParams, insertParam, passthruHttpsTransports, writeParam } from '../../src/kit/passthru.js';
import { passthruTomlFiles, passthruTomlLayout } from '../../src/kit/passthru-toml.js';
import { listBackends, scanBackends, SYNAPSE_ARTIFACTS, type BackendScan } from '../../src/kit/synapse-endpoints.js';
import type { Finding, Intent, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';
import { SOURCES } from '../../src/kit/sources.js';

const STRICT = 'Strict';

type Verifier = 'strict' | 'default' | 'default-and-localhost' | 'allow-all';

/** Synapse's ClientConnFactoryBuilder: Strict, AllowAll, DefaultAndLocalhost (any case); anything else is its DEFAULT. */
function verifierOf(value: string | undefined): Verifier {
  const v = (value ?? '').trim().toLowerCase();
  return v === 'strict' ? 'strict' : v === 'allowall' ? 'allow-all' : v === 'defaultandlocalhost' ? 'default-and-localhost' : 'default';
}

const NOW: Record<Exclude<Verifier, 'strict'>, string> = {
  default: "Synapse's default verifier, which lets a wildcard certificate (*.example.com) match subdomains of any depth",
  'default-and-localhost': 'DefaultAndLocalhost, which accepts any certificate from localhost, 127.0.0.1 and ::1',
  'allow-all': 'AllowAll, which does not check the host name at all',
};

/** What the guard found: a reason not to switch, or the caveat to print with the fix. */
function guard(current: Exclude<Verifier, 'strict'>, scan: BackendScan): { block?: string; caveat: string } {
  const seen = scan.files ? `${scan.files} Synapse artifact(s) on disk checked` : 'no Synapse artifacts on disk to check';
  const unseen = `APIs deployed from API Manager's database, .car files and the registry are not checked${scan.dynamic ? `, nor ${scan.dynamic} URI(s) whose host is computed at run time` : ''}`;
  const risky = scan.risky.filter((b) => current === 'allow-all' || (current === 'default-and-localhost' && b.kind === 'loopback'));
  if (risky.length) {
    const why =
      current === 'allow-all'
        ? 'Strict checks every back-end certificate against the host called (an IP is checked as its reverse-DNS name)'
        : 'Strict stops accepting any certificate from loopback addresses';
    return {
      block: `${why}, and these HTTPS back-ends are addressed by ${current === 'allow-all' ? 'a loopback address or an IP' : 'a loopback address'}: ${listBackends(risky)}; make sure their certificates name the address they are called by (the shipped wso2carbon certificate names localhost), then set ${STRICT} by hand`,
      caveat: '',
    };
  }
  const after =
    current === 'default'
      ? 'back-ends behind a wildcard certificate reached through a deeper subdomain (a.b.example.com for *.example.com) will be rejected'
      : current === 'default-and-localhost'
        ? 'back-ends reached through localhost, 127.0.0.1 or ::1 must present a certificate naming that address'
        : 'every back-end must present a certificate naming the host it is called by';
  return { caveat: `${after} (${seen}; ${unseen})` };
}

export const passthruSenderHostnameVerifier: Transform = {
  id: 'passthru-sender-hostname-verifier',
  title: 'The PassThrough HTTPS sender verifies back-end host names strictly',
  rationale:
    'API and mediation traffic to HTTPS back-ends is only as private as the check that the certificate belongs to the host called. AllowAll skips it, DefaultAndLocalhost skips it for loopback addresses, and the default lets one wildcard certificate vouch for every subdomain depth.',
  severity: 'medium',
  fixClass: 'AUTO-GUARDED',
  sources: [
    SOURCES.wso2Guidelines,
    { title: 'WSO2 API Manager: enabling hostname verification', url: 'https://apim.docs.wso2.com/en/latest/install-and-setup/setup/security/enabling-hostname-verification/' },
    { title: 'RFC 6125: representation and verification of domain-based application service identity', url: 'https://www.rfc-editor.org/rfc/rfc6125' },
  ],
  appliesTo: { models: ['xml', 'toml', 'mi'] },
  files: (product) => [...(product.model === 'xml' ? axis2Files(product) : passthruTomlFiles(product)), ...SYNAPSE_ARTIFACTS],
  params: [],
  plan(ctx) {
    return ctx.product.model === 'xml' ? xmlFindings(this, ctx) : tomlFindings(this, ctx);
  },
};

function xmlFindings(t: TransformMeta, ctx: TransformContext): Finding[] {
  const findings: Finding[] = [];
  const seen: string[] = [];
  let scan: BackendScan | undefined;
  for (const file of axis2Files(ctx.product)) {
    if (!ctx.files.get(file)) continue;
    seen.push(file);
    const doc = ctx.files.xml(file);
    for (const s of passthruHttpsTransports(doc).filter((x) => x.el.name === 'transportSender')) {
      findings.push(...noValidateCert(t, s.el, s.label, (p) => textOf(doc, p), file, (el) => lineOf(doc.text, el.start)));
      const existing = directParams(s.el, 'HostnameVerifier');
      const last = existing.at(-1); // Axis2 keeps the last duplicate
      const value = last ? textOf(doc, last) : undefined;
      const current = verifierOf(value);
      const line = lineOf(doc.text, (last ?? s.el).start);
      if (current === 'strict' && existing.every((p) => verifierOf(textOf(doc, p)) === 'strict')) {
        findings.push(report(t, 'compliant', `${s.label} has HostnameVerifier=${value}`, file, line));
        continue;
      }
      const shown = last ? `${s.label} has HostnameVerifier=${value || '(empty)'}` : `${s.label} has no HostnameVerifier (a commented-out one does not count)`;
      const g = guard(current === 'strict' ? 'default' : current, (scan ??= scanBackends(ctx)));
      const now = current === 'strict' ? 'a duplicate that is not Strict' : NOW[current];
      if (g.block) {
        findings.push(report(t, 'manual', `${shown}: ${now}. ${g.block}`, file, line));
        continue;
      }
      const edits: TextEdit[] = [];
      const intents: Intent[] = [];
      let manual: string | undefined;
      if (existing.length === 0) {
        const planned = insertParam(doc, s.el, 'HostnameVerifier', STRICT);
        if ('manual' in planned) manual = planned.manual;
        else {
          edits.push(...planned.edits);
          intents.push(...planned.intents);
        }
      }
      for (const p of existing.filter((x) => verifierOf(textOf(doc, x)) !== 'strict')) {
        const planned = writeParam(doc, p, STRICT);
        if ('manual' in planned) manual = planned.manual;
        else {
          edits.push(...planned.edits);
          intents.push(...planned.intents);
        }
      }
      if (manual) {
        findings.push(report(t, 'manual', `${shown}: ${now}, but ${manual}; set HostnameVerifier=${STRICT} by hand`, file, line));
        continue;
      }
      const how = existing.length ? `set it to ${STRICT}` : `add <parameter name="HostnameVerifier">${STRICT}</parameter>`;
      findings.push(fix(t, file, line, `${shown}: ${now}; ${how}. After this, ${g.caveat}`, edits, intents));
    }
  }
  if (findings.length === 0) {
    const why = seen.length ? `no active PassThrough HTTPS sender in ${seen.join(', ')}` : 'no axis2/axis2.xml in the configuration directories';
    findings.push(report(t, 'not-applicable', why));
  }
  return findings;
}

/** novalidatecert=true skips certificate validation where no truststore is configured (RULES §2.10). */
function noValidateCert(t: TransformMeta, sender: XmlElement, label: string, text: (p: XmlElement) => string, file: string, line: (el: XmlElement) => number): Finding[] {
  return directParams(sender, 'novalidatecert')
    .filter((p) => /^true$/i.test(text(p)))
    .map((p) =>
      directParams(sender, 'truststore').length
        ? report(t, 'advisory', `${label} has novalidatecert=true, which Synapse ignores (with a warning) while a truststore is configured; remove it so that removing the truststore later does not switch certificate validation off`, file, line(p))
        : report(t, 'manual', `${label} has novalidatecert=true and no truststore: back-end certificates are not validated at all; remove it and configure a truststore`, file, line(p)),
    );
}

const MI_KEYS = ["transport.https.sender.parameter.'HostnameVerifier'", 'transport.https.sender.parameter.HostnameVerifier'];

function tomlFindings(t: TransformMeta, ctx: TransformContext): Finding[] {
  const config = tomlConfig(ctx);
  if (!config) return [report(t, 'not-applicable', 'no deployment.toml')];
  const layout = passthruTomlLayout(ctx.product)!;
  const mi = ctx.product.model === 'mi';
  const file = config.path;
  const needle = layout.needle.sender;
  const reads = templateReads(config, layout.template, needle);
  if (reads === false) return [report(t, 'not-applicable', `the product's ${layout.template}.j2 renders no PassThrough HTTPS sender parameters (Identity Server and the bare kernel have no PassThrough transport)`)];
  if (reads === 'unknown' && !mi && ctx.product.id !== 'wso2am') return [report(t, 'not-applicable', `${ctx.product.name} has no PassThrough HTTPS sender (this copy has no templates/ to check)`)];
  const enabled = effective(config, layout.enable.sender).value;
  if (enabled === false || enabled === 'false') return [report(t, 'not-applicable', `the PassThrough HTTPS sender is disabled (${layout.enable.sender} = false)`)];

  const findings: Finding[] = [];
  const novalidate = mi ? 'transport.https.sender.parameter.novalidatecert' : 'transport.passthru_https.sender.parameters.novalidatecert';
  const nv = effective(config, novalidate);
  if (nv.value === true || (typeof nv.value === 'string' && /^\s*true\s*$/i.test(nv.value))) {
    const e = nv.entries.at(-1);
    findings.push(
      report(t, 'advisory', `${e ? `[${flatKey(e.table.path)}] ${e.keyRaw}` : `default.json ${novalidate}`} = true: Synapse ignores it while the truststore the template renders is configured; remove it so that certificate validation never depends on that`, file, e ? lineOf(config.doc.text, e.keyStart) : undefined),
    );
  }

  const canonicals = mi ? MI_KEYS : [`${needle}.HostnameVerifier`];
  const effs = canonicals.map((c) => ({ canonical: c, eff: effective(config, c) }));
  const entries = effs.flatMap((x) => x.eff.entries).sort((a, b) => a.keyStart - b.keyStart);
  const fromDefault = effs.find((x) => x.eff.source === 'default')?.eff;
  const last = entries.at(-1);
  const value = last ? last.value : fromDefault?.value;
  const where = last ? entries.map((e) => `[${flatKey(e.table.path)}] ${e.keyRaw} (line ${lineOf(config.doc.text, e.keyStart)})`).join(', ') : fromDefault ? `the product default (default.json ${canonicals[0]})` : undefined;
  const line = last ? lineOf(config.doc.text, last.keyStart) : undefined;
  if (value !== undefined && typeof value !== 'string') {
    return [...findings, report(t, 'manual', `${where} is ${JSON.stringify(value)}, not a string; set it to "${STRICT}"`, file, line)];
  }
  if (typeof value === 'string' && /\$(ref|env|sys|secret)\{/.test(value)) {
    return [...findings, report(t, 'manual', `the sender's HostnameVerifier comes from "${value}" (${where}), resolved at start-up; make sure it resolves to ${STRICT}`, file, line)];
  }
  const values = last ? entries.map((e) => String(e.value)) : value === undefined ? [] : [value];
  if (values.length && values.every((v) => verifierOf(v) === 'strict')) {
    return [...findings, report(t, 'compliant', `PassThrough HTTPS sender has HostnameVerifier=${value} (${where})`, file, line)];
  }
  const current = verifierOf(typeof value === 'string' ? value : undefined);
  const shown = value === undefined ? 'PassThrough HTTPS sender: HostnameVerifier is not set' : `PassThrough HTTPS sender has HostnameVerifier=${value} (${where})`;
  const now = current === 'strict' ? 'a second setting that is not Strict' : NOW[current];
  const g = guard(current === 'strict' ? 'default' : current, scanBackends(ctx));
  if (g.block) return [...findings, report(t, 'manual', `${shown}: ${now}. ${g.block}`, file, line)];
  const message = (where: string): string => `${shown}: ${now}; set ${where} = "${STRICT}". After this, ${g.caveat}`;

  if (entries.length || !mi) {
    // In place wherever it is written (under every spelling), else API Manager's parameters table.
    const edits: TextEdit[] = [];
    const intents: Intent[] = [];
    const places: string[] = [];
    for (const { canonical } of entries.length ? effs.filter((x) => x.eff.entries.length) : effs) {
      const w = writeSetting(config, canonical, [...needle.split('.'), 'HostnameVerifier'], STRICT);
      edits.push(...w.edits);
      intents.push(...w.intents);
      places.push(w.where);
    }
    return [...findings, fix(t, file, line ?? lineOf(config.doc.text, edits[0]?.start ?? 0), message(places.join(', ')), edits, intents)];
  }
  // Micro Integrator, not written yet: the documented [transport.http] sender.hostname_verifier.
  const added = addMiKey(config.doc);
  if ('manual' in added) return [...findings, report(t, 'manual', `${shown}: ${now}, and ${added.manual}; set [transport.http] sender.hostname_verifier = "${STRICT}" by hand`, file)];
  return [
    ...findings,
    fix(t, file, added.line, message('[transport.http] sender.hostname_verifier'), added.edits, [
      { kind: 'toml-set', key: ['transport', 'http', 'sender', 'hostname_verifier'], value: STRICT },
    ]),
  ];
}

/** `sender.hostname_verifier = "Strict"` in [transport.http]: beside its `sender.` siblings, at the end of the table, or in a new section. */
function addMiKey(doc: TomlDoc): { edits: TextEdit[]; line: number } | { manual: string } {
  const table = ['transport', 'http'];
  const key = [...table, 'sender', 'hostname_verifier'];
  const header = doc.tables.find((x) => x.kind === 'standard' && samePath(x.path, table));
  const siblings = doc.entries.some((e) => !e.inline && startsWith(e.path, [...table, 'sender']) && e.table.path.length < 3);
  const senderTable = doc.tables.some((x) => startsWith(x.path, [...table, 'sender']));
  try {
    if (siblings || senderTable || !header) {
      if (!header && !siblings && !senderTable && !doc.entries.some((e) => startsWith(e.path, table)) && !doc.tables.some((x) => startsWith(x.path, table))) {
        const style = { ...keyStyle(doc, []), indent: '' };
        const edit = sectionEdit(doc, [renderHeader(table, false, style.quote), keyValueLine(style, 'hostname_verifier', STRICT, 'sender.')]);
        const lead = /^(\r?\n)*/.exec(edit.text)?.[0] ?? '';
        return { edits: [edit], line: lineOf(doc.text, edit.start) + (lead.match(/\n/g)?.length ?? 0) };
      }
      const edits = setOrAdd(doc, key, STRICT);
      return { edits, line: lineOf(doc.text, edits[0]?.start ?? 0) + 1 };
    }
    // [transport.http] exists with no sender.* keys: a dotted key at its end reads like the documentation.
    const at = header.bodyEnd;
    const line = keyValueLine(keyStyle(doc, header.entries), 'hostname_verifier', STRICT, 'sender.');
    return { edits: [{ start: at, end: at, text: eolAt(doc.text, at) + line }], line: lineOf(doc.text, at) + 1 };
  } catch (e) {
    return { manual: e instanceof Error ? e.message : String(e) };
  }
}

