// What every Ballerina / WSO2 Integrator: BI rule reads: the project's Config.toml (runtime configuration, the
// only file these rules edit), Ballerina.toml / Dependencies.toml (package, distribution, library versions) and
// the sources (root *.bal and modules/*/*.bal).
import { InputError } from '../engine/source-files.js';
import type { ProductInfo, TransformContext } from '../engine/types.js';
import { find, locateToml, type TomlDoc, type TomlEntry } from '../formats/toml/locate.js';
import { tomlMeaning } from '../formats/toml/semantic.js';
import { readDependencies, readPackage, distributionOf } from '../formats/ballerina/project.js';
import { scanProject, type ScannedFile } from '../formats/ballerina/listeners.js';
import type { ProjectInfo } from '../formats/ballerina/config.js';

export const CONFIG_TOML = 'Config.toml';
export const TEST_CONFIG_TOML = 'tests/Config.toml';
const SOURCES = ['*.bal', 'modules/*/*.bal'];

/** Files a Ballerina rule reads; nothing for other models. */
export function ballerinaFiles(product: ProductInfo, extra: { sources?: boolean; tests?: boolean } = {}): string[] {
  if (product.model !== 'ballerina') return [];
  return ['Ballerina.toml', 'Dependencies.toml', CONFIG_TOML, ...(extra.tests ? [TEST_CONFIG_TOML] : []), ...(extra.sources ? SOURCES : [])];
}

export interface BallerinaProject extends ProjectInfo {
  distribution: string | undefined;
}

export function ballerinaProject(ctx: TransformContext): BallerinaProject {
  const pkg = readPackage(ctx.files.get('Ballerina.toml')?.text);
  const deps = readDependencies(ctx.files.get('Dependencies.toml')?.text);
  const submodules = [...new Set(ctx.files.paths().flatMap((p) => /^modules\/([^/]+)\/[^/]+\.bal$/.exec(p)?.[1] ?? []))];
  return { pkg, deps, submodules, distribution: distributionOf(pkg, deps) };
}

/** A Config.toml located for editing; undefined when the file is not there. */
export function configDoc(ctx: TransformContext, path = CONFIG_TOML): TomlDoc | undefined {
  const file = ctx.files.get(path);
  if (!file) return undefined;
  try {
    return locateToml(file.text);
  } catch (e) {
    const err = e as { reason?: string; line?: number; column?: number; message: string };
    throw new InputError(path, `malformed TOML: ${err.reason ?? err.message}`, err.line, err.column);
  }
}

/** The decoded value at a key path (tables as plain objects, arrays of tables as arrays), or undefined. */
export function valueAt(doc: TomlDoc, path: readonly string[]): unknown {
  let node: unknown = tomlMeaning(doc.text);
  for (const seg of path) {
    if (Array.isArray(node) && /^\d+$/.test(seg)) node = node[Number(seg)];
    else if (typeof node === 'object' && node !== null && !(node instanceof Date) && Object.hasOwn(node, seg)) node = (node as Record<string, unknown>)[seg];
    else return undefined;
  }
  return node;
}

export function entryAt(doc: TomlDoc, path: readonly string[]): TomlEntry | undefined {
  return find(doc, path);
}

/** 1-based line of an entry's key, or of the table header that starts `path`, for messages. */
export function lineAt(doc: TomlDoc, path: readonly string[]): number | undefined {
  const e = find(doc, path) ?? doc.entries.find((x) => path.every((s, i) => x.path[i] === s));
  const t = doc.tables.find((x) => x.kind !== 'root' && path.every((s, i) => x.path[i] === s));
  const at = e?.keyStart ?? t?.headerStart;
  return at === undefined ? undefined : doc.text.slice(0, at).split('\n').length;
}

const SOURCE_PATH = /^(?:[^/]+|modules\/[^/]+\/[^/]+)\.bal$/;

/** The project's source files (root module and modules/<name>/), scanned. */
export function projectSources(ctx: TransformContext): ScannedFile[] {
  const files = ctx.files.paths().filter((p) => SOURCE_PATH.test(p));
  return scanProject(files.map((p) => ({ path: p, text: ctx.files.get(p)!.text })));
}

/** Whether the program uses org/name: Dependencies.toml lists it, or a source file imports it. */
export function usesPackage(ctx: TransformContext, project: BallerinaProject, org: string, name: string): boolean {
  if (project.deps?.packages.some((p) => p.org === org && p.name === name)) return true;
  return projectSources(ctx).some((f) => f.imports.some((i) => i.module === `${org}/${name}` || i.module.startsWith(`${org}/${name}.`)));
}

export const isLoopback = (host: string): boolean => /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i.test(host.trim());
