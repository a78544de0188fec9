// Runs transforms over a home's files, merges their text edits per file and refuses what cannot be
// proven: overlapping edits, edits whose result means something else, edits a second run would redo.
import { applyEdits, editsOverlap } from '../formats/text.js';
import { InputError, type SourceFiles } from './source-files.js';
import { compareVersions } from './tls-profiles.js';
import { verifyFile } from './verify.js';
import type { FileEdit, Finding, Intent, ProductInfo, RunOptions, Transform, TransformContext } from './types.js';

export interface PlannedChange {
  path: string;
  before: string;
  after: string;
  rules: string[];
}

export interface PlanResult {
  product: ProductInfo;
  findings: Finding[];
  changes: PlannedChange[];
}

/** Why a transform does not apply to this product, or undefined when it does. */
export function notApplicableReason(t: Transform, product: ProductInfo): string | undefined {
  if (!t.appliesTo.models.includes(product.model)) return `not for the ${product.model} configuration model`;
  const k = t.appliesTo.kernel;
  if (k && product.kernel) {
    if (k.from && compareVersions(product.kernel, k.from) < 0) return `needs kernel ${k.from} or later (found ${product.kernel})`;
    if (k.before && compareVersions(product.kernel, k.before) >= 0) return `only for kernels before ${k.before} (found ${product.kernel})`;
  }
  return undefined;
}

function contextFor(t: Transform, files: SourceFiles, product: ProductInfo, options: RunOptions): TransformContext {
  return {
    product,
    files,
    options,
    param: (name) => options.params[name] ?? t.params.find((p) => p.name === name)?.default,
  };
}

/** A transform's findings; a crash inside it becomes an error finding, bad input stops the run. */
function runTransform(t: Transform, files: SourceFiles, product: ProductInfo, options: RunOptions): Finding[] {
  try {
    return t.plan(contextFor(t, files, product, options));
  } catch (e) {
    if (e instanceof InputError) throw e;
    return [{ ruleId: t.id, severity: t.severity, status: 'error', message: `internal error: ${e instanceof Error ? e.message : String(e)}` }];
  }
}

/** What an operator picks in the planner: one rule's fixes in one file. */
export function selectionKey(f: Pick<Finding, 'ruleId' | 'file'>): string {
  return `${f.ruleId}:${f.file ?? ''}`;
}

function groupByFile<T extends { file: string }>(items: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) out.set(it.file, [...(out.get(it.file) ?? []), it]);
  return out;
}

/** Applies edits and checks each touched file against the intents; returns new texts or a reason. */
function applyAndVerify(
  files: SourceFiles,
  edits: FileEdit[],
  intents: { file: string; intent: Intent }[],
): { texts: Map<string, string> } | { file: string; reason: string } {
  const texts = new Map<string, string>();
  const intentsByFile = groupByFile(intents);
  for (const [file, fileEdits] of groupByFile(edits)) {
    const before = files.get(file)?.text;
    if (before === undefined) return { file, reason: 'edits a file that was not read' };
    let after: string;
    try {
      after = applyEdits(before, fileEdits);
    } catch (e) {
      return { file, reason: e instanceof Error ? e.message : String(e) };
    }
    if (after === before) continue;
    const reason = verifyFile(file, before, after, (intentsByFile.get(file) ?? []).map((i) => i.intent));
    if (reason) return { file, reason };
    texts.set(file, after);
  }
  return { texts };
}

export function planFixes(files: SourceFiles, product: ProductInfo, transforms: Transform[], options: RunOptions): PlanResult {
  // Unselected fixes stay reported as fixable but contribute no edits, and are not re-checked.
  const picked = (f: Finding): boolean => f.status === 'fixable' && (!options.selection || options.selection.has(selectionKey(f)));
  const editsOf = (findings: Finding[]): FileEdit[] => findings.flatMap((f) => (picked(f) ? f.edits ?? [] : []));
  const intentsOf = (findings: Finding[]): { file: string; intent: Intent }[] => findings.flatMap((f) => (picked(f) ? f.intents ?? [] : []));
  const results = new Map<string, Finding[]>();
  for (const t of transforms) {
    const why = notApplicableReason(t, product);
    results.set(
      t.id,
      why ? [{ ruleId: t.id, severity: t.severity, status: 'not-applicable', message: why }] : runTransform(t, files, product, options),
    );
  }
  const byId = new Map(transforms.map((t) => [t.id, t]));
  const refuse = (id: string, reason: string): void => {
    const t = byId.get(id)!;
    const kept = results.get(id)!.filter((f) => !picked(f));
    kept.push({ ruleId: id, severity: t.severity, status: 'error', message: `${reason}; nothing is written for ${id}` });
    results.set(id, kept);
  };

  // Each transform alone must produce a verified result.
  for (const [id, findings] of results) {
    const check = applyAndVerify(files, editsOf(findings), intentsOf(findings));
    if ('reason' in check) refuse(id, `its edit of ${check.file} failed verification: ${check.reason}`);
  }

  // Merge, verify the merged result, and prove that planning again finds nothing to do.
  for (let round = 0; round <= transforms.length; round++) {
    const accepted: { id: string; edits: FileEdit[] }[] = [];
    for (const [id, findings] of results) {
      const edits = editsOf(findings);
      if (edits.length === 0) continue;
      const clash = accepted.find((a) => a.edits.some((x) => edits.some((y) => x.file === y.file && editsOverlap(x, y))));
      if (clash) refuse(id, `its edits overlap those of ${clash.id}`);
      else accepted.push({ id, edits });
    }
    const merged = applyAndVerify(
      files,
      accepted.flatMap((a) => a.edits),
      accepted.flatMap((a) => intentsOf(results.get(a.id)!)),
    );
    if ('reason' in merged) {
      for (const a of accepted) if (a.edits.some((e) => e.file === merged.file)) refuse(a.id, `the combined edit of ${merged.file} failed verification: ${merged.reason}`);
      continue;
    }
    const next = files.withTexts(merged.texts);
    let stable = true;
    for (const a of accepted) {
      const again = runTransform(byId.get(a.id)!, next, product, options);
      const redo = editsOf(again);
      if (redo.length > 0) {
        stable = false;
        refuse(a.id, `a second run would edit ${redo[0]!.file} again, so the fix is not idempotent`);
      }
    }
    if (!stable) continue;
    const changes = [...merged.texts].map(([path, after]) => ({
      path,
      before: files.get(path)!.text,
      after,
      rules: accepted.filter((a) => a.edits.some((e) => e.file === path)).map((a) => a.id),
    }));
    return { product, findings: [...results.values()].flat(), changes: changes.sort((x, y) => x.path.localeCompare(y.path)) };
  }
  return { product, findings: [...results.values()].flat(), changes: [] };
}
