// HTTP listeners of a Ballerina / WSO2 Integrator: BI program: plain HTTP unless `secureSocket` is given, the
// JVM's protocols unless `protocol.versions` is, and a default cipher list with CBC-SHA1 suites unless
// `ciphers` is. Code is only reported; what the program reads from Config.toml (the default listener's
// configuration, configurable variables) is set to the TLS profile.
import { ciphersComply, protocolsComply, type TlsPolicy } from '../../src/engine/tls-profiles.js';
import { find, startsWith, type TomlDoc } from '../../src/formats/toml/locate.js';
import { setKeys } from '../../src/formats/toml/set-keys.js';
import type { TextEdit } from '../../src/formats/text.js';
import { configurablePaths } from '../../src/formats/ballerina/config.js';
import { field, stringList, type Declaration, type Expr } from '../../src/formats/ballerina/scan.js';
import {
  DEFAULT_LISTENER_CONFIG,
  DEFAULT_MODULE_LISTENER_CONFIG,
  httpListeners,
  resolve,
  type ListenerSite,
  type ModuleName,
  type Resolved,
  type ScannedFile,
} from '../../src/formats/ballerina/listeners.js';
import { ballerinaFiles, ballerinaProject, CONFIG_TOML, configDoc, isLoopback, lineAt, projectSources, valueAt, type BallerinaProject } from '../../src/kit/ballerina.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import type { Finding, Intent, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';
import { SOURCES } from '../../src/kit/sources.js';

export const biListenerTls: Transform = {
  id: 'bi-listener-tls',
  title: 'HTTP listeners of a Ballerina program use TLS 1.2+ with strong cipher suites',
  rationale:
    'An http:Listener without secureSocket serves plain HTTP; with it, an empty protocol.versions leaves the choice to the JVM and a missing ciphers list enables http\'s default list, which includes CBC-SHA1 suites that the Mozilla intermediate profile drops. Credentials, tokens and payloads then cross the network readable or weakly protected.',
  severity: 'high',
  fixClass: 'AUTO-GUARDED',
  sources: [
    SOURCES.biRuntimeSecurity,
    { title: 'Ballerina HTTP module: listener configuration (secureSocket, protocol, ciphers)', url: 'https://central.ballerina.io/ballerina/http/latest' },
    SOURCES.mozillaTls,
    SOURCES.rfc8996,
  ],
  appliesTo: { models: ['ballerina'] },
  files: (product) => ballerinaFiles(product, { sources: true }),
  params: [],
  plan(ctx) {
    const files = projectSources(ctx);
    const doc = configDoc(ctx);
    const run: Run = { t: this, ctx, project: ballerinaProject(ctx), files, doc, policy: ctx.options.policy, findings: [], claimed: new Set() };
    const sites = httpListeners(files);
    if (files.length === 0) {
      // A deployed program's directory: the code is elsewhere, but Config.toml may configure a default listener.
      for (const path of [DEFAULT_LISTENER_CONFIG, DEFAULT_MODULE_LISTENER_CONFIG]) {
        if (doc && (valueAt(doc, path) !== undefined || doc.tables.some((x) => startsWith(x.path, path)))) {
          sites.push({ file: CONFIG_TOML, line: lineAt(doc, path) ?? 1, label: `the default listener configured in [${path.join('.')}]`, module: undefined, config: { kind: 'config-path', path, via: path.join('.') } });
        }
      }
      if (sites.length === 0) {
        return [report(this, 'advisory', 'no Ballerina sources (*.bal) here: listeners and their TLS settings are code; run harden on the project that builds this program')];
      }
    }
    if (sites.length === 0) return [report(this, 'compliant', `the sources (${files.length} .bal file(s)) create no http:Listener`)];
    for (const site of sites) judgeSite(run, site);
    return run.findings;
  },
};

interface Run {
  t: TransformMeta;
  ctx: TransformContext;
  project: BallerinaProject;
  files: ScannedFile[];
  doc: TomlDoc | undefined;
  policy: TlsPolicy;
  findings: Finding[];
  /** Config.toml keys already fixed for an earlier listener (two listeners may share one configurable). */
  claimed: Set<string>;
}

const quoted = (list: readonly string[]): string => `[${list.map((s) => `"${s}"`).join(', ')}]`;
const WEAK = /^(SSLv2|SSLv3|TLSv1|TLSv1\.1)$/i;

function judgeSite(run: Run, site: ListenerSite): void {
  const { t } = run;
  const c = site.config;
  if (c.kind === 'unknown') {
    run.findings.push(report(t, 'manual', `${site.label}: harden cannot tell whether it uses TLS (${c.why}); check its secureSocket by hand`, site.file, site.line));
    return;
  }
  if (c.kind === 'config-path') {
    judgeToml(run, site, c.path, `read by ${c.via}`);
    return;
  }
  if (c.kind === 'configurable') {
    const at = configuredAt(run, c.module, c.decl.name);
    if (at) {
      judgeToml(run, site, at, `configurable ${c.decl.name}`);
      return;
    }
    if (c.decl.init?.kind === 'record') {
      judgeFields(run, site, new Map(c.decl.init.fields.map((f) => [f.name, f.value])), c.module);
      return;
    }
    run.findings.push(report(t, 'manual', `${site.label} takes its configuration from configurable ${c.decl.name}, which Config.toml does not set${c.decl.required ? ' (the program would not start)' : ''}`, site.file, site.line));
    return;
  }
  judgeFields(run, site, c.fields, site.module);
}

/** Where Config.toml sets a configurable of `module` (any of the spellings the runtime accepts), if it does. */
function configuredAt(run: Run, module: ModuleName, name: string): string[] | undefined {
  const doc = run.doc;
  if (!doc) return undefined;
  return configurablePaths(run.project, module, name).find((p) => valueAt(doc, p) !== undefined || doc.tables.some((x) => startsWith(x.path, p)));
}

// ---- the configuration written in the code -------------------------------------------------------------

function judgeFields(run: Run, site: ListenerSite, fields: Map<string, Expr>, module: ModuleName): void {
  const { t } = run;
  const ss = fields.get('secureSocket');
  if (!ss) {
    plainHttp(run, site, fields.get('host'));
    return;
  }
  const r = resolve(run.files, module, ss);
  if (r.kind === 'configurable') {
    const at = configuredAt(run, r.module, r.decl.name);
    if (at) return judgeSecureSocketToml(run, site, at, `configurable ${r.decl.name}`);
    if (r.decl.init?.kind === 'record') return judgeSecureSocketCode(run, site, r.decl.init, r.module);
    run.findings.push(report(t, 'manual', `${site.label}: its secureSocket comes from configurable ${r.decl.name}, which Config.toml does not set`, site.file, site.line));
    return;
  }
  if (r.kind === 'literal' && r.expr.kind === 'record') return judgeSecureSocketCode(run, site, r.expr, module);
  run.findings.push(report(t, 'manual', `${site.label}: harden cannot read its secureSocket (${r.kind === 'unknown' ? r.why : 'not a record'}); check protocol.versions and ciphers by hand`, site.file, site.line));
}

function plainHttp(run: Run, site: ListenerSite, host: Expr | undefined): void {
  if (host?.kind === 'string' && isLoopback(host.value)) {
    run.findings.push(report(run.t, 'advisory', `${site.label} serves plain HTTP, on the loopback interface (${host.value}) only`, site.file, site.line));
    return;
  }
  run.findings.push(
    report(
      run.t,
      'manual',
      `${site.label} serves plain HTTP (no secureSocket): give it secureSocket = {key: …, protocol: {name: http:TLS, versions: ${quoted(run.policy.protocols)}}, ciphers: […]}, or make sure only a TLS-terminating proxy on the same host can reach it`,
      site.file,
      site.line,
    ),
  );
}

function judgeSecureSocketCode(run: Run, site: ListenerSite, ss: Extract<Expr, { kind: 'record' }>, module: ModuleName): void {
  const protocol = resolve(run.files, module, field(ss, 'protocol'));
  const versions: Resolved =
    protocol.kind === 'absent' ? { kind: 'absent' } : protocol.kind === 'literal' ? resolve(run.files, module, field(protocol.expr, 'versions')) : { kind: 'unknown', why: 'protocol is not a record literal' };
  judgeList(run, site, 'versions', versions);
  judgeList(run, site, 'ciphers', resolve(run.files, module, field(ss, 'ciphers')));
}

/** One list of secureSocket (protocol.versions or ciphers) as the code gives it. */
function judgeList(run: Run, site: ListenerSite, which: 'versions' | 'ciphers', r: Resolved): void {
  const { t, policy } = run;
  const wanted = which === 'versions' ? policy.protocols : policy.ciphers;
  const setting = which === 'versions' ? 'protocol.versions' : 'ciphers';
  if (r.kind === 'absent') {
    if (which === 'versions') {
      run.findings.push(report(t, 'compliant', `${site.label} uses TLS; no protocol.versions, so the JVM's enabled protocols apply (TLS 1.2 and 1.3 on current JDKs)`, site.file, site.line));
    } else {
      run.findings.push(
        report(t, 'manual', `${site.label} uses TLS without ciphers, so http's default list applies, which includes CBC-SHA1 suites: set ciphers: ${quoted(wanted)}`, site.file, site.line),
      );
    }
    return;
  }
  if (r.kind === 'unknown') {
    run.findings.push(report(t, 'manual', `${site.label}: harden cannot evaluate its ${setting} (${r.why}); it should be ${quoted(wanted)}`, site.file, site.line));
    return;
  }
  if (r.kind === 'literal') {
    const list = stringList(r.expr);
    const problem = list ? listProblem(run, which, list) : 'is not a list of strings';
    if (problem === undefined) run.findings.push(report(t, 'compliant', `${site.label}: ${setting} ${quoted(list!)}`, site.file, site.line));
    else run.findings.push(report(t, 'manual', `${site.label}: ${setting} ${problem}; change the code to ${quoted(wanted)}`, site.file, site.line));
    return;
  }
  // A configurable: Config.toml wins over the default in the code, and Config.toml is what harden may edit.
  configurableList(run, site, which, r.decl, r.module, r.file);
}

function listProblem(run: Run, which: 'versions' | 'ciphers', list: readonly string[]): string | undefined {
  if (which === 'versions') {
    const weak = list.filter((v) => WEAK.test(v));
    if (weak.length) return `enables ${weak.join(', ')}`;
    if (list.length === 0) return undefined; // empty: the JVM's own protocols
    return protocolsComply(list.join(','), run.policy) ? undefined : `lists ${list.join(', ')}, outside ${run.policy.protocols.join(', ')}`;
  }
  if (list.length === 0) return 'is empty, so the default list with CBC-SHA1 suites applies';
  return ciphersComply(list.join(','), run.policy, run.policy.protocols) ? undefined : 'includes suites outside the TLS profile';
}

function configurableList(run: Run, site: ListenerSite, which: 'versions' | 'ciphers', decl: Declaration, module: ModuleName, file: string): void {
  const { t, doc } = run;
  const wanted = which === 'versions' ? run.policy.protocols : run.policy.ciphers;
  const name = decl.name;
  if (!/\bstring\s*\[\s*\]/.test(decl.type)) {
    run.findings.push(report(t, 'manual', `${site.label}: its ${which} come from configurable ${name} of type ${decl.type}, which harden does not write; it should hold ${quoted(wanted)}`, file, site.line));
    return;
  }
  const paths = configurablePaths(run.project, module, name);
  const at = doc ? paths.find((p) => find(doc, p)) : undefined;
  const current = doc && at ? valueAt(doc, at) : undefined;
  const fromCode = at ? undefined : stringList(decl.init);
  const list = Array.isArray(current) && current.every((x) => typeof x === 'string') ? (current as string[]) : fromCode;
  const source = at ? `Config.toml sets ${name}` : decl.required ? `${name} is required but not in Config.toml` : `${name} keeps its default in the code`;
  const problem = list ? listProblem(run, which, list) : at ? 'is not a list of strings' : decl.required ? 'is not set' : 'cannot be read';
  if (problem === undefined) {
    run.findings.push(report(t, 'compliant', `${site.label}: ${source} to ${quoted(list!)}`, at ? CONFIG_TOML : file, at && doc ? lineAt(doc, at) : site.line));
    return;
  }
  const target = at ?? paths[0]!;
  const key = target.join('.');
  if (run.claimed.has(key)) return;
  if (!doc) {
    run.findings.push(report(t, 'manual', `${site.label}: ${source}, which ${problem}; there is no Config.toml to set ${name} = ${quoted(wanted)} in`, file, site.line));
    return;
  }
  const step = trySetKeys(doc, target.slice(0, -1), [[target.at(-1)!, wanted]]);
  if (typeof step === 'string') {
    run.findings.push(report(t, 'manual', `${site.label}: set ${name} = ${quoted(wanted)} in Config.toml by hand (${step})`, CONFIG_TOML, lineAt(doc, target)));
    return;
  }
  run.claimed.add(key);
  run.findings.push(
    fix(t, CONFIG_TOML, lineOf(doc.text, step[0]!.start), `${site.label}: ${source}, which ${problem}; set ${name} = ${quoted(wanted)} in Config.toml`, step, [{ kind: 'toml-set', key: target, value: [...wanted] }]),
  );
}

// ---- the configuration in Config.toml -----------------------------------------------------------------

/** A ListenerConfiguration record at `path` in Config.toml. */
function judgeToml(run: Run, site: ListenerSite, path: string[], what: string): void {
  const doc = run.doc;
  const ss = [...path, 'secureSocket'];
  const present = doc && (valueAt(doc, ss) !== undefined || doc.tables.some((x) => startsWith(x.path, ss)));
  if (!doc || !present) {
    const host = doc ? valueAt(doc, [...path, 'host']) : undefined;
    if (typeof host === 'string' && isLoopback(host)) {
      run.findings.push(report(run.t, 'advisory', `${site.label} serves plain HTTP, on the loopback interface (${host}) only`, site.file, site.line));
      return;
    }
    run.findings.push(
      report(
        run.t,
        'manual',
        `${site.label} serves plain HTTP: Config.toml has no [${ss.join('.')}] (${what}); add [${ss.join('.')}.key] (certFile and keyFile, or a keystore path and password) to Config.toml, or make sure only a TLS-terminating proxy on the same host can reach it`,
        doc ? CONFIG_TOML : site.file,
        doc ? lineAt(doc, path) ?? site.line : site.line,
      ),
    );
    return;
  }
  judgeSecureSocketToml(run, site, ss, what);
}

/** A ListenerSecureSocket record at `ss` in Config.toml: protocol.versions and ciphers are set to the profile. */
function judgeSecureSocketToml(run: Run, site: ListenerSite, ss: string[], what: string): void {
  const doc = run.doc!;
  const { t, policy } = run;
  const versionsPath = [...ss, 'protocol', 'versions'];
  const versions = valueAt(doc, versionsPath);
  const vList = Array.isArray(versions) && versions.every((x) => typeof x === 'string') ? (versions as string[]) : undefined;
  const vProblem = versions === undefined ? 'is not set (the JVM decides)' : vList ? (vList.length ? listProblem(run, 'versions', vList) : 'is empty (the JVM decides)') : 'is not a list of strings';
  const edits: TextEdit[] = [];
  const intents: Intent[] = [];
  const said: string[] = [];
  const manual: string[] = [];
  if (vProblem !== undefined && !run.claimed.has(versionsPath.join('.'))) {
    const pairs: [string, string | string[]][] = [];
    if (valueAt(doc, [...ss, 'protocol', 'name']) === undefined) pairs.push(['name', 'TLS']);
    pairs.push(['versions', [...policy.protocols]]);
    const step = trySetKeys(doc, [...ss, 'protocol'], pairs);
    if (typeof step === 'string') manual.push(`set [${ss.join('.')}.protocol] versions = ${quoted(policy.protocols)} by hand (${step})`);
    else {
      edits.push(...step);
      for (const [k, v] of pairs) intents.push({ kind: 'toml-set', key: [...ss, 'protocol', k], value: v });
      said.push(`protocol.versions ${vProblem}: set it to ${quoted(policy.protocols)}`);
      run.claimed.add(versionsPath.join('.'));
    }
  }
  const ciphersPath = [...ss, 'ciphers'];
  const ciphers = valueAt(doc, ciphersPath);
  const cList = Array.isArray(ciphers) && ciphers.every((x) => typeof x === 'string') ? (ciphers as string[]) : undefined;
  const cProblem = ciphers === undefined ? 'is not set (http\'s default list, with CBC-SHA1 suites)' : cList ? listProblem(run, 'ciphers', cList) : 'is not a list of strings';
  if (cProblem !== undefined && !run.claimed.has(ciphersPath.join('.'))) {
    const step = trySetKeys(doc, ss, [['ciphers', [...policy.ciphers]]]);
    if (typeof step === 'string') manual.push(`set [${ss.join('.')}] ciphers by hand (${step})`);
    else {
      // First among insertions at one point: a new [….secureSocket] section reads best before its .protocol.
      edits.unshift(...step);
      intents.push({ kind: 'toml-set', key: ciphersPath, value: [...policy.ciphers] });
      said.unshift(`ciphers ${cProblem}: set it to the ${policy.profile} profile's ${policy.ciphers.length} suites`);
      run.claimed.add(ciphersPath.join('.'));
    }
  }
  const line = lineAt(doc, ss) ?? site.line;
  for (const m of manual) run.findings.push(report(t, 'manual', `${site.label} (${what}): ${m}`, CONFIG_TOML, line));
  if (edits.length) {
    run.findings.push(fix(t, CONFIG_TOML, lineOf(doc.text, edits[0]!.start), `${site.label} uses TLS configured in Config.toml ([${ss.join('.')}], ${what}); ${said.join('; ')}`, edits, intents));
  } else if (manual.length === 0) {
    run.findings.push(report(t, 'compliant', `${site.label} uses TLS from ${what} in Config.toml with protocol.versions and ciphers of the ${policy.profile} profile`, CONFIG_TOML, line));
  }
}

function trySetKeys(doc: TomlDoc, table: readonly string[], pairs: ReadonlyArray<readonly [string, string | string[]]>): TextEdit[] | string {
  // An inline `protocol = {…}` can take a new value in place but no new key.
  try {
    return setKeys(doc, table, pairs);
  } catch (e) {
    return (e as Error).message;
  }
}
