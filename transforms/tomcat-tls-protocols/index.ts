// Every HTTPS Connector enables only the policy's TLS versions (TLSv1.2, plus TLSv1.3 on JDK 11+),
// written on the element that already holds its TLS settings and in that element's own style.
import { attr, childrenNamed } from '../../src/formats/xml/locate.js';
import { addAttr, setAttrValue } from '../../src/formats/xml/edit.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { catalinaFiles } from '../../src/kit/tomcat.js';
import { isAprWithoutHostConfig, siteName, tlsSites } from '../../src/kit/tomcat-tls.js';
import type { Finding, Transform } from '../../src/engine/types.js';

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
    { title: 'Mozilla server-side TLS guidelines', url: 'https://wiki.mozilla.org/Security/Server_Side_TLS' },
    { title: 'RFC 8996: Deprecating TLS 1.0 and TLS 1.1', url: 'https://www.rfc-editor.org/rfc/rfc8996' },
  ],
  appliesTo: { models: ['xml'] },
  files: catalinaFiles,
  params: [],
  plan(ctx) {
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
          findings.push(report(this, 'advisory', `connector ${s.port} has sslEnabledProtocols="${legacy.value}" beside its <SSLHostConfig>; remove it by hand`, file, lineOf(doc.text, legacy.start)));
        }
        if (isAprWithoutHostConfig(s)) {
          findings.push(report(this, 'manual', `${where} uses the APR/OpenSSL connector; set SSLProtocol to ${policy.protocols.join(' and ')} by hand`, file, line));
          continue;
        }
        if (s.protocols && s.protocolsComply) {
          findings.push(report(this, 'compliant', `${where} enables ${name}="${s.protocols.value}"`, file, line));
          continue;
        }
        const wanted = s.protocolsWanted;
        // sslProtocol="TLS" names the SSLContext algorithm, not a version list: it stays.
        const edit = s.protocols ? setAttrValue(s.protocols, wanted) : addAttr(doc, el, name, wanted, s.protocolsAnchor);
        const was = s.protocols ? `enables ${s.protocols.value}` : `has no ${name} (the JVM's defaults apply)`;
        findings.push(
          fix(this, file, line, `${where} ${was}; set ${name}="${wanted}"`, [edit], [{ kind: 'xml-attr', path: el.path, name, value: wanted }]),
        );
      }
    }
    return findings;
  },
};
