// How Ballerina reads Config.toml (RULES.md §2.25): which table is a module and which a record configurable,
// which keys hold secrets, and the environment variable the runtime (EnvVarProvider, 2201.9.0+) would read
// for a configurable instead: BAL_CONFIG_VAR_ + org_module_variable | module_variable | variable, every '.'
// replaced by '_', upper-cased as written (no camelCase splitting).
import type { BallerinaPackage, Dependencies } from './project.js';

/** The words of a key: `sheetsAccessToken` → sheets, access, token; `githubPAT` → github, pat; `client_secret`. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const SECRET_LAST = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'token', 'pat', 'credential', 'credentials', 'apikey', 'privatekey', 'secretkey']);
const KEY_QUALIFIERS = new Set(['api', 'secret', 'private', 'access', 'signing', 'encryption', 'client', 'consumer', 'subscription', 'master', 'shared', 'auth', 'app']);

/**
 * A key whose value is a secret, judged by its last word: password, secret, token, apiKey, clientSecret,
 * githubPAT, keyStorePassword — but not tokenUrl, passwordPolicy, keyFile or username.
 */
export function isSecretKey(key: string): boolean {
  const words = keyWords(key);
  const last = words.at(-1);
  if (!last) return false;
  if (SECRET_LAST.has(last)) return true;
  return last === 'key' && KEY_QUALIFIERS.has(words.at(-2) ?? '');
}

/** A value that only stands for one: `<GitHub personal access token>`, `[PASSWORD]`. */
export function isPlaceholder(value: string): boolean {
  return /^\s*(<[^<>]*>|\[[^[\]]*\])\s*$/.test(value);
}

const LINE_KEYS = /(?:^|[{,])\s*((?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*'))*)\s*=/g;

/** A Config.toml line that sets a secret-named key (also inside an inline table): its value must not be shown. */
export function isSecretConfigLine(line: string): boolean {
  if (/^\s*(#|\[)/.test(line)) return false;
  for (const m of line.matchAll(LINE_KEYS)) {
    const last = m[1]!.split('.').at(-1)!.trim().replace(/^["']|["']$/g, '');
    if (isSecretKey(last)) return true;
  }
  return false;
}

/** The environment variable for the configurable `key` of the module written as `modulePath` in Config.toml. */
export function envVarName(modulePath: readonly string[], key: string): string | undefined {
  const parts = [...modulePath, key];
  if (!parts.every((p) => /^[A-Za-z0-9_.]+$/.test(p))) return undefined;
  return `BAL_CONFIG_VAR_${parts.join('_').replace(/\./g, '_').toUpperCase()}`;
}

export interface ProjectInfo {
  pkg: BallerinaPackage | undefined;
  deps: Dependencies | undefined;
  /** Names of modules/<name>/ directories. */
  submodules: string[];
}

/** Config.toml table paths that name a module of the program (root module: also top-level keys). */
export function moduleTables(info: ProjectInfo): string[][] {
  const out: string[][] = [];
  const { org, name } = info.pkg ?? {};
  if (name) {
    if (org) out.push([org, name]);
    out.push([name]);
    for (const sub of info.submodules) {
      if (org) out.push([org, name, sub]);
      out.push([name, sub]);
    }
  }
  for (const p of info.deps?.packages ?? []) for (const m of p.modules) out.push([p.org, ...m.split('.')]);
  return out;
}

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);
const isPrefix = (p: readonly string[], of: readonly string[]): boolean => p.length < of.length && p.every((s, i) => s === of[i]);
const STDLIB_ORGS = new Set(['ballerina', 'ballerinax']);

export type KeyKind =
  /** A configurable variable of a simple type: an environment variable can carry it. */
  | { kind: 'variable'; module: string[]; env: string | undefined }
  /** Part of a structured configurable (record, map, array, table): environment variables cannot carry it. */
  | { kind: 'structured'; why: string }
  | { kind: 'unknown'; why: string };

/**
 * What a key of Config.toml is, from its full path (header, dotted key, inline-table nesting; array-of-tables
 * elements appear as their index) and how it is written.
 */
export function classifyKey(info: ProjectInfo, path: readonly string[], where: { inline: boolean; arrayTable: boolean }): KeyKind {
  const key = path.at(-1)!;
  const modulePath = path.slice(0, -1);
  const named = modulePath.filter((s) => !/^\d+$/.test(s)).join('.');
  if (where.arrayTable || modulePath.some((s) => /^\d+$/.test(s))) {
    return { kind: 'structured', why: `it is a field of an element of the array of records ${where.arrayTable ? `[[${named}]]` : named}` };
  }
  if (where.inline) return { kind: 'structured', why: `it is a field inside the inline table ${named} (a record or map configurable)` };
  const variable = (): KeyKind => ({ kind: 'variable', module: modulePath, env: envVarName(modulePath, key) });
  if (modulePath.length === 0) return variable();
  const known = moduleTables(info);
  if (known.some((m) => same(m, modulePath))) return variable();
  const owner = known.filter((m) => isPrefix(m, modulePath)).sort((a, b) => b.length - a.length)[0];
  if (owner) return { kind: 'structured', why: `it is a field of the record configurable ${modulePath.slice(owner.length).join('.')} of module ${owner.join('.')}` };
  if (info.deps) {
    // Dependencies.toml lists every module of the program: a table that is none of them belongs to a record.
    return { kind: 'structured', why: `it is a field of the record configurable ${named}` };
  }
  if (STDLIB_ORGS.has(modulePath[0]!)) {
    // A library's default module is [org.package]; a third segment may still be a sub-module (http.default).
    if (modulePath.length === 2) return variable();
    if (modulePath.length > 3) return { kind: 'structured', why: `it is a field of the record configurable ${modulePath.slice(2).join('.')} of module ${modulePath.slice(0, 2).join('.')}` };
  }
  if (info.pkg?.name && modulePath.length === 1) return { kind: 'structured', why: `it is a field of the record configurable ${modulePath[0]} of the root module` };
  return {
    kind: 'unknown',
    why: `harden cannot tell whether [${named}] is a module or a record configurable${info.pkg?.name ? '' : ' without Ballerina.toml'} (Dependencies.toml, which lists every module, is not here)`,
  };
}

/** Config.toml paths where a configurable `name` of a module may be written, preferred (for new keys) first. */
export function configurablePaths(info: ProjectInfo, module: string | undefined, name: string): string[][] {
  const { org, name: pkg } = info.pkg ?? {};
  if (module === undefined) return [[name], ...(pkg && org ? [[org, pkg, name]] : []), ...(pkg ? [[pkg, name]] : [])];
  return [...(pkg && org ? [[org, pkg, module, name]] : []), ...(pkg ? [[pkg, module, name]] : [])];
}
