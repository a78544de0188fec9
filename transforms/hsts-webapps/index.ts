// Web applications and Jaggery apps send Strict-Transport-Security with a real max-age. Their own
// HttpHeaderSecurityFilter is shipped with hstsEnabled=false or commented out; on deployment.toml products one
// filter declared in the global default web.xml covers every application. HSTS is sent on HTTPS responses only.
import { tomlFiles } from '../../src/kit/deployment-toml.js';
import { fileSource } from '../../src/kit/rendered-file.js';
import { report } from '../../src/kit/findings.js';
import { ONE_YEAR, validMaxAge } from '../../src/kit/hsts-filter.js';
import { appLabel, jaggeryConfs, webappDescriptors } from '../../src/kit/webapps.js';
import { SOURCES } from '../../src/kit/sources.js';
import { jaggeryFindings } from './jaggery.js';
import { GLOBAL_WEB_XML, globalFilterFindings } from './toml.js';
import { webXmlFindings, type HstsTarget } from './web-xml.js';
import type { Finding, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';

const WEBAPP_WEB_XML = 'repository/deployment/server/webapps/*/WEB-INF/web.xml';
const JAGGERY_CONF = 'repository/deployment/server/jaggeryapps/*/jaggery.conf';

export const hstsWebapps: Transform = {
  id: 'hsts-webapps',
  title: 'Web applications and Jaggery apps send Strict-Transport-Security with a real max-age',
  rationale:
    'A browser that reaches a web application such as the login pages or the API portals over HTTPS can still be downgraded to plain HTTP later unless HSTS tells it otherwise. Their HttpHeaderSecurityFilter ships with hstsEnabled=false or commented out, and Tomcat defaults the max-age to 0, which switches HSTS off.',
  severity: 'medium',
  fixClass: 'AUTO-GUARDED',
  sources: [
    SOURCES.wso2Guidelines,
    SOURCES.wso2Guidelines44,
    { title: 'Apache Tomcat 9: HTTP Header Security Filter', url: 'https://tomcat.apache.org/tomcat-9.0-doc/config/filter.html#HTTP_Header_Security_Filter' },
    { title: 'Mozilla web security guidelines: HTTP Strict Transport Security', url: 'https://infosec.mozilla.org/guidelines/web_security#http-strict-transport-security' },
  ],
  // Micro Integrator has no Tomcat web applications.
  appliesTo: { models: ['xml', 'toml'] },
  files: (product) => [
    ...webappDescriptors(product),
    ...jaggeryConfs(product),
    ...(product.model === 'toml' ? tomlFiles(product, [GLOBAL_WEB_XML, WEBAPP_WEB_XML, JAGGERY_CONF]) : []),
  ],
  params: [
    {
      name: 'hsts-max-age',
      description: 'hstsMaxAgeSeconds to write (at least one year is advised; Mozilla recommends two)',
      default: String(ONE_YEAR),
      validate: validMaxAge,
    },
  ],
  plan(ctx) {
    const wanted = ctx.param('hsts-max-age')!;
    // A value the operator asks for is the floor; otherwise any existing max-age of a year or more is kept.
    const given = ctx.options.params['hsts-max-age'];
    const o: HstsTarget = { wanted, floor: given !== undefined ? Number(given) : Math.min(ONE_YEAR, Number(wanted)) };
    const findings: Finding[] = ctx.product.model === 'toml' ? globalFilterFindings(this, ctx, o) : [];
    const covered = findings.some((f) => f.status === 'fixable' || f.status === 'compliant');
    const descriptors = webappDescriptors(ctx.product).flatMap((g) => ctx.files.glob(g));
    const jaggery = jaggeryConfs(ctx.product).flatMap((g) => ctx.files.glob(g));
    for (const f of descriptors) findings.push(...perFile(this, ctx, f.path, covered, () => webXmlFindings(this, ctx, f.path, o)));
    for (const f of jaggery) findings.push(...perFile(this, ctx, f.path, covered, () => jaggeryFindings(this, ctx, f.path, o)));
    if (findings.length === 0) findings.push(report(this, 'not-applicable', 'no exploded web application (WEB-INF/web.xml) and no Jaggery app (jaggery.conf) is deployed'));
    return findings;
  },
};

/** A file fixed in place, unless the config mapper renders it from a template (then an edit would be lost). */
function perFile(t: TransformMeta, ctx: TransformContext, path: string, covered: boolean, inPlace: () => Finding[]): Finding[] {
  const source = fileSource(ctx, path);
  if (source.kind === 'file') return inPlace();
  if (source.kind === 'none') return [report(t, source.status, `${appLabel(path)}: ${source.why}`, path)];
  if (source.template === undefined) {
    return [report(t, 'manual', `${appLabel(path)}: this copy of the home has no repository/resources/conf/templates/, so harden cannot tell whether the config mapper renders ${path}; run harden on the full product home`, path)];
  }
  // Rendered from the product's template: IS 7 templates read [[<app>.tomcat.http_header_security_filter.parameters]].
  const app = /webapps\/([^/]+)\//.exec(path)?.[1];
  const key = app && source.template.includes(`${app}.tomcat.http_header_security_filter`) ? `[[${app}.tomcat.http_header_security_filter.parameters]] entries hstsEnabled and hstsMaxAgeSeconds in deployment.toml` : undefined;
  const rendered = `${appLabel(path)}: ${path} is rendered from the product's template at every start, so it is not edited`;
  if (covered) return [report(t, 'advisory', `${rendered}; the global filter in deployment.toml (see that finding) sends HSTS for it${key ? `, or set ${key}` : ''}`, path)];
  return [report(t, 'manual', `${rendered}, and no global filter can be declared for it; ${key ? `set ${key}` : "send Strict-Transport-Security from the load balancer or reverse proxy in front of it"}`, path)];
}
