// The opt-in addition to a web application's web.xml: a ContentTypeBasedCachePreventionFilter after its last
// <filter> and a mapping to /* after its last <filter-mapping>, nested and indented like the file's own elements.
import type { TextEdit } from '../../src/formats/text.js';
import { indentBefore } from '../../src/formats/text.js';
import { insertAfter } from '../../src/formats/xml/edit.js';
import { childrenNamed, walk, type XmlDoc, type XmlElement } from '../../src/formats/xml/locate.js';
import type { Intent } from '../../src/engine/types.js';

export const NEW_FILTER = 'ContentTypeBasedCachePreventionFilter';
/** Regular expressions matched against the whole Content-Type (so ".*" lets a charset follow), split on `"\s*,`. */
export const NEW_PATTERNS = 'text/html.*" ,application/json.*" ,text/plain.*';

/** The indentation step the file nests child elements by (its first nested element on its own line), else four spaces. */
function step(doc: XmlDoc): string {
  for (const el of walk(doc.root)) {
    const outer = indentBefore(doc.text, el.start);
    const child = el.children[0];
    const inner = child ? indentBefore(doc.text, child.start) : undefined;
    if (outer !== undefined && inner !== undefined && inner.length > outer.length && inner.startsWith(outer)) return inner.slice(outer.length);
  }
  return '    ';
}

function filterMarkup(className: string, s: string, oneLine: boolean): string {
  const parts: [number, string][] = [
    [0, '<filter>'],
    [1, `<filter-name>${NEW_FILTER}</filter-name>`],
    [1, `<filter-class>${className}</filter-class>`],
    [1, '<init-param>'],
    [2, '<param-name>patterns</param-name>'],
    [2, `<param-value>${NEW_PATTERNS}</param-value>`],
    [1, '</init-param>'],
    [1, '<init-param>'],
    [2, '<param-name>filterAction</param-name>'],
    [2, '<param-value>enforce</param-value>'],
    [1, '</init-param>'],
    [0, '</filter>'],
  ];
  return oneLine ? parts.map(([, p]) => p).join('') : parts.map(([d, p]) => s.repeat(d) + p).join('\n');
}

function mappingMarkup(s: string, oneLine: boolean): string {
  const parts: [number, string][] = [
    [0, '<filter-mapping>'],
    [1, `<filter-name>${NEW_FILTER}</filter-name>`],
    [1, '<url-pattern>/*</url-pattern>'],
    [1, '<dispatcher>REQUEST</dispatcher>'],
    [1, '<dispatcher>FORWARD</dispatcher>'],
    [0, '</filter-mapping>'],
  ];
  return oneLine ? parts.map(([, p]) => p).join('') : parts.map(([d, p]) => s.repeat(d) + p).join('\n');
}

/** The edits and intents that add the filter and its mapping; undefined when the web-app has no element to place them by. */
export function addCacheFilter(doc: XmlDoc, className: string): { edits: TextEdit[]; intents: Intent[]; at: XmlElement } | undefined {
  const kids = doc.root.children;
  const filterAnchor = childrenNamed(doc.root, 'filter').at(-1) ?? kids[0];
  if (!filterAnchor) return undefined;
  const mappingAnchor = childrenNamed(doc.root, 'filter-mapping').at(-1);
  const s = step(doc);
  const oneLine = (el: XmlElement): boolean => indentBefore(doc.text, el.start) === undefined;
  const filter = filterMarkup(className, s, oneLine(filterAnchor));
  if (!mappingAnchor || mappingAnchor.end === filterAnchor.end) {
    const mapping = mappingMarkup(s, oneLine(filterAnchor));
    const edit = insertAfter(doc, filterAnchor, oneLine(filterAnchor) ? filter + mapping : `${filter}\n${mapping}`);
    return { edits: [edit], intents: [{ kind: 'xml-insert', after: filterAnchor.path, xml: filter }, { kind: 'xml-insert', after: filterAnchor.path, xml: mapping }], at: filterAnchor };
  }
  const mapping = mappingMarkup(s, oneLine(mappingAnchor));
  return {
    edits: [insertAfter(doc, filterAnchor, filter), insertAfter(doc, mappingAnchor, mapping)],
    intents: [{ kind: 'xml-insert', after: filterAnchor.path, xml: filter }, { kind: 'xml-insert', after: mappingAnchor.path, xml: mapping }],
    at: filterAnchor,
  };
}
