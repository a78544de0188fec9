// One web application's WEB-INF/web.xml: its HttpHeaderSecurityFilter gets hstsEnabled=true and a real
// max-age, in place when it is declared, and restored from the comment it was shipped in when it is commented
// out (the comment's body is parsed as XML to be sure it holds that filter, then spliced back in its place).
import { applyEdits, type TextEdit } from '../../src/formats/text.js';
import { locateXml, localName } from '../../src/formats/xml/locate.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { HSTS_FILTER, HSTS_FILTER_CLASS, hstsGuidance, hstsParamEdits } from '../../src/kit/hsts-filter.js';
import { commentedFilters, filterMappings, filtersNamed, FRAGMENT_OFFSET, type CommentedFilters } from '../../src/kit/web-xml-filters.js';
import { uncommentEdit } from '../../src/kit/xml-uncomment.js';
import { appLabel } from '../../src/kit/webapps.js';
import type { Finding, Intent, TransformContext, TransformMeta } from '../../src/engine/types.js';

export interface HstsTarget {
  wanted: string;
  floor: number;
}

/** The comment's new body and the edit and intent that restore it. */
function restore(text: string, block: CommentedFilters, body: string): { edit: TextEdit; intent: Intent } {
  return {
    edit: uncommentEdit(text, block.comment, body),
    intent: { kind: 'xml-uncomment', parent: [], comment: block.comment.index, xml: body },
  };
}

export function webXmlFindings(t: TransformMeta, ctx: TransformContext, file: string, o: HstsTarget): Finding[] {
  const doc = ctx.files.xml(file);
  const app = appLabel(file);
  const manual = (why: string, offset?: number): Finding[] => [report(t, 'manual', `${app}: ${why}`, file, offset === undefined ? undefined : lineOf(doc.text, offset))];
  if (localName(doc.root) !== 'web-app') return [report(t, 'not-applicable', `${app}: the descriptor's root is <${doc.root.name}>, not <web-app>`, file)];
  const target = `hstsEnabled=true and hstsMaxAgeSeconds=${o.wanted}`;

  const active = filtersNamed(doc, HSTS_FILTER);
  const blocks = commentedFilters(doc);
  // A <filter-mapping> for the filter that is commented out on its own (the filter itself is not in that comment).
  const mappingOnly = blocks.filter((b) => b.filters.length === 0 && b.mappings.includes(HSTS_FILTER));

  if (active.length > 1) return manual(`${HSTS_FILTER} is declared ${active.length} times, which Tomcat rejects; keep one and give it ${target}`, active[0]!.el.start);
  if (active.length === 1) {
    const f = active[0]!;
    if (f.className !== HSTS_FILTER_CLASS) return manual(`${HSTS_FILTER} has class "${f.className}", not ${HSTS_FILTER_CLASS}; its init-params mean something else: ${hstsGuidance(o.wanted)}`, f.el.start);
    const edits: TextEdit[] = [];
    const intents: Intent[] = [];
    const why: string[] = [];
    if (filterMappings(doc, HSTS_FILTER).length === 0) {
      if (mappingOnly.length !== 1) {
        return manual(`${HSTS_FILTER} is declared but no <filter-mapping> applies it, so it sends nothing; map it to <url-pattern>*</url-pattern> and give it ${target}`, f.el.start);
      }
      const r = restore(doc.text, mappingOnly[0]!, mappingOnly[0]!.comment.body);
      edits.push(r.edit);
      intents.push(r.intent);
      why.push('its <filter-mapping> commented out');
    }
    const plan = hstsParamEdits(doc, f, o.wanted, o.floor);
    if (plan.kind === 'manual') return manual(plan.why, plan.at.start);
    edits.push(...plan.edits);
    intents.push(...plan.intents);
    why.push(...plan.problems);
    const line = lineOf(doc.text, plan.at.start);
    if (edits.length === 0) return [report(t, 'compliant', `${app}: ${HSTS_FILTER} sends Strict-Transport-Security: max-age=${plan.maxAge} on HTTPS responses`, file, line)];
    return [fix(t, file, line, `${app}: ${HSTS_FILTER} has ${why.join(' and ')}; set ${target} (sent on HTTPS responses only)`, edits, intents)];
  }

  const holding = blocks.filter((b) => b.filters.includes(HSTS_FILTER));
  if (holding.length === 0) {
    return [report(t, 'advisory', `${app} declares no ${HSTS_FILTER}, so it sends no Strict-Transport-Security header; if it serves browsers, ${hstsGuidance(o.wanted)}`, file)];
  }
  if (holding.length > 1 || holding[0]!.filters.filter((n) => n === HSTS_FILTER).length > 1) {
    return manual(`${HSTS_FILTER} is commented out in more than one place; restore one declaration by hand and give it ${target}`, holding[0]!.comment.start);
  }
  const block = holding[0]!;
  const fragment = block.fragment;
  const f = filtersNamed(fragment, HSTS_FILTER)[0]!;
  const at = block.comment.start;
  if (f.className !== HSTS_FILTER_CLASS) return manual(`the commented-out ${HSTS_FILTER} has class "${f.className}", not ${HSTS_FILTER_CLASS}: ${hstsGuidance(o.wanted)}`, at);
  const mapped = filterMappings(fragment, HSTS_FILTER).length > 0 || filterMappings(doc, HSTS_FILTER).length > 0;
  if (!mapped && mappingOnly.length !== 1) {
    return manual(`${HSTS_FILTER} is commented out and nothing maps it (no <filter-mapping>, active or commented out); restore it by hand with a mapping to <url-pattern>*</url-pattern> and ${target}`, at);
  }
  const plan = hstsParamEdits(fragment, f, o.wanted, o.floor);
  if (plan.kind === 'manual') return manual(`in the commented-out declaration, ${plan.why}`, at);
  // The fragment is `<c>` + body + `</c>`: edit it, then take the body back out.
  const edited = applyEdits(fragment.text, plan.edits);
  const body = edited.slice(FRAGMENT_OFFSET, edited.length - 4);
  locateXml(`<c>${body}</c>`); // still well-formed: a throw here is a defect, reported as an internal error
  const edits: TextEdit[] = [];
  const intents: Intent[] = [];
  for (const r of [restore(doc.text, block, body), ...(mapped ? [] : [restore(doc.text, mappingOnly[0]!, mappingOnly[0]!.comment.body)])]) {
    edits.push(r.edit);
    intents.push(r.intent);
  }
  const what = block.mappings.includes(HSTS_FILTER) ? `${HSTS_FILTER} and its <filter-mapping> are` : mapped ? `${HSTS_FILTER} is` : `${HSTS_FILTER} and its <filter-mapping> are each`;
  const also = plan.problems.length ? `, and as written it has ${plan.problems.join(' and ')}` : '';
  return [fix(t, file, lineOf(doc.text, at), `${app}: ${what} commented out, so no HSTS header is sent${also}; restore the declaration in place with ${target} (sent on HTTPS responses only)`, edits, intents)];
}
