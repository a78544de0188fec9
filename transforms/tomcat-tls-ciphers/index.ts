// Every HTTPS Connector offers only the policy's cipher suites (Mozilla intermediate/modern, as the
// JDK can negotiate them), on the same element and right after the protocol list; in deployment.toml
// products, as [transport.https.sslHostConfig.properties] ciphers.
import { attr, childrenNamed } from '../../src/formats/xml/locate.js';
import { addAttr, setAttrValue } from '../../src/formats/xml/edit.js';
import { ciphersComply, splitList } from '../../src/engine/tls-profiles.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { catalinaFiles } from '../../src/kit/tomcat.js';
import { isAprWithoutHostConfig, siteName, tlsSites } from '../../src/kit/tomcat-tls.js';
import { effective, type TomlConfig } from '../../src/kit/deployment-toml.js';
import { settingFix } from '../../src/kit/toml-setting.js';
import {
  allComply, catalinaReads, catalinaSwitch, catalinaToml, CIPHERS, connectorLevel, customTlsTransports, entryLine, protocolsAfterToml, sourceOf, SSL_HOST_CONFIG, stringValue, tomcatFiles,
} from '../../src/kit/tomcat-toml.js';
import type { Finding, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';
import { SOURCES } from '../../src/kit/sources.js';

export const tomcatTlsCiphers: Transform = {
  id: 'tomcat-tls-ciphers',
  title: 'Tomcat HTTPS connectors offer only strong cipher suites',
  rationale:
    'Without a ciphers attribute Tomcat offers every suite the JVM enables, including CBC, SHA-1 and non-forward-secret RSA key exchange. Restricting the list to the Mozilla profile leaves only AEAD suites with forward secrecy.',
  severity: 'medium',
  fixClass: 'AUTO-GUARDED',
  sources: [
    { title: 'Apache Tomcat 9 SSL support: SSLHostConfig ciphers', url: 'https://tomcat.apache.org/tomcat-9.0-doc/config/http.html#SSL_Support_-_SSLHostConfig' },
    { title: 'Apache Tomcat 7 HTTP connector: ciphers', url: 'https://tomcat.apache.org/tomcat-7.0-doc/config/http.html#SSL_Support_-_BIO_and_NIO' },
    SOURCES.mozillaTls,
  ],
  appliesTo: { models: ['xml', 'toml'] },
  files: tomcatFiles,
  params: [],
  plan(ctx) {
    const config = catalinaToml(ctx);
    return config ? planToml(this, ctx, config) : planXml(this, ctx);
  },
};

function planXml(t: TransformMeta, ctx: TransformContext): Finding[] {
  const policy = ctx.options.policy;
  const wanted = policy.ciphers.join(',');
  const findings: Finding[] = [];
  for (const file of catalinaFiles(ctx.product)) {
    if (!ctx.files.get(file)) continue;
    const doc = ctx.files.xml(file);
    for (const s of tlsSites(doc, policy)) {
      const el = s.holder.el;
      const where = siteName(s);
      const ciphers = attr(el, 'ciphers');
      const line = lineOf(doc.text, (ciphers ?? el).start);
      const legacy = el !== s.connector ? attr(s.connector, 'ciphers') : undefined;
      if (legacy && el === childrenNamed(s.connector, 'SSLHostConfig')[0]) {
        findings.push(report(t, 'advisory', `connector ${s.port} has ciphers beside its <SSLHostConfig>; remove it by hand`, file, lineOf(doc.text, legacy.start)));
      }
      if (isAprWithoutHostConfig(s)) {
        findings.push(report(t, 'manual', `${where} uses the APR/OpenSSL connector; set SSLCipherSuite by hand`, file, line));
        continue;
      }
      // Judged against the protocols the element will have once tomcat-tls-protocols has run.
      if (ciphers && ciphersComply(ciphers.value, policy, s.protocolsAfter)) {
        findings.push(report(t, 'compliant', `${where} offers only allowed cipher suites`, file, line));
        continue;
      }
      const edit = ciphers ? setAttrValue(ciphers, wanted) : addAttr(doc, el, 'ciphers', wanted, s.ciphersAnchor);
      const outside = ciphers ? splitList(ciphers.value).filter((c) => !policy.ciphers.includes(c)) : [];
      const was = !ciphers
        ? 'has no ciphers (every suite the JVM enables is offered)'
        : outside.length
          ? `offers suites outside the policy (${outside.slice(0, 3).join(', ')}${outside.length > 3 ? ', ...' : ''})`
          : `lists no suite for one of its protocols (${s.protocolsAfter.join(', ')})`;
      findings.push(
        fix(t, file, line, `${where} ${was}; set ciphers to the ${policy.profile} list for JDK ${policy.jdk}`, [edit], [
          { kind: 'xml-attr', path: el.path, name: 'ciphers', value: wanted },
        ]),
      );
    }
  }
  return findings;
}

/** deployment.toml products: the SSLHostConfig the template renders reads [transport.https.sslHostConfig.properties]. */
function planToml(t: TransformMeta, ctx: TransformContext, config: TomlConfig): Finding[] {
  const policy = ctx.options.policy;
  const wanted = policy.ciphers.join(',');
  const file = config.path;
  if (!catalinaReads(config, 'transport.https.sslHostConfig.properties')) {
    return [report(t, 'manual', "the product's catalina-server.xml template gives the SSLHostConfig no deployment.toml key; set its ciphers in the template by hand", file)];
  }
  if (catalinaSwitch(config, 'transport.https.enabled') === 'off') {
    return [report(t, 'compliant', 'the HTTPS connector is not rendered (transport.https.enabled is not true)', file)];
  }
  const findings: Finding[] = [];
  for (const c of customTlsTransports(config)) {
    findings.push(report(t, 'advisory', `[[custom_transport]] ${Number(c.index) + 1} (port ${c.port}) renders a Connector of its own with connector-level TLS, which harden does not cover; give it the ${policy.profile} ciphers by hand`, file, c.line));
  }
  const eff = effective(config, CIPHERS);
  const line = entryLine(config, eff);
  // IS 7: the APR connector hands the list to OpenSSL, which knows its own names (RULES §4a).
  if (catalinaSwitch(config, 'transport.https.openssl.enabled') === 'on') {
    findings.push(report(t, 'manual', 'the HTTPS connector runs on OpenSSL (transport.https.openssl.enabled = true), which reads the cipher list with OpenSSL names: set [transport.https.sslHostConfig.properties] ciphers by hand and check that OpenSSL accepts every suite', file, line));
    return findings;
  }
  // No key-mapping moves it: it lands on the Connector beside the explicit SSLHostConfig (a Tomcat configuration error).
  const stray = connectorLevel(config, 'ciphers');
  if (stray) {
    findings.push(report(t, 'manual', `[transport.https.properties] ciphers lands on the Connector beside its <SSLHostConfig>, a Tomcat configuration error: move it to [transport.https.sslHostConfig.properties] with the ${policy.profile} list`, file, stray.line));
    if (eff.source !== 'toml') return findings; // a second list would be the wrong fix
  }
  // Judged against the protocols in effect once tomcat-tls-protocols has run.
  const protocols = protocolsAfterToml(config, policy);
  const current = stringValue(eff);
  const source = sourceOf(eff, CIPHERS, 'up to kernel 4.12.25 none: every suite the JVM enables');
  if (current !== undefined && allComply(eff, (v) => ciphersComply(v, policy, protocols))) {
    findings.push(report(t, 'compliant', `${source} offers only allowed cipher suites`, file, line));
    return findings;
  }
  const outside = current === undefined ? [] : splitList(current).filter((c) => !policy.ciphers.includes(c));
  const was =
    current === undefined
      ? source
      : outside.length
        ? `${source} offers suites outside the policy (${outside.slice(0, 3).join(', ')}${outside.length > 3 ? ', ...' : ''})`
        : `${source} lists no suite for one of its protocols (${protocols.join(', ')})`;
  findings.push(settingFix(t, config, CIPHERS, [...SSL_HOST_CONFIG, 'ciphers'], wanted, (where) => `${was}; set ${where} to the ${policy.profile} list for JDK ${policy.jdk}`));
  return findings;
}
