// Every HTTPS Connector enables only the policy's TLS versions (TLSv1.2, plus TLSv1.3 on JDK 11+),
// written on the element that already holds its TLS settings and in that element's own style; in
// deployment.toml products, as [transport.https.sslHostConfig.properties] protocols.
import { attr, childrenNamed } from '../../src/formats/xml/locate.js';
import { addAttr, setAttrValue } from '../../src/formats/xml/edit.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { catalinaFiles, formatProtocols } from '../../src/kit/tomcat.js';
import { isAprWithoutHostConfig, siteName, tlsSites } from '../../src/kit/tomcat-tls.js';
import { effective } from '../../src/kit/deployment-toml.js';
import { settingFix } from '../../src/kit/toml-setting.js';
import {
  allComply, catalinaReads, catalinaSwitch, catalinaToml, connectorLevel, customTlsTransports, entryLine, PROTOCOLS, sourceOf, SSL_HOST_CONFIG, stringValue, tomcatFiles,
} from '../../src/kit/tomcat-toml.js';
import { protocolsComply } from '../../src/engine/tls-profiles.js';
import type { Finding, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';
import type { TomlConfig } from '../../src/kit/deployment-toml.js';
import { SOURCES } from '../../src/kit/sources.js';

export const tomcatTlsProtocols: Transform = {
  id: 'tomcat-tls-protocols',
  title: 'Tomcat HTTPS connectors enable only TLS 1.2 and newer',
  rationale:
    'The shipped 9443 connector enables TLSv1 and TLSv1.1 (or leaves the choice to the JVM). Both are deprecated (RFC 8996) and lack modern cipher suites; only TLS 1.2, and 1.3 where the JVM supports it, should be offered.',
  severity: 'high',
  fixClass: 'AUTO-GUARDED',
  sources: [
    { title: 'Apache Tomcat 9 SSL support: SSLHostConfig protocols', url: 'https://tomcat.apache.org/tomcat-9.0-doc/config/http.html#SSL_Support_-_SSLHostConfig' },
    { title: 'Apache Tomcat 7 HTTP connector: sslEnabledProtocols', url: 'https://tomcat.apache.org/tomcat-7.0-doc/config/http.html#SSL_Support_-_BIO_and_NIO' },
    SOURCES.mozillaTls,
    SOURCES.rfc8996,
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
  const findings: Finding[] = [];
  for (const file of catalinaFiles(ctx.product)) {
    if (!ctx.files.get(file)) continue;
    const doc = ctx.files.xml(file);
    for (const s of tlsSites(doc, policy)) {
      const el = s.holder.el;
      const name = s.holder.protocolsAttr;
      const where = siteName(s);
      const line = lineOf(doc.text, (s.protocols ?? el).start);
      // A connector-level list beside an explicit SSLHostConfig is a Tomcat configuration error, not ours to move.
      const legacy = attr(s.connector, 'sslEnabledProtocols');
      if (legacy && el !== s.connector && el === childrenNamed(s.connector, 'SSLHostConfig')[0]) {
        findings.push(report(t, 'advisory', `connector ${s.port} has sslEnabledProtocols="${legacy.value}" beside its <SSLHostConfig>; remove it by hand`, file, lineOf(doc.text, legacy.start)));
      }
      if (isAprWithoutHostConfig(s)) {
        findings.push(report(t, 'manual', `${where} uses the APR/OpenSSL connector; set SSLProtocol to ${policy.protocols.join(' and ')} by hand`, file, line));
        continue;
      }
      if (s.protocols && s.protocolsComply) {
        findings.push(report(t, 'compliant', `${where} enables ${name}="${s.protocols.value}"`, file, line));
        continue;
      }
      const wanted = s.protocolsWanted;
      // sslProtocol="TLS" names the SSLContext algorithm, not a version list: it stays.
      const edit = s.protocols ? setAttrValue(s.protocols, wanted) : addAttr(doc, el, name, wanted, s.protocolsAnchor);
      const was = s.protocols ? `enables ${s.protocols.value}` : `has no ${name} (the JVM's defaults apply)`;
      findings.push(
        fix(t, file, line, `${where} ${was}; set ${name}="${wanted}"`, [edit], [{ kind: 'xml-attr', path: el.path, name, value: wanted }]),
      );
    }
  }
  return findings;
}

/** deployment.toml products: the SSLHostConfig the template renders reads [transport.https.sslHostConfig.properties]. */
function planToml(t: TransformMeta, ctx: TransformContext, config: TomlConfig): Finding[] {
  const policy = ctx.options.policy;
  const file = config.path;
  if (!catalinaReads(config, 'transport.https.sslHostConfig.properties')) {
    return [report(t, 'manual', `the product's catalina-server.xml template gives the SSLHostConfig no deployment.toml key; set its protocols to ${formatProtocols(policy.protocols, true)} in the template by hand`, file)];
  }
  if (catalinaSwitch(config, 'transport.https.enabled') === 'off') {
    return [report(t, 'compliant', 'the HTTPS connector is not rendered (transport.https.enabled is not true)', file)];
  }
  const findings: Finding[] = [];
  for (const c of customTlsTransports(config)) {
    findings.push(report(t, 'advisory', `[[custom_transport]] ${Number(c.index) + 1} (port ${c.port}) renders a Connector of its own with connector-level TLS, which harden does not cover; give it sslEnabledProtocols = "${formatProtocols(policy.protocols, false)}" by hand`, file, c.line));
  }
  // Rendered on the Connector beside the explicit SSLHostConfig: a Tomcat configuration error, not ours to move.
  const stray = connectorLevel(config, 'sslEnabledProtocols');
  if (stray) {
    findings.push(report(t, 'advisory', `[transport.https.properties] ${stray.raw} lands on the Connector beside its <SSLHostConfig>; remove it by hand (the list belongs in [transport.https.sslHostConfig.properties] protocols)`, file, stray.line));
  }
  const eff = effective(config, PROTOCOLS);
  const current = stringValue(eff);
  const source = sourceOf(eff, PROTOCOLS, 'TLSv1 and TLSv1.1 enabled');
  if (current !== undefined && allComply(eff, (v) => protocolsComply(v, policy))) {
    findings.push(report(t, 'compliant', `${source} enables ${current}`, file, entryLine(config, eff)));
    return findings;
  }
  // A legacy [transport.https.properties] protocols that key-mappings.json maps here is fixed in place, never doubled.
  const wanted = formatProtocols(policy.protocols, true);
  const was = current === undefined ? source : `${source} enables ${current}`;
  findings.push(settingFix(t, config, PROTOCOLS, [...SSL_HOST_CONFIG, 'protocols'], wanted, (where) => `${was}; set ${where} = "${wanted}"`));
  return findings;
}
