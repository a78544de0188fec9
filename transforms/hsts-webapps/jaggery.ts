// A Jaggery app's jaggery.conf (JSON): its "filters" entry named HttpHeaderSecurityFilter gets
// {"name": "hstsEnabled", "value": "true"} and a {"name": "hstsMaxAgeSeconds", ...} param, laid out like
// the params beside it. Jaggery hands each param to Tomcat as an init-param, so the same defaults hold.
import type { TextEdit } from '../../src/formats/text.js';
import { addMember, appendItem, cloneWith, jsonString, replaceValue } from '../../src/formats/json/edit.js';
import { member, pathOf, stringMember, type JsonNode } from '../../src/formats/json/locate.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { HSTS_FILTER, HSTS_FILTER_CLASS, isTrue, maxAgeOf } from '../../src/kit/hsts-filter.js';
import { locateJaggeryConf } from '../../src/kit/webapps.js';
import type { Finding, Intent, TransformContext, TransformMeta } from '../../src/engine/types.js';
import type { HstsTarget } from './web-xml.js';

/** The new value in the old value's JSON type: a quoted "false" becomes "true", a bare false becomes true. */
function like(old: JsonNode, v: boolean | number): { text: string; value: unknown } {
  return old.kind === 'string' ? { text: jsonString(String(v)), value: String(v) } : { text: String(v), value: v };
}

const guidance = (wanted: string): string =>
  `add {"name": "${HSTS_FILTER}", "class": "${HSTS_FILTER_CLASS}", "params": [{"name": "hstsMaxAgeSeconds", "value": "${wanted}"}]} to "filters" and {"name": "${HSTS_FILTER}", "url": "*"} to "filterMappings"`;

export function jaggeryFindings(t: TransformMeta, ctx: TransformContext, file: string, o: HstsTarget): Finding[] {
  const conf = locateJaggeryConf(t, ctx, file, `fix the file, then give its ${HSTS_FILTER} hstsEnabled "true" and hstsMaxAgeSeconds "${o.wanted}"`);
  if (conf.invalid) return [conf.invalid];
  const { doc, text, app } = conf;
  const at = (node: JsonNode): number => lineOf(text, node.start);
  const manual = (why: string, node?: JsonNode): Finding[] => [report(t, 'manual', `${app}: ${why}`, file, node ? at(node) : undefined)];
  const target = `hstsEnabled "true" and hstsMaxAgeSeconds "${o.wanted}"`;

  const filters = member(doc.root, 'filters')?.value;
  const hsts = filters?.kind === 'array' ? filters.items.filter((f) => stringMember(f, 'name') === HSTS_FILTER) : [];
  if (hsts.length === 0) {
    return [report(t, 'advisory', `${app} declares no ${HSTS_FILTER} in jaggery.conf, so it sends no Strict-Transport-Security header; if it serves browsers, ${guidance(o.wanted)}`, file)];
  }
  if (hsts.length > 1) return manual(`${HSTS_FILTER} is declared ${hsts.length} times in "filters"; keep one and give it ${target}`, hsts[0]);
  const f = hsts[0]!;
  if (stringMember(f, 'class') !== HSTS_FILTER_CLASS) return manual(`${HSTS_FILTER} has class "${stringMember(f, 'class') ?? '(none)'}", not ${HSTS_FILTER_CLASS}; ${guidance(o.wanted)}`, f);
  const mappings = member(doc.root, 'filterMappings')?.value;
  const mapped = mappings?.kind === 'array' && mappings.items.some((m) => stringMember(m, 'name') === HSTS_FILTER && member(m, 'url') !== undefined);
  if (!mapped) return manual(`${HSTS_FILTER} is declared but no "filterMappings" entry applies it, so it sends nothing; add {"name": "${HSTS_FILTER}", "url": "*"} and give it ${target}`, f);

  const edits: TextEdit[] = [];
  const intents: Intent[] = [];
  const problems: string[] = [];
  const fPath = pathOf(doc.root, f)!;
  const paramsMember = member(f, 'params');
  if (!paramsMember) {
    // No params at all: hstsEnabled defaults to true, the max-age to 0 (HSTS off).
    if (f.kind !== 'object') return manual(`${HSTS_FILTER} is not an object`, f);
    const value = [{ name: 'hstsMaxAgeSeconds', value: o.wanted }];
    edits.push(addMember(doc, f, 'params', `[{"name": "hstsMaxAgeSeconds", "value": ${jsonString(o.wanted)}}]`));
    intents.push({ kind: 'json-set', path: [...fPath, 'params'], value });
    problems.push("no params, so no hstsMaxAgeSeconds (Tomcat's default 0 sends max-age=0, HSTS off)");
    return [fix(t, file, at(f), `${app}: ${HSTS_FILTER} has ${problems.join(' and ')}; set ${target} (sent on HTTPS responses only)`, edits, intents)];
  }
  const params = paramsMember.value;
  if (params.kind !== 'array' || !params.items.every((p) => p.kind === 'object' && stringMember(p, 'name') !== undefined)) {
    return manual(`the "params" of ${HSTS_FILTER} are not a list of {"name", "value"} objects; set ${target} by hand`, params);
  }
  const named = (n: string): JsonNode[] => params.items.filter((p) => stringMember(p, 'name') === n);
  const enabled = named('hstsEnabled');
  const maxAge = named('hstsMaxAgeSeconds');
  for (const p of [...enabled, ...maxAge]) {
    const v = member(p, 'value')?.value;
    if (!v || v.kind === 'object' || v.kind === 'array' || v.kind === 'null') return manual(`the ${stringMember(p, 'name')} param of ${HSTS_FILTER} has no plain "value"; set ${target} by hand`, p);
    if (v.kind === 'string' && v.value.includes('${')) return manual(`the ${stringMember(p, 'name')} param of ${HSTS_FILTER} has the placeholder value "${v.value}"; make sure it resolves to ${target}`, p);
  }
  // A param written twice: every copy is fixed, so whichever one the reader keeps is right.
  const valueOf = (p: JsonNode): JsonNode => member(p, 'value')!.value;
  for (const p of enabled) {
    const v = valueOf(p);
    if (isTrue(v.kind === 'string' || v.kind === 'boolean' ? v.value : undefined)) continue;
    const next = like(v, true);
    edits.push(replaceValue(v, next.text));
    intents.push({ kind: 'json-set', path: [...pathOf(doc.root, p)!, 'value'], value: next.value });
    problems.push(`hstsEnabled ${text.slice(v.start, v.end)}`);
  }
  const ageOf = (p: JsonNode): number => {
    const v = valueOf(p);
    return maxAgeOf(v.kind === 'string' || v.kind === 'number' ? v.value : undefined);
  };
  const current = Math.min(...maxAge.map(ageOf), Infinity);
  for (const p of maxAge) {
    const v = valueOf(p);
    const age = ageOf(p);
    if (age >= o.floor) continue;
    const next = like(v, Number(o.wanted));
    edits.push(replaceValue(v, next.text));
    intents.push({ kind: 'json-set', path: [...pathOf(doc.root, p)!, 'value'], value: next.value });
    problems.push(`hstsMaxAgeSeconds ${text.slice(v.start, v.end)}${age === 0 ? ' (HSTS off)' : ` (below ${o.floor})`}`);
  }
  if (maxAge.length === 0) {
    // A copy of the hstsEnabled param (else the last one), so the new one has its neighbours' layout.
    const model = enabled[0] ?? params.items.at(-1);
    let itemText: string;
    if (model && model.kind === 'object') {
      const nameM = member(model, 'name')!;
      const valueM = member(model, 'value');
      const values = new Map([[nameM, jsonString('hstsMaxAgeSeconds')]]);
      if (valueM) values.set(valueM, valueM.value.kind === 'number' ? o.wanted : jsonString(o.wanted));
      itemText = cloneWith(doc, model, values);
      if (!valueM) itemText = '';
    } else {
      itemText = '';
    }
    if (!itemText) itemText = `{"name": "hstsMaxAgeSeconds", "value": ${jsonString(o.wanted)}}`;
    edits.push(appendItem(doc, params, itemText));
    intents.push({ kind: 'json-append', path: pathOf(doc.root, params)!, value: JSON.parse(itemText) as unknown });
    problems.push("no hstsMaxAgeSeconds (Tomcat's default 0 sends max-age=0, HSTS off)");
  }
  const line = at(enabled[0] ?? maxAge[0] ?? f);
  if (edits.length === 0) return [report(t, 'compliant', `${app}: ${HSTS_FILTER} sends Strict-Transport-Security: max-age=${current} on HTTPS responses`, file, line)];
  return [fix(t, file, line, `${app}: ${HSTS_FILTER} has ${problems.join(' and ')}; set ${target} (sent on HTTPS responses only)`, edits, intents)];
}
