// `--format sarif`: SARIF 2.1.0 for code-scanning tools. Pure: the tool's version and HOME's file: URI
// come in with the input. Results are the open findings (advisories as notes; waived ones with a suppression); a fixable finding
// carries its fix as replacements on the original file, so a SARIF viewer can apply what fix --yes writes.
import { diffLines } from 'diff';
import { maskSecrets } from '../engine/diff.js';
import { applyEdits } from '../formats/text.js';
import type { FileEdit, Finding, Severity } from '../engine/types.js';
import type { PlannedChange } from '../engine/plan.js';
import { reportStatus, ruleMeta, sortedFindings, type ReportInput, type ReportStatus } from './common.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

type Level = 'error' | 'warning' | 'note';
const LEVELS: Record<Severity, Level> = { high: 'error', medium: 'warning', low: 'note', info: 'note' };
const RESULT_STATUSES: readonly ReportStatus[] = ['fixable', 'needs-input', 'manual', 'error', 'advisory', 'waived'];

/** A HOME-relative path as a relative URI reference (each segment percent-encoded). */
const uriOf = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

interface Replacement {
  deletedRegion: { charOffset: number; charLength: number };
  insertedContent?: { text: string };
}

/**
 * Inserted text never carries a secret in today's rules; should a line of it look like one, it is
 * masked exactly as in diffs (the fix then no longer applies as is, which is the safe failure).
 */
const masked = (text: string): string => text.split('\n').map(maskSecrets).join('\n');

function replacement(offset: number, length: number, text: string): Replacement {
  return { deletedRegion: { charOffset: offset, charLength: length }, ...(text ? { insertedContent: { text: masked(text) } } : {}) };
}

// Offsets: harden's edits are offsets into the decoded text in UTF-16 code units (JavaScript string
// indices), so the run declares columnKind "utf16CodeUnits" and charOffset/charLength count those units.
function fromEdits(edits: readonly FileEdit[]): Replacement[] {
  return edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || (a.e.order ?? 0) - (b.e.order ?? 0) || a.i - b.i)
    .map(({ e }) => replacement(e.start, e.end - e.start, e.text));
}

/** The whole planned change of a file as line replacements on its original text. */
function fromChange(c: PlannedChange): Replacement[] {
  const out: Replacement[] = [];
  let offset = 0;
  let pending: { offset: number; length: number; text: string } | undefined;
  const flush = (): void => {
    if (pending) out.push(replacement(pending.offset, pending.length, pending.text));
    pending = undefined;
  };
  for (const part of diffLines(c.before, c.after)) {
    if (!part.added && !part.removed) {
      flush();
      offset += part.value.length;
      continue;
    }
    pending ??= { offset, length: 0, text: '' };
    if (part.removed) {
      pending.length += part.value.length;
      offset += part.value.length;
    } else pending.text += part.value;
  }
  flush();
  return out;
}

interface Fix {
  description: { text: string };
  artifactChanges: { artifactLocation: { uri: string; uriBaseId: string }; replacements: Replacement[] }[];
}

/**
 * Fixes per finding. Where the fixable findings' own edits (each made on the original file) together
 * give exactly the planned text, each finding carries its own edits. Where they do not (rules planned
 * one after another, both adding the same new TOML table), the file's whole change goes with the first
 * fixable finding in that file and names every rule it covers.
 */
function fixesFor(input: ReportInput, results: readonly Finding[]): Map<Finding, Fix> {
  const { plan } = input;
  const fixable = plan.findings.filter((f) => f.status === 'fixable');
  const claimed = new Set<string>();
  const out = new Map<Finding, Fix>();
  const composable = new Map<string, boolean>();
  for (const c of plan.changes) {
    const edits = fixable.filter((f) => c.rules.includes(f.ruleId)).flatMap((f) => (f.edits ?? []).filter((e) => e.file === c.path));
    // Two findings editing at the same offset would leave the order of their replacements to the
    // consumer: such a file gets the one combined fix too.
    const owners = new Map<number, Finding>();
    let ok = true;
    for (const f of fixable.filter((x) => c.rules.includes(x.ruleId)))
      for (const e of (f.edits ?? []).filter((x) => x.file === c.path)) {
        if (owners.has(e.start) && owners.get(e.start) !== f) ok = false;
        owners.set(e.start, f);
      }
    try {
      ok &&= applyEdits(c.before, edits) === c.after;
    } catch {
      ok = false;
    }
    composable.set(c.path, ok);
  }
  for (const f of results) {
    if (f.status !== 'fixable' || !f.edits?.length) continue;
    const title = ruleMeta(input.rules, f.ruleId)?.title ?? f.ruleId;
    const changes: Fix['artifactChanges'] = [];
    let combined: string[] | undefined;
    for (const c of plan.changes) {
      const mine = f.edits.filter((e) => e.file === c.path);
      if (!mine.length || !c.rules.includes(f.ruleId)) continue;
      const location = { uri: uriOf(c.path), uriBaseId: 'HOME' };
      if (composable.get(c.path)) changes.push({ artifactLocation: location, replacements: fromEdits(mine) });
      else if (!claimed.has(c.path)) {
        claimed.add(c.path);
        combined = [...(combined ?? []), ...c.rules];
        changes.push({ artifactLocation: location, replacements: fromChange(c) });
      }
    }
    if (!changes.length) continue;
    const text = combined ? `${title}; this fix is every harden fix for its file(s): ${[...new Set(combined)].join(', ')}` : title;
    out.set(f, { description: { text }, artifactChanges: changes });
  }
  return out;
}

export function sarifReport(input: ReportInput): string {
  const { plan } = input;
  const sorted = sortedFindings(plan.findings);
  const ruleIds = [...new Set(sorted.map((f) => f.ruleId))];
  const rules = ruleIds.map((id) => {
    const meta = ruleMeta(input.rules, id);
    const severity = meta?.severity ?? sorted.find((f) => f.ruleId === id)!.severity;
    return {
      id,
      name: id,
      shortDescription: { text: meta?.title ?? id },
      ...(meta ? { fullDescription: { text: meta.rationale } } : {}),
      ...(meta?.sources[0] ? { helpUri: meta.sources[0].url } : {}),
      defaultConfiguration: { level: LEVELS[severity] },
      properties: { severity },
    };
  });
  const open = sorted.filter((f) => RESULT_STATUSES.includes(reportStatus(f, input)));
  const fixes = fixesFor(input, open);
  const results = open.map((f) => {
    const status = reportStatus(f, input);
    const fix = fixes.get(f);
    return {
      ruleId: f.ruleId,
      ruleIndex: ruleIds.indexOf(f.ruleId),
      level: status === 'advisory' ? 'note' : LEVELS[f.severity],
      message: { text: f.message || f.ruleId },
      ...(f.file
        ? {
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: uriOf(f.file), uriBaseId: 'HOME' },
                  ...(f.line ? { region: { startLine: f.line } } : {}),
                },
              },
            ],
          }
        : {}),
      ...(fix ? { fixes: [fix] } : {}),
      // A waived finding stays a result, suppressed by harden.toml's waiver (an external suppression).
      ...(f.waiver
        ? { suppressions: [{ kind: 'external', justification: f.waiver.reason, properties: { owner: f.waiver.owner, expires: f.waiver.expires } }] }
        : {}),
      properties: { status, severity: f.severity },
    };
  });
  const driver = {
    name: input.tool.name,
    version: input.tool.version,
    ...(input.tool.informationUri ? { informationUri: input.tool.informationUri } : {}),
    rules,
  };
  const doc = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        ...(input.homeUri ? { originalUriBaseIds: { HOME: { uri: input.homeUri } } } : {}),
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
