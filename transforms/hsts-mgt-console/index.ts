// The management console's HttpHeaderSecurityFilter ships with hstsEnabled=false, and Tomcat's
// default hstsMaxAgeSeconds=0 would send "max-age=0" (HSTS off) even when enabled: turn it on and
// always write a max-age. Only the filter named exactly HttpHeaderSecurityFilter is touched.
// deployment.toml homes: toml.ts decides between that array, the static file, and a manual report.
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { HSTS_FILTER, HSTS_FILTER_CLASS, hstsGuidance, hstsParamEdits, ONE_YEAR, unreadableHstsParams, validMaxAge } from '../../src/kit/hsts-filter.js';
import { filterMappings, filtersNamed } from '../../src/kit/web-xml-filters.js';
import { tomlFiles } from '../../src/kit/deployment-toml.js';
import { CONSOLE_WEB_XML, GLOBAL_WEB_XML, tomlFindings } from './toml.js';
import type { Finding, ProductInfo, Transform, TransformContext } from '../../src/engine/types.js';
import type { XmlElement } from '../../src/formats/xml/locate.js';
import { SOURCES } from '../../src/kit/sources.js';

const consoleWebXmls = (product: ProductInfo): string[] => product.confDirs.map((d) => `${d}/tomcat/carbon/WEB-INF/web.xml`);

export const hstsMgtConsole: Transform = {
  id: 'hsts-mgt-console',
  title: 'The management console sends Strict-Transport-Security with a real max-age',
  rationale:
    'Without HSTS a browser that once reached the console over HTTPS can still be downgraded to plain HTTP and have its session stolen. The shipped filter has hstsEnabled=false, and Tomcat defaults hstsMaxAgeSeconds to 0, which tells browsers to forget HSTS at once.',
  severity: 'medium',
  fixClass: 'AUTO-GUARDED',
  sources: [
    SOURCES.wso2Guidelines44,
    { title: 'Apache Tomcat 9: HTTP Header Security Filter', url: 'https://tomcat.apache.org/tomcat-9.0-doc/config/filter.html#HTTP_Header_Security_Filter' },
    { title: 'Mozilla web security guidelines: HTTP Strict Transport Security', url: 'https://infosec.mozilla.org/guidelines/web_security#http-strict-transport-security' },
  ],
  // No Tomcat in Micro Integrator, so no 'mi'.
  appliesTo: { models: ['xml', 'toml'] },
  files: (product) =>
    product.model === 'toml' ? [...tomlFiles(product, [CONSOLE_WEB_XML, GLOBAL_WEB_XML]), CONSOLE_WEB_XML] : consoleWebXmls(product),
  params: [
    {
      name: 'hsts-max-age',
      description: 'hstsMaxAgeSeconds for the management console (Mozilla recommends two years; at least one year is advised)',
      default: '63072000',
      validate: validMaxAge,
    },
  ],
  plan(ctx) {
    const wanted = ctx.param('hsts-max-age')!;
    // A value the operator asks for is the floor; otherwise any existing max-age of a year or more is kept.
    const given = ctx.options.params['hsts-max-age'];
    const floor = given !== undefined ? Number(given) : Math.min(ONE_YEAR, Number(wanted));
    const inPlace = (file: string): Finding[] => webXmlFindings(this, ctx, file, wanted, floor);
    if (ctx.product.model === 'toml') return tomlFindings(this, ctx, { wanted, floor, inPlace });
    const findings: Finding[] = [];
    for (const file of consoleWebXmls(ctx.product)) {
      if (!ctx.files.get(file)) findings.push(report(this, 'not-applicable', `no management console web.xml at ${file}`));
      else findings.push(...inPlace(file));
    }
    return findings;
  },
};

/** The console web.xml fixed in place: Carbon 4.4 / EI, and TOML homes where that file is not templated. */
function webXmlFindings(t: Transform, ctx: TransformContext, file: string, wanted: string, floor: number): Finding[] {
  const findings: Finding[] = [];
  const doc = ctx.files.xml(file);
  const filters = filtersNamed(doc, HSTS_FILTER);
  const manual = (why: string, at?: XmlElement): void => {
    findings.push(report(t, 'manual', why, file, at ? lineOf(doc.text, at.start) : undefined));
  };
  if (filters.length === 0) {
    manual(`no filter named ${HSTS_FILTER} (kernels before 4.4.6 lack it): ${hstsGuidance(wanted)}`);
    return findings;
  }
  const f = filters[0]!;
  if (filters.length > 1) {
    manual(`${HSTS_FILTER} is declared ${filters.length} times, which Tomcat rejects; keep one and give it hstsEnabled=true and hstsMaxAgeSeconds=${wanted}`, f.el);
    return findings;
  }
  if (f.className !== HSTS_FILTER_CLASS) {
    manual(`${HSTS_FILTER} has class "${f.className}", not ${HSTS_FILTER_CLASS}; its init-params mean something else: ${hstsGuidance(wanted)}`, f.el);
    return findings;
  }
  if (filterMappings(doc, HSTS_FILTER).length === 0) {
    manual(`${HSTS_FILTER} is declared but no <filter-mapping> applies it, so it sends nothing; map it to <url-pattern>*</url-pattern> and give it hstsEnabled=true and hstsMaxAgeSeconds=${wanted}`, f.el);
    return findings;
  }

  const unreadable = unreadableHstsParams(f, wanted);
  for (const u of unreadable) manual(u.why, u.at);
  if (unreadable.length) return findings;

  const plan = hstsParamEdits(doc, f, wanted, floor);
  if (plan.kind === 'manual') {
    manual(plan.why, plan.at);
    return findings;
  }
  const line = lineOf(doc.text, plan.at.start);
  if (plan.edits.length === 0) {
    findings.push(report(t, 'compliant', `${HSTS_FILTER} sends Strict-Transport-Security: max-age=${plan.maxAge} on HTTPS responses`, file, line));
    return findings;
  }
  findings.push(
    fix(t, file, line, `the console's ${HSTS_FILTER} has ${plan.problems.join(' and ')}; set hstsEnabled=true and hstsMaxAgeSeconds=${wanted} (sent on HTTPS responses only)`, plan.edits, plan.intents),
  );
  return findings;
}

