// Builders that keep every transform's findings the same shape.
import type { TextEdit } from '../formats/text.js';
import { positionOf } from '../formats/text.js';
import type { Finding, FindingStatus, Intent, TransformMeta } from '../engine/types.js';

export function lineOf(text: string, offset: number): number {
  return positionOf(text, offset).line;
}

export function report(t: TransformMeta, status: Exclude<FindingStatus, 'fixable'>, message: string, file?: string, line?: number): Finding {
  return { ruleId: t.id, severity: status === 'compliant' || status === 'not-applicable' ? 'info' : t.severity, status, message, file, line };
}

/** A fixable finding: edits on one file and what they mean. */
export function fix(t: TransformMeta, file: string, line: number, message: string, edits: TextEdit[], intents: Intent[]): Finding {
  return {
    ruleId: t.id,
    severity: t.severity,
    status: 'fixable',
    message,
    file,
    line,
    edits: edits.map((e) => ({ ...e, file })),
    intents: intents.map((intent) => ({ file, intent })),
  };
}

/** A fixable finding that changes one file's permission bits (mode & 0o7777), not its bytes. */
export function modeFix(t: TransformMeta, file: string, message: string, from: number, to: number): Finding {
  return { ruleId: t.id, severity: t.severity, status: 'fixable', message, file, modes: [{ file, from, to }] };
}
