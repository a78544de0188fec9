// What the renderers (json, sarif, junit, html) share: their input, the status a finding
// reports (a fixable finding becomes "fixed" once fix --yes wrote its change), and a stable order.
import type { HomePlan } from '../run.js';
import { OPEN_STATUSES as ENGINE_OPEN_STATUSES, SEVERITIES, type Finding, type FindingStatus, type Severity, type TransformMeta } from '../engine/types.js';

export const FORMATS = ['text', 'json', 'sarif', 'junit', 'html'] as const;
export type Format = (typeof FORMATS)[number];

/** A finding's status in a report: the engine's, or "fixed" for a fixable finding whose change was written. */
export type ReportStatus = FindingStatus | 'fixed';
export const REPORT_STATUSES: readonly ReportStatus[] = ['fixable', 'fixed', 'compliant', 'needs-input', 'manual', 'advisory', 'not-applicable', 'error', 'waived'];

/** Statuses that keep a home from being clean, as the engine defines them. */
export const OPEN_STATUSES: readonly ReportStatus[] = ENGINE_OPEN_STATUSES;

export interface ReportTool {
  name: string;
  version: string;
  /** Where the tool is documented; left out of SARIF when unknown. */
  informationUri?: string;
}

export interface ReportInput {
  plan: HomePlan;
  /** Metadata of the rules (titles, rationale, sources); findings of unknown rules fall back to the id. */
  rules: readonly TransformMeta[];
  tool: ReportTool;
  /** check, fix --dry-run or fix --yes. */
  mode: 'check' | 'dry-run' | 'apply';
  /** fix --yes: the HOME-relative paths written. */
  written?: readonly string[];
  /** SARIF: HOME as an absolute file: URI ending in '/' (computed by the CLI, so renderers stay pure). */
  homeUri?: string;
}

/** The status a finding reports: fixable findings whose rule's change to their file was written are "fixed". */
export function reportStatus(f: Finding, input: Pick<ReportInput, 'plan' | 'mode' | 'written'>): ReportStatus {
  if (f.status !== 'fixable' || input.mode !== 'apply' || !input.written?.length) return f.status;
  const written = new Set(input.written);
  const files = new Set([...(f.edits ?? []).map((e) => e.file), ...(f.modes ?? []).map((m) => m.file)]);
  const done = input.plan.changes.some((c) => written.has(c.path) && files.has(c.path) && c.rules.includes(f.ruleId));
  return done ? 'fixed' : f.status;
}

/** Findings in a stable order: rule id, file, line (ties keep the plan's order). */
export function sortedFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => a.ruleId.localeCompare(b.ruleId) || (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0));
}

export function ruleMeta(rules: readonly TransformMeta[], id: string): TransformMeta | undefined {
  return rules.find((r) => r.id === id);
}

export function countBy<K extends string>(keys: readonly K[], values: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const k of keys) out[k] = 0;
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

export { SEVERITIES, type Severity };
