// The servlet transport's plain-HTTP connector (9763) carries whatever the web applications serve, in the
// clear (RULES.md §2.7, RULES-FACTCHECK A21, B3). Only some deployment.toml products have a switch for it, and
// its key differs: Identity Server's template tests `transport.http.enabled is sameas true`, API Manager after
// 4.5.0 `transport.http.enable`; APIM 3.2–4.5.0 and the bare kernel render it unconditionally, and Carbon 4.4
// always has it. Turning it off can break clients that still use it, so harden does so only on
// --set http-connector=disable and only where the product's template reads the switch; elsewhere it says what
// the operator can do.
import { attr, type XmlElement } from '../../src/formats/xml/locate.js';
import { effective, type TomlConfig } from '../../src/kit/deployment-toml.js';
import { lineOf, report } from '../../src/kit/findings.js';
import { settingFix } from '../../src/kit/toml-setting.js';
import { connectors, isHttps } from '../../src/kit/tomcat.js';
import { CATALINA, entryLine, planCatalina, sourceOf, tomcatFiles } from '../../src/kit/tomcat-toml.js';
import type { Finding, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';
import { SOURCES } from '../../src/kit/sources.js';

const OPT_IN = '--set http-connector=disable';
/** `{% if transport.http.enable %}` (AM-HEAD) or `{% if transport.http.enabled is sameas true %}` (IS). */
const SWITCH = /\{%-?\s*if\s+(transport\.http\.enabled?)\b\s*(is\s+sameas\s+true\s*)?-?%\}/;

/** What an operator can do where harden cannot switch the connector off. */
const byHand = (port: string, toml: boolean): string =>
  `block port ${port} (plus the port offset) at the firewall or load balancer, or bind the connector to the loopback interface with ${
    toml ? '[transport.http.properties] address = "127.0.0.1"' : `address="127.0.0.1" on the port ${port} <Connector>`
  } (check first that nothing, such as a health check or an http:// endpoint, still uses it); keep HttpAdminServices and EnableHTTPAdminConsole commented out (admin-services-exposure)`;

export const tomcatHttpConnector: Transform = {
  id: 'tomcat-http-connector',
  title: 'The servlet transport has no plain-HTTP connector (opt-in where the product can switch it off)',
  rationale:
    'Port 9763 serves the same web applications as 9443 without TLS, so anything sent to it (session cookies, credentials, tokens) crosses the network in the clear and can be altered on the way. Where nothing needs it, it should not listen at all.',
  severity: 'medium',
  fixClass: 'AUTO-GUARDED',
  sources: [
    SOURCES.wso2Guidelines,
    { title: 'WSO2 Identity Server: configuring the HTTP transport (disable port 9763)', url: 'https://is.docs.wso2.com/en/latest/deploy/security/configure-transport-level-security/' },
    { title: 'Apache Tomcat 9: the HTTP connector (address attribute)', url: 'https://tomcat.apache.org/tomcat-9.0-doc/config/http.html' },
  ],
  // No Tomcat in Micro Integrator.
  appliesTo: { models: ['xml', 'toml'] },
  files: tomcatFiles,
  params: [
    {
      name: 'http-connector',
      description: 'disable: switch the plain-HTTP servlet connector (9763) off where the product has a deployment.toml switch for it',
      validate: (v) => (v === 'disable' ? undefined : 'the only value is "disable"'),
    },
  ],
  plan(ctx) {
    const disable = ctx.param('http-connector') === 'disable';
    return planCatalina(
      this,
      ctx,
      (config) => tomlFindings(this, config, disable),
      (file) => xmlFindings(this, ctx, file, disable),
    );
  },
};

const isPlainHttp = (c: XmlElement): boolean => !isHttps(c) && !/ajp/i.test(attr(c, 'protocol')?.value ?? '');

function xmlFindings(t: TransformMeta, ctx: TransformContext, file: string, disable: boolean): Finding[] {
  const doc = ctx.files.xml(file);
  const plain = connectors(doc).filter(isPlainHttp);
  if (plain.length === 0) return [report(t, 'compliant', 'no plain-HTTP <Connector> in the servlet transport', file)];
  return plain.map((c) => {
    const port = attr(c, 'port')?.value ?? '?';
    const address = attr(c, 'address')?.value;
    const line = lineOf(doc.text, c.start);
    if (address && /^(127\.|::1$|\[::1\]$|localhost$)/i.test(address)) {
      return report(t, 'compliant', `the plain-HTTP connector ${port} listens on ${address} only`, file, line);
    }
    const what = `the plain-HTTP connector ${port} is active${address ? ` on ${address}` : ''}; ${ctx.product.model === 'xml' ? 'Carbon 4.4 and XML-mode products have no switch for it, and harden does not remove Connectors' : 'this product does not render catalina-server.xml from deployment.toml'}`;
    return disable ? report(t, 'manual', `${what}: ${byHand(port, false)}`, file, line) : report(t, 'advisory', `${what}; to close it, ${byHand(port, false)}`, file, line);
  });
}

/** Whether the template's switch renders the connector for this value (`is sameas true` only for boolean true; plain `if` for any truthy value). */
function rendered(value: unknown, sameas: boolean): boolean {
  if (sameas) return value === true;
  return !(value === undefined || value === null || value === false || value === '' || value === 0);
}

function tomlFindings(t: TransformMeta, config: TomlConfig, disable: boolean): Finding[] {
  const file = config.path;
  const template = config.template(CATALINA);
  const m = template === undefined ? null : SWITCH.exec(template);
  if (!m) {
    const why = template === undefined
      ? `this copy of the home has no templates/${CATALINA}.j2, so harden cannot tell whether the product can switch the 9763 connector off`
      : `the product's templates/${CATALINA}.j2 renders the plain-HTTP connector (9763) unconditionally: no deployment.toml key switches it off (API Manager up to 4.5.0 and the bare kernel)`;
    return [report(t, disable ? 'manual' : 'advisory', `${why}; ${byHand('9763', true)}`, file)];
  }
  const key = m[1]!;
  const sameas = !!m[2];
  const eff = effective(config, key);
  const shown = eff.source === 'unset' ? `${key} is not set` : `${sourceOf(eff, key, '')} = ${JSON.stringify(eff.value)}`;
  if (!rendered(eff.value, sameas)) return [report(t, 'compliant', `${shown}: the plain-HTTP connector (9763) is not rendered`, file, entryLine(config, eff))];
  const leaf = key.split('.').at(-1)!;
  if (!disable) {
    return [report(t, 'advisory', `${shown}: the plain-HTTP connector (9763) is on; where nothing needs it, ${OPT_IN} writes [transport.http] ${leaf} = false`, file, entryLine(config, eff))];
  }
  return [
    settingFix(t, config, key, ['transport', 'http', leaf], false, (where) => `${shown}: the plain-HTTP connector (9763) is on; set ${where} = false (the template tests ${m[0].replace(/\s+/g, ' ')}; check that no client or health check still uses port 9763)`),
  ];
}
