// harden.toml: the settings a team keeps beside a home (profile, jdk, only, skip, [params]) and its
// [[waivers]]. Pure: src/io/config-file.ts reads the file; this module parses and validates it, naming
// the key of every mistake; src/cli/options.ts merges it under the flags.
import { parse, TomlDate } from 'smol-toml';
import { JDKS, PROFILES, type Jdk, type ProfileName } from './engine/tls-profiles.js';
import type { Finding, TransformMeta } from './engine/types.js';
import { UsageError } from './errors.js';

export const CONFIG_FILE_NAME = 'harden.toml';

export interface Waiver {
  rule: string;
  /** HOME-relative path or glob ('*' within one path segment); absent: every file of the rule. */
  file?: string;
  reason: string;
  owner: string;
  /** The last day the waiver holds, as YYYY-MM-DD. */
  expires: string;
}

export interface HardenConfig {
  /** Where the settings came from, for messages. */
  source: string;
  profile?: ProfileName;
  jdk?: Jdk;
  only?: string[];
  skip?: string[];
  params: Record<string, string>;
  waivers: Waiver[];
}

const TOP_KEYS = ['profile', 'jdk', 'only', 'skip', 'params', 'waivers'];
const WAIVER_KEYS = ['rule', 'file', 'reason', 'owner', 'expires'];

const typeOf = (v: unknown): string =>
  v instanceof TomlDate ? 'a date' : Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v === 'object' ? 'a table' : `a ${typeof v}`;

/** Parses and checks a harden.toml's text; every error names the file and the key. */
export function parseConfig(text: string, source: string): HardenConfig {
  const bad = (key: string, why: string): UsageError => new UsageError(`${source}: ${key}: ${why}`);
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    const err = e as { line?: number; column?: number; message: string };
    const firstLine = err.message.split('\n')[0];
    throw new UsageError(`${source}: malformed TOML${err.line ? ` at line ${err.line}` : ''}: ${firstLine}`);
  }
  for (const key of Object.keys(doc)) if (!TOP_KEYS.includes(key)) throw bad(key, `unknown key (harden.toml knows: ${TOP_KEYS.join(', ')})`);
  const config: HardenConfig = { source, params: {}, waivers: [] };
  if (doc.profile !== undefined) {
    if (typeof doc.profile !== 'string' || !(PROFILES as string[]).includes(doc.profile)) throw bad('profile', `must be one of ${PROFILES.join(', ')} (got ${show(doc.profile)})`);
    config.profile = doc.profile as ProfileName;
  }
  if (doc.jdk !== undefined) {
    const v = doc.jdk;
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number' || !(JDKS as number[]).includes(n)) throw bad('jdk', `must be one of ${JDKS.join(', ')} as an integer (got ${show(v)})`);
    config.jdk = n as Jdk;
  }
  for (const key of ['only', 'skip'] as const) {
    const v = doc[key];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw bad(key, `must be an array of rule ids (strings), got ${typeOf(v)}`);
    config[key] = v as string[];
  }
  if (doc.params !== undefined) {
    const p = doc.params;
    if (typeof p !== 'object' || p === null || Array.isArray(p) || p instanceof TomlDate) throw bad('params', `must be a table ([params]), got ${typeOf(p)}`);
    for (const [name, value] of Object.entries(p)) {
      if (typeof value === 'string') config.params[name] = value;
      else if ((typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint') config.params[name] = String(value);
      else throw bad(`params.${name}`, `must be a string or an integer, got ${typeOf(value)}`);
    }
  }
  if (doc.waivers !== undefined) {
    if (!Array.isArray(doc.waivers)) throw bad('waivers', `must be an array of tables ([[waivers]]), got ${typeOf(doc.waivers)}`);
    doc.waivers.forEach((w: unknown, i: number) => {
      const at = `waivers[${i}]`;
      if (typeof w !== 'object' || w === null || Array.isArray(w) || w instanceof TomlDate) throw bad(at, `must be a table ([[waivers]]), got ${typeOf(w)}`);
      const t = w as Record<string, unknown>;
      for (const key of Object.keys(t)) if (!WAIVER_KEYS.includes(key)) throw bad(`${at}.${key}`, `unknown key (a waiver knows: ${WAIVER_KEYS.join(', ')})`);
      const str = (key: string, required: boolean): string | undefined => {
        const v = t[key];
        if (v === undefined) {
          if (required) throw bad(`${at}.${key}`, 'is required');
          return undefined;
        }
        if (typeof v !== 'string' || !v.trim()) throw bad(`${at}.${key}`, `must be a non-empty string, got ${typeOf(v)}`);
        return v;
      };
      const rule = str('rule', true)!;
      const file = str('file', false);
      const reason = str('reason', true)!;
      const owner = str('owner', true)!;
      const e = t.expires;
      if (e === undefined) throw bad(`${at}.expires`, 'is required (a TOML date, e.g. 2027-01-31)');
      if (!(e instanceof TomlDate) || !e.isDate() || Number.isNaN(e.getTime())) throw bad(`${at}.expires`, `must be a TOML date like 2027-01-31 (unquoted), got ${typeOf(e)}`);
      config.waivers.push({ rule, ...(file !== undefined ? { file } : {}), reason, owner, expires: e.toISOString() });
    });
  }
  return config;
}

const show = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : typeOf(v));

/** Checks the rule ids and parameters a config names against the rules harden knows. */
export function checkConfigRules(config: HardenConfig, rules: readonly TransformMeta[]): void {
  const bad = (key: string, why: string): UsageError => new UsageError(`${config.source}: ${key}: ${why}`);
  const known = new Set(rules.map((r) => r.id));
  const knownList = [...known].join(', ');
  for (const key of ['only', 'skip'] as const)
    for (const id of config[key] ?? []) if (!known.has(id)) throw bad(key, `unknown rule id "${id}" (harden knows: ${knownList})`);
  const specs = new Map(rules.flatMap((r) => r.params.map((p) => [p.name, p] as const)));
  for (const [name, value] of Object.entries(config.params)) {
    const spec = specs.get(name);
    if (!spec) throw bad(`params.${name}`, `unknown parameter (known: ${[...specs.keys()].join(', ')})`);
    const why = spec.validate?.(value);
    if (why) throw bad(`params.${name}`, `${value}: ${why}`);
  }
  config.waivers.forEach((w, i) => {
    if (!known.has(w.rule)) throw bad(`waivers[${i}].rule`, `unknown rule id "${w.rule}" (harden knows: ${knownList})`);
  });
}

/** A waiver holds through its expiry day (compared in UTC). */
export function isExpired(w: Waiver, now: Date): boolean {
  return w.expires < now.toISOString().slice(0, 10);
}

/** '*' matches within one path segment, as in the rules' own file globs (engine/source-files.ts). */
function globMatches(glob: string, path: string): boolean {
  const body = glob
    .split('/')
    .map((seg) => seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('/');
  return new RegExp(`^${body}$`).test(path);
}

/** Statuses a waiver can cover: those that would otherwise keep a home from being clean, bar harden's own errors. */
const WAIVABLE = new Set(['fixable', 'needs-input', 'manual']);

export function waiverFor(f: Pick<Finding, 'ruleId' | 'file' | 'status'>, waivers: readonly Waiver[]): Waiver | undefined {
  if (!WAIVABLE.has(f.status)) return undefined;
  return waivers.find((w) => w.rule === f.ruleId && (w.file === undefined || (f.file !== undefined && globMatches(w.file, f.file))));
}

/** The finding an expired waiver is reported as. */
export function expiredWaiverFinding(w: Waiver): Finding {
  return {
    ruleId: 'harden.waiver',
    severity: 'medium',
    status: 'manual',
    message: `the waiver for ${w.rule}${w.file ? ` on ${w.file}` : ''} (owner ${w.owner}) expired on ${w.expires}: renew it in harden.toml or fix the finding`,
  };
}
