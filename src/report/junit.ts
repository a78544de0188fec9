// `--format junit`: JUnit XML for CI dashboards. One <testsuite name="harden">, one <testcase> per rule
// and file: a <failure> when a finding there is open, <skipped/> when it is waived (harden.toml) or the rule
// does not apply, else a pass.
import { escapeAttr, escapeText } from '../formats/xml/locate.js';
import type { Finding } from '../engine/types.js';
import { OPEN_STATUSES, reportStatus, sortedFindings, type ReportInput, type ReportStatus } from './common.js';

/** Which open status names a failure when a rule has several in one file (most serious first). */
const FAILURE_ORDER: readonly ReportStatus[] = ['error', 'fixable', 'needs-input', 'manual'];

const attr = (v: string | number): string => `"${escapeAttr(String(v), '"')}"`;

export function junitReport(input: ReportInput): string {
  const groups = new Map<string, { rule: string; file: string | undefined; findings: { f: Finding; status: ReportStatus }[] }>();
  for (const f of sortedFindings(input.plan.findings)) {
    const key = `${f.ruleId}\u0000${f.file ?? ''}`;
    const g = groups.get(key) ?? { rule: f.ruleId, file: f.file, findings: [] };
    g.findings.push({ f, status: reportStatus(f, input) });
    groups.set(key, g);
  }
  let failures = 0;
  let skipped = 0;
  const cases: string[] = [];
  for (const g of groups.values()) {
    const head = `  <testcase classname=${attr(g.rule)} name=${attr(g.file ?? g.rule)}`;
    const open = g.findings.filter((x) => OPEN_STATUSES.includes(x.status));
    if (open.length) {
      failures++;
      const type = FAILURE_ORDER.find((s) => open.some((x) => x.status === s))!;
      const message = open.map((x) => x.f.message).join('; ');
      const body = open.map((x) => `${x.status} ${x.f.severity} ${x.f.file ?? x.f.ruleId}${x.f.line ? `:${x.f.line}` : ''}: ${x.f.message}`).join('\n');
      cases.push(`${head}>\n    <failure message=${attr(message)} type=${attr(type)}>${escapeText(body)}</failure>\n  </testcase>`);
    } else if (g.findings.some((x) => x.status === 'waived')) {
      // Waived (harden.toml): skipped, with the waiver's reason.
      skipped++;
      const reasons = [...new Set(g.findings.flatMap((x) => (x.f.waiver ? [x.f.waiver.reason] : [])))];
      cases.push(`${head}>\n    <skipped message=${attr(`waived: ${reasons.join('; ')}`)}/>\n  </testcase>`);
    } else if (g.findings.every((x) => x.status === 'not-applicable')) {
      skipped++;
      cases.push(`${head}>\n    <skipped message=${attr(g.findings.map((x) => x.f.message).join('; '))}/>\n  </testcase>`);
    } else cases.push(`${head}/>`);
  }
  const suite = `<testsuite name="harden" tests=${attr(cases.length)} failures=${attr(failures)} errors="0" skipped=${attr(skipped)}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${suite}\n${cases.join('\n')}${cases.length ? '\n' : ''}</testsuite>\n`;
}
