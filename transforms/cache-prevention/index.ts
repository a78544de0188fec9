// Browsers and proxies must not keep copies of console pages and other sensitive responses (guideline 6).
// The management console's URLBasedCachePreventionFilter is reported on (present, removed, or never shipped
// by the product); web applications get a ContentTypeBasedCachePreventionFilter only when the operator names
// them, since which applications serve sensitive dynamic content is the operator's call.
import { compareVersions } from '../../src/engine/tls-profiles.js';
import { tomlFiles } from '../../src/kit/deployment-toml.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { fileSource } from '../../src/kit/rendered-file.js';
import { SOURCES } from '../../src/kit/sources.js';
import { commentedFilters } from '../../src/kit/web-xml-filters.js';
import { appLabel, appName, jaggeryConfs, webappDescriptors } from '../../src/kit/webapps.js';
import { brokenPatterns, cacheFilters, declaresCacheFilter, isWebApp, PATTERNS_HELP, templatePatterns } from './filters.js';
import { addCacheFilter, NEW_FILTER } from './insert.js';
import { jaggeryCacheFindings } from './jaggery.js';
import type { Finding, ProductInfo, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';

const CONSOLE = 'tomcat/carbon/WEB-INF/web.xml';
const WEBAPP_WEB_XML = 'repository/deployment/server/webapps/*/WEB-INF/web.xml';
const PARAM = 'cache-prevention-webapps';

const consoleFiles = (product: ProductInfo): string[] => product.confDirs.map((d) => `${d}/${CONSOLE}`);

/** The class a web application can load on this kernel: the tomcat-ext copy from 4.10, the UI bundle's before (4.4.10+). */
function classFor(kernel: string | undefined): string | undefined {
  if (!kernel) return undefined;
  if (compareVersions(kernel, '4.10.0') >= 0) return 'org.wso2.carbon.tomcat.ext.filter.ContentTypeBasedCachePreventionFilter';
  if (compareVersions(kernel, '4.4.10') >= 0) return 'org.wso2.carbon.ui.filters.cache.ContentTypeBasedCachePreventionFilter';
  return undefined;
}

export const cachePrevention: Transform = {
  id: 'cache-prevention',
  title: 'Console pages and chosen web applications tell browsers and proxies not to cache them',
  rationale:
    'A cached copy of a console page or of a login or account page can be read later from a shared computer or an intermediate proxy. WSO2 sends no-store headers through its cache-prevention filters, which some products do not ship and operators sometimes remove.',
  severity: 'low',
  fixClass: 'AUTO-GUARDED',
  sources: [
    SOURCES.wso2Guidelines,
    SOURCES.wso2Guidelines44,
    { title: 'OWASP Web Security Testing Guide: testing for browser cache weaknesses', url: 'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/04-Authentication_Testing/06-Testing_for_Browser_Cache_Weaknesses' },
  ],
  appliesTo: { models: ['xml', 'toml'] },
  files: (product) => [
    ...consoleFiles(product),
    ...webappDescriptors(product),
    ...jaggeryConfs(product),
    ...(product.model === 'toml' ? tomlFiles(product, [`repository/conf/${CONSOLE}`, WEBAPP_WEB_XML]) : []),
  ],
  params: [
    {
      name: PARAM,
      description:
        'web applications (directory names under repository/deployment/server/webapps, comma-separated, or * for all) that get a ContentTypeBasedCachePreventionFilter when they have none; opt-in',
      validate: (v) => (/^\s*(\*|[^,/\\\s]+(\s*,\s*[^,/\\\s]+)*)\s*$/.test(v) ? undefined : 'must be * or a comma-separated list of web application directory names'),
    },
  ],
  plan(ctx) {
    const findings: Finding[] = [];
    for (const file of consoleFiles(ctx.product)) findings.push(...consoleFindings(this, ctx, file));
    const wanted = (ctx.options.params[PARAM] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const descriptors = webappDescriptors(ctx.product).flatMap((g) => ctx.files.glob(g)).map((f) => f.path);
    for (const file of descriptors) findings.push(...webappFindings(this, ctx, file, wanted.includes('*') || wanted.includes(appName(file) ?? '')));
    for (const name of wanted.filter((n) => n !== '*' && !descriptors.some((d) => appName(d) === n))) {
      findings.push(report(this, 'manual', `--set ${PARAM} names "${name}", but no exploded web application of that name (repository/deployment/server/webapps/${name}/WEB-INF/web.xml) is deployed`));
    }
    for (const f of jaggeryConfs(ctx.product).flatMap((g) => ctx.files.glob(g))) findings.push(...jaggeryCacheFindings(this, ctx, f.path));
    if (findings.length === 0) findings.push(report(this, 'not-applicable', 'no management console web.xml, web application or Jaggery app'));
    return findings;
  },
};

/** The management console: reported only (RULES §2.13 and RULES-FACTCHECK B10). */
function consoleFindings(t: TransformMeta, ctx: TransformContext, file: string): Finding[] {
  const source = fileSource(ctx, file);
  if (source.kind === 'none') return source.status === 'not-applicable' ? [] : [report(t, source.status, source.why, file)];
  if (source.kind === 'toml') {
    const where = `templates/${file}.j2`;
    if (source.template === undefined) {
      if (!ctx.files.get(file)) return [];
      return [report(t, 'advisory', `this copy of the home has no repository/resources/conf/templates/, so harden cannot tell whether the console web.xml the server renders has a cache-prevention filter`, file)];
    }
    if (declaresCacheFilter(source.template)) return [report(t, 'compliant', `the product's ${where} renders a cache-prevention filter for the console`, source.config.path)];
    return [
      report(
        t,
        'advisory',
        `the product's ${where} renders no cache-prevention filter, so console pages are sent without no-store headers (not configured by the product, not a regression); a global [[tomcat.filter]] with class org.wso2.carbon.tomcat.ext.filter.URLBasedCachePreventionFilter (kernel 4.9.1/4.10.0 and later; not verified on a running server) is an option`,
        source.config.path,
      ),
    ];
  }
  const doc = ctx.files.xml(file);
  const found = cacheFilters(doc);
  if (found.length > 0) return found.map((f) => judged(t, file, doc.text, 'the management console', f));
  const commented = commentedFilters(doc).find((b) => cacheFilters(b.fragment).length > 0);
  if (commented) {
    return [report(t, 'manual', `the console's cache-prevention filter is commented out, so console pages may be cached by browsers and proxies; restore it (mapped to *.jsp)`, file, lineOf(doc.text, commented.comment.start))];
  }
  const k = ctx.product.kernel;
  // IS ships its own console web.xml without the filter, kernels before 4.4.11 lack it, and 4.5+ kernel templates drop it.
  const neverShipped = ctx.product.id === 'wso2is' || ctx.product.model === 'toml' || (k !== undefined && compareVersions(k, '4.4.11') < 0);
  if (neverShipped) {
    return [report(t, 'advisory', `the console web.xml has no cache-prevention filter (this product does not ship one: not a regression), so console pages are sent without no-store headers; declare org.wso2.carbon.ui.filters.cache.URLBasedCachePreventionFilter mapped to *.jsp if the console is used from shared machines`, file)];
  }
  return [
    report(
      t,
      'manual',
      `the console web.xml has no cache-prevention filter although kernel 4.4.11 and later ship URLBasedCachePreventionFilter mapped to *.jsp, so it was removed and console pages may be cached by browsers and proxies; restore <filter><filter-name>URLBasedCachePreventionFilter</filter-name><filter-class>org.wso2.carbon.ui.filters.cache.URLBasedCachePreventionFilter</filter-class></filter> with a <filter-mapping> to <url-pattern>*.jsp</url-pattern>`,
      file,
    ),
  ];
}

/** A declared cache filter: compliant when mapped and its patterns can match. */
function judged(t: TransformMeta, file: string, text: string, what: string, f: ReturnType<typeof cacheFilters>[number]): Finding {
  const line = lineOf(text, f.el.start);
  if (!f.mapped) return report(t, 'manual', `${what}'s ${f.name || 'cache-prevention filter'} (${f.className}) is declared but no <filter-mapping> applies it, so it sends nothing; map it`, file, line);
  const broken = brokenPatterns(f.patterns);
  if (broken.length) {
    return report(t, 'manual', `${what}'s ${f.name} never matches ${broken.map((p) => `'${p}'`).join(', ')} from its patterns "${f.patterns}": ${PATTERNS_HELP}`, file, line);
  }
  const short = f.className.replace(/.*\./, '');
  return report(t, 'compliant', `${what} sends no-store headers through ${f.name}${f.name === short ? '' : ` (${short})`}`, file, line);
}

function webappFindings(t: TransformMeta, ctx: TransformContext, file: string, optedIn: boolean): Finding[] {
  const app = appLabel(file);
  const source = fileSource(ctx, file);
  if (source.kind === 'none') return [report(t, source.status, `${app}: ${source.why}`, file)];
  if (source.kind === 'toml') {
    if (source.template === undefined) return [report(t, 'advisory', `${app}: this copy of the home has no templates/, so harden cannot tell whether ${file} is rendered by the config mapper`, file)];
    if (!declaresCacheFilter(source.template)) return [report(t, 'advisory', `${app}: the product's template renders no cache-prevention filter for it, and the rendered file is not edited`, file)];
    const broken = brokenPatterns(templatePatterns(source.template));
    if (broken.length) {
      return [report(t, 'advisory', `${app}: the product's template declares a cache-prevention filter whose patterns ${broken.map((p) => `'${p}'`).join(', ')} keep a quote and never match (${PATTERNS_HELP}); the file is rendered from the template, so it is not edited`, file)];
    }
    return [report(t, 'compliant', `${app}: the product's template renders a cache-prevention filter`, file)];
  }
  const doc = ctx.files.xml(file);
  if (!isWebApp(doc)) return [report(t, 'not-applicable', `${app}: the descriptor's root is <${doc.root.name}>, not <web-app>`, file)];
  const found = cacheFilters(doc);
  if (found.length > 0) return found.map((f) => judged(t, file, doc.text, app, f));
  if (!optedIn) {
    return [report(t, 'advisory', `${app} declares no cache-prevention filter; if it serves sensitive pages or JSON, opt it in with --set ${PARAM}=${appName(file)} to add ${NEW_FILTER}`, file)];
  }
  const className = classFor(ctx.product.kernel);
  if (!className) {
    return [report(t, 'manual', `${app}: the kernel version is ${ctx.product.kernel ? `${ctx.product.kernel}, older than 4.4.10 (no cache-prevention filter classes)` : 'unknown'}, so harden cannot tell which ${NEW_FILTER} class the application can load; add it by hand`, file)];
  }
  if (filterNames(doc).some((n) => n === NEW_FILTER)) {
    return [report(t, 'manual', `${app} already uses the filter name ${NEW_FILTER} for a filter of another class; add the cache-prevention filter by hand under another name`, file)];
  }
  const add = addCacheFilter(doc, className);
  if (!add) return [report(t, 'manual', `${app}'s web.xml has no element to place a filter by; add ${NEW_FILTER} by hand`, file)];
  return [
    fix(t, file, lineOf(doc.text, add.at.start), `${app} declares no cache-prevention filter and is opted in; add ${NEW_FILTER} (${className}) for text/html, application/json and text/plain responses, mapped to /*`, add.edits, add.intents),
  ];
}

/** Names of the web-app's filters and filter mappings. */
function filterNames(doc: ReturnType<TransformContext['files']['xml']>): string[] {
  return doc.root.children
    .filter((c) => c.name === 'filter' || c.name === 'filter-mapping')
    .map((c) => c.children.find((k) => k.name === 'filter-name'))
    .flatMap((n) => (n ? [doc.text.slice(n.openEnd, n.closeStart).trim()] : []));
}
