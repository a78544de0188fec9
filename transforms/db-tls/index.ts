// Database connections should be encrypted and verify the server (guideline 12). Every JDBC URL of the
// home is judged per driver: embedded H2 is reported (evaluation only), explicit insecure parameters of
// MySQL, PostgreSQL and SQL Server are rewritten to the secure target only when the operator opts in with
// --set db-tls=verify-full|verify-ca (the database's CA must be in the truststore first, or every
// connection fails), and what harden cannot write (Oracle TCPS, DB2, jTDS, driver defaults) is described.
// Datasource XML is fixed in place on Carbon 4.4 / EI; deployment.toml homes are fixed in
// [database.*] / [[datasource]] url, keeping the &amp; escaping the rendered XML needs (RULES §1.6).
import { childrenNamed, decodeEntities, escapeText, findAll, innerRaw, localName, textOf, type XmlDoc, type XmlElement } from '../../src/formats/xml/locate.js';
import { setValue } from '../../src/formats/toml/set-value.js';
import { xmlSafe } from '../../src/formats/toml/xml-safe.js';
import type { TomlEntry } from '../../src/formats/toml/locate.js';
import type { TextEdit } from '../../src/formats/text.js';
import { tomlConfig, tomlFiles } from '../../src/kit/deployment-toml.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { analyzeJdbc, secureJdbc, type TlsTarget, type TlsVerdict } from '../../src/kit/jdbc.js';
import { narrowEdit } from '../../src/kit/narrow-edit.js';
import { SOURCES } from '../../src/kit/sources.js';
import type { Finding, Intent, ProductInfo, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';

const TEMPLATES = 'repository/resources/conf/templates';
/** Accounts that own the whole database server. */
const SUPERUSERS = /^(root|sa|postgres|sys|system|admin|db2inst1)$/i;
/** deployment.toml datasources that hold only this node's local registry, which WSO2 ships and documents on embedded H2. */
const LOCAL_REGISTRY = new Set(['local', 'registry_db']);

interface Datasource {
  /** How messages name it: "datasource WSO2_CARBON_DB" or "[database.shared_db]". */
  name: string;
  file: string;
  line: number | undefined;
  url: string;
  /** The driver class, where the file names it. */
  driver?: string;
  username: string | undefined;
  localRegistry: boolean;
  /** The edit that writes a new URL, or why harden cannot write one here. */
  write: ((url: string) => { edits: TextEdit[]; intents: Intent[] }) | string;
}

const datasourceXmls = (product: ProductInfo): string[] => product.confDirs.map((d) => `${d}/datasources/*.xml`);

export const dbTls: Transform = {
  id: 'db-tls',
  title: 'Database connections are encrypted and verify the database server',
  rationale:
    'A JDBC connection without TLS, or with TLS that accepts any certificate, lets anyone on the network path read user records, tokens and keys, or pose as the database. Embedded H2 is for evaluation only and is not meant to carry production data.',
  severity: 'high',
  fixClass: 'USER-VALUE',
  sources: [
    SOURCES.wso2Guidelines,
    SOURCES.wso2Guidelines44,
    { title: 'MySQL Connector/J: security properties (sslMode)', url: 'https://dev.mysql.com/doc/connector-j/en/connector-j-connp-props-security.html' },
    { title: 'PostgreSQL JDBC driver: using SSL', url: 'https://jdbc.postgresql.org/documentation/ssl/' },
    { title: 'Microsoft JDBC Driver for SQL Server: connecting with encryption', url: 'https://learn.microsoft.com/en-us/sql/connect/jdbc/connecting-with-ssl-encryption' },
  ],
  appliesTo: { models: ['xml', 'toml', 'mi'] },
  files: (product) =>
    product.model === 'xml'
      ? datasourceXmls(product)
      : [...tomlFiles(product, datasourceXmls(product)), ...datasourceXmls(product)],
  params: [
    {
      name: 'db-tls',
      description:
        'Opt in to rewriting explicit insecure JDBC parameters (MySQL, PostgreSQL, SQL Server): verify-full (encrypt, check chain and host name) or verify-ca (encrypt, check chain). Import the database CA into the client truststore first',
      validate: (v) => (v === 'verify-full' || v === 'verify-ca' ? undefined : 'must be verify-full or verify-ca'),
    },
  ],
  plan(ctx) {
    const sources: Datasource[] = [];
    const findings: Finding[] = [];
    for (const pattern of datasourceXmls(ctx.product)) {
      for (const f of ctx.files.glob(pattern)) {
        if (ctx.product.model !== 'xml' && (ctx.files.get(`${TEMPLATES}/${f.path}.j2`) || ctx.product.generated.some((g) => g.path === f.path))) continue;
        sources.push(...xmlDatasources(ctx.files.xml(f.path), f.path));
      }
    }
    if (ctx.product.model !== 'xml') sources.push(...tomlDatasources(ctx));
    if (sources.length === 0) return [report(this, 'not-applicable', 'no JDBC datasource URL in the datasource files or deployment.toml')];
    const target = ctx.param('db-tls') as TlsTarget | undefined;

    // Embedded databases: one finding per file, naming them all.
    const embedded = sources.filter((s) => analyzeJdbc(s.url).state === 'embedded');
    for (const file of [...new Set(embedded.map((s) => s.file))]) {
      const here = embedded.filter((s) => s.file === file);
      const shared = here.filter((s) => !s.localRegistry);
      const local = here.filter((s) => s.localRegistry);
      if (shared.length) {
        findings.push(
          report(
            this,
            'manual',
            `${shared.map((s) => s.name).join(', ')} ${shared.length > 1 ? 'use' : 'uses'} embedded H2, which is for evaluation only (no access control beyond a file, no TLS, no clustering); move ${shared.length > 1 ? 'them' : 'it'} to a production database reached over verified TLS`,
            file,
            shared[0]!.line,
          ),
        );
      }
      if (local.length) {
        findings.push(report(this, 'advisory', `${local.map((s) => s.name).join(', ')} keeps only this node's local registry on embedded H2, as shipped`, file, local[0]!.line));
      }
    }
    for (const s of sources.filter((x) => !embedded.includes(x))) findings.push(...judge(this, s, analyzeJdbc(s.url), target));
    return findings;
  },
};

function judge(t: TransformMeta, s: Datasource, v: TlsVerdict, target: TlsTarget | undefined): Finding[] {
  const at = `${s.name} (${v.label})`;
  const out: Finding[] = [];
  if (s.username && SUPERUSERS.test(s.username.trim())) {
    out.push(report(t, 'advisory', `${s.name} connects as ${s.username.trim()}, an account that owns the whole database server; use a user with rights on this database only`, s.file, s.line));
  }
  if (v.state === 'placeholder') {
    out.push(report(t, 'manual', `${s.name}'s URL is resolved at start-up, so harden cannot judge it; make sure it enables TLS with server verification`, s.file, s.line));
    return out;
  }
  if (v.state === 'unknown') {
    out.push(report(t, 'advisory', `${s.name} uses a JDBC driver harden does not know; check that its URL enables TLS with server verification`, s.file, s.line));
    return out;
  }
  if (v.state === 'secure') {
    out.push(report(t, 'compliant', `${at} connects over TLS that verifies the server`, s.file, s.line));
    return out;
  }
  const problems = [...v.markers, ...v.omissions].join('; ');
  const secured = v.rewritable && v.markers.length ? secureJdbc(s.url, target ?? 'verify-full', s.driver) : undefined;
  if (secured && target) {
    if (typeof s.write === 'string') {
      out.push(report(t, 'manual', `${at}: ${problems}; ${s.write}`, s.file, s.line));
      return out;
    }
    const w = s.write(secured.url);
    const rest = analyzeJdbc(secured.url);
    const still = rest.state === 'insecure' ? `; still to do by hand: ${[...rest.markers, ...rest.omissions].join('; ')}` : '';
    const ca = v.kind === 'mysql' && !/[?&]sslMode=/i.test(secured.url) && target === 'verify-full' ? ' (Connector/J 8 reads the legacy trio as VERIFY_CA; sslMode=VERIFY_IDENTITY also checks the host name)' : '';
    out.push(
      fix(t, s.file, s.line ?? 1, `${at}: ${v.markers.join('; ')}; rewrite ${secured.changes.join(', ')}${ca} — the database's CA must be in the client truststore${still}`, w.edits, w.intents),
    );
    return out;
  }
  if (v.loopback) {
    out.push(report(t, 'advisory', `${at}: ${problems}; the database is on this host, so the traffic does not cross the network`, s.file, s.line));
    return out;
  }
  if (secured && typeof s.write !== 'string') {
    out.push(
      report(
        t,
        'needs-input',
        `${at}: ${problems}; import the database's CA into the client truststore, then pass --set db-tls=verify-full (or verify-ca) to rewrite ${secured.changes.join(', ')}`,
        s.file,
        s.line,
      ),
    );
    return out;
  }
  out.push(report(t, 'manual', `${at}: ${problems}; ${typeof s.write === 'string' ? s.write : 'enable TLS with server verification in the URL by hand'}`, s.file, s.line));
  return out;
}

function ancestor(el: XmlElement, name: string): XmlElement | undefined {
  for (let p = el.parent; p; p = p.parent) if (localName(p) === name) return p;
  return undefined;
}

/** <url> of each RDBMS configuration, and url properties of XA dataSourceProps. */
function xmlDatasources(doc: XmlDoc, file: string): Datasource[] {
  const out: Datasource[] = [];
  const child = (el: XmlElement | undefined, name: string): string | undefined => {
    const c = el && childrenNamed(el, name)[0];
    return c ? textOf(doc, c) : undefined;
  };
  const write = (el: XmlElement): Datasource['write'] => {
    const raw = innerRaw(doc, el);
    if (raw.includes('<')) return 'its <url> holds CDATA, a comment or markup, which harden does not rewrite; change the URL by hand';
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    return (url) => ({
      edits: [narrowEdit(el.openEnd + lead, body, escapeText(url))],
      intents: [{ kind: 'xml-text', path: el.path, value: url }],
    });
  };
  for (const el of findAll(doc, (e) => localName(e) === 'url' && !!e.parent && localName(e.parent) === 'configuration')) {
    const conf = el.parent!;
    const ds = ancestor(el, 'datasource');
    const url = textOf(doc, el);
    if (!url) continue;
    out.push({ name: `datasource ${child(ds, 'name') ?? '(unnamed)'}`, file, line: lineOf(doc.text, el.start), url, driver: child(conf, 'driverClassName'), username: child(conf, 'username'), localRegistry: false, write: write(el) });
  }
  for (const el of findAll(doc, (e) => localName(e) === 'property' && /^url$/i.test(e.attrs.find((a) => a.name === 'name')?.value ?? '') && localName(e.parent!) === 'dataSourceProps')) {
    const ds = ancestor(el, 'datasource');
    const user = el.parent!.children.find((c) => localName(c) === 'property' && /^user(name)?$/i.test(c.attrs.find((a) => a.name === 'name')?.value ?? ''));
    const url = textOf(doc, el);
    if (!url) continue;
    out.push({ name: `datasource ${child(ds, 'name') ?? '(unnamed)'}`, file, line: lineOf(doc.text, el.start), url, username: user ? textOf(doc, user) : undefined, localRegistry: false, write: write(el) });
  }
  return out;
}

/** [database.NAME] url and [[datasource]] url of deployment.toml, and default.json URLs the TOML leaves in force. */
function tomlDatasources(ctx: TransformContext): Datasource[] {
  const config = tomlConfig(ctx);
  if (!config) return [];
  const { doc, path: file } = config;
  const out: Datasource[] = [];
  const valueAt = (path: string[]): string | undefined => {
    const e = doc.entries.find((x) => x.path.length === path.length && x.path.every((s, i) => s === path[i]));
    return typeof e?.value === 'string' ? e.value : undefined;
  };
  const write = (entry: TomlEntry): Datasource['write'] => {
    const raw = entry.value as string;
    if (/&(?![A-Za-z][A-Za-z0-9]*;|#[0-9]+;|#[xX][0-9A-Fa-f]+;)/.test(raw)) {
      return "its url has a bare '&', which the config mapper pastes into XML unescaped and so breaks the datasource file; write &amp; between the parameters, then run harden again";
    }
    return (url) => {
      const value = xmlSafe(url);
      return { edits: setValue(doc, entry.path, value), intents: [{ kind: 'toml-set', key: [...entry.path], value }] };
    };
  };
  const named = new Set<string>();
  for (const e of doc.entries) {
    const [top, id, key] = e.path;
    if (e.path.length !== 3 || key !== 'url' || typeof e.value !== 'string') continue;
    if (top === 'database') {
      named.add(id!);
      out.push({
        name: `[database.${id}]`,
        file,
        line: lineOf(doc.text, e.keyStart),
        url: decodeEntities(e.value),
        driver: valueAt(['database', id!, 'driver']),
        username: valueAt(['database', id!, 'username']),
        localRegistry: LOCAL_REGISTRY.has(id!),
        write: write(e),
      });
    } else if (top === 'datasource' && /^\d+$/.test(id!)) {
      out.push({
        name: `[[datasource]] ${valueAt(['datasource', id!, 'id']) ?? `#${Number(id) + 1}`}`,
        file,
        line: lineOf(doc.text, e.keyStart),
        url: decodeEntities(e.value),
        driver: valueAt(['datasource', id!, 'driver']),
        username: valueAt(['datasource', id!, 'username']),
        localRegistry: false,
        write: write(e),
      });
    }
  }
  // A [database.NAME] with a type but no url: the config mapper builds the URL from hostname/port/name (infer.json), without TLS parameters.
  for (const e of doc.entries) {
    const [top, id, key] = e.path;
    if (e.path.length !== 3 || top !== 'database' || key !== 'type' || named.has(id!) || typeof e.value !== 'string') continue;
    named.add(id!);
    const type = e.value.toLowerCase();
    const url = type === 'h2' ? 'jdbc:h2:./repository/database' : `jdbc:${type === 'postgre' ? 'postgresql' : type === 'mssql' ? 'sqlserver' : type}://${valueAt(['database', id!, 'hostname']) ?? ''}/`;
    out.push({
      name: `[database.${id}]`,
      file,
      line: lineOf(doc.text, e.keyStart),
      url,
      username: valueAt(['database', id!, 'username']),
      localRegistry: LOCAL_REGISTRY.has(id!),
      write: `it has type = "${e.value}" and no url, so the config mapper builds a URL with no TLS parameters (infer.json); write an explicit url with them`,
    });
  }
  for (const [key, value] of Object.entries(config.defaults)) {
    const m = /^database\.([^.]+)\.url$/.exec(key);
    if (!m || named.has(m[1]!) || typeof value !== 'string' || !value.startsWith('jdbc:')) continue;
    out.push({
      name: `[database.${m[1]}] (default.json; deployment.toml does not set it)`,
      file,
      line: undefined,
      url: decodeEntities(value),
      username: undefined,
      localRegistry: LOCAL_REGISTRY.has(m[1]!),
      write: `the URL comes from default.json; write [database.${m[1]}] url in deployment.toml with TLS parameters`,
    });
  }
  return out;
}
