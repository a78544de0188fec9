// Part 1 of "what harden writes takes effect" (issue 8): the TLS protocols, cipher suites and Server header
// harden writes into catalina-server.xml, and the HSTS init-params it writes into the console web.xml, run in
// a real Tomcat 10 and probed from outside with openssl s_client and curl.
//
// One Tomcat JVM serves every case: one <Service> per case, each with its own HTTPS connector on a free
// 127.0.0.1 port and its own webapp carrying that case's HttpHeaderSecurityFilter. A control case runs the
// example home as shipped through the very same translation and probes, and must come out weak: that is
// what shows a refusal below is the hardened configuration's doing, not the harness's.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tlsPolicy, type ProfileName } from '../../src/engine/tls-profiles.js';
import { cleanupTemps, tempCopy } from '../helpers/homes.js';
import {
  childrenNamed, esc, EXAMPLE_HOME, findJdk, freePorts, handshake, hardenedCopy, httpsHead, makeKeystore, missingTools, opensslSuites, OPTED_OUT,
  readXml, requireTools, Server, TOMCAT_JARS, type Handshake, type Jdk, type Keystore, type XmlEl,
} from './support.js';

const CATALINA = 'repository/conf/tomcat/catalina-server.xml';
const CONSOLE_WEB_XML = 'repository/conf/tomcat/carbon/WEB-INF/web.xml';
const JDK_LINE = 17;

// The Tomcat 9 shape (EI 6.6 integrator, Carbon 4.5+ in XML mode): TLS settings on a nested <SSLHostConfig>,
// '+'-style protocols, no ciphers. Put into a copy of the example home in place of its Tomcat 7 file.
const TOMCAT9_CATALINA = `<?xml version="1.0" encoding="ISO-8859-1"?>
<!-- Tomcat 9 layout: the HTTPS connector keeps its TLS settings on an SSLHostConfig. -->
<Server port="8005" shutdown="SHUTDOWN">
    <Service className="org.wso2.carbon.tomcat.ext.service.ExtendedStandardService" name="Catalina">
        <Connector protocol="org.apache.coyote.http11.Http11NioProtocol"
                   port="9443"
                   bindOnInit="false"
                   server="WSO2 Carbon Server"
                   scheme="https"
                   secure="true"
                   SSLEnabled="true"
                   compressibleMimeType="text/html,text/javascript,application/xml,text/css"
                   URIEncoding="UTF-8">
            <SSLHostConfig protocols="+TLSv1,+TLSv1.1,+TLSv1.2" sslProtocol="TLS">
                <Certificate certificateKeystoreFile="\${carbon.home}/repository/resources/security/wso2carbon.jks"
                             certificateKeystorePassword="wso2carbon"
                             certificateKeyAlias="wso2carbon"/>
            </SSLHostConfig>
        </Connector>
    </Service>
</Server>
`;

type Layout = 'connector' | 'sslhostconfig';
interface Case {
  label: string;
  layout: Layout;
  /** undefined: the control, the example home as shipped. */
  profile?: ProfileName;
}

const CASES: Case[] = [
  { label: 'Tomcat 7 connector attributes, intermediate', layout: 'connector', profile: 'intermediate' },
  { label: 'Tomcat 7 connector attributes, modern', layout: 'connector', profile: 'modern' },
  { label: 'Tomcat 9 SSLHostConfig, intermediate', layout: 'sslhostconfig', profile: 'intermediate' },
  { label: 'Tomcat 9 SSLHostConfig, modern', layout: 'sslhostconfig', profile: 'modern' },
];
const CONTROL: Case = { label: 'control: the example home as shipped', layout: 'connector' };

/** What a home's catalina-server.xml says about its HTTPS connector, as read back after hardening. */
interface ConnectorTls {
  /** Where the TLS settings sit in the source file. */
  holder: 'Connector' | 'SSLHostConfig';
  /** Tomcat 7 sslEnabledProtocols or Tomcat 9 protocols, verbatim. */
  protocols?: string;
  ciphers?: string;
  sslProtocol?: string;
  server?: string;
}

interface Running {
  tls: ConnectorTls;
  /** init-params of the console's HttpHeaderSecurityFilter, in file order. */
  filterParams: Array<[string, string]>;
  port: number;
}

function readConnectorTls(file: string): ConnectorTls {
  const server = readXml(file);
  const https = childrenNamed(server, 'Service')
    .flatMap((s) => childrenNamed(s, 'Connector'))
    .filter((c) => /^true$/i.test(c.attributes['SSLEnabled'] ?? ''));
  if (https.length !== 1) throw new Error(`${file}: expected one HTTPS connector, found ${https.length}`);
  const c = https[0]!;
  const host = childrenNamed(c, 'SSLHostConfig')[0];
  const at = host ?? c;
  return {
    holder: host ? 'SSLHostConfig' : 'Connector',
    protocols: host ? host.attributes['protocols'] : c.attributes['sslEnabledProtocols'],
    ciphers: at.attributes['ciphers'],
    sslProtocol: at.attributes['sslProtocol'],
    server: c.attributes['server'],
  };
}

function readFilterParams(file: string): Array<[string, string]> {
  const filters = childrenNamed(readXml(file), 'filter').filter((f) => childrenNamed(f, 'filter-name')[0]?.text.trim() === 'HttpHeaderSecurityFilter');
  if (filters.length !== 1) throw new Error(`${file}: expected one HttpHeaderSecurityFilter, found ${filters.length}`);
  const text = (el: XmlEl | undefined): string => (el?.text ?? '').trim();
  return childrenNamed(filters[0]!, 'init-param').map((p) => [text(childrenNamed(p, 'param-name')[0]), text(childrenNamed(p, 'param-value')[0])]);
}

/**
 * The connector as Tomcat 10 takes it. Tomcat 10 no longer reads the Tomcat 7 connector-level TLS
 * attributes, so they move onto an <SSLHostConfig>, each value verbatim:
 * - sslEnabledProtocols → protocols. Tomcat 7 hands the comma list to SSLEngine.setEnabledProtocols; Tomcat 10's
 *   `protocols` reads a plain comma list as that same set (it also knows '+'/'-' prefixes, and only logs a
 *   "prefix missing" warning for the plain style), so the set of enabled versions is the same.
 * - ciphers → ciphers. Both take comma-separated JSSE (IANA) names; Tomcat 10 also moves TLS 1.3 names to the
 *   TLS 1.3 list it gives JSSE, which is where JSSE wants them.
 * - sslProtocol → sslProtocol (the SSLContext algorithm, "TLS").
 * - keystoreFile/keystorePass → a <Certificate> with a throw-away RSA key (WSO2's wso2carbon.jks is not used).
 * The server attribute stays on the connector. Nothing else of the source connector bears on TLS or headers.
 */
function connectorXml(name: string, port: number, tls: ConnectorTls, ks: Keystore): string {
  const hostAttrs = [
    tls.protocols !== undefined ? ` protocols="${esc(tls.protocols)}"` : '',
    tls.ciphers !== undefined ? ` ciphers="${esc(tls.ciphers)}"` : '',
    tls.sslProtocol !== undefined ? ` sslProtocol="${esc(tls.sslProtocol)}"` : '',
  ].join('');
  return `  <Service name="${esc(name)}">
    <Connector port="${port}" address="127.0.0.1" protocol="org.apache.coyote.http11.Http11NioProtocol"
               SSLEnabled="true" scheme="https" secure="true" maxThreads="8"${tls.server !== undefined ? ` server="${esc(tls.server)}"` : ''}>
      <SSLHostConfig${hostAttrs}>
        <Certificate certificateKeystoreFile="${esc(ks.path)}" certificateKeystorePassword="${esc(ks.password)}"
                     certificateKeystoreType="PKCS12" type="RSA"/>
      </SSLHostConfig>
    </Connector>
    <Engine name="${esc(name)}" defaultHost="localhost">
      <Host name="localhost" appBase="webapps-${esc(name)}" unpackWARs="false" autoDeploy="false" deployOnStartup="true"/>
    </Engine>
  </Service>
`;
}

/** A ROOT webapp with a static page, whose web.xml declares the filter with exactly these init-params on /*. */
function writeWebapp(dir: string, params: Array<[string, string]>): void {
  mkdirSync(join(dir, 'WEB-INF'), { recursive: true });
  mkdirSync(join(dir, 'META-INF'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>harden real-server test</title>\n');
  // Only the webapp's own classes matter: skip the class-path jar scan so the deployment is quick.
  writeFileSync(join(dir, 'META-INF', 'context.xml'), '<Context><JarScanner scanClassPath="false" scanManifest="false"/></Context>\n');
  const initParams = params
    .map(([n, v]) => `    <init-param><param-name>${esc(n)}</param-name><param-value>${esc(v)}</param-value></init-param>\n`)
    .join('');
  writeFileSync(
    join(dir, 'WEB-INF', 'web.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
  <filter>
    <filter-name>HttpHeaderSecurityFilter</filter-name>
    <filter-class>org.apache.catalina.filters.HttpHeaderSecurityFilter</filter-class>
${initParams}  </filter>
  <filter-mapping>
    <filter-name>HttpHeaderSecurityFilter</filter-name>
    <url-pattern>/*</url-pattern>
  </filter-mapping>
</web-app>
`,
  );
}

/** The global conf/web.xml: just the default servlet, which serves the static page. */
const GLOBAL_WEB_XML = `<?xml version="1.0" encoding="UTF-8"?>
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
  <servlet>
    <servlet-name>default</servlet-name>
    <servlet-class>org.apache.catalina.servlets.DefaultServlet</servlet-class>
    <load-on-startup>1</load-on-startup>
  </servlet>
  <servlet-mapping><servlet-name>default</servlet-name><url-pattern>/</url-pattern></servlet-mapping>
</web-app>
`;

/**
 * JDK 17 itself disables TLS 1.0 and 1.1 (jdk.tls.disabledAlgorithms), which would refuse them whatever harden
 * wrote. Tomcat runs with this JDK's own list minus those two, as on the JDK 8 builds before 8u291 that Carbon 4.4
 * servers commonly run: then only the connector configuration stands between a client and TLS 1.0.
 */
function securityOverride(jdk: Jdk): string {
  const text = readFileSync(join(jdk.home, 'conf', 'security', 'java.security'), 'latin1');
  const m = /^jdk\.tls\.disabledAlgorithms=((?:.*\\\n)*.*)$/m.exec(text);
  if (!m) throw new Error(`no jdk.tls.disabledAlgorithms in ${jdk.home}/conf/security/java.security`);
  const algorithms = m[1]!.replace(/\\\n/g, ' ').split(',').map((s) => s.trim()).filter((s) => s && s !== 'TLSv1' && s !== 'TLSv1.1');
  return `jdk.tls.disabledAlgorithms=${algorithms.join(', ')}\n`;
}

/** How Tomcat's HttpHeaderSecurityFilter renders Strict-Transport-Security for these init-params (undefined: none). */
function expectedHsts(params: Array<[string, string]>): string | undefined {
  const p = new Map(params);
  const bool = (name: string, dflt: boolean): boolean => (p.has(name) ? /^true$/i.test(p.get(name)!) : dflt);
  if (!bool('hstsEnabled', true)) return undefined;
  const age = Math.max(0, Number.parseInt(p.get('hstsMaxAgeSeconds') ?? '0', 10) || 0);
  return `max-age=${age}${bool('hstsIncludeSubDomains', false) ? ';includeSubDomains' : ''}${bool('hstsPreload', false) ? ';preload' : ''}`;
}

const missing = OPTED_OUT ? [] : missingTools({ tomcat: true, openssl: true, curl: true, jdkMajor: JDK_LINE });
const describeReal = OPTED_OUT ? describe.skip : describe;

describeReal('hardened Tomcat settings take effect in a real Tomcat 10', () => {
  let root = '';
  let tomcat: Server | undefined;
  const running = new Map<Case, Running>();
  let suites: ReturnType<typeof opensslSuites>;

  beforeAll(async () => {
    requireTools(missing);
    const jdk = findJdk() as Jdk;
    root = mkdtempSync(join(tmpdir(), 'harden-tomcat-'));
    const ks = makeKeystore(root, jdk);
    suites = opensslSuites();

    const tomcat9Home = tempCopy(EXAMPLE_HOME);
    writeFileSync(join(tomcat9Home, CATALINA), TOMCAT9_CATALINA, 'latin1');
    const source = (layout: Layout): string => (layout === 'connector' ? EXAMPLE_HOME : tomcat9Home);

    const all = [...CASES, CONTROL];
    const ports = await freePorts(all.length);
    const base = join(root, 'catalina-base');
    for (const dir of ['conf', 'lib', 'logs', 'temp', 'work']) mkdirSync(join(base, dir), { recursive: true });
    let services = '';
    for (const [i, c] of all.entries()) {
      const home = c.profile ? await hardenedCopy(source(c.layout), ['--profile', c.profile, '--jdk', String(JDK_LINE)]) : tempCopy(source(c.layout));
      const r: Running = { tls: readConnectorTls(join(home, CATALINA)), filterParams: readFilterParams(join(home, CONSOLE_WEB_XML)), port: ports[i]! };
      running.set(c, r);
      services += connectorXml(`case${i}`, r.port, r.tls, ks);
      writeWebapp(join(base, `webapps-case${i}`, 'ROOT'), r.filterParams);
    }
    writeFileSync(join(base, 'conf', 'server.xml'), `<?xml version="1.0" encoding="UTF-8"?>\n<Server port="-1" shutdown="SHUTDOWN">\n${services}</Server>\n`);
    writeFileSync(join(base, 'conf', 'web.xml'), GLOBAL_WEB_XML);
    writeFileSync(join(base, 'java.security'), securityOverride(jdk));

    tomcat = new Server(
      jdk.java,
      ['-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Duser.language=en', `-Djava.security.properties=${join(base, 'java.security')}`,
        `-Dcatalina.home=${base}`, `-Dcatalina.base=${base}`, `-Djava.io.tmpdir=${join(base, 'temp')}`,
        '-cp', TOMCAT_JARS.join(':'), 'org.apache.catalina.startup.Bootstrap', 'start'],
      { cwd: base },
    );
    await tomcat.waitFor(/Server startup in \[\d+\] milliseconds/, 90_000, 'Tomcat startup');
    for (const [c, r] of running) {
      const open = await new Promise<boolean>((resolve) => {
        const s = createConnection({ host: '127.0.0.1', port: r.port }, () => (s.end(), resolve(true)));
        s.once('error', () => resolve(false));
      });
      if (!open) throw new Error(`Tomcat started but the connector for "${c.label}" (port ${r.port}) does not listen. Tomcat's output:\n${tomcat.tail(80)}`);
    }
  }, 180_000);

  afterAll(async () => {
    await tomcat?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
    cleanupTemps();
  });

  /** Fails with every probe's openssl summary and Tomcat's log when a probe does not come out as expected. */
  function expectHandshakes(results: Array<[string, Handshake, boolean]>): void {
    const wrong = results.filter(([, h, want]) => h.accepted !== want);
    const lines = wrong.map(([what, h, want]) => `${what}: expected ${want ? 'accepted' : 'refused'}, was ${h.accepted ? `accepted (${h.protocol} ${h.cipher})` : 'refused'}\n  ${h.summary}`);
    const log = wrong.length ? `\n--- Tomcat's output (last lines):\n${tomcat?.tail(30)}` : '';
    expect(lines.join('\n') + log).toBe('');
  }

  describe.each(CASES)('$label', (c) => {
    const policy = tlsPolicy(c.profile!, JDK_LINE);
    const tls12 = policy.protocols.includes('TLSv1.2');

    it('harden wrote the profile onto the connector', () => {
      const { tls, filterParams } = running.get(c)!;
      const protocols = (tls.protocols ?? '').split(',').map((p) => p.trim().replace(/^\+/, ''));
      expect({ protocols, ciphers: tls.ciphers?.split(','), server: tls.server }).toEqual({ protocols: policy.protocols, ciphers: policy.ciphers, server: 'WebServer' });
      expect(tls.holder).toBe(c.layout === 'connector' ? 'Connector' : 'SSLHostConfig');
      expect(new Map(filterParams).get('hstsEnabled')).toBe('true');
    });

    it(`refuses TLS 1.0 and 1.1, ${tls12 ? 'accepts' : 'refuses'} TLS 1.2, accepts TLS 1.3`, async () => {
      const { port } = running.get(c)!;
      const versions: Array<[string, Handshake, boolean]> = await Promise.all(
        ([['tls1', false], ['tls1_1', false], ['tls1_2', tls12], ['tls1_3', true]] as const).map(async ([v, want]) => [v, await handshake(port, v), want] as [string, Handshake, boolean]),
      );
      expectHandshakes(versions);
      for (const [v, h] of versions) if (h.accepted) expect({ v, protocol: h.protocol }).toEqual({ v, protocol: v === 'tls1_2' ? 'TLSv1.2' : 'TLSv1.3' });
    });

    it('negotiates each suite of its list that an RSA key can serve, and nothing else', async () => {
      const { port, tls } = running.get(c)!;
      const written = (tls.ciphers ?? '').split(',');
      // ECDSA suites need an EC key; the throw-away key is RSA, so only RSA and TLS 1.3 suites can be negotiated.
      const usable = written.filter((s) => suites.get(s)?.tls13 || suites.get(s)?.auth === 'RSA');
      const each = await Promise.all(
        usable.map(async (s) => {
          const info = suites.get(s)!;
          const h = await handshake(port, info.tls13 ? 'tls1_3' : 'tls1_2', [info.openssl]);
          if (h.accepted) expect({ s, negotiated: h.cipher }).toEqual({ s, negotiated: info.openssl });
          return [`${s} (${info.openssl})`, h, true] as [string, Handshake, boolean];
        }),
      );
      // Every RSA suite this OpenSSL knows outside the list, offered at once over TLS 1.2: the server must pick none.
      const outside = [...suites.entries()].filter(([iana, i]) => !i.tls13 && i.auth === 'RSA' && !written.includes(iana)).map(([, i]) => i.openssl);
      const named: Array<[string, string[], boolean]> = [
        ['every RSA suite outside the list', outside, false],
        ['TLS_RSA_WITH_AES_128_CBC_SHA (AES128-SHA)', ['AES128-SHA'], false],
        ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (ECDHE-RSA-AES128-SHA)', ['ECDHE-RSA-AES128-SHA'], false],
        ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (ECDHE-RSA-AES128-GCM-SHA256)', ['ECDHE-RSA-AES128-GCM-SHA256'], tls12],
      ];
      const others = await Promise.all(named.map(async ([what, list, want]) => [what, await handshake(port, 'tls1_2', list), want] as [string, Handshake, boolean]));
      expectHandshakes([...each, ...others]);
      expect({ written, usable: usable.length > 0 }).toEqual({ written, usable: true });
    });

    it('sends the configured Server header and HSTS with the configured max-age', async () => {
      const { port, tls, filterParams } = running.get(c)!;
      const head = await httpsHead(port, '/index.html');
      const hsts = expectedHsts(filterParams);
      expect(hsts).toMatch(/^max-age=[1-9]\d*/); // what harden wrote turns HSTS on with a real max-age
      expect({ status: head.status, server: head.headers.get('server'), hsts: head.headers.get('strict-transport-security') }).toEqual({
        status: 200,
        server: [tls.server],
        hsts: [hsts],
      });
    });
  });

  // The harness must be able to fail: the example home as shipped, through the same translation and probes.
  describe(CONTROL.label, () => {
    it('comes out weak under the same probes (TLS 1.0, CBC suites, product Server header, no HSTS)', async () => {
      const { port, tls, filterParams } = running.get(CONTROL)!;
      expect(tls).toMatchObject({ protocols: 'TLSv1,TLSv1.1,TLSv1.2', server: 'WSO2 Carbon Server' });
      expect(tls.ciphers).toBeUndefined();
      const probes: Array<[string, Handshake, boolean]> = [
        ['tls1', await handshake(port, 'tls1'), true],
        ['tls1_1', await handshake(port, 'tls1_1'), true],
        // Tomcat 10's default cipher string (HIGH:...:!kRSA) already drops static-RSA suites such as AES128-SHA,
        // so the probe that tells a cipher list from no list is ECDHE-RSA-AES128-SHA.
        ['ECDHE-RSA-AES128-SHA', await handshake(port, 'tls1_2', ['ECDHE-RSA-AES128-SHA']), true],
      ];
      expectHandshakes(probes);
      const head = await httpsHead(port, '/index.html');
      expect(expectedHsts(filterParams)).toBeUndefined();
      expect({ status: head.status, server: head.headers.get('server'), hsts: head.headers.get('strict-transport-security') }).toEqual({
        status: 200,
        server: ['WSO2 Carbon Server'],
        hsts: undefined,
      });
    });
  });
});
