// What a TOML file *means*, as smol-toml reads it: used to prove that an edit set exactly the intended keys
// and appended exactly the intended array-of-tables entries, and changed nothing else.
import { parse, TomlError } from 'smol-toml';
import { TomlSyntaxError } from './syntax-error.js';
import { memoByText } from '../../engine/memo.js';

export type TomlIntent =
  /** Key path from the root; array-of-tables elements are addressed by their index as a string ('0', '1', …). */
  | { kind: 'toml-set'; key: string[]; value: unknown }
  /** `key` is the array of tables; `value` the new last element. */
  | { kind: 'toml-append'; key: string[]; value: Record<string, unknown> }
  /** The key (a value, not a table) is removed; everything else stays. */
  | { kind: 'toml-delete'; key: string[] };

/** tomlMeaning, memoized: the same text is parsed once per run (results are read-only). */
export const tomlMeaning = memoByText(parseTomlMeaning);

function parseTomlMeaning(text: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    const reason = (e.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
    throw new TomlSyntaxError(reason, e.line, e.column);
  }
}

type Tree = Record<string, unknown>;

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

// Own copy, not structuredClone: under jest that yields objects of another realm, which isDeepStrictEqual rejects.
function copy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy);
  if (!isTree(v)) return v; // scalars and dates are never mutated
  const out: Tree = {};
  for (const [k, x] of Object.entries(v)) put(out, k, copy(x));
  return out;
}

// defineProperty so that a key named __proto__ stays a key.
function put(obj: Tree, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The container one step down `seg`, creating tables on the way; a string when the path is impossible. */
function child(node: unknown, seg: string, create: boolean): unknown {
  if (Array.isArray(node)) return /^\d+$/.test(seg) ? node[Number(seg)] : undefined;
  if (!isTree(node)) return undefined;
  if (!Object.hasOwn(node, seg) && create) put(node, seg, {});
  return node[seg];
}

function applyIntent(root: Tree, intent: TomlIntent): string | undefined {
  const where = intent.key.join('.');
  let node: unknown = root;
  for (const seg of intent.key.slice(0, -1)) {
    node = child(node, seg, true);
    if (node === undefined) return `the intended key ${where} goes through something that is not a table`;
  }
  const last = intent.key.at(-1);
  if (last === undefined) return 'an intent has an empty key path';
  if (intent.kind === 'toml-delete') {
    if (!isTree(node) || !Object.hasOwn(node, last)) return `the key ${where} to remove is not in the file`;
    if (isTree(node[last])) return `${where} is a table; only values are removed`;
    delete node[last];
    return undefined;
  }
  if (intent.kind === 'toml-set') {
    if (Array.isArray(node) && /^\d+$/.test(last) && Number(last) < node.length) node[Number(last)] = copy(intent.value);
    else if (isTree(node)) put(node, last, copy(intent.value));
    else return `the intended key ${where} goes through something that is not a table`;
    return undefined;
  }
  let list = child(node, last, false);
  if (list === undefined && isTree(node)) put(node, last, (list = []));
  if (!Array.isArray(list)) return `${where} is not an array of tables`;
  list.push(copy(intent.value));
  return undefined;
}

function show(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v);
}

/** Path and both sides of the first difference, or undefined when equal (dates compare by kind and instant). */
function firstDifference(want: unknown, got: unknown, path: string[]): string | undefined {
  const at = path.length === 0 ? 'the document' : path.join('.');
  if (want instanceof Date || got instanceof Date) {
    // TomlDate.toISOString keeps the kind: a local date prints as 1979-05-27, an offset date-time in full.
    const same = want instanceof Date && got instanceof Date && want.toISOString() === got.toISOString();
    return same ? undefined : `${at} should be ${show(want)}, found ${show(got)}`;
  }
  if (Array.isArray(want) || Array.isArray(got)) {
    if (!Array.isArray(want) || !Array.isArray(got)) return `${at} should be ${show(want)}, found ${show(got)}`;
    if (want.length !== got.length) return `${at} should have ${want.length} elements, found ${got.length}`;
    for (let i = 0; i < want.length; i++) {
      const d = firstDifference(want[i], got[i], [...path, String(i)]);
      if (d) return d;
    }
    return undefined;
  }
  if (isTree(want) || isTree(got)) {
    if (!isTree(want) || !isTree(got)) return `${at} should be ${show(want)}, found ${show(got)}`;
    for (const k of Object.keys(want)) {
      if (!Object.hasOwn(got, k)) return `${[...path, k].join('.')} is missing after the edit`;
      const d = firstDifference(want[k], got[k], [...path, k]);
      if (d) return d;
    }
    const extra = Object.keys(got).find((k) => !Object.hasOwn(want, k));
    return extra === undefined ? undefined : `${[...path, extra].join('.')} was added but no intent says so`;
  }
  return Object.is(want, got) ? undefined : `${at} should be ${show(want)}, found ${show(got)}`;
}

/** Undefined when `after` means `before` plus the intents, nothing more; else the reason it does not. */
export function verifyToml(before: string, after: string, intents: readonly TomlIntent[]): string | undefined {
  let was: Tree;
  let now: Tree;
  try {
    was = tomlMeaning(before);
  } catch (e) {
    return `the original file is not valid TOML: ${e instanceof Error ? e.message : String(e)}`;
  }
  try {
    now = tomlMeaning(after);
  } catch (e) {
    return `the edited file is not valid TOML: ${e instanceof Error ? e.message : String(e)}`;
  }
  const expected = copy(was) as Tree;
  for (const intent of intents) {
    const bad = applyIntent(expected, intent);
    if (bad) return bad;
  }
  return firstDifference(expected, now, []);
}
