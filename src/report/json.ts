// `--format json`: the whole plan as one JSON document (docs/json-output.md describes every field).
// Pure: keys are written in a fixed order and findings sorted, so the same home gives the same bytes.
import { changeDiff } from '../engine/diff.js';
import { octal } from '../engine/plan.js';
import { countBy, REPORT_STATUSES, reportStatus, ruleMeta, SEVERITIES, sortedFindings, type ReportInput } from './common.js';

export const JSON_SCHEMA_VERSION = 1;

/** The JSON document's value (jsonReport prints it; the HTML report and multi-home JSON reuse it). */
export function jsonDocument(input: ReportInput) {
  const { plan } = input;
  const p = plan.product;
  const findings = sortedFindings(plan.findings).map((f) => ({
    rule: f.ruleId,
    title: ruleMeta(input.rules, f.ruleId)?.title ?? f.ruleId,
    severity: f.severity,
    file: f.file ?? null,
    line: f.line ?? null,
    status: reportStatus(f, input),
    message: f.message,
    ...(f.waiver ? { waiver: { reason: f.waiver.reason, owner: f.waiver.owner, expires: f.waiver.expires } } : {}),
  }));
  const written = new Set(input.written ?? []);
  const changes = plan.changes.map((c) => {
    const base = { path: c.path, rules: [...c.rules], ...(c.mode ? { mode: { from: octal(c.mode.from), to: octal(c.mode.to) } } : {}) };
    if (input.mode === 'apply') return { ...base, written: written.has(c.path) };
    if (input.mode !== 'dry-run') return base;
    // Masked exactly like the text diff: a changed line that carries a secret shows ********.
    const d = changeDiff(c);
    return { ...base, diff: d.text, masked: d.redacted };
  });
  const doc = {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: input.tool.name, version: input.tool.version },
    mode: input.mode,
    home: plan.home,
    product: {
      id: p.id,
      name: p.name,
      version: p.version ?? null,
      kernel: p.kernel ?? null,
      model: p.model,
      confDirs: [...p.confDirs],
      evidence: [...p.evidence],
    },
    tls: { profile: plan.profile, jdk: plan.jdk },
    findings,
    changes,
    summary: {
      total: findings.length,
      byStatus: countBy(REPORT_STATUSES, findings.map((f) => f.status)),
      bySeverity: countBy(SEVERITIES, findings.map((f) => f.severity)),
    },
  };
  return doc;
}

export type JsonDocument = ReturnType<typeof jsonDocument>;

export function jsonReport(input: ReportInput): string {
  return `${JSON.stringify(jsonDocument(input), null, 2)}\n`;
}
