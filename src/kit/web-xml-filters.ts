// Servlet filters in a web.xml: found by exact <filter-name> (a product may declare a second filter
// of the same class under another name, RULES-FACTCHECK C16), with their init-params and mappings.
import { childrenNamed, locateXml, localName, textOf, type XmlDoc, type XmlElement } from '../formats/xml/locate.js';
import { childComments, type XmlComment } from '../formats/xml/comments.js';

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

/** Where a comment's body starts inside its fragment document (`<c>` + body + `</c>`). */
export const FRAGMENT_OFFSET = 3;

export interface CommentedFilters {
  comment: XmlComment;
  /** The comment's body parsed as the content of a wrapper element, `<c>…</c>` (body offset = offset - FRAGMENT_OFFSET). */
  fragment: XmlDoc;
  /** Names of the <filter>s and of the filters the <filter-mapping>s apply, as they stand in the comment. */
  filters: string[];
  mappings: string[];
}

/**
 * Comments among the web-app's children whose whole body is <filter> and <filter-mapping> markup (a declaration
 * shipped commented out): the body must parse as XML and hold nothing else but whitespace, so prose that merely
 * mentions a filter is never taken for one.
 */
export function commentedFilters(doc: XmlDoc): CommentedFilters[] {
  return childComments(doc, doc.root).flatMap((comment) => {
    let fragment: XmlDoc;
    try {
      fragment = locateXml(`<c>${comment.body}</c>`);
    } catch {
      return [];
    }
    const kids = fragment.root.children;
    if (kids.length === 0 || !kids.every((k) => ['filter', 'filter-mapping'].includes(localName(k)))) return [];
    // Only whitespace between the elements (a comment cannot hold a comment, so any other text is prose).
    let at = fragment.root.openEnd;
    for (const k of [...kids, undefined]) {
      const gapEnd = k ? k.start : fragment.root.closeStart;
      if (fragment.text.slice(at, gapEnd).trim() !== '') return [];
      if (k) at = k.end;
    }
    const named = (el: XmlElement): string => childText(fragment, el, 'filter-name') ?? '';
    return [
      {
        comment,
        fragment,
        filters: kids.filter((k) => localName(k) === 'filter').map(named),
        mappings: kids.filter((k) => localName(k) === 'filter-mapping').map(named),
      },
    ];
  });
}
