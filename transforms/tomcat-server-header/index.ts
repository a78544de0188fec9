// Every Tomcat Connector announces "WSO2 Carbon Server" in its Server header; replace it with a
// neutral value (must be non-empty: Tomcat 7 falls back to "Apache-Coyote/1.1").
import { attr } from '../../src/formats/xml/locate.js';
import { addAttr, setAttrValue } from '../../src/formats/xml/edit.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { catalinaFiles, connectors, isTomcat7 } from '../../src/kit/tomcat.js';
import type { Finding, Transform } from '../../src/engine/types.js';

const REVEALING = /wso2|carbon|apache|tomcat|coyote|\d+\.\d+/i;

export const tomcatServerHeader: Transform = {
  id: 'tomcat-server-header',
  title: 'Tomcat connectors do not announce the product in the Server header',
  rationale:
    'The Server header "WSO2 Carbon Server" tells an attacker which product, and so which known vulnerabilities, sit behind the port. A neutral value gives nothing away.',
  severity: 'low',
  fixClass: 'AUTO',
  sources: [
    { title: 'WSO2 API Manager: security guidelines for production deployment', url: 'https://apim.docs.wso2.com/en/latest/install-and-setup/setup/deployment-best-practices/security-guidelines-for-production-deployment/' },
    { title: 'Apache Tomcat HTTP connector: server attribute', url: 'https://tomcat.apache.org/tomcat-9.0-doc/config/http.html' },
  ],
  appliesTo: { models: ['xml'] },
  files: catalinaFiles,
  params: [
    {
      name: 'server-header',
      description: 'Value of the Server header sent by the Tomcat connectors',
      default: 'WebServer',
      validate: (v) => (!v.trim() ? 'must not be empty (Tomcat 7 would then send Apache-Coyote/1.1)' : REVEALING.test(v) ? 'should not name the product, server or a version' : undefined),
    },
  ],
  plan(ctx) {
    const wanted = ctx.param('server-header')!;
    const findings: Finding[] = [];
    for (const file of catalinaFiles(ctx.product)) {
      if (!ctx.files.get(file)) continue;
      const doc = ctx.files.xml(file);
      for (const c of connectors(doc)) {
        const port = attr(c, 'port')?.value ?? '?';
        const server = attr(c, 'server');
        const line = lineOf(doc.text, (server ?? c).start);
        if (server && server.value.trim() && !REVEALING.test(server.value)) {
          findings.push(report(this, 'compliant', `connector ${port} sends Server: ${server.value}`, file, line));
          continue;
        }
        if (!server && !isTomcat7(doc)) {
          findings.push(report(this, 'compliant', `connector ${port} sends no Server header (Tomcat 8.5+ default)`, file, line));
          continue;
        }
        // An absent attribute on Tomcat 7 sends Apache-Coyote/1.1, so write one there too.
        const edit = server ? setAttrValue(server, wanted) : addAttr(doc, c, 'server', wanted);
        findings.push(
          fix(this, file, line, `connector ${port} announces ${server ? `"${server.value}"` : 'the Tomcat default'} in its Server header; set server="${wanted}"`, [edit], [
            { kind: 'xml-attr', path: c.path, name: 'server', value: wanted },
          ]),
        );
      }
    }
    return findings;
  },
};
