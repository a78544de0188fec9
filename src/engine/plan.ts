// Runs transforms over a home's files and applies their text edits one transform after another,
// refusing what cannot be proven: edits whose result means something else, edits a second run would redo.
import { applyEdits } from '../formats/text.js';
import { InputError, type SourceFiles } from './source-files.js';
import { compareVersions } from './tls-profiles.js';
import { verifyFile } from './verify.js';
import type { FileEdit, Finding, Intent, ModeChange, ProductInfo, RunOptions, Transform, TransformContext } from './types.js';

export interface PlannedChange {
  path: string;
  /** The file's text before and after ('' for both when harden only knows the file's mode: a keystore). */
  before: string;
  after: string;
  rules: string[];
  /** A change of the file's permission bits (mode & 0o7777), when there is one. */
  mode?: { from: number; to: number };
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

/** Mode changes checked against the modes the files have in `files`; the new modes, or a reason. */
function checkModes(files: SourceFiles, changes: ModeChange[]): { modes: Map<string, number> } | { file: string; reason: string } {
  const modes = new Map<string, number>();
  for (const c of changes) {
    const now = modes.get(c.file) ?? files.mode(c.file);
    if (now === undefined) return { file: c.file, reason: 'harden does not know its current mode (it was not listed, or it is a link)' };
    if (now !== c.from) return { file: c.file, reason: `it was planned from mode ${octal(c.from)}, but the file has ${octal(now)}` };
    if (!Number.isInteger(c.to) || c.to < 0 || c.to > 0o7777) return { file: c.file, reason: `${c.to} is not a permission mode` };
    modes.set(c.file, c.to);
  }
  return { modes };
}

/** A mode as chmod takes it: 0600. */
export function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

export function planFixes(files: SourceFiles, product: ProductInfo, transforms: Transform[], options: RunOptions): PlanResult {
  // Unselected fixes stay reported as fixable but contribute no edits, and are not re-checked.
  const picked = (f: Finding): boolean => f.status === 'fixable' && (!options.selection || options.selection.has(selectionKey(f)));
  const editsOf = (findings: Finding[]): FileEdit[] => findings.flatMap((f) => (picked(f) ? f.edits ?? [] : []));
  const intentsOf = (findings: Finding[]): { file: string; intent: Intent }[] => findings.flatMap((f) => (picked(f) ? f.intents ?? [] : []));
  const modesOf = (findings: Finding[]): ModeChange[] => findings.flatMap((f) => (picked(f) ? (f.modes ?? []).filter((m) => m.from !== m.to) : []));
  const changesSomething = (findings: Finding[]): boolean => editsOf(findings).length > 0 || modesOf(findings).length > 0;
  const applicable = transforms.filter((t) => !notApplicableReason(t, product));

  // What is found is judged on the files as they are, so every finding's line is a line of the original.
  const results = new Map<string, Finding[]>();
  for (const t of transforms) {
    const why = notApplicableReason(t, product);
    results.set(t.id, why ? [{ ruleId: t.id, severity: t.severity, status: 'not-applicable', message: why }] : runTransform(t, files, product, options));
  }
  const refuse = (t: Transform, reason: string): void => {
    const kept = results.get(t.id)!.filter((f) => !picked(f));
    kept.push({ ruleId: t.id, severity: t.severity, status: 'error', message: `${reason}; nothing is written for ${t.id}` });
    results.set(t.id, kept);
  };

  // Fixes are made one transform after another, each planned on the text the earlier ones left, so two
  // rules that both need a new [table] or the same insertion point simply see each other's result. Each
  // step must mean exactly its own intents; a step that fails is refused alone and the text stays as it was.
  // A refused transform loses its picked findings, so a restart leaves it out.
  let current = files;
  let accepted: Transform[] = [];
  for (let round = 0; round <= applicable.length; round++) {
    current = files;
    accepted = [];
    for (const t of applicable) {
      if (!changesSomething(results.get(t.id)!)) continue;
      const found = current === files ? results.get(t.id)! : runTransform(t, current, product, options);
      const step = applyAndVerify(current, editsOf(found), intentsOf(found));
      if ('reason' in step) {
        refuse(t, `its edit of ${step.file} failed verification: ${step.reason}`);
        continue;
      }
      const modes = checkModes(current, modesOf(found));
      if ('reason' in modes) {
        refuse(t, `its change of ${modes.file}'s permissions was refused: ${modes.reason}`);
        continue;
      }
      if (step.texts.size === 0 && modes.modes.size === 0) continue;
      current = current.withTexts(step.texts).withModes(modes.modes);
      accepted.push(t);
    }
    // Planning again on the result must find nothing to do: idempotence at run time, not only in tests.
    const unstable = accepted.find((t) => changesSomething(runTransform(t, current, product, options)));
    if (!unstable) break;
    // Start over without it: the steps after it were planned on its output.
    refuse(unstable, 'a second run would edit its files again, so the fix is not idempotent');
  }

  const touched = new Set([...current.paths(), ...current.modePaths()]);
  const changes = [...touched]
    .sort()
    .filter((p) => current.get(p)?.text !== files.get(p)?.text || current.mode(p) !== files.mode(p))
    .map((path): PlannedChange => {
      const from = files.mode(path);
      const to = current.mode(path);
      return {
        path,
        before: files.get(path)?.text ?? '',
        after: current.get(path)?.text ?? '',
        rules: accepted
          .filter((t) => editsOf(results.get(t.id)!).some((e) => e.file === path) || modesOf(results.get(t.id)!).some((m) => m.file === path))
          .map((t) => t.id),
        ...(from !== undefined && to !== undefined && from !== to ? { mode: { from, to } } : {}),
      };
    });
  return { product, findings: transforms.flatMap((t) => results.get(t.id)!), changes };
}
