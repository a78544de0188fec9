// Every Tomcat Connector announces "WSO2 Carbon Server" in its Server header; replace it with a
// neutral value (must be non-empty: Tomcat 7 falls back to "Apache-Coyote/1.1"). deployment.toml cannot
// remove the kernel's default, so there both [transport.http(s).properties] tables get the neutral value.
import { attr } from '../../src/formats/xml/locate.js';
import { addAttr, setAttrValue } from '../../src/formats/xml/edit.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { catalinaFiles, connectors, isTomcat7 } from '../../src/kit/tomcat.js';
import { effective, type TomlConfig } from '../../src/kit/deployment-toml.js';
import { xmlSafe } from '../../src/formats/toml/xml-safe.js';
import { settingFix } from '../../src/kit/toml-setting.js';
import { catalinaReads, catalinaSwitch, catalinaToml, entryLine, sourceOf, stringValue, tomcatFiles } from '../../src/kit/tomcat-toml.js';
import type { Finding, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';
import { SOURCES } from '../../src/kit/sources.js';

const REVEALING = /wso2|carbon|apache|tomcat|coyote|\d+\.\d+/i;

export const tomcatServerHeader: Transform = {
  id: 'tomcat-server-header',
  title: 'Tomcat connectors do not announce the product in the Server header',
  rationale:
    'The Server header "WSO2 Carbon Server" tells an attacker which product, and so which known vulnerabilities, sit behind the port. A neutral value gives nothing away.',
  severity: 'low',
  fixClass: 'AUTO',
  sources: [
    SOURCES.wso2Guidelines,
    { title: 'Apache Tomcat HTTP connector: server attribute', url: 'https://tomcat.apache.org/tomcat-9.0-doc/config/http.html' },
  ],
  appliesTo: { models: ['xml', 'toml'] },
  files: tomcatFiles,
  params: [
    {
      name: 'server-header',
      description: 'Value of the Server header sent by the Tomcat connectors',
      default: 'WebServer',
      validate: (v) => (!v.trim() ? 'must not be empty (Tomcat 7 would then send Apache-Coyote/1.1)' : REVEALING.test(v) ? 'should not name the product, server or a version' : undefined),
    },
  ],
  plan(ctx) {
    const config = catalinaToml(ctx);
    return config ? planToml(this, ctx, config) : planXml(this, ctx);
  },
};

function planXml(t: TransformMeta, ctx: TransformContext): Finding[] {
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
        findings.push(report(t, 'compliant', `connector ${port} sends Server: ${server.value}`, file, line));
        continue;
      }
      if (!server && !isTomcat7(doc)) {
        findings.push(report(t, 'compliant', `connector ${port} sends no Server header (Tomcat 8.5+ default)`, file, line));
        continue;
      }
      // An absent attribute on Tomcat 7 sends Apache-Coyote/1.1, so write one there too.
      const edit = server ? setAttrValue(server, wanted) : addAttr(doc, c, 'server', wanted);
      findings.push(
        fix(t, file, line, `connector ${port} announces ${server ? `"${server.value}"` : 'the Tomcat default'} in its Server header; set server="${wanted}"`, [edit], [
          { kind: 'xml-attr', path: c.path, name: 'server', value: wanted },
        ]),
      );
    }
  }
  return findings;
}

/** deployment.toml products: the template loops each [transport.http(s).properties] table onto its Connector. */
function planToml(t: TransformMeta, ctx: TransformContext, config: TomlConfig): Finding[] {
  const wanted = ctx.param('server-header')!;
  const file = config.path;
  const findings: Finding[] = [];
  for (const [scheme, port] of [['http', '9763'], ['https', '9443']] as const) {
    const table = `transport.${scheme}.properties`;
    if (!catalinaReads(config, `${table}.items()`)) {
      findings.push(report(t, 'manual', `the product's catalina-server.xml template does not render [${table}] onto the ${port} connector; set its server attribute in the template by hand`, file));
      continue;
    }
    if (catalinaSwitch(config, `transport.${scheme}.enabled`) === 'off') {
      findings.push(report(t, 'compliant', `the ${port} connector is not rendered (transport.${scheme}.enabled is not true)`, file));
      continue;
    }
    const canonical = `${table}.server`;
    const eff = effective(config, canonical);
    const current = stringValue(eff);
    const source = sourceOf(eff, canonical, 'WSO2 Carbon Server');
    if (current !== undefined && current.trim() && !REVEALING.test(current)) {
      findings.push(report(t, 'compliant', `${source}: the ${port} connector sends Server: ${current}`, file, entryLine(config, eff)));
      continue;
    }
    // The template pastes the value into an XML attribute unescaped (RULES §1.6).
    const value = xmlSafe(wanted);
    const was = current === undefined ? source : `${source} announces "${current}"`;
    findings.push(settingFix(t, config, canonical, ['transport', scheme, 'properties', 'server'], value, (where) => `${was} in the ${port} connector's Server header; set ${where} = "${value}"`));
  }
  return findings;
}
