// JDBC URLs as db-tls judges them (RULES §2.24): which driver, which hosts, and which parameters make
// the connection unencrypted or unverified. Only explicit insecure parameters of MySQL Connector/J,
// pgJDBC and the Microsoft SQL Server driver are ever rewritten; everything else is described.
// URLs here are decoded (XML entities resolved): callers escape them again for their file.

export type DbKind = 'h2' | 'derby' | 'mysql' | 'mariadb' | 'postgresql' | 'sqlserver' | 'jtds' | 'oracle' | 'db2' | 'unknown';
/** verify-full: encrypted, chain and host name checked; verify-ca: encrypted, chain checked. */
export type TlsTarget = 'verify-full' | 'verify-ca';

export interface JdbcParam {
  name: string;
  value: string;
  /** Offsets in the URL of `name=value` and of the value alone. */
  start: number;
  end: number;
  valueStart: number;
}

export interface TlsVerdict {
  kind: DbKind;
  /** A readable name for messages: "MySQL at db.example.com:3306" (never the whole URL: it may carry a password). */
  label: string;
  hosts: string[];
  /** Every host is this machine (traffic does not cross the network). */
  loopback: boolean;
  state: 'secure' | 'insecure' | 'embedded' | 'unknown' | 'placeholder';
  /** Explicit settings that switch TLS or its checks off, e.g. "useSSL=false". */
  markers: string[];
  /** What is weak by omission (driver defaults), when nothing explicit is. */
  omissions: string[];
  /** harden can rewrite the explicit markers of this driver (MySQL, PostgreSQL, SQL Server). */
  rewritable: boolean;
}

const NAMES: Record<DbKind, string> = {
  h2: 'H2',
  derby: 'Derby',
  mysql: 'MySQL',
  mariadb: 'MariaDB',
  postgresql: 'PostgreSQL',
  sqlserver: 'SQL Server',
  jtds: 'SQL Server (jTDS)',
  oracle: 'Oracle',
  db2: 'DB2',
  unknown: 'database',
};

export function kindOf(url: string): DbKind {
  const m = /^jdbc:([a-z0-9]+)(?::([a-z0-9]+))?/i.exec(url.trim());
  if (!m) return 'unknown';
  const sub = m[1]!.toLowerCase();
  if (sub === 'jtds') return 'jtds';
  if (sub === 'postgresql' || sub === 'pgsql') return 'postgresql';
  if (sub === 'sqlserver') return 'sqlserver';
  return (['h2', 'derby', 'mysql', 'mariadb', 'oracle', 'db2'] as string[]).includes(sub) ? (sub as DbKind) : 'unknown';
}

/** A value the config mapper or Carbon resolves later ($env{…}, $sys{…}, $ref{…}, ${…}, {{…}}). */
export const hasPlaceholder = (s: string): boolean => /\$(?:env|sys|ref|secret)?\{|\{\{/.test(s);

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1';
}

/** Parameters after `start`, split by `sep`, with their offsets in the URL. */
function paramsFrom(url: string, start: number, sep: string): JdbcParam[] {
  const out: JdbcParam[] = [];
  let pos = start;
  while (pos <= url.length) {
    let next = url.indexOf(sep, pos);
    if (next === -1) next = url.length;
    const part = url.slice(pos, next);
    const eq = part.indexOf('=');
    if (eq > 0) out.push({ name: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim(), start: pos, end: next, valueStart: pos + eq + 1 });
    pos = next + sep.length;
  }
  return out;
}

interface Parsed {
  kind: DbKind;
  hosts: string[];
  params: JdbcParam[];
  /** Separator between parameters, and where a new one is appended ('' when the URL has none yet). */
  sep: string;
  firstSep: string;
}

function hostsOf(authority: string): string[] {
  return authority
    .replace(/^[^@/]*@/, '')
    .split(',')
    .map((h) => h.trim().replace(/^\((?:.*\bhost=)?([^,)]*).*\)$/i, '$1'))
    .map((h) => (h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:[^:]*$/, '')))
    .filter(Boolean);
}

function parse(url: string): Parsed {
  const kind = kindOf(url);
  const after = (prefix: RegExp): string => url.replace(prefix, '');
  if (kind === 'mysql' || kind === 'mariadb' || kind === 'postgresql') {
    const rest = after(/^jdbc:[a-z0-9:]+:\/\//i);
    const q = url.indexOf('?');
    const authority = rest.split(/[/?]/)[0] ?? '';
    return { kind, hosts: hostsOf(authority), params: q === -1 ? [] : paramsFrom(url, q + 1, '&'), sep: '&', firstSep: q === -1 ? '?' : '&' };
  }
  if (kind === 'sqlserver' || kind === 'jtds') {
    const rest = after(/^jdbc:(?:jtds:)?sqlserver:\/\//i);
    const semi = url.indexOf(';');
    const authority = rest.split(/[/;]/)[0] ?? '';
    const host = authority.replace(/\\.*$/, '');
    return { kind, hosts: host ? hostsOf(host) : [], params: semi === -1 ? [] : paramsFrom(url, semi + 1, ';'), sep: ';', firstSep: ';' };
  }
  if (kind === 'oracle') {
    const at = url.indexOf('@');
    const rest = at === -1 ? '' : url.slice(at + 1);
    const hosts = [...rest.matchAll(/\(\s*host\s*=\s*([^)\s]+)\s*\)/gi)].map((m) => m[1]!);
    if (!hosts.length) {
      const plain = rest.replace(/^(?:tcps?:)?\/\//i, '').split(/[/?]/)[0] ?? '';
      hosts.push(...hostsOf(plain.replace(/:[^:]*$/, (m) => (/^:\d+$/.test(m) ? m : ''))));
    }
    const q = url.indexOf('?');
    return { kind, hosts, params: q === -1 ? [] : paramsFrom(url, q + 1, '&'), sep: '&', firstSep: '?' };
  }
  if (kind === 'db2') {
    const rest = after(/^jdbc:db2:\/\//i);
    const path = url.indexOf('/', url.indexOf('//') + 2);
    const colon = path === -1 ? -1 : url.indexOf(':', path);
    return { kind, hosts: hostsOf(rest.split('/')[0] ?? ''), params: colon === -1 ? [] : paramsFrom(url, colon + 1, ';').filter((p) => p.name), sep: ';', firstSep: ':' };
  }
  if (kind === 'h2' || kind === 'derby') {
    const net = /^jdbc:(?:h2:(?:tcp|ssl)|derby):\/\/([^/;]+)/i.exec(url);
    return { kind, hosts: net ? hostsOf(net[1]!) : [], params: [], sep: ';', firstSep: ';' };
  }
  return { kind, hosts: [], params: [], sep: '&', firstSep: '?' };
}

const param = (p: Parsed, name: string): JdbcParam | undefined => [...p.params].reverse().find((x) => x.name.toLowerCase() === name.toLowerCase());
const isFalse = (v: string | undefined): boolean => v !== undefined && /^(false|no|0)$/i.test(v);
const isTrue = (v: string | undefined): boolean => v !== undefined && /^(true|yes|1)$/i.test(v);
const shown = (x: JdbcParam): string => `${x.name}=${x.value}`;

/** What the URL says about TLS to the database. */
export function analyzeJdbc(url: string): TlsVerdict {
  const p = parse(url);
  const hostText = p.hosts.length ? ` at ${p.hosts.join(', ')}` : '';
  const base = { kind: p.kind, label: `${NAMES[p.kind]}${hostText}`, hosts: p.hosts, loopback: p.hosts.length > 0 && p.hosts.every(isLoopback), markers: [] as string[], omissions: [] as string[], rewritable: false };
  if (/^\s*(\$|\{\{)/.test(url) || (p.hosts.some(hasPlaceholder) && p.kind !== 'h2')) return { ...base, state: 'placeholder' };
  const done = (): TlsVerdict => ({ ...base, state: base.markers.length || base.omissions.length ? 'insecure' : 'secure' });
  switch (p.kind) {
    case 'h2':
    case 'derby': {
      if (p.hosts.length === 0) return { ...base, label: `embedded ${NAMES[p.kind]}`, state: 'embedded' };
      if (!/^jdbc:h2:ssl:/i.test(url)) base.omissions.push(`the ${NAMES[p.kind]} network protocol is unencrypted`);
      return done();
    }
    case 'mysql': {
      base.rewritable = true;
      const mode = param(p, 'sslMode');
      if (mode) {
        if (/^(disabled|preferred|required)$/i.test(mode.value)) base.markers.push(`${shown(mode)}${/^required$/i.test(mode.value) ? ' (encrypts but accepts any certificate)' : /^preferred$/i.test(mode.value) ? ' (falls back to plain text)' : ''}`);
      } else {
        const use = param(p, 'useSSL');
        const req = param(p, 'requireSSL');
        const ver = param(p, 'verifyServerCertificate');
        for (const x of [use, req, ver]) if (x && isFalse(x.value)) base.markers.push(shown(x));
        if (!use) base.omissions.push('no sslMode or useSSL: Connector/J 8 defaults to sslMode=PREFERRED, which falls back to plain text and checks no certificate');
        else if (isTrue(use.value) && (!isTrue(req?.value) || !isTrue(ver?.value)) && !base.markers.length) {
          base.omissions.push('useSSL=true without requireSSL=true and verifyServerCertificate=true can fall back to plain text or accept any certificate');
        }
      }
      const apk = param(p, 'allowPublicKeyRetrieval');
      if (apk && isTrue(apk.value)) base.markers.push(`${shown(apk)} (hands the password's public key to whoever answers)`);
      return done();
    }
    case 'postgresql': {
      base.rewritable = true;
      const mode = param(p, 'sslmode');
      const ssl = param(p, 'ssl');
      if (mode) {
        if (/^(disable|allow|prefer|require)$/i.test(mode.value)) base.markers.push(`${shown(mode)}${/^require$/i.test(mode.value) ? ' (encrypts but accepts any certificate)' : ''}`);
      } else if (ssl && isFalse(ssl.value)) base.markers.push(shown(ssl));
      else if (!ssl) base.omissions.push('no sslmode: pgJDBC defaults to prefer, which falls back to plain text and checks no certificate');
      const factory = param(p, 'sslfactory');
      if (factory && /NonValidatingFactory$/.test(factory.value)) base.markers.push(`${shown(factory)} (accepts any certificate)`);
      return done();
    }
    case 'sqlserver': {
      base.rewritable = true;
      const enc = param(p, 'encrypt');
      const trust = param(p, 'trustServerCertificate');
      if (enc && /^(false|no|optional)$/i.test(enc.value)) base.markers.push(shown(enc));
      if (trust && isTrue(trust.value)) base.markers.push(`${shown(trust)} (accepts any certificate)`);
      if (!enc) base.omissions.push('no encrypt: drivers before 10.2 do not encrypt by default');
      return done();
    }
    case 'jtds': {
      const ssl = param(p, 'ssl');
      if (!ssl || !/^authenticate$/i.test(ssl.value)) base.omissions.push(`jTDS ${ssl ? shown(ssl) : 'without ssl'} does not verify the server (only ssl=authenticate does); prefer the Microsoft driver with encrypt=true`);
      return done();
    }
    case 'oracle': {
      if (!/@\s*tcps:|\(\s*protocol\s*=\s*tcps\s*\)/i.test(url)) base.omissions.push('plain TCP, not TCPS (use jdbc:oracle:thin:@tcps://host:2484/service or a descriptor with PROTOCOL=TCPS)');
      return done();
    }
    case 'db2': {
      const ssl = param(p, 'sslConnection');
      if (!ssl || !isTrue(ssl.value)) base.omissions.push('no sslConnection=true');
      return done();
    }
    case 'mariadb': {
      const mode = param(p, 'sslMode');
      if (!mode || !/^verify-(ca|full)$/i.test(mode.value)) base.omissions.push(`${mode ? shown(mode) : 'no sslMode'}: MariaDB Connector/J 3 verifies the server only with sslMode=verify-full (or verify-ca)`);
      return done();
    }
    default:
      return { ...base, state: 'unknown' };
  }
}

export interface SecuredUrl {
  url: string;
  /** What changed, e.g. "useSSL=false → useSSL=true". */
  changes: string[];
}

/**
 * The URL with only its explicit insecure parameters rewritten to `target` (MySQL, PostgreSQL, SQL Server);
 * undefined when there is nothing harden may rewrite. Parameters are replaced where they stand; the few
 * a secure setting needs beside them (MySQL's legacy trio) are appended with the URL's own separator.
 */
export function secureJdbc(url: string, target: TlsTarget, driverClass?: string): SecuredUrl | undefined {
  const p = parse(url);
  const edits: { start: number; end: number; text: string; what: string }[] = [];
  const set = (x: JdbcParam, value: string): void => {
    edits.push({ start: x.valueStart, end: x.end, text: value, what: `${shown(x)} → ${x.name}=${value}` });
  };
  const replace = (x: JdbcParam, text: string): void => {
    edits.push({ start: x.start, end: x.end, text, what: `${shown(x)} → ${text}` });
  };
  const appended: string[] = [];
  if (p.kind === 'mysql') {
    const mode = param(p, 'sslMode');
    if (mode) {
      if (/^(disabled|preferred|required)$/i.test(mode.value)) set(mode, target === 'verify-full' ? 'VERIFY_IDENTITY' : 'VERIFY_CA');
    } else {
      const use = param(p, 'useSSL');
      const req = param(p, 'requireSSL');
      const ver = param(p, 'verifyServerCertificate');
      const bad = [use, req, ver].filter((x): x is JdbcParam => !!x && isFalse(x.value));
      if (bad.length && driverClass?.trim() === 'com.mysql.cj.jdbc.Driver') {
        // Connector/J 8 by its own class name: sslMode says it all and overrides the legacy properties.
        replace(bad[0]!, `sslMode=${target === 'verify-full' ? 'VERIFY_IDENTITY' : 'VERIFY_CA'}`);
        for (const x of bad.slice(1)) set(x, 'true');
      } else for (const x of bad) set(x, 'true');
      // Turning TLS on with the legacy properties takes all three (Connector/J 8 reads them as VERIFY_CA).
      if (bad.length && driverClass?.trim() !== 'com.mysql.cj.jdbc.Driver') {
        if (!req) appended.push('requireSSL=true');
        if (!ver) appended.push('verifyServerCertificate=true');
      }
    }
    const apk = param(p, 'allowPublicKeyRetrieval');
    if (apk && isTrue(apk.value)) set(apk, 'false');
  } else if (p.kind === 'postgresql') {
    const mode = param(p, 'sslmode');
    const ssl = param(p, 'ssl');
    if (mode) {
      if (/^(disable|allow|prefer|require)$/i.test(mode.value)) set(mode, target);
    } else if (ssl && isFalse(ssl.value)) replace(ssl, `sslmode=${target}`);
    const factory = param(p, 'sslfactory');
    if (factory && /NonValidatingFactory$/.test(factory.value)) set(factory, 'org.postgresql.ssl.DefaultJavaSSLFactory');
  } else if (p.kind === 'sqlserver') {
    const enc = param(p, 'encrypt');
    const trust = param(p, 'trustServerCertificate');
    if (enc && /^(false|no|optional)$/i.test(enc.value)) set(enc, 'true');
    if (trust && isTrue(trust.value)) set(trust, 'false');
  }
  if (!edits.length) return undefined;
  let out = url;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  // The legacy trio is appended only after an existing query, so the separator is always '&'.
  if (appended.length) out += appended.map((a, i) => (i === 0 && out.endsWith(p.sep) ? a : `${p.sep}${a}`)).join('');
  return { url: out, changes: [...edits.sort((a, b) => a.start - b.start).map((e) => e.what), ...appended.map((a) => `+${a}`)] };
}
