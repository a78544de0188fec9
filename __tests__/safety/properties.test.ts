// Property-based tests (fast-check) of the whole pipeline on generated homes: catalina-server.xml-like
// documents (random attribute order, quotes, whitespace, comments, line endings, encodings, BOM),
// deployment.toml files (random tables, key order, string styles, comments, line endings) and start
// scripts (random -D flags, quoting, duplicates). For each: planHome, applyPlan, then
//   1. idempotence: planning the result again changes nothing;
//   2. the written bytes differ from the original only inside the planned edit ranges (encoding, BOM
//      and every line ending outside them preserved);
//   3. the meaning of the written file — parsed independently: xml-js trees, smol-toml values, the
//      arguments bash really passes to java — differs from the original's only where the intents say;
//   4. the dry-run diff applied with `patch -p1` to the original gives the same bytes as the fix.
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { applyPlan, planHome, type HomePlan } from '../../src/run.js';
import { unifiedDiff } from '../../src/engine/diff.js';
import { encodeText } from '../../src/engine/encoding.js';
import { xmlMeaning, type XmlNode, type XmlIntent } from '../../src/formats/xml/semantic.js';
import type { TomlIntent } from '../../src/formats/toml/semantic.js';
import type { Intent } from '../../src/engine/types.js';
import { applyPatch } from '../helpers/homes.js';
import { productFiles } from './helpers.js';
import { recordingJavaHome } from '../helpers/recording-java.js';

const root = mkdtempSync(join(tmpdir(), 'harden-props-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let serial = 0;

type Files = Record<string, Buffer | string>;
function makeHome(files: Files): string {
  const home = join(root, `h${++serial}`);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(home, rel)), { recursive: true });
    writeFileSync(join(home, rel), content);
  }
  return home;
}

const RUNS = Number(process.env.HARDEN_PROPERTY_RUNS ?? 40);
// CI replays one fixed seed so that a red run always means a change broke something; elsewhere each
// run explores new inputs (HARDEN_PROPERTY_SEED replays a counterexample's seed).
const SEED = process.env.HARDEN_PROPERTY_SEED ? Number(process.env.HARDEN_PROPERTY_SEED) : process.env.CI ? 20261125 : undefined;
const CHECK = { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) };

// ------------------------------------------------------------------------------------------------
// The four properties, for any generated home

interface Checked {
  plan: HomePlan;
  fixed: Map<string, Buffer>;
}

function checkHome(
  home: string,
  only: string[],
  params: Record<string, string>,
  meaning: (path: string, before: Buffer, after: Buffer, intents: Intent[]) => void,
  { allowRefusals = false } = {},
): Checked {
  const plan = planHome({ home, only, params });
  // A refused rule writes nothing (the engine's own verification caught it); the properties below
  // must hold for what the others wrote all the same.
  if (!allowRefusals) expect(plan.findings.filter((f) => f.status === 'error')).toEqual([]);
  const before = new Map([...productFiles(home)].map(([p, b]) => [p, Buffer.from(b, 'base64')]));
  const patchHome = join(root, `p${serial}`);
  rmSync(patchHome, { recursive: true, force: true });
  for (const [p, b] of before) {
    mkdirSync(dirname(join(patchHome, p)), { recursive: true });
    writeFileSync(join(patchHome, p), b);
  }
  const diffs = plan.changes.map((c) => ({ c, d: unifiedDiff(c.path, c.before, c.after) }));

  applyPlan(plan, { backup: false });
  const fixed = new Map([...productFiles(home)].map(([p, b]) => [p, Buffer.from(b, 'base64')]));

  // 1. Idempotence (of the rules that wrote: a refused rule may well find its fix the next time).
  const refused = [...new Set(plan.findings.filter((f) => f.status === 'error').map((f) => f.ruleId))];
  const again = planHome({ home, only, skip: refused, params: refused.includes('ports-offset') ? {} : params });
  expect(again.changes).toEqual([]);

  for (const c of plan.changes) {
    const file = plan.files.get(c.path)!;
    const fixable = plan.findings.filter((f) => f.status === 'fixable');
    const edits = fixable.flatMap((f) => f.edits ?? []).filter((e) => e.file === c.path);
    const intents = fixable.flatMap((f) => f.intents ?? []).filter((i) => i.file === c.path).map((i) => i.intent);
    // 2. Bytes outside the edit ranges are the original's, in the file's own encoding.
    const orig = before.get(c.path)!;
    const bomLen = file.bom ? 3 : 0;
    const byteAt = (offset: number): number => bomLen + Buffer.byteLength(c.before.slice(0, offset), file.encoding === 'latin1' ? 'latin1' : 'utf8');
    // Every finding's edit is a range of the original text (the engine applies them one rule after
    // another, but each is judged on the file as it was). Outside the union of those ranges every byte
    // of the original must be in the output, in order: a prefix, a suffix, and the pieces between.
    const ranges = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
    const keep: [number, number][] = [];
    let from = 0;
    for (const e of ranges) {
      if (byteAt(e.start) > from) keep.push([from, byteAt(e.start)]);
      from = Math.max(from, byteAt(e.end));
    }
    keep.push([from, orig.length]);
    const out = fixed.get(c.path)!;
    let at = 0;
    const editAt = (offset: number): boolean => ranges.some((e) => byteAt(e.start) === offset || byteAt(e.end) === offset);
    for (const [a, b] of keep) {
      const piece = orig.subarray(a, b);
      // Nothing was inserted before the first byte or after the last one unless an edit says so.
      const where = a === 0 && !editAt(0) ? 0 : b === orig.length && !editAt(orig.length) ? out.length - piece.length : out.indexOf(piece, at);
      expect({ piece: piece.toString('latin1'), found: where >= at && out.subarray(where, where + piece.length).equals(piece) }).toEqual({ piece: piece.toString('latin1'), found: true });
      at = where + piece.length;
    }
    // 3. Meaning, parsed independently.
    meaning(c.path, orig, fixed.get(c.path)!, intents);
  }

  // 4. The dry-run patch gives the same bytes (a diff that masks a secret is for reading only).
  const patch = Buffer.concat(diffs.filter((x) => !x.d.redacted).map((x) => encodeText(x.d.text, plan.files.get(x.c.path)!.encoding)));
  if (patch.length) applyPatch(patchHome, patch);
  for (const { c, d } of diffs) {
    const want = d.redacted ? before.get(c.path)! : fixed.get(c.path)!;
    expect(readFileSync(join(patchHome, c.path)).toString('latin1')).toEqual(want.toString('latin1'));
  }
  return { plan, fixed };
}

// ------------------------------------------------------------------------------------------------
// XML: catalina-server.xml-like documents

const quote = fc.constantFrom('"', "'");
const between = fc.constantFrom(' ', '  ', '\n                   ', '\n\t\t', ' \n    ', '\t');
const WEAK_CIPHERS = 'TLS_RSA_WITH_AES_128_CBC_SHA,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,SSL_RSA_WITH_RC4_128_MD5';
const comment = fc.constantFrom(
  '<!-- a comment -->',
  '<!--\n  optional attributes:\n  proxyPort="443"\n-->',
  '<!-- <Connector port="8443" sslEnabledProtocols="TLSv1"/> -->',
  '<!-- poodle: sslEnabledProtocols="TLSv1,TLSv1.1" -->',
  '<!-- caf\u00e9 cr\u00e8me -->',
);

const OPTIONAL_HTTPS: [string, string[]][] = [
  ['sslEnabledProtocols', ['TLSv1,TLSv1.1,TLSv1.2', 'TLSv1.2', 'TLSv1', 'TLSv1.2,TLSv1.3', 'TLSv1.1,TLSv1.2']],
  ['ciphers', [WEAK_CIPHERS, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']],
  ['server', ['WSO2 Carbon Server', 'Apache', 'WebServer', 'A &amp; B', 'x &quot;y&quot;']],
  ['maxThreads', ['250', '400']],
  ['compressableMimeType', ['text/html,text/xml', 'application/json']],
];
const httpsAttrs = fc
  .shuffledSubarray(OPTIONAL_HTTPS)
  .chain((picked) => fc.tuple(...picked.map(([n, vs]) => fc.constantFrom(...vs).map((v): [string, string] => [n, v]))));

const catalina = fc
  .record({
    decl: fc.constantFrom('', '<?xml version="1.0" encoding="ISO-8859-1"?>', '<?xml version="1.0" encoding="UTF-8"?>', "<?xml version='1.0'?>"),
    bom: fc.boolean(),
    httpServer: fc.option(fc.constantFrom('WSO2 Carbon Server', 'Apache-Coyote'), { nil: undefined }),
    https: httpsAttrs,
    base: fc.shuffledSubarray(
      [
        ['protocol', 'org.apache.coyote.http11.Http11NioProtocol'],
        ['SSLEnabled', 'true'],
        ['scheme', 'https'],
        ['secure', 'true'],
        ['sslProtocol', 'TLS'],
        ['keystoreFile', '${carbon.home}/repository/resources/security/wso2carbon.jks'],
        ['keystorePass', 'wso2carbon'],
      ] as [string, string][],
      { minLength: 7 },
    ),
    quotes: fc.array(quote, { minLength: 16, maxLength: 16 }),
    gaps: fc.array(between, { minLength: 16, maxLength: 16 }),
    comments: fc.array(fc.option(comment, { nil: undefined }), { minLength: 5, maxLength: 5 }),
    eols: fc.array(fc.constantFrom('\n', '\r\n'), { minLength: 1, maxLength: 4 }),
    finalEol: fc.boolean(),
    indent: fc.constantFrom('    ', '\t', '  '),
  })
  .map((g) => {
    let qi = 0;
    let gi = 0;
    const a = ([n, v]: [string, string]): string => {
      const q = g.quotes[qi++ % g.quotes.length]!;
      const value = q === "'" ? v.replace(/'/g, '&apos;') : v;
      return `${g.gaps[gi++ % g.gaps.length]}${n}=${q}${value}${q}`;
    };
    const c = (i: number): string => (g.comments[i] ? `${g.indent}${g.comments[i]}\n` : '');
    const http: [string, string][] = [['protocol', 'org.apache.coyote.http11.Http11NioProtocol'], ['port', '9763'], ['redirectPort', '9443']];
    if (g.httpServer) http.push(['server', g.httpServer]);
    const https: [string, string][] = [['port', '9443'], ...g.base, ...g.https];
    const I = g.indent;
    const body =
      `${g.decl ? `${g.decl}\n` : ''}${c(0)}<Server port="8005" shutdown="SHUTDOWN">\n` +
      `${I}<Service className="org.wso2.carbon.tomcat.ext.service.ExtendedStandardService" name="Catalina">\n${c(1)}` +
      `${I}${I}<Connector${http.map(a).join('')}/>\n${c(2)}` +
      `${I}${I}<Connector${https.map(a).join('')}/>\n${c(3)}` +
      `${I}${I}<Engine name="Catalina" defaultHost="localhost">\n${I}${I}${I}<Host name="localhost" appBase="webapps"/>\n${I}${I}</Engine>\n` +
      `${I}</Service>\n${c(4)}</Server>${g.finalEol ? '\n' : ''}`;
    let k = 0;
    const text = body.replace(/\n/g, () => g.eols[k++ % g.eols.length]!);
    const latin1 = /ISO-8859-1/.test(g.decl);
    const bytes = Buffer.from(text, latin1 ? 'latin1' : 'utf8');
    return { text, bytes: g.bom && !latin1 ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) : bytes };
  });

/** Facts of an xml-js tree: every element's name, attributes and non-element children, by element path. */
function facts(nodes: XmlNode[], path = ''): Map<string, string> {
  const out = new Map<string, string>();
  let el = 0;
  nodes.forEach((n, i) => {
    if (n.t === 'element') {
      const p = `${path}/${el++}`;
      out.set(`${p}#name`, n.name);
      for (const [k, v] of Object.entries(n.attrs)) out.set(`${p}@${k}`, v);
      for (const [k, v] of facts(n.children, p)) out.set(k, v);
    } else out.set(`${path}~${i}:${n.t}`, 'value' in n ? n.value : '');
  });
  return out;
}

function xmlOnlyAsIntended(before: string, after: string, intents: Intent[]): void {
  const want = facts(xmlMeaning(before));
  const got = facts(xmlMeaning(after));
  for (const i of intents as XmlIntent[]) {
    if (i.kind === 'xml-attr') want.set(`/${[0, ...i.path].join('/')}@${i.name}`, i.value);
    else throw new Error(`this generator expects attribute changes only, got ${i.kind}`);
  }
  expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
}

const XML_VERSION = { 'bin/version.txt': 'WSO2 API Manager v2.6.0\n', 'bin/wso2carbon-version.txt': 'WSO2 Carbon Framework v4.4.35\n' };

// ------------------------------------------------------------------------------------------------
// TOML: deployment.toml with random tables

const str = (v: string): fc.Arbitrary<string> => fc.constantFrom(`"${v}"`, `'${v}'`);
const tomlTable = (header: string, keys: [string, fc.Arbitrary<string>][]): fc.Arbitrary<string> =>
  fc
    .tuple(fc.shuffledSubarray(keys, { minLength: 1 }), fc.option(fc.constantFrom('# a note', '# port = 9443'), { nil: undefined }), fc.boolean())
    .chain(([picked, note, inline]) =>
      fc.tuple(...picked.map(([k, v]) => v.map((x) => `${k} = ${x}`))).map((lines) => {
        const body = lines.map((l, i) => (inline && i === 0 ? `${l}  # inline` : l));
        return [header, ...(note ? [note] : []), ...body].join('\n');
      }),
    );

/** Some of the given arbitraries, in random order, each drawn once. */
const someOf = (arbs: fc.Arbitrary<string>[]): fc.Arbitrary<string[]> =>
  fc.shuffledSubarray(arbs.map((_, i) => i), { minLength: 1 }).chain((idx) => fc.tuple(...idx.map((i) => arbs[i]!)));

const deploymentToml = fc
  .record({
    tables: someOf([
      tomlTable('[server]', [['hostname', str('localhost')], ['offset', fc.constantFrom('0', '1', '2')]]),
      tomlTable('[super_admin]', [['username', str('admin')], ['password', str('admin')], ['create_admin_account', fc.constant('true')]]),
      tomlTable('[keystore.primary]', [['file_name', str('wso2carbon.jks')], ['password', str('wso2carbon')], ['alias', str('wso2carbon')]]),
      tomlTable('[transport.https.properties]', [['server', str('WSO2 Carbon Server')], ['maxThreads', fc.constant('250')]]),
      tomlTable('[transport.https.sslHostConfig.properties]', [['protocols', str('+TLSv1,+TLSv1.1,+TLSv1.2')], ['ciphers', str(WEAK_CIPHERS)]]),
      tomlTable('[transport.passthru_https.sender.parameters]', [['HttpsProtocols', str('TLSv1,TLSv1.1,TLSv1.2')], ['PreferredCiphers', str(WEAK_CIPHERS)]]),
      tomlTable('[database.shared_db]', [['url', str('jdbc:h2:./repository/database/WSO2SHARED_DB')], ['username', str('wso2carbon')]]),
      tomlTable('[secrets]', [['admin_password', str('[admin]')], ['keystore_password', str('[wso2carbon]')]]),
    ]),
    arrays: fc.constantFrom('', '[[apim.gateway.environment]]\nname = "Default"\ntype = "hybrid"'),
    head: fc.option(fc.constantFrom('# deployment.toml', '# WSO2 API Manager\n# generated'), { nil: undefined }),
    blank: fc.constantFrom('\n', '\n\n'),
    eol: fc.constantFrom('\n', '\r\n'),
    finalEol: fc.boolean(),
  })
  .map((g) => {
    const text = [...(g.head ? [g.head] : []), ...g.tables, ...(g.arrays ? [g.arrays] : [])].join(g.blank) + (g.finalEol ? '\n' : '');
    return text.replace(/\n/g, g.eol);
  });

function tomlOnlyAsIntended(before: string, after: string, intents: Intent[]): void {
  const want = parseToml(before) as Record<string, unknown>;
  for (const i of intents as TomlIntent[]) {
    let node: Record<string, unknown> | unknown[] = want;
    for (const seg of i.key.slice(0, -1)) {
      const next: unknown = Array.isArray(node) ? node[Number(seg)] : (node[seg] ??= {});
      node = next as Record<string, unknown>;
    }
    const last = i.key[i.key.length - 1]!;
    if (i.kind === 'toml-set') {
      if (Array.isArray(node)) node[Number(last)] = i.value;
      else node[last] = i.value;
    } else {
      const holder = node as Record<string, unknown>;
      ((holder[last] ??= []) as unknown[]).push(i.value);
    }
  }
  expect(JSON.parse(JSON.stringify(parseToml(after)))).toEqual(JSON.parse(JSON.stringify(want)));
}

const TOML_VERSION = { 'bin/version.txt': 'WSO2 API Manager v4.2.0\n', 'bin/wso2carbon-version.txt': 'WSO2 Carbon Framework v4.8.1\n' };

// ------------------------------------------------------------------------------------------------
// Start scripts with random flags, run under bash with a stub java

const flag = fc.oneof(
  fc.constantFrom('-Xms256m', '-Dcom.sun.management.jmxremote', '-Dcarbon.home="$CARBON_HOME"', '-Dwso2.server.standalone=true', '"-Dquoted.whole=a b"'),
  fc.constantFrom('1024', '2048', '"2048"', "'4096'").map((v) => `-Djdk.tls.ephemeralDHKeySize=${v}`),
  fc.constantFrom('false', 'true', '"true"').map((v) => `-Djdk.tls.rejectClientInitiatedRenegotiation=${v}`),
  fc.constantFrom('AllowAll', 'Strict', '"AllowAll"').map((v) => `-Dhttpclient.hostnameVerifier=${v}`),
  fc.constantFrom('true', 'false').map((v) => `-Dorg.wso2.ignoreHostnameVerification=${v}`),
);

const startScript = fc
  .record({
    flags: fc.array(flag, { maxLength: 7 }),
    indent: fc.constantFrom('    ', '\t', '        '),
    gap: fc.constantFrom(' \\', '  \\', ' \\'),
    head: fc.constantFrom('', '# WSO2 start script\n', '#!/bin/bash\n# comment with -Djdk.tls.ephemeralDHKeySize=512\n'),
  })
  .map(
    (g) =>
      `${g.head}JAVACMD="$JAVA_HOME/bin/java"\nCARBON_HOME=$(pwd)\nstatus=121\nwhile [ "$status" = "121" ]\ndo\n${g.indent}$JAVACMD${g.gap}\n` +
      g.flags.map((f) => `${g.indent}${f}${g.gap}\n`).join('') +
      `${g.indent}org.wso2.carbon.bootstrap.Bootstrap $*\n${g.indent}status=$?\ndone\n`,
  );

const hasBash = spawnSync('bash', ['-c', 'exit 0']).status === 0;

/** The arguments bash passes to java when it runs the script. */
function javaArgs(script: Buffer): string[] {
  const dir = mkdtempSync(join(root, 'run-'));
  recordingJavaHome(join(dir, 'jdk'));
  writeFileSync(join(dir, 'run.sh'), script);
  const r = spawnSync('bash', [join(dir, 'run.sh')], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', JAVA_HOME: join(dir, 'jdk'), RECORD_FILE: join(dir, 'args') } });
  expect(r.status).toBe(0);
  const args = readFileSync(join(dir, 'args'), 'utf8').split('\n').slice(0, -1);
  rmSync(dir, { recursive: true, force: true });
  return args.map((a) => a.replace(dir, '<home>'));
}

function scriptOnlyAsIntended(before: Buffer, after: Buffer, intents: Intent[]): void {
  const names = intents.map((i) => (i.kind === 'jvm-flag' ? i.name : ''));
  const target = (a: string): boolean => names.some((n) => a === `-D${n}` || a.startsWith(`-D${n}=`));
  const was = javaArgs(before);
  const now = javaArgs(after);
  expect(now.filter((a) => !target(a))).toEqual(was.filter((a) => !target(a)));
  for (const i of intents) if (i.kind === 'jvm-flag') expect(now.filter((a) => a === `-D${i.name}` || a.startsWith(`-D${i.name}=`))).toEqual([`-D${i.name}=${i.value}`]);
  expect(now[now.length - 1]).toBe('org.wso2.carbon.bootstrap.Bootstrap');
}

// ------------------------------------------------------------------------------------------------

describe('properties of fixing generated homes', () => {
  const TOMCAT = ['tomcat-server-header', 'tomcat-tls-protocols', 'tomcat-tls-ciphers'];
  const JVM = ['jvm-ephemeral-dh', 'jvm-reject-client-renegotiation', 'jvm-hostname-verification'];

  it('catalina-server.xml-like documents', () => {
    let changed = 0;
    fc.assert(
      fc.property(catalina, (doc) => {
        const home = makeHome({ ...XML_VERSION, 'repository/conf/tomcat/catalina-server.xml': doc.bytes });
        const { plan } = checkHome(home, TOMCAT, {}, (_p, b, a, intents) => {
          const dec = (x: Buffer): string => {
            const body = x[0] === 0xef && x[1] === 0xbb && x[2] === 0xbf ? x.subarray(3) : x;
            return /ISO-8859-1/.test(body.subarray(0, 60).toString('latin1')) ? body.toString('latin1') : body.toString('utf8');
          };
          xmlOnlyAsIntended(dec(b), dec(a), intents);
        });
        if (plan.changes.length) changed++;
      }),
      CHECK,
    );
    expect(changed).toBeGreaterThan(RUNS / 2);
  });

  it('deployment.toml files', () => {
    let changed = 0;
    fc.assert(
      fc.property(deploymentToml, fc.constantFrom(undefined, '1'), (toml, offset) => {
        const home = makeHome({ ...TOML_VERSION, 'repository/conf/deployment.toml': toml });
        const params: Record<string, string> = offset ? { 'port-offset': offset } : {};
        const { plan } = checkHome(
          home,
          [],
          params,
          (path, b, a, intents) => {
            if (path.endsWith('.toml')) tomlOnlyAsIntended(b.toString('utf8'), a.toString('utf8'), intents);
          },
          { allowRefusals: true },
        );
        if (plan.changes.length) changed++;
      }),
      CHECK,
    );
    expect(changed).toBeGreaterThan(0);
  });

  (hasBash ? it : it.skip)('start scripts with random flags', () => {
    let changed = 0;
    fc.assert(
      fc.property(startScript, (script) => {
        const home = makeHome({ ...XML_VERSION, 'bin/wso2server.sh': script });
        const { plan } = checkHome(home, JVM, {}, (_p, b, a, intents) => scriptOnlyAsIntended(b, a, intents));
        if (plan.changes.length) changed++;
      }),
      CHECK,
    );
    expect(changed).toBeGreaterThan(RUNS / 2);
  });

  // Found by the deployment.toml property (seed -1303576822): when the file's last table is
  // [transport.https.properties] and it has no final newline, tomcat-server-header's two insertions
  // (server = … into that table, and a new [transport.http.properties]) land at the same offset; the
  // new section must go after the key (TextEdit.order), or the key lands in the new table.
  it('a key appended to the last table and a new table at the end of a file without a final newline', () => {
    const home = makeHome({ ...TOML_VERSION, 'repository/conf/deployment.toml': '[server]\nhostname = "localhost"\n[transport.https.properties]\nmaxThreads = 250' });
    const plan = planHome({ home, only: ['tomcat-server-header'] });
    expect(plan.findings.filter((f) => f.status === 'error')).toEqual([]);
    expect(plan.changes[0]!.after).toBe(
      '[server]\nhostname = "localhost"\n[transport.https.properties]\nmaxThreads = 250\nserver = "WebServer"\n\n[transport.http.properties]\nserver = "WebServer"',
    );
  });

  // Found by the deployment.toml property (seed -1757789539): a final `offset = 0` without a newline was
  // located as an empty range, so --set port-offset=1 would have written "10" (verification refused it).
  it('sets a final 0 in a deployment.toml without a final newline', () => {
    const home = makeHome({ ...TOML_VERSION, 'repository/conf/deployment.toml': '[server]\noffset = 0' });
    const plan = planHome({ home, only: ['ports-offset'], params: { 'port-offset': '1' } });
    expect(plan.findings.filter((f) => f.status === 'error')).toEqual([]);
    expect(plan.changes[0]!.after).toBe('[server]\noffset = 1');
  });

  it('the generators make what they claim', () => {
    const docs = fc.sample(catalina, 30).map((d) => d.text);
    expect(docs.some((d) => d.includes('\r\n') && /[^\r]\n/.test(d))).toBe(true);
    expect(docs.some((d) => d.includes("='"))).toBe(true);
    for (const t of fc.sample(deploymentToml, 20)) expect(() => parseToml(t)).not.toThrow();
  });
});
