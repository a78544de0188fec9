// Pure renderers from a plan to the text people read in a terminal.
import type { HomePlan } from '../run.js';
import { OPEN_STATUSES, SEVERITIES, type Finding, type FindingStatus } from '../engine/types.js';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
export const COLOR: Style = { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
const id = (s: string): string => s;
export const PLAIN: Style = { bold: id, dim: id, red: id, green: id, yellow: id, cyan: id };

const STATUS_ORDER: FindingStatus[] = ['error', 'fixable', 'needs-input', 'manual', 'advisory', 'waived', 'compliant', 'not-applicable'];

export function detectionText(plan: HomePlan, s: Style): string {
  const p = plan.product;
  const lines = [
    `${s.bold('Product')}   ${p.name}${p.version ? ` ${p.version}` : ''}`,
    `${s.bold('Kernel')}    ${p.kernel ?? 'unknown'}`,
    `${s.bold('Config')}    ${p.model}${p.confDirs.length ? ` (${p.confDirs.join(', ')})` : ''}`,
    `${s.bold('TLS')}       profile ${plan.profile}, JDK ${plan.jdk}`,
    ...p.evidence.map((e) => s.dim(`          ${e}`)),
  ];
  return lines.join('\n');
}

const LABELS: Record<FindingStatus, [string, keyof Style]> = {
  error: ['ERROR', 'red'],
  fixable: ['FIX', 'yellow'],
  'needs-input': ['INPUT', 'yellow'],
  manual: ['MANUAL', 'yellow'],
  advisory: ['ADVICE', 'cyan'],
  compliant: ['OK', 'green'],
  'not-applicable': ['N/A', 'dim'],
  waived: ['WAIVED', 'cyan'],
};

/** The status word padded before colouring, so columns line up with and without colour. */
function statusLabel(f: Finding, s: Style): string {
  const [word, colour] = LABELS[f.status];
  return s[colour](word.padEnd(6));
}

export function findingsText(findings: Finding[], s: Style, verbose = false): string {
  const shown = findings
    .filter((f) => verbose || (f.status !== 'not-applicable' && f.status !== 'compliant'))
    .sort(
      (a, b) =>
        STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
        SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
        a.ruleId.localeCompare(b.ruleId) ||
        (a.file ?? '').localeCompare(b.file ?? '') ||
        (a.line ?? 0) - (b.line ?? 0),
    );
  return shown
    .map((f) => {
      const where = f.file ? s.dim(` ${f.file}${f.line ? `:${f.line}` : ''}`) : '';
      const waiver = f.waiver ? `\n         ${s.dim(`waived until ${f.waiver.expires} by ${f.waiver.owner}: ${f.waiver.reason}`)}` : '';
      return `${statusLabel(f, s)} ${f.severity.padEnd(6)} ${s.bold(f.ruleId)}${where}\n         ${f.message}${waiver}`;
    })
    .join('\n');
}

export function summaryText(findings: Finding[]): string {
  const count = (st: FindingStatus): number => findings.filter((f) => f.status === st).length;
  const parts = [
    `${count('fixable')} to fix`,
    `${count('needs-input')} ${count('needs-input') === 1 ? 'needs' : 'need'} input`,
    `${count('manual')} manual`,
    `${count('advisory')} advisory`,
    `${count('compliant')} compliant`,
    `${count('not-applicable')} not applicable`,
  ];
  const errors = count('error');
  const waived = count('waived');
  return `${parts.join(', ')}${waived ? `, ${waived} waived` : ''}${errors ? `, ${errors} refused` : ''}`;
}

/** Findings that keep `check` and `fix` from reporting a clean home. */
export function openFindings(findings: Finding[]): Finding[] {
  return findings.filter((f) => OPEN_STATUSES.includes(f.status));
}
