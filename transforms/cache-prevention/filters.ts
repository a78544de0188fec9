// WSO2's cache-prevention filters (RULES §2.13, RULES-FACTCHECK A31, B10): URLBasedCachePreventionFilter and
// ContentTypeBasedCachePreventionFilter, in org.wso2.carbon.ui.filters.cache and, from kernel 4.10, also in
// org.wso2.carbon.tomcat.ext.filter. Both split multi-value params on the regex `"\s*,` (a quote, then the
// comma): the quote belongs before each comma, and a pattern that keeps a quote character never matches.
import { childrenNamed, localName, textOf, type XmlDoc, type XmlElement } from '../../src/formats/xml/locate.js';
import { filterMappings } from '../../src/kit/web-xml-filters.js';

export const CACHE_CLASS = /(^|\.)(URLBased|ContentTypeBased)CachePreventionFilter$/;

export interface CacheFilter {
  el: XmlElement;
  name: string;
  className: string;
  patterns: string | undefined;
  mapped: boolean;
}

const childText = (doc: XmlDoc, el: XmlElement, name: string): string | undefined => {
  const c = childrenNamed(el, name)[0];
  return c ? textOf(doc, c) : undefined;
};

/** The web-app's <filter>s of either cache-prevention class, whatever their name. */
export function cacheFilters(doc: XmlDoc): CacheFilter[] {
  return childrenNamed(doc.root, 'filter').flatMap((el) => {
    const className = childText(doc, el, 'filter-class') ?? '';
    if (!CACHE_CLASS.test(className)) return [];
    const name = childText(doc, el, 'filter-name') ?? '';
    const patterns = childrenNamed(el, 'init-param').find((p) => childText(doc, p, 'param-name') === 'patterns');
    return [{ el, name, className, patterns: patterns ? childText(doc, patterns, 'param-value') : undefined, mapped: filterMappings(doc, name).length > 0 }];
  });
}

/** The patterns as the filter reads them (split on `"\s*,`, trimmed), and those that keep a quote and so never match. */
export function brokenPatterns(patterns: string | undefined): string[] {
  if (!patterns?.trim()) return [];
  return patterns
    .split(/"\s*,/)
    .map((p) => p.trim())
    .filter((p) => p.includes('"'));
}

export const PATTERNS_HELP =
  'the filter splits the list on a quote followed by a comma and keeps any other quote as part of the regular expression, so write it as text/html.*" ,application/json.*" ,text/plain.*';

/** The comment-stripped text of a template or file, for presence checks. */
export const withoutComments = (text: string): string => text.replace(/<!--[\s\S]*?-->/g, '');

/** Whether markup (a template) declares a filter of a cache-prevention class. */
export function declaresCacheFilter(text: string): boolean {
  return /<filter-class>\s*[\w.]*(URLBased|ContentTypeBased)CachePreventionFilter\s*<\/filter-class>/.test(withoutComments(text));
}

/** The patterns a template writes for its cache filter, if it writes a literal list. */
export function templatePatterns(text: string): string | undefined {
  return /<param-name>\s*patterns\s*<\/param-name>\s*<param-value>([^<{]*)<\/param-value>/.exec(withoutComments(text))?.[1];
}

export const isWebApp = (doc: XmlDoc): boolean => localName(doc.root) === 'web-app';
