// Servlet filters in a web.xml: found by exact <filter-name> (a product may declare a second filter
// of the same class under another name, RULES-FACTCHECK C16), with their init-params and mappings.
import { childrenNamed, localName, textOf, type XmlDoc, type XmlElement } from '../formats/xml/locate.js';

export interface InitParam {
  el: XmlElement;
  name: string;
  /** The <param-value> element, when there is one. */
  valueEl: XmlElement | undefined;
  value: string | undefined;
}

export interface ServletFilter {
  el: XmlElement;
  name: string;
  /** The filter's class name, trimmed ('' when absent). */
  className: string;
  params: InitParam[];
}

const childText = (doc: XmlDoc, el: XmlElement, name: string): string | undefined => {
  const c = childrenNamed(el, name)[0];
  return c ? textOf(doc, c) : undefined;
};

/** The top-level <filter>s named exactly `name` (whitespace around the name is ignored, as Tomcat trims it). */
export function filtersNamed(doc: XmlDoc, name: string): ServletFilter[] {
  return childrenNamed(doc.root, 'filter')
    .filter((f) => childText(doc, f, 'filter-name') === name)
    .map((el) => ({
      el,
      name,
      className: childText(doc, el, 'filter-class') ?? '',
      params: childrenNamed(el, 'init-param').map((p) => {
        const valueEl = childrenNamed(p, 'param-value')[0];
        return { el: p, name: childText(doc, p, 'param-name') ?? '', valueEl, value: valueEl ? textOf(doc, valueEl) : undefined };
      }),
    }));
}

/** The first init-param of that name: Tomcat keeps the first definition of a repeated one. */
export function initParam(filter: ServletFilter, name: string): InitParam | undefined {
  return filter.params.find((p) => p.name === name);
}

/** The <filter-mapping>s that apply the filter named `name` to a URL pattern or servlet. */
export function filterMappings(doc: XmlDoc, name: string): XmlElement[] {
  return childrenNamed(doc.root, 'filter-mapping').filter(
    (m) => childText(doc, m, 'filter-name') === name && m.children.some((c) => ['url-pattern', 'servlet-name'].includes(localName(c))),
  );
}
