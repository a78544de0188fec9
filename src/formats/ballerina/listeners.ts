// The HTTP listeners of a Ballerina project as written in its sources: where each is declared, and where its
// configuration comes from — literals in the code, configurable variables (values in Config.toml, else the
// default in the code), or the http module's default listener (configured only in Config.toml).
import { newExpressions, scanBal, type BalFile, type Declaration, type Expr } from './scan.js';
import { positionOf } from '../text.js';

/** A module of the project: the root (default) module, or `modules/<name>`. */
export type ModuleName = string | undefined;

export interface BalSource {
  path: string;
  text: string;
}

export interface ScannedFile extends BalFile {
  path: string;
  module: ModuleName;
}

/** Which module a source file belongs to: `*.bal` at the root, or `modules/<name>/*.bal`. */
export function moduleOf(path: string): ModuleName | null {
  if (/^[^/]+\.bal$/.test(path)) return undefined;
  const m = /^modules\/([^/]+)\/[^/]+\.bal$/.exec(path);
  return m ? m[1]! : null;
}

export function scanProject(sources: readonly BalSource[]): ScannedFile[] {
  return sources.flatMap((s) => {
    const module = moduleOf(s.path);
    return module === null ? [] : [{ ...scanBal(s.text), path: s.path, module }];
  });
}

/** A value as the program would see it, as far as the sources tell. */
export type Resolved =
  | { kind: 'absent' }
  | { kind: 'literal'; expr: Expr }
  /** A configurable variable: its value comes from Config.toml, else from `decl.init`. */
  | { kind: 'configurable'; decl: Declaration; module: ModuleName; file: string }
  | { kind: 'unknown'; why: string };

/** Follows a name to its declaration in the same module (at most a few steps); literals stay literals. */
export function resolve(files: readonly ScannedFile[], module: ModuleName, expr: Expr | undefined, depth = 0): Resolved {
  if (!expr) return { kind: 'absent' };
  if (expr.kind === 'record' || expr.kind === 'list' || expr.kind === 'string' || expr.kind === 'number') return { kind: 'literal', expr };
  if (expr.kind === 'ref' && !expr.name.includes(':') && depth < 4) {
    for (const f of files.filter((x) => x.module === module)) {
      const decl = f.declarations.find((d) => d.name === expr.name);
      if (!decl) continue;
      if (decl.configurable) return { kind: 'configurable', decl, module, file: f.path };
      if (decl.init) return resolve(files, module, decl.init, depth + 1);
    }
    return { kind: 'unknown', why: `the value of ${expr.name} is not visible in the sources` };
  }
  if (expr.kind === 'ref') return { kind: 'unknown', why: `${expr.name} is defined outside the project` };
  return { kind: 'unknown', why: 'the value is computed at run time' };
}

export interface ListenerSite {
  file: string;
  line: number;
  /** The declared name, e.g. `ep`, or a description for an anonymous `service on new http:Listener(…)`. */
  label: string;
  module: ModuleName;
  /**
   * Where the ListenerConfiguration comes from: literal fields (record literal and named arguments), a
   * configurable record (Config.toml), the http module's default listener (Config.toml path), or unknown.
   */
  config:
    | { kind: 'fields'; fields: Map<string, Expr> }
    | { kind: 'configurable'; decl: Declaration; module: ModuleName; file: string }
    | { kind: 'config-path'; path: string[]; via: string }
    | { kind: 'unknown'; why: string };
}

const httpPrefixes = (f: BalFile): string[] => f.imports.filter((i) => i.module === 'ballerina/http').map((i) => i.prefix);
const defaultModulePrefixes = (f: BalFile): string[] => f.imports.filter((i) => i.module === 'ballerina/http.default').map((i) => i.prefix);

/** The http module's own listener: `http:getDefaultListener()`, configured under [ballerina.http]. */
export const DEFAULT_LISTENER_CONFIG = ['ballerina', 'http', 'defaultListenerConfig'];
/** `ballerina/http.default`'s `default:httpListener`, configured under [ballerina.http.default]. */
export const DEFAULT_MODULE_LISTENER_CONFIG = ['ballerina', 'http', 'default', 'listenerConfig'];

/** Every HTTP listener the project's sources create. */
export function httpListeners(files: readonly ScannedFile[]): ListenerSite[] {
  const out: ListenerSite[] = [];
  const seenDefault = new Set<string>();
  for (const f of files) {
    const http = httpPrefixes(f);
    const line = (offset: number): number => positionOf(f.text, offset).line;
    if (http.length) {
      for (const { expr, declaration } of newExpressions(f)) {
        const typed = (t: string | undefined): boolean => !!t && http.some((p) => t === `${p}:Listener` || t.replace(/\s+/g, '') === `${p}:Listener`);
        if (!(typed(expr.type) || (expr.type === undefined && declaration && typed(declaration.type)))) continue;
        out.push({
          file: f.path,
          line: line(expr.start),
          label: declaration ? `listener ${declaration.name}` : `anonymous listener at ${f.path}:${line(expr.start)}`,
          module: f.module,
          config: listenerConfig(files, f.module, expr.args),
        });
      }
      f.tokens.forEach((t, i) => {
        if (t.kind !== 'ident' || !http.includes(t.value) || f.tokens[i + 1]?.text !== ':' || f.tokens[i + 2]?.value !== 'getDefaultListener') return;
        if (seenDefault.has('http')) return;
        seenDefault.add('http');
        out.push({ file: f.path, line: line(t.start), label: 'the default listener (http:getDefaultListener())', module: f.module, config: { kind: 'config-path', path: DEFAULT_LISTENER_CONFIG, via: 'http:getDefaultListener()' } });
      });
    }
    const dflt = defaultModulePrefixes(f);
    f.tokens.forEach((t, i) => {
      if (t.kind !== 'ident' || !dflt.includes(t.value) || f.tokens[i + 1]?.text !== ':' || f.tokens[i + 2]?.value !== 'httpListener') return;
      if (seenDefault.has('default')) return;
      seenDefault.add('default');
      out.push({ file: f.path, line: line(t.start), label: 'the default listener of ballerina/http.default', module: f.module, config: { kind: 'config-path', path: DEFAULT_MODULE_LISTENER_CONFIG, via: `${t.value}:httpListener` } });
    });
  }
  return out;
}

/** `new (port, config)`, `new (port, config = {...})`, `new (port, secureSocket = …, host = …)`. */
function listenerConfig(files: readonly ScannedFile[], module: ModuleName, args: { name: string | undefined; value: Expr }[]): ListenerSite['config'] {
  const positional = args.filter((a) => a.name === undefined);
  const named = args.filter((a) => a.name !== undefined && a.name !== 'port' && a.name !== 'config');
  const configArg = args.find((a) => a.name === 'config')?.value ?? positional[1]?.value;
  const fields = new Map<string, Expr>();
  if (configArg) {
    const r = resolve(files, module, configArg);
    if (r.kind === 'configurable') return named.length ? { kind: 'unknown', why: 'its configuration mixes a configurable record with arguments' } : r;
    if (r.kind === 'unknown') return r;
    if (r.kind === 'literal') {
      if (r.expr.kind !== 'record') return { kind: 'unknown', why: 'its configuration is not a record' };
      for (const fl of r.expr.fields) fields.set(fl.name, fl.value);
    }
  }
  for (const a of named) fields.set(a.name!, a.value);
  return { kind: 'fields', fields };
}
