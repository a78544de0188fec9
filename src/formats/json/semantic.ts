// What a JSON document *means*, as JSON.parse reads it: used to prove that an edit set exactly the intended
// values and appended exactly the intended array items, and changed nothing else.
import { isDeepStrictEqual } from 'node:util';
import { locateJson } from './locate.js';

export type JsonIntent =
  /** Path of keys and indexes from the root; the value there (existing or a new object member) becomes `value`. */
  | { kind: 'json-set'; path: (string | number)[]; value: unknown }
  /** `path` names an array; `value` is its new last item. */
  | { kind: 'json-append'; path: (string | number)[]; value: unknown };

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A same-realm deep copy that keeps a key named __proto__ a key. */
function copy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy);
  if (!isTree(v)) return v;
  const out: Tree = {};
  for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: copy(x), enumerable: true, writable: true, configurable: true });
  return out;
}

function applyIntent(root: { doc: unknown }, intent: JsonIntent): string | undefined {
  const where = intent.path.map(String).join('.') || 'the document';
  if (intent.kind === 'json-set' && intent.path.length === 0) {
    root.doc = copy(intent.value);
    return undefined;
  }
  let node: unknown = root.doc;
  const steps = intent.kind === 'json-set' ? intent.path.slice(0, -1) : intent.path;
  for (const seg of steps) {
    if (Array.isArray(node) && typeof seg === 'number') node = node[seg];
    else if (isTree(node) && typeof seg === 'string' && Object.hasOwn(node, seg)) node = node[seg];
    else return `the intended change at ${where} goes through something that is not there`;
  }
  if (intent.kind === 'json-append') {
    if (!Array.isArray(node)) return `${where} is not an array`;
    node.push(copy(intent.value));
    return undefined;
  }
  const last = intent.path.at(-1)!;
  if (Array.isArray(node) && typeof last === 'number' && last < node.length) node[last] = copy(intent.value);
  else if (isTree(node) && typeof last === 'string') Object.defineProperty(node, last, { value: copy(intent.value), enumerable: true, writable: true, configurable: true });
  else return `the intended change at ${where} goes through something that is not an object or array`;
  return undefined;
}

/** Undefined when `after` means `before` plus the intents, nothing more; else the reason it does not. */
export function verifyJson(before: string, after: string, intents: readonly JsonIntent[]): string | undefined {
  let was: unknown;
  let now: unknown;
  try {
    was = JSON.parse(before);
  } catch (e) {
    return `the original file is not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
  }
  try {
    // The strict scanner too: it refuses a repeated key that JSON.parse would silently resolve.
    locateJson(after);
    now = JSON.parse(after);
  } catch (e) {
    return `the edited file is not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
  }
  const expected = { doc: copy(was) };
  for (const intent of intents) {
    const bad = applyIntent(expected, intent);
    if (bad) return bad;
  }
  return isDeepStrictEqual(expected.doc, now) ? undefined : 'the edited document differs from the intended change';
}
