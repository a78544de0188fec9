// The text the planner shows between prompts: header, what it cannot apply, the diff, the outcome.
import { changeDiff } from '../../engine/diff.js';
import { SEVERITIES, type Finding } from '../../engine/types.js';
import type { HomePlan } from '../../run.js';
import { findingsText, summaryText, type Style } from '../../report/text.js';

/** Product, version, kernel, configuration model, and the open findings by severity. */
export function headerText(plan: HomePlan, style: Style): string {
  const p = plan.product;
  const shown = plan.findings.filter((f) => f.status !== 'compliant' && f.status !== 'not-applicable');
  const bySeverity = SEVERITIES.map((s) => [s, shown.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  return [
    style.bold(`${p.name}${p.version ? ` ${p.version}` : ''}`),
    `kernel ${p.kernel ?? 'unknown'}, ${p.model} configuration model${p.confDirs.length ? ` (${p.confDirs.join(', ')})` : ''}, TLS profile ${plan.profile} for JDK ${plan.jdk}`,
    `findings: ${bySeverity.length ? bySeverity.join(', ') : 'none'}`,
    style.dim(summaryText(plan.findings)),
  ].join('\n');
}

/** Findings no checkbox can apply: manual work, advice, refused fixes, input harden cannot use. */
export function notOfferedText(findings: Finding[], offered: ReadonlySet<string>, keyOf: (f: Finding) => string, style: Style): string {
  const rest = findings.filter((f) => ['manual', 'advisory', 'error', 'needs-input'].includes(f.status) && !offered.has(keyOf(f)));
  if (rest.length === 0) return '';
  return `${style.bold('Not in the list above: harden cannot apply these, they need you')}\n${findingsText(rest, style)}\n`;
}

function colorDiff(text: string, style: Style): string {
  return text
    .split('\n')
    .map((l) => (/^(---|\+\+\+) /.test(l) ? style.bold(l) : l.startsWith('@@') ? style.cyan(l) : l.startsWith('+') ? style.green(l) : l.startsWith('-') ? style.red(l) : l))
    .join('\n');
}

/** Each changed file under a heading naming its rules; masked secret lines say so. */
export function diffText(plan: HomePlan, style: Style): string {
  return plan.changes
    .map((c) => {
      const d = changeDiff(c);
      const masked = d.redacted ? style.yellow('(a changed line carries a secret, shown as ********)\n') : '';
      return `${style.bold(`=== ${c.path}`)} ${style.dim(`(${c.rules.join(', ')})`)}\n${masked}${colorDiff(d.text, style)}`;
    })
    .join('\n');
}

export interface Outcome {
  home: string;
  written: HomePlan['changes'];
  /** Fixes the operator left unselected; a later run can still apply them. */
  notSelected: Finding[];
  /** Findings that still need input, manual work, or were refused. */
  open: Finding[];
  advice: Finding[];
  /** A backup was kept, so `harden rollback` can undo the run. */
  backedUp: boolean;
}

/** What was written, what is left, and how to undo it, in plain words. */
export function outcomeText(o: Outcome, style: Style): string {
  const lines = [style.bold(`Wrote ${o.written.length} file(s) in ${o.home}:`), ...o.written.map((c) => `  ${c.path}  ${style.dim(`(${c.rules.join(', ')})`)}`)];
  if (o.notSelected.length) {
    lines.push('', style.bold('Not selected, so not changed (run harden fix again to apply them):'));
    lines.push(...[...new Set(o.notSelected.map((f) => `  ${f.ruleId}  ${f.file ?? ''}`))]);
  }
  if (o.open.length) lines.push('', style.bold('Still needs your input or manual work:'), findingsText(o.open, style));
  if (o.advice.length) lines.push('', style.bold('Advice:'), findingsText(o.advice, style));
  lines.push(
    '',
    ...(o.backedUp
      ? [
          style.bold('Undo:') + ` \`harden rollback ${o.home}\` puts back the original bytes, mode and owner of every file`,
          'written above (the originals are kept under HOME/.harden/backups/); it refuses a file edited since',
          'unless you add --force. `harden history` lists the runs.',
        ]
      : [
          style.bold('Undo:') + ' no backup was kept (--no-backup). Restore the files listed above from your own backup',
          'or version control; the diff shown before you confirmed is exactly what was written.',
        ]),
    'Restart the server for the changes to take effect.',
  );
  return `${lines.join('\n')}\n`;
}
