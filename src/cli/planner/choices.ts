// The fixes the operator can pick: one item per rule × file (selectionKey), grouped by severity.
import { selectionKey } from '../../engine/plan.js';
import { SEVERITIES, type Finding, type Severity, type Transform } from '../../engine/types.js';
import type { Style } from '../../report/text.js';
import type { ChoiceGroup } from './prompts.js';

export interface FixItem {
  key: string;
  ruleId: string;
  file: string;
  severity: Severity;
  title: string;
  rationale: string;
  messages: string[];
  /** Parameters a needs-input finding waits for; empty for a fix that is ready. */
  needs: string[];
}

/** Parameters of a rule that the operator has not given yet. */
export function missingParams(t: Transform, given: Record<string, string>): string[] {
  return t.params.filter((p) => given[p.name] === undefined).map((p) => p.name);
}

/** Fixable findings, and needs-input findings that a parameter value could turn into fixes. */
export function fixItems(findings: Finding[], transforms: Transform[], given: Record<string, string>): FixItem[] {
  const byId = new Map(transforms.map((t) => [t.id, t]));
  const items = new Map<string, FixItem>();
  for (const f of findings) {
    const t = byId.get(f.ruleId);
    if (!t || !f.file) continue;
    const needs = f.status === 'needs-input' ? missingParams(t, given) : [];
    if (f.status !== 'fixable' && needs.length === 0) continue;
    const key = selectionKey(f);
    const item = items.get(key) ?? { key, ruleId: t.id, file: f.file, severity: t.severity, title: t.title, rationale: t.rationale, messages: [], needs: [] };
    item.messages.push(f.message);
    item.needs = [...new Set([...item.needs, ...needs])];
    items.set(key, item);
  }
  return [...items.values()].sort(
    (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.ruleId.localeCompare(b.ruleId) || a.file.localeCompare(b.file),
  );
}

/** Checkbox groups, every fix pre-selected. */
export function choiceGroups(items: FixItem[], style: Style): ChoiceGroup[] {
  return SEVERITIES.map((severity) => ({
    title: `${severity} severity`,
    choices: items
      .filter((i) => i.severity === severity)
      .map((i) => ({
        value: i.key,
        name: `${i.ruleId}  ${i.title}  ${style.dim(i.file)}${i.needs.length ? style.yellow(`  (needs ${i.needs.join(', ')})`) : ''}`,
        description: [i.rationale, ...i.messages].join('\n'),
        checked: true,
      })),
  })).filter((g) => g.choices.length > 0);
}
