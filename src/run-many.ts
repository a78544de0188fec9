// Several homes in one run: `harden check home1 home2 …`, or a folder whose subfolders are homes (a
// fleet checked out side by side). Finds the homes, plans each one with planHome as a single run would,
// and keeps going past a home that cannot be planned (its error, scrubbed by planHome, is its result).
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { detectProduct, DETECTION_LIST, DETECTION_READ } from './engine/detect.js';
import { readHome } from './io/read-home.js';
import { planHome, type HomePlan, type RunRequest } from './run.js';

/** How deep below a folder that is not a home harden looks for homes (children, grandchildren, …). */
export const DISCOVERY_DEPTH = 3;
/** Folders never searched for homes: harden's own state, VCS metadata, dependencies. */
const NOT_SEARCHED = new Set(['.harden', '.git', '.svn', '.hg', 'node_modules']);

const isDir = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/**
 * Whether a folder is a product home as harden detects one. A folder whose detection files cannot be
 * read (a binary bin/version.txt) counts as one, so that its error is reported instead of hidden.
 */
export function isProductHome(dir: string): boolean {
  if (!isDir(dir)) return false;
  try {
    return detectProduct(readHome(dir, DETECTION_READ, DETECTION_LIST)).model !== 'unknown';
  } catch {
    return true;
  }
}

/**
 * The homes below a folder that is not itself one, up to DISCOVERY_DEPTH levels down, in path order;
 * a home's own subfolders are not searched. Paths are `dir` joined with the relative path.
 */
export function discoverHomes(dir: string, depth = DISCOVERY_DEPTH): string[] {
  const out: string[] = [];
  const visit = (rel: string, level: number): void => {
    let names: string[];
    try {
      names = readdirSync(join(dir, rel)).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (NOT_SEARCHED.has(name) || name.startsWith('.')) continue;
      const child = rel ? join(rel, name) : name;
      const abs = join(dir, child);
      if (!isDir(abs)) continue;
      if (isProductHome(abs)) out.push(join(dir, child));
      else if (level < depth) visit(child, level + 1);
    }
  };
  visit('', 1);
  return out;
}

export interface HomeList {
  homes: string[];
  /** Several homes (one report over all); false for the single home of an ordinary run. */
  many: boolean;
  /** The folder every home lies in (the one given, or the deepest common one): diffs name paths from it. */
  root: string;
}

/**
 * The homes a run covers. One argument that is a home (or not a folder, or a folder with no home below
 * it) is an ordinary single-home run, unchanged. A folder that is not a home but holds homes, or several
 * arguments, make a run over several homes; each argument that is not a home itself is searched.
 */
export function resolveHomes(args: readonly string[]): HomeList {
  const given = args.length ? [...args] : ['.'];
  if (given.length === 1) {
    const only = given[0]!;
    if (!isDir(only) || isProductHome(only)) return { homes: [only], many: false, root: only };
    const found = discoverHomes(only);
    if (!found.length) return { homes: [only], many: false, root: only };
    return { homes: found, many: true, root: only };
  }
  const homes: string[] = [];
  const seen = new Set<string>();
  for (const arg of given) {
    const list = isDir(arg) && !isProductHome(arg) ? discoverHomes(arg) : [];
    for (const h of list.length ? list : [arg]) {
      const key = resolve(h);
      if (!seen.has(key)) homes.push(h);
      seen.add(key);
    }
  }
  return { homes, many: true, root: commonRoot(homes) };
}

/** The deepest folder that holds every path (absolute). */
export function commonRoot(paths: readonly string[]): string {
  const split = paths.map((p) => resolve(p).split(sep));
  const first = split[0] ?? [resolve('.')];
  let n = first.length;
  for (const parts of split) {
    let i = 0;
    while (i < n && i < parts.length && parts[i] === first[i]) i++;
    n = i;
  }
  // A home given twice, or one inside another: the root is a folder above both.
  if (split.some((parts) => parts.length === n)) n = Math.max(1, n - 1);
  return first.slice(0, n).join(sep) || sep;
}

/** A home's path from the root, with '/' separators (for diff headers). */
export const pathFromRoot = (root: string, home: string): string => relative(resolve(root), resolve(home)).split(sep).join('/');

export type HomeOutcome = { home: string; plan: HomePlan; error?: undefined } | { home: string; plan?: undefined; error: string };

/**
 * Plans every home with the request made for it; a home that cannot be planned (not a home, a malformed
 * file, a bad harden.toml of its own) is an outcome with its error, scrubbed of secrets as planHome
 * scrubs every error, and the others go on. The flags' own mistakes (an unknown rule id) are the same
 * for every home: the caller checks them once before.
 */
export function planHomes(homes: readonly string[], requestFor: (home: string) => RunRequest, step?: (home: string) => void): HomeOutcome[] {
  return homes.map((home): HomeOutcome => {
    step?.(home);
    try {
      return { home, plan: planHome(requestFor(home)) };
    } catch (e) {
      return { home, error: e instanceof Error ? e.message : String(e) };
    }
  });
}
