// What a Ballerina / WSO2 Integrator: BI project says about itself: Ballerina.toml's [package] and the
// resolved versions in Dependencies.toml. Unreadable files give "unknown", never an exception: detection
// must not fail on them (a rule that reads them gets the parser's error with file and line instead).
import { tomlMeaning } from '../toml/semantic.js';
import { compareVersions } from '../../engine/tls-profiles.js';

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

function parse(text: string | undefined): Tree | undefined {
  if (text === undefined) return undefined;
  try {
    return tomlMeaning(text);
  } catch {
    return undefined;
  }
}

export interface BallerinaPackage {
  org: string | undefined;
  name: string | undefined;
  version: string | undefined;
  /** The distribution the package is built with, e.g. 2201.13.1. */
  distribution: string | undefined;
}

/** Ballerina.toml's [package]; undefined when there is no Ballerina.toml or it does not parse. */
export function readPackage(text: string | undefined): BallerinaPackage | undefined {
  const t = parse(text);
  if (!t) return undefined;
  const pkg = isTree(t.package) ? t.package : {};
  return { org: str(pkg.org), name: str(pkg.name), version: str(pkg.version), distribution: str(pkg.distribution) };
}

export interface Dependency {
  org: string;
  name: string;
  version: string | undefined;
  /** Module names, e.g. `log` or `http.default` (the package's default module has the package's name). */
  modules: string[];
}

export interface Dependencies {
  /** [ballerina] distribution-version. */
  distribution: string | undefined;
  packages: Dependency[];
}

/** Dependencies.toml (what `bal build` resolved); undefined when absent or unreadable. */
export function readDependencies(text: string | undefined): Dependencies | undefined {
  const t = parse(text);
  if (!t) return undefined;
  const head = isTree(t.ballerina) ? t.ballerina : {};
  const list = Array.isArray(t.package) ? t.package.filter(isTree) : [];
  const packages = list.flatMap((p): Dependency[] => {
    const org = str(p.org);
    const name = str(p.name);
    if (!org || !name) return [];
    const declared = Array.isArray(p.modules) ? p.modules.filter(isTree).flatMap((m) => str(m.moduleName) ?? []) : [];
    return [{ org, name, version: str(p.version), modules: declared.length ? declared : [name] }];
  });
  return { distribution: str(head['distribution-version']), packages };
}

export function dependencyVersion(deps: Dependencies | undefined, org: string, name: string): string | undefined {
  return deps?.packages.find((p) => p.org === org && p.name === name)?.version;
}

/** True when `version` (e.g. 2201.9.2) is at least `from`; undefined when the version is unknown. */
export function atLeast(version: string | undefined, from: string): boolean | undefined {
  if (!version || !/^\d+(\.\d+)*/.test(version)) return undefined;
  return compareVersions(version.replace(/[-+].*$/, ''), from) >= 0;
}

/** The distribution that builds the project: Ballerina.toml first, else Dependencies.toml. */
export function distributionOf(pkg: BallerinaPackage | undefined, deps: Dependencies | undefined): string | undefined {
  return pkg?.distribution ?? deps?.distribution;
}

/** Evidence lines for `harden check`: package, distribution, and the ballerina/log version. */
export function projectEvidence(ballerinaToml: string | undefined, dependenciesToml: string | undefined): string[] {
  const out: string[] = [];
  const pkg = readPackage(ballerinaToml);
  if (ballerinaToml !== undefined) {
    const id = pkg?.org && pkg.name ? ` package ${pkg.org}/${pkg.name}${pkg.version ? ` ${pkg.version}` : ''}` : '';
    const dist = pkg?.distribution ? `${id ? ',' : ''} distribution ${pkg.distribution}` : '';
    out.push(`Ballerina.toml:${id}${dist}${!id && !dist ? ' (no [package] org/name/version)' : ''}: Ballerina / WSO2 Integrator: BI project`);
  }
  const deps = readDependencies(dependenciesToml);
  if (deps) {
    const log = dependencyVersion(deps, 'ballerina', 'log');
    const parts = [log ? `ballerina/log ${log}` : 'no ballerina/log', deps.distribution ? `distribution-version ${deps.distribution}` : undefined];
    out.push(`Dependencies.toml: ${parts.filter(Boolean).join(', ')}`);
  }
  return out;
}
