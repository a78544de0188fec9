// Every HTTPS Connector offers only the policy's cipher suites (Mozilla intermediate/modern, as the
// JDK can negotiate them), on the same element and right after the protocol list.
import { attr, childrenNamed } from '../../src/formats/xml/locate.js';
import { addAttr, setAttrValue } from '../../src/formats/xml/edit.js';
import { ciphersComply, splitList } from '../../src/engine/tls-profiles.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { catalinaFiles } from '../../src/kit/tomcat.js';
import { isAprWithoutHostConfig, siteName, tlsSites } from '../../src/kit/tomcat-tls.js';
import type { Finding, Transform } from '../../src/engine/types.js';

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
    { title: 'Mozilla server-side TLS guidelines', url: 'https://wiki.mozilla.org/Security/Server_Side_TLS' },
  ],
  appliesTo: { models: ['xml'] },
  files: catalinaFiles,
  params: [],
  plan(ctx) {
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
          findings.push(report(this, 'advisory', `connector ${s.port} has ciphers beside its <SSLHostConfig>; remove it by hand`, file, lineOf(doc.text, legacy.start)));
        }
        if (isAprWithoutHostConfig(s)) {
          findings.push(report(this, 'manual', `${where} uses the APR/OpenSSL connector; set SSLCipherSuite by hand`, file, line));
          continue;
        }
        // Judged against the protocols the element will have once tomcat-tls-protocols has run.
        if (ciphers && ciphersComply(ciphers.value, policy, s.protocolsAfter)) {
          findings.push(report(this, 'compliant', `${where} offers only allowed cipher suites`, file, line));
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
          fix(this, file, line, `${where} ${was}; set ciphers to the ${policy.profile} list for JDK ${policy.jdk}`, [edit], [
            { kind: 'xml-attr', path: el.path, name: 'ciphers', value: wanted },
          ]),
        );
      }
    }
    return findings;
  },
};
