// Saved plans (`harden plan --out`, `harden show`, `harden apply`): the plan document, built from a
// HomePlan, serialised, validated, and compared with a re-plan. Pure: the hashes of the files on disk
// are handed in by src/io/plan-file.ts.
//
// A plan file never holds a secret in clear: per changed file it keeps the SHA-256 of the bytes harden
// will write and the unified diff with secrets masked (engine/diff.ts). `harden apply` re-plans from the
// current files with the recorded parameters and writes only when the re-plan reproduces every recorded
// hash, so the bytes written are exactly the reviewed ones.
import { createHash } from 'node:crypto';
import { changeDiff } from './engine/diff.js';
import { octal } from './engine/plan.js';
import { encodeFile, encodeText } from './engine/encoding.js';
import { JDKS, PROFILES, type Jdk, type ProfileName } from './engine/tls-profiles.js';
import type { HomePlan } from './run.js';

export const PLAN_FORMAT = 'harden-plan';
export const PLAN_FORMAT_VERSION = 1;

/** What a read path held when planned: `sha256:<hex>` of its bytes, `present` (listed, not read), or `absent`. */
export type ReadState = string;

export interface PlanProduct {
  id: string;
  version: string | null;
  kernel: string | null;
  model: string;
  confDirs: string[];
}

export interface PlanRequest {
  only: string[];
  skip: string[];
  params: Record<string, string>;
  profile: ProfileName;
  jdk: Jdk;
}

export interface PlanChange {
  path: string;
  rules: string[];
  encoding: 'utf8' | 'latin1';
  /** SHA-256 of the file's bytes when planned. */
  before: string;
  /** SHA-256 of the bytes harden will write. */
  after: string;
  /** The unified diff, secrets masked as ********. */
  diff: string;
  /** Whether the diff masks a changed line (patch cannot apply it; harden apply can). */
  masked: boolean;
  /** A change of the file's permissions, octal as chmod takes them ("0644" → "0600"); a keystore's change is only this. */
  mode?: { from: string; to: string };
}

export interface PlanDoc {
  format: typeof PLAN_FORMAT;
  formatVersion: typeof PLAN_FORMAT_VERSION;
  /** HOME's absolute path when planned. */
  home: string;
  product: PlanProduct;
  request: PlanRequest;
  /** Every path read or listed while planning, and the literal paths looked for and not found. */
  reads: Record<string, ReadState>;
  changes: PlanChange[];
}

export class PlanFileError extends Error {}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function productOf(plan: HomePlan): PlanProduct {
  const p = plan.product;
  return { id: p.id, version: p.version ?? null, kernel: p.kernel ?? null, model: p.model, confDirs: [...p.confDirs] };
}

/**
 * What the plan saw: loaded files with the SHA-256 of their bytes on disk (`hashes`, keyed by path),
 * listed-only paths as present, and literal paths (no '*') that were looked for but absent.
 */
export function readsOf(plan: HomePlan, hashes: ReadonlyMap<string, string>): Record<string, ReadState> {
  const out = new Map<string, ReadState>();
  for (const p of plan.files.listing) out.set(p, 'present');
  for (const p of plan.files.paths()) {
    const h = hashes.get(p) ?? sha256Hex(encodeFile(plan.files.get(p)!, plan.files.get(p)!.text));
    out.set(p, `sha256:${h}`);
  }
  for (const pattern of plan.patterns ?? []) if (!pattern.includes('*') && !out.has(pattern)) out.set(pattern, 'absent');
  return Object.fromEntries([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The paths whose bytes a plan document hashes: every file read, and every file it changes (a keystore's mode). */
export function hashedPaths(plan: HomePlan): string[] {
  return [...new Set([...plan.files.paths(), ...plan.changes.map((c) => c.path)])];
}

export function buildPlanDoc(plan: HomePlan, absHome: string, request: { only?: string[]; skip?: string[]; params?: Record<string, string> }, hashes: ReadonlyMap<string, string>): PlanDoc {
  const reads = readsOf(plan, hashes);
  const changes = plan.changes.map((c): PlanChange => {
    const file = plan.files.get(c.path);
    const d = changeDiff(c);
    // A file harden knows only the mode of keeps its bytes: both hashes are those of the bytes on disk.
    const held = file ? (reads[c.path] ?? '').replace(/^sha256:/, '') : hashes.get(c.path) ?? '';
    return {
      path: c.path,
      rules: [...c.rules],
      encoding: file?.encoding ?? 'utf8',
      before: held,
      after: file ? sha256Hex(encodeFile(file, c.after)) : held,
      diff: d.text,
      masked: d.redacted,
      ...(c.mode ? { mode: { from: octal(c.mode.from), to: octal(c.mode.to) } } : {}),
    };
  });
  return {
    format: PLAN_FORMAT,
    formatVersion: PLAN_FORMAT_VERSION,
    home: absHome,
    product: productOf(plan),
    request: { only: [...(request.only ?? [])], skip: [...(request.skip ?? [])], params: { ...(request.params ?? {}) }, profile: plan.profile, jdk: plan.jdk },
    reads,
    changes,
  };
}

export function serialisePlan(doc: PlanDoc): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const HEX64 = /^[0-9a-f]{64}$/;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrArr = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Parses and checks a plan file's text; a bad document is refused naming every bad field. */
export function parsePlan(text: string): PlanDoc {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new PlanFileError('not a harden plan: the file is not valid JSON');
  }
  const bad: string[] = [];
  const need = (ok: boolean, field: string, what: string): void => void (ok || bad.push(`${field}: ${what}`));
  if (!isObj(raw)) throw new PlanFileError('not a harden plan: expected a JSON object');
  need(raw.format === PLAN_FORMAT, 'format', `expected "${PLAN_FORMAT}"`);
  if (raw.format === PLAN_FORMAT && raw.formatVersion !== PLAN_FORMAT_VERSION) {
    throw new PlanFileError(`formatVersion: this harden reads plan format ${PLAN_FORMAT_VERSION}, the file has ${JSON.stringify(raw.formatVersion)}; make the plan again`);
  }
  need(typeof raw.home === 'string' && raw.home.startsWith('/'), 'home', 'expected an absolute path');
  const p = raw.product;
  if (isObj(p)) {
    need(typeof p.id === 'string', 'product.id', 'expected a string');
    need(p.version === null || typeof p.version === 'string', 'product.version', 'expected a string or null');
    need(p.kernel === null || typeof p.kernel === 'string', 'product.kernel', 'expected a string or null');
    need(typeof p.model === 'string', 'product.model', 'expected a string');
    need(isStrArr(p.confDirs), 'product.confDirs', 'expected an array of strings');
  } else bad.push('product: expected an object');
  const r = raw.request;
  if (isObj(r)) {
    need(isStrArr(r.only), 'request.only', 'expected an array of strings');
    need(isStrArr(r.skip), 'request.skip', 'expected an array of strings');
    need(isObj(r.params) && Object.values(r.params).every((v) => typeof v === 'string'), 'request.params', 'expected an object of strings');
    need((PROFILES as readonly unknown[]).includes(r.profile), 'request.profile', `expected one of ${PROFILES.join(', ')}`);
    need((JDKS as readonly unknown[]).includes(r.jdk), 'request.jdk', `expected one of ${JDKS.join(', ')}`);
  } else bad.push('request: expected an object');
  if (isObj(raw.reads)) {
    for (const [path, v] of Object.entries(raw.reads)) {
      need(typeof v === 'string' && (v === 'present' || v === 'absent' || (v.startsWith('sha256:') && HEX64.test(v.slice(7)))), `reads["${path}"]`, 'expected "sha256:<64 hex>", "present" or "absent"');
    }
  } else bad.push('reads: expected an object');
  if (Array.isArray(raw.changes)) {
    raw.changes.forEach((c: unknown, i) => {
      const at = `changes[${i}]`;
      if (!isObj(c)) return void bad.push(`${at}: expected an object`);
      need(typeof c.path === 'string' && c.path.length > 0, `${at}.path`, 'expected a HOME-relative path');
      need(isStrArr(c.rules), `${at}.rules`, 'expected an array of rule ids');
      need(c.encoding === 'utf8' || c.encoding === 'latin1', `${at}.encoding`, 'expected "utf8" or "latin1"');
      need(typeof c.before === 'string' && HEX64.test(c.before), `${at}.before`, 'expected a SHA-256 (64 hex digits)');
      need(typeof c.after === 'string' && HEX64.test(c.after), `${at}.after`, 'expected a SHA-256 (64 hex digits)');
      need(typeof c.diff === 'string', `${at}.diff`, 'expected the unified diff');
      need(typeof c.masked === 'boolean', `${at}.masked`, 'expected true or false');
      const m = c.mode;
      need(m === undefined || (isObj(m) && typeof m.from === 'string' && /^[0-7]{4}$/.test(m.from) && typeof m.to === 'string' && /^[0-7]{4}$/.test(m.to)), `${at}.mode`, 'expected { "from": "0644", "to": "0600" } (octal permission bits)');
    });
  } else bad.push('changes: expected an array');
  if (bad.length) throw new PlanFileError(`not a valid harden plan:\n  ${bad.join('\n  ')}`);
  return raw as unknown as PlanDoc;
}

/** The diff bytes `harden show` prints: the same as `harden fix --dry-run` would have printed then. */
export function planDiffs(doc: PlanDoc): Buffer[] {
  return doc.changes.map((c) => encodeText(c.diff, c.encoding));
}

const describeState = (s: ReadState | undefined): string => (s === undefined || s === 'absent' ? 'absent' : s === 'present' ? 'present' : 'with other content');

/**
 * Why a re-plan of the home does not reproduce the saved plan; empty when it does. `reads` and
 * `replanned` come from the re-plan of the current files with the recorded request.
 */
export function planDrift(doc: PlanDoc, reads: Record<string, ReadState>, replanned: PlanDoc): string[] {
  const out: string[] = [];
  for (const key of ['id', 'version', 'kernel', 'model'] as const) {
    if (doc.product[key] !== replanned.product[key]) out.push(`product ${key} was ${JSON.stringify(doc.product[key])}, is now ${JSON.stringify(replanned.product[key])}`);
  }
  if (doc.product.confDirs.join('\n') !== replanned.product.confDirs.join('\n')) out.push('the product\'s configuration directories differ');
  const paths = [...new Set([...Object.keys(doc.reads), ...Object.keys(reads)])].sort();
  for (const path of paths) {
    const was = doc.reads[path] ?? 'absent';
    const now = reads[path] ?? 'absent';
    if (was === now) continue;
    if (was === 'absent') out.push(`${path}: appeared since the plan was made`);
    else if (now === 'absent') out.push(`${path}: disappeared since the plan was made`);
    else if (was === 'present' || now === 'present') continue; // listed-only vs read: the rule set decides, compared below
    else out.push(`${path}: changed since the plan was made (was ${describeState(was)})`);
  }
  const planned = new Map(doc.changes.map((c) => [c.path, c]));
  const now = new Map(replanned.changes.map((c) => [c.path, c]));
  for (const [path, c] of planned) {
    const r = now.get(path);
    if (!r) out.push(`${path}: the plan changes it, a re-plan now would not`);
    else if (r.after !== c.after) out.push(`${path}: a re-plan now gives other bytes than the plan recorded`);
    else if (JSON.stringify(r.mode ?? null) !== JSON.stringify(c.mode ?? null)) out.push(`${path}: a re-plan now gives other permissions than the plan recorded (${c.mode ? `${c.mode.from} → ${c.mode.to}` : 'none'})`);
  }
  for (const path of now.keys()) if (!planned.has(path)) out.push(`${path}: a re-plan now would change it, the plan does not`);
  return out;
}
