// The management console's HttpHeaderSecurityFilter ships with hstsEnabled=false, and Tomcat's
// default hstsMaxAgeSeconds=0 would send "max-age=0" (HSTS off) even when enabled: turn it on and
// always write a max-age. Only the filter named exactly HttpHeaderSecurityFilter is touched.
// deployment.toml homes: toml.ts decides between that array, the static file, and a manual report.
import { childrenNamed } from '../../src/formats/xml/locate.js';
import { insertAfter, setText } from '../../src/formats/xml/edit.js';
import { indentBefore, type TextEdit } from '../../src/formats/text.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { filterMappings, filtersNamed, initParam } from '../../src/kit/web-xml-filters.js';
import { cloneMarkup } from '../../src/kit/xml-sibling-clone.js';
import { tomlFiles } from '../../src/kit/deployment-toml.js';
import { CONSOLE_WEB_XML, GLOBAL_WEB_XML, tomlFindings } from './toml.js';
import type { Finding, Intent, ProductInfo, Transform, TransformContext } from '../../src/engine/types.js';
import type { XmlDoc, XmlElement } from '../../src/formats/xml/locate.js';
import { SOURCES } from '../../src/kit/sources.js';

const FILTER = 'HttpHeaderSecurityFilter';
const FILTER_CLASS = 'org.apache.catalina.filters.HttpHeaderSecurityFilter';
/** One year: the catalog's target and the HSTS preload list's minimum; the floor when no value is given. */
const ONE_YEAR = 31536000;
const INT_MAX = 2147483647;

const consoleWebXmls = (product: ProductInfo): string[] => product.confDirs.map((d) => `${d}/tomcat/carbon/WEB-INF/web.xml`);

/** What to paste into a web.xml by hand when the filter cannot be fixed in place. */
const guidance = (maxAge: string): string =>
  `declare <filter><filter-name>${FILTER}</filter-name><filter-class>${FILTER_CLASS}</filter-class>` +
  `<init-param><param-name>hstsMaxAgeSeconds</param-name><param-value>${maxAge}</param-value></init-param></filter> ` +
  `with a <filter-mapping> to <url-pattern>*</url-pattern>`;

/** A new hstsMaxAgeSeconds init-param after the filter's last child, when there is no init-param to copy. */
function freshParam(doc: XmlDoc, filter: XmlElement, maxAge: string): { anchor: XmlElement; markup: string; edit: TextEdit } {
  const anchor = filter.children[filter.children.length - 1]!;
  const indent = indentBefore(doc.text, anchor.start);
  const parts = ['<param-name>hstsMaxAgeSeconds</param-name>', `<param-value>${maxAge}</param-value>`];
  if (indent === undefined) {
    const markup = `<init-param>${parts.join('')}</init-param>`;
    return { anchor, markup, edit: insertAfter(doc, anchor, markup) };
  }
  // Nest one step deeper, by the step the filter's children already use.
  const outer = indentBefore(doc.text, filter.start) ?? '';
  const step = indent.length > outer.length && indent.startsWith(outer) ? indent.slice(outer.length) : '    ';
  const markup = ['<init-param>', ...parts.map((p) => step + p), '</init-param>'].join('\n');
  return { anchor, markup, edit: insertAfter(doc, anchor, markup) };
}

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
      validate: (v) => (!/^\d+$/.test(v) || Number(v) < 1 ? 'must be a positive whole number of seconds' : Number(v) > INT_MAX ? `must fit a Java int (at most ${INT_MAX})` : undefined),
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
  const filters = filtersNamed(doc, FILTER);
  const manual = (why: string, at?: XmlElement): void => {
    findings.push(report(t, 'manual', why, file, at ? lineOf(doc.text, at.start) : undefined));
  };
  if (filters.length === 0) {
    manual(`no filter named ${FILTER} (kernels before 4.4.6 lack it): ${guidance(wanted)}`);
    return findings;
  }
  const f = filters[0]!;
  if (filters.length > 1) {
    manual(`${FILTER} is declared ${filters.length} times, which Tomcat rejects; keep one and give it hstsEnabled=true and hstsMaxAgeSeconds=${wanted}`, f.el);
    return findings;
  }
  if (f.className !== FILTER_CLASS) {
    manual(`${FILTER} has class "${f.className}", not ${FILTER_CLASS}; its init-params mean something else: ${guidance(wanted)}`, f.el);
    return findings;
  }
  if (filterMappings(doc, FILTER).length === 0) {
    manual(`${FILTER} is declared but no <filter-mapping> applies it, so it sends nothing; map it to <url-pattern>*</url-pattern> and give it hstsEnabled=true and hstsMaxAgeSeconds=${wanted}`, f.el);
    return findings;
  }

  const enabled = initParam(f, 'hstsEnabled');
  const maxAge = initParam(f, 'hstsMaxAgeSeconds');
  for (const p of [enabled, maxAge]) {
    if (p && (!p.valueEl || p.value?.includes('${'))) {
      manual(`init-param ${p.name} of ${FILTER} has ${p.valueEl ? `the placeholder value "${p.value}"` : 'no <param-value>'}; set hstsEnabled=true and hstsMaxAgeSeconds=${wanted} by hand`, p.el);
    }
  }
  if ([enabled, maxAge].some((p) => p && (!p.valueEl || p.value?.includes('${')))) return findings;

  const edits: TextEdit[] = [];
  const intents: Intent[] = [];
  const why: string[] = [];
  // Tomcat reads booleans with Boolean.valueOf; an absent hstsEnabled means true.
  if (enabled && !/^true$/i.test(enabled.value!)) {
    edits.push(setText(doc, enabled.valueEl!, 'true'));
    intents.push({ kind: 'xml-text', path: enabled.valueEl!.path, value: 'true' });
    why.push(`hstsEnabled=${enabled.value}`);
  }
  // Tomcat treats an unparsable or negative max-age as 0.
  const current = maxAge && /^\d+$/.test(maxAge.value!) ? Number(maxAge.value) : 0;
  if (maxAge && current < floor) {
    edits.push(setText(doc, maxAge.valueEl!, wanted));
    intents.push({ kind: 'xml-text', path: maxAge.valueEl!.path, value: wanted });
    why.push(`hstsMaxAgeSeconds=${maxAge.value}${current === 0 ? ' (HSTS off)' : ` (below ${floor})`}`);
  } else if (!maxAge) {
    // Copy the hstsEnabled init-param (else the last one) so the new one is laid out like it.
    const model = enabled ?? f.params[f.params.length - 1];
    const nameEl = model && childrenNamed(model.el, 'param-name')[0];
    if (model && nameEl && model.valueEl) {
      const markup = cloneMarkup(doc, model.el, new Map([[nameEl, 'hstsMaxAgeSeconds'], [model.valueEl, wanted]]));
      edits.push(insertAfter(doc, model.el, markup, true));
      intents.push({ kind: 'xml-insert', after: model.el.path, xml: markup });
    } else {
      const fresh = freshParam(doc, f.el, wanted);
      edits.push(fresh.edit);
      intents.push({ kind: 'xml-insert', after: fresh.anchor.path, xml: fresh.markup });
    }
    why.push("no hstsMaxAgeSeconds (Tomcat's default 0 sends max-age=0, HSTS off)");
  }

  const line = lineOf(doc.text, (enabled ?? maxAge ?? f).el.start);
  if (edits.length === 0) {
    findings.push(report(t, 'compliant', `${FILTER} sends Strict-Transport-Security: max-age=${current} on HTTPS responses`, file, line));
    return findings;
  }
  findings.push(
    fix(t, file, line, `the console's ${FILTER} has ${why.join(' and ')}; set hstsEnabled=true and hstsMaxAgeSeconds=${wanted} (sent on HTTPS responses only)`, edits, intents),
  );
  return findings;
}

