// A Jaggery app's jaggery.conf: its cache-prevention filter, if any, is reported on (present and mapped, with
// patterns that can match); adding one to a Jaggery app is left to the operator.
import { member, stringMember, type JsonNode } from '../../src/formats/json/locate.js';
import { lineOf, report } from '../../src/kit/findings.js';
import { locateJaggeryConf } from '../../src/kit/webapps.js';
import type { Finding, TransformContext, TransformMeta } from '../../src/engine/types.js';
import { brokenPatterns, CACHE_CLASS, PATTERNS_HELP } from './filters.js';

export function jaggeryCacheFindings(t: TransformMeta, ctx: TransformContext, file: string): Finding[] {
  const conf = locateJaggeryConf(t, ctx, file);
  if (conf.invalid) return [conf.invalid];
  const { doc, text, app } = conf;
  const filters = member(doc.root, 'filters')?.value;
  const items = filters?.kind === 'array' ? filters.items : [];
  const found = items.filter((f) => CACHE_CLASS.test(stringMember(f, 'class') ?? ''));
  if (found.length === 0) {
    return [report(t, 'advisory', `${app} declares no cache-prevention filter in jaggery.conf; if it serves sensitive pages, add {"name": "ContentTypeBasedCachePreventionFilter", "class": "org.wso2.carbon.ui.filters.cache.ContentTypeBasedCachePreventionFilter", "params": [{"name": "patterns", "value": "text/html.*\\" ,application/json.*\\" ,text/plain.*"}, {"name": "filterAction", "value": "enforce"}]} with a "filterMappings" entry`, file)];
  }
  const mappings = member(doc.root, 'filterMappings')?.value;
  return found.map((f: JsonNode) => {
    const name = stringMember(f, 'name') ?? '';
    const line = lineOf(text, f.start);
    const mapped = mappings?.kind === 'array' && mappings.items.some((m) => stringMember(m, 'name') === name && member(m, 'url') !== undefined);
    if (!mapped) return report(t, 'manual', `${app}: ${name || 'the cache-prevention filter'} is declared but no "filterMappings" entry applies it, so it sends nothing; map it`, file, line);
    const params = member(f, 'params')?.value;
    const patterns = params?.kind === 'array' ? params.items.find((p) => stringMember(p, 'name') === 'patterns') : undefined;
    const value = patterns ? member(patterns, 'value')?.value : undefined;
    const broken = brokenPatterns(value?.kind === 'string' ? value.value : undefined);
    if (broken.length) return report(t, 'manual', `${app}: ${name} never matches ${broken.map((p) => `'${p}'`).join(', ')} from its patterns: ${PATTERNS_HELP}`, file, line);
    return report(t, 'compliant', `${app} sends no-store headers through ${name}`, file, line);
  });
}
