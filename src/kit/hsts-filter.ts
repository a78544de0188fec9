// Tomcat's HttpHeaderSecurityFilter as declared in a web.xml: what its HSTS init-params mean, and the
// smallest edits that turn HSTS on with a real max-age (Tomcat's default max-age is 0, which switches HSTS
// off in browsers). Shared by hsts-webapps (every web app) and hsts-mgt-console (the management console).
import { childrenNamed, type XmlDoc, type XmlElement } from '../formats/xml/locate.js';
import { insertAfter, setText } from '../formats/xml/edit.js';
import { indentBefore, type TextEdit } from '../formats/text.js';
import type { Intent } from '../engine/types.js';
import { initParam, type InitParam, type ServletFilter } from './web-xml-filters.js';
import { cloneMarkup } from './xml-sibling-clone.js';

export const HSTS_FILTER = 'HttpHeaderSecurityFilter';
export const HSTS_FILTER_CLASS = 'org.apache.catalina.filters.HttpHeaderSecurityFilter';
/** One year: the catalog's target and the HSTS preload list's minimum. */
export const ONE_YEAR = 31536000;
export const INT_MAX = 2147483647;

/** Why a max-age parameter value is unacceptable, or undefined when it is fine. */
export function validMaxAge(v: string): string | undefined {
  if (!/^\d+$/.test(v) || Number(v) < 1) return 'must be a positive whole number of seconds';
  return Number(v) > INT_MAX ? `must fit a Java int (at most ${INT_MAX})` : undefined;
}

/** Tomcat reads the booleans with Boolean.valueOf: only "true" (any case) is true. */
export const isTrue = (v: unknown): boolean => v === true || (typeof v === 'string' && /^\s*true\s*$/i.test(v));

/** Tomcat reads an int max-age; anything unparsable or negative acts as 0. */
export function maxAgeOf(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : 0;
  return Number.isInteger(n) && n >= 0 && n <= INT_MAX ? n : 0;
}

/** What to paste into a web.xml by hand when the filter cannot be fixed in place. */
export const hstsGuidance = (maxAge: string): string =>
  `declare <filter><filter-name>${HSTS_FILTER}</filter-name><filter-class>${HSTS_FILTER_CLASS}</filter-class>` +
  `<init-param><param-name>hstsMaxAgeSeconds</param-name><param-value>${maxAge}</param-value></init-param></filter> ` +
  `with a <filter-mapping> to <url-pattern>*</url-pattern>`;

export type HstsParamPlan =
  | { kind: 'manual'; why: string; at: XmlElement }
  | {
      kind: 'edits';
      /** Empty when the filter already sends HSTS with a long enough max-age. */
      edits: TextEdit[];
      intents: Intent[];
      /** What is wrong, for messages. */
      problems: string[];
      /** The max-age in effect before the edit. */
      maxAge: number;
      /** The element a message points at. */
      at: XmlElement;
    };

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

/** The HSTS init-params whose value harden cannot judge (no <param-value>, or a placeholder), each with why, in order. */
export function unreadableHstsParams(filter: ServletFilter, wanted: string): { why: string; at: XmlElement }[] {
  return [initParam(filter, 'hstsEnabled'), initParam(filter, 'hstsMaxAgeSeconds')]
    .filter((p): p is InitParam => p !== undefined && (!p.valueEl || p.value?.includes('${') === true))
    .map((p) => ({
      why: `init-param ${p.name} of ${HSTS_FILTER} has ${p.valueEl ? `the placeholder value "${p.value}"` : 'no <param-value>'}; set hstsEnabled=true and hstsMaxAgeSeconds=${wanted} by hand`,
      at: p.el,
    }));
}

/**
 * The edits that give `filter` hstsEnabled=true (when it says otherwise; absent means true) and a max-age of
 * at least `floor` (else `wanted`). The filter's other init-params (anti-click-jacking and the like) are kept.
 */
export function hstsParamEdits(doc: XmlDoc, filter: ServletFilter, wanted: string, floor: number): HstsParamPlan {
  const enabled = initParam(filter, 'hstsEnabled');
  const maxAge = initParam(filter, 'hstsMaxAgeSeconds');
  const unreadable = unreadableHstsParams(filter, wanted)[0];
  if (unreadable) return { kind: 'manual', ...unreadable };
  const edits: TextEdit[] = [];
  const intents: Intent[] = [];
  const problems: string[] = [];
  if (enabled && !isTrue(enabled.value)) {
    edits.push(setText(doc, enabled.valueEl!, 'true'));
    intents.push({ kind: 'xml-text', path: enabled.valueEl!.path, value: 'true' });
    problems.push(`hstsEnabled=${enabled.value}`);
  }
  const current = maxAge ? maxAgeOf(maxAge.value) : 0;
  if (maxAge && current < floor) {
    edits.push(setText(doc, maxAge.valueEl!, wanted));
    intents.push({ kind: 'xml-text', path: maxAge.valueEl!.path, value: wanted });
    problems.push(`hstsMaxAgeSeconds=${maxAge.value}${current === 0 ? ' (HSTS off)' : ` (below ${floor})`}`);
  } else if (!maxAge) {
    // Copy the hstsEnabled init-param (else the last one) so the new one is laid out like it.
    const model = enabled ?? filter.params[filter.params.length - 1];
    const nameEl = model && childrenNamed(model.el, 'param-name')[0];
    if (model && nameEl && model.valueEl) {
      const markup = cloneMarkup(doc, model.el, new Map([[nameEl, 'hstsMaxAgeSeconds'], [model.valueEl, wanted]]));
      edits.push(insertAfter(doc, model.el, markup, true));
      intents.push({ kind: 'xml-insert', after: model.el.path, xml: markup });
    } else if (filter.el.children.length > 0) {
      const fresh = freshParam(doc, filter.el, wanted);
      edits.push(fresh.edit);
      intents.push({ kind: 'xml-insert', after: fresh.anchor.path, xml: fresh.markup });
    } else {
      return { kind: 'manual', why: `${HSTS_FILTER} has no <filter-name> or <filter-class> to place an init-param after`, at: filter.el };
    }
    problems.push("no hstsMaxAgeSeconds (Tomcat's default 0 sends max-age=0, HSTS off)");
  }
  return { kind: 'edits', edits, intents, problems, maxAge: current, at: (enabled ?? maxAge ?? filter).el };
}
