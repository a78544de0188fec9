// The programmatic entry that the CLI and the tests share: read a home, detect the product,
// plan the selected transforms, and write a verified plan.
import { CONTAINER_LIST, detectProduct, DETECTION_LIST, DETECTION_READ } from './engine/detect.js';
import { planFixes, type PlanResult } from './engine/plan.js';
import { defaultJdk, tlsPolicy, type Jdk, type ProfileName } from './engine/tls-profiles.js';
import type { Finding, ProductInfo, Transform } from './engine/types.js';
import { globToRegExp, InputError, type SourceFiles } from './engine/source-files.js';
import { xmlMeaning } from './formats/xml/semantic.js';
import { positionOf } from './formats/text.js';
import { tomlMeaning } from './formats/toml/semantic.js';
import { assertHome, HomeError, readHome, readHomeBytes, type HomeReader } from './io/read-home.js';
import { encodeFile } from './engine/encoding.js';
import { settleHome, writeFilesAtomically, type FileWrite, type WriteHooks } from './io/write-files.js';
import { listRuns, rollbackRun, type RollbackOptions, type RollbackResult } from './io/backups.js';
import { STATE_DIR, type Manifest } from './io/state.js';
import { ALL_TRANSFORMS } from '../transforms/index.js';
import { checkConfigRules, expiredWaiverFinding, isExpired, waiverFor, type HardenConfig } from './config.js';
import { selectionKey } from './engine/plan.js';

export { UsageError } from './errors.js';
import { UsageError } from './errors.js';

export interface RunRequest {
  home: string;
  only?: string[];
  skip?: string[];
  params?: Record<string, string>;
  profile?: ProfileName;
  jdk?: Jdk;
  transforms?: Transform[];
  /** Plan only these fixes (selectionKey: rule × file), as the interactive planner picks them. */
  selection?: ReadonlySet<string>;
  /** harden.toml's settings: its [params] go under `params`, its waivers mark findings "waived". */
  config?: HardenConfig;
  /** Today, for waivers' expiry (default: now). */
  now?: Date;
  /** Read the home from here instead of the directory `home` (a product archive: src/io/read-archive.ts); nothing is settled or written. */
  archive?: HomeReader;
}

export interface HomePlan extends PlanResult {
  home: string;
  files: SourceFiles;
  jdk: Jdk;
  profile: ProfileName;
  /** What harden did before planning: an interrupted run finished or reverted, a stale lock taken over. */
  notices: string[];
  /** The path patterns read or listed (detection's and the selected rules'); saved plans record which were absent. */
  patterns?: string[];
  /** HOME as an absolute URI when it is not a directory (a home inside an archive: jar:file:…!/…/). */
  homeUri?: string;
}

export function selectTransforms(all: Transform[], only: string[] = [], skip: string[] = []): Transform[] {
  const known = new Set(all.map((t) => t.id));
  for (const id of [...only, ...skip]) if (!known.has(id)) throw new UsageError(`unknown rule id "${id}" (harden knows: ${[...known].join(', ')})`);
  return all.filter((t) => (only.length === 0 || only.includes(t.id)) && !skip.includes(t.id));
}

/** Every --set must name a parameter of a selected rule (a typo or a skipped rule is a mistake) and be valid. */
export function validateParams(transforms: Transform[], params: Record<string, string>): void {
  const known = new Map(ALL_TRANSFORMS.flatMap((t) => t.params.map((p) => [p.name, p] as const)));
  const selected = new Set(transforms.flatMap((t) => t.params.map((p) => p.name)));
  for (const [name, value] of Object.entries(params)) {
    const spec = known.get(name);
    if (!spec) throw new UsageError(`unknown parameter "${name}" (known: ${[...known.keys()].join(', ')})`);
    if (!selected.has(name)) throw new UsageError(`--set ${name}: no selected rule uses this parameter (check --only/--skip)`);
    const why = spec.validate?.(value);
    if (why) throw new UsageError(`--set ${name}=${value}: ${why}`);
  }
}

/** The product in HOME, from the few files detection reads; writes nothing (for `harden rules`). */
export function detectHome(home: string): ProductInfo {
  assertHome(home);
  return probeHome((read, list, known) => readHome(home, read, list, known)).product;
}

/**
 * Detection's files and the product they show. Only a home without any product marker is looked through
 * for Dockerfiles (a folder of container builds), so a product home is never walked for them.
 */
function probeHome(read: (read: string[], list: string[], known?: SourceFiles) => SourceFiles): { probe: SourceFiles; product: ProductInfo } {
  let probe = read(DETECTION_READ, DETECTION_LIST);
  let product = detectProduct(probe);
  if (product.model === 'unknown') {
    probe = read([], CONTAINER_LIST, probe);
    product = detectProduct(probe);
  }
  return { probe, product };
}

export function planHome(req: RunRequest): HomePlan {
  // harden.toml's rule ids and [params] first, so that its mistakes name its keys.
  if (req.config) checkConfigRules(req.config, ALL_TRANSFORMS);
  const transforms = selectTransforms(req.transforms ?? ALL_TRANSFORMS, req.only, req.skip);
  validateParams(transforms, req.params ?? {});
  const params = { ...req.config?.params, ...req.params };
  const archive = req.archive;
  if (!archive) assertHome(req.home);
  // A run killed while writing this home is finished or reverted before anything is read.
  const notices: string[] = [];
  if (!archive) settleHome(req.home, { notify: (m) => notices.push(m) });
  const readFiles = (read: string[], list: string[], known?: SourceFiles, stat?: string[]): SourceFiles =>
    archive ? archive.read(read, list, known, stat) : readHome(req.home, read, list, known, stat);
  let files: SourceFiles | undefined;
  try {
    const { probe, product } = probeHome(readFiles);
    files = probe;
    assertProductHome(req.home, product);
    const globs = [...new Set(transforms.flatMap((t) => t.files(product)))];
    const statGlobs = [...new Set(transforms.flatMap((t) => t.stats?.(product) ?? []))];
    files = readFiles(globs, [], probe, statGlobs);
    assertWellFormed(files, globs);
    // Ballerina Swan Lake (2201.x) runs on Java 11 or later; the Carbon kernel rule does not apply to it.
    const jdk = req.jdk ?? (product.model === 'ballerina' ? 11 : defaultJdk(product.kernel));
    const profile = req.profile ?? 'intermediate';
    let policy;
    try {
      policy = tlsPolicy(profile, jdk);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const result = waived(req, planFixes(files, product, transforms, { policy, params, selection: req.selection }), (selection) =>
      planFixes(files!, product, transforms, { policy, params, selection }),
    );
    const secrets = secretValues(files);
    const findings = result.findings.map((f): Finding => (secrets.length ? { ...f, message: redact(f.message, secrets, false) } : f));
    return {
      ...result,
      findings,
      home: req.home,
      files,
      jdk,
      profile,
      notices,
      patterns: [...DETECTION_READ, ...DETECTION_LIST, ...globs, ...statGlobs],
      ...(archive?.uri ? { homeUri: archive.uri } : {}),
    };
  } catch (e) {
    // Error messages may quote a parser's view of the text; never let them carry a password.
    if (e instanceof InputError) {
      // The file's name and position stay as they are; only the reason is scrubbed.
      e.message = e.message.slice(0, e.message.length - e.reason.length) + redact(withoutQuotedInput(e.reason), files ? secretValues(files) : []);
    } else if (e instanceof Error) e.message = redact(withoutQuotedInput(e.message), files ? secretValues(files) : []);
    throw e;
  }
}

/**
 * Waivers from harden.toml: an open finding an unexpired waiver covers is "waived" and its fixes are not
 * planned (the plan is made again without them, through the planner's selection); an expired waiver is
 * a finding of its own (harden.waiver) and covers nothing.
 */
function waived(req: RunRequest, result: PlanResult, replan: (selection: ReadonlySet<string>) => PlanResult): PlanResult {
  const waivers = req.config?.waivers ?? [];
  if (!waivers.length) return result;
  const now = req.now ?? new Date();
  const live = waivers.filter((w) => !isExpired(w, now));
  const skipped = new Set(result.findings.filter((f) => f.status === 'fixable' && waiverFor(f, live)).map(selectionKey));
  if (skipped.size) {
    const keep = result.findings.map(selectionKey).filter((k) => !skipped.has(k) && (!req.selection || req.selection.has(k)));
    result = replan(new Set(keep));
  }
  const findings = result.findings.map((f): Finding => {
    const w = waiverFor(f, live);
    return w ? { ...f, status: 'waived', waiver: { reason: w.reason, owner: w.owner, expires: w.expires } } : f;
  });
  findings.push(...waivers.filter((w) => isExpired(w, now)).map(expiredWaiverFinding));
  return { ...result, findings };
}

/** A folder with no trace of a WSO2 product is a usage error, not "nothing to fix". */
function assertProductHome(home: string, product: ProductInfo): void {
  if (product.model !== 'unknown') return;
  throw new HomeError(
    `${home} is not a WSO2 product home: harden found no bin/version.txt naming a product, no repository/conf/ ` +
      `(Carbon 4.x, API Manager, Identity Server), no conf/ with carbon.xml or deployment.toml (EI, MI), no Ballerina.toml and no Dockerfile. ` +
      `Give the folder that holds bin/ and repository/ (or conf/)`,
  );
}

/**
 * Every declared configuration file must be usable before any transform looks at it: not empty, and
 * well-formed for the parser that judges its meaning (xml-js for XML, smol-toml for TOML), so that bad
 * input stops the run with the file, line and column instead of a fix refused half way.
 */
function assertWellFormed(files: SourceFiles, globs: string[]): void {
  const res = globs.map(globToRegExp);
  for (const path of files.paths().filter((p) => res.some((re) => re.test(p)))) {
    const f = files.get(path)!;
    // An empty TOML or properties file is a valid, empty configuration (a BI project's Config.toml may be one).
    const emptyIsValid = /\.(toml|properties)$/.test(path);
    if (f.text.length === 0 && !emptyIsValid) throw new InputError(path, `is empty${f.bom ? ' (a byte-order mark and nothing else)' : ''}, where harden expects a configuration file`);
    if (path.endsWith('.xml')) {
      files.xml(path); // the locator's own errors first: they name the element
      assertEntities(path, f.text);
      try {
        xmlMeaning(f.text);
      } catch (e) {
        const err = e as { reason?: string; line?: number; column?: number; message: string };
        throw new InputError(path, `malformed XML: ${err.reason ?? err.message}`, err.line || undefined, err.column || undefined);
      }
    } else if (path.endsWith('.toml')) {
      try {
        tomlMeaning(f.text);
      } catch (e) {
        const err = e as { reason?: string; line?: number; column?: number; message: string };
        throw new InputError(path, `malformed TOML: ${err.reason ?? err.message}`, err.line, err.column);
      }
    }
  }
}

/**
 * xml-js (sax) accepts HTML's entities (&eacute;, &nbsp;) in text and any entity inside an attribute
 * value, and the locator decodes what it does not know to nothing; an XML parser refuses both, and so
 * does harden: outside comments, CDATA, processing instructions and the DOCTYPE, every '&' must start
 * a character reference or one of XML's five entities (or one the DOCTYPE declares).
 */
const HTML_ENTITIES = new Set(['nbsp', 'copy', 'reg', 'trade', 'hellip', 'mdash', 'ndash', 'laquo', 'raquo', 'eacute', 'egrave', 'agrave', 'aacute', 'ccedil', 'auml', 'ouml', 'uuml', 'szlig', 'euro', 'deg', 'middot', 'bull']);

function assertEntities(path: string, text: string): void {
  const declared = new Set(['amp', 'lt', 'gt', 'quot', 'apos', ...[...text.matchAll(/<!ENTITY\s+([^\s%]+)/g)].map((m) => m[1]!)]);
  const skips: [string, string][] = [['<!--', '-->'], ['<![CDATA[', ']]>'], ['<?', '?>']];
  let pos = 0;
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const amp = text.indexOf('&', pos);
    if (amp === -1) return;
    if (lt !== -1 && lt < amp) {
      const skip = skips.find(([open]) => text.startsWith(open, lt));
      if (skip) {
        const close = text.indexOf(skip[1], lt + skip[0].length);
        pos = close === -1 ? text.length : close + skip[1].length;
      } else if (text.startsWith('<!DOCTYPE', lt)) {
        let depth = 0;
        for (pos = lt + 9; pos < text.length; pos++) {
          const c = text[pos];
          if (c === '[') depth++;
          else if (c === ']') depth--;
          else if (c === '>' && depth <= 0) break;
        }
        pos++;
      } else pos = lt + 1;
      continue;
    }
    const m = /^&([^;&<\s]*)(;?)/.exec(text.slice(amp, amp + 64))!;
    const name = m[1]!;
    if (!(m[2] === ';' && (/^#[0-9]+$|^#x[0-9a-fA-F]+$/.test(name) || declared.has(name)))) {
      const at = positionOf(text, amp);
      // The name is echoed only when it is one of HTML's (a likely mistake, never a secret's tail).
      const what = m[2] !== ';' ? "a bare '&' (write &amp;)" : HTML_ENTITIES.has(name) ? `undefined entity &${name}; (an HTML entity, not XML's)` : 'an undefined entity';
      throw new InputError(path, `malformed XML: ${what}`, at.line, at.column);
    }
    pos = amp + m[0].length;
  }
}

// Names under which configuration files keep secrets (passwords, keystore and truststore passwords,
// tokens, private and API keys, client secrets) end in one of these words: keystorePass, <Password>,
// ConnectionPassword, client_secret, -Djavax.net.ssl.trustStorePassword; token_endpoint does not.
// Every value of a TOML [secrets] table is one too.
const SECRET_NAME = /(?:pass(?:word|wd|phrase)?|secret|token|credentials?|(?:private|api|access|client|consumer|signing|encryption)[-_.]?key)["']?$/i;
// The passwords WSO2 ships (admin, wso2carbon) are published: scrubbing them would only mangle words such
// as "admin services" in messages, and a finding must be able to say a password is still the default.
// "password" is also the text Secure Vault leaves in an encrypted element (and a shipped placeholder in
// default.json): as a secret it would blank the word "password" out of every message.
const NOT_A_SECRET = /^(?:true|false|yes|no|on|off|null|none|admin|wso2carbon|password|)$/i;
const isReference = (v: string): boolean => /^\$(?:secret|env|sys|ref)?\{[^}]*\}$/.test(v) || /^\{\{.*\}\}$/.test(v);
const unquote = (v: string): string => v.trim().replace(/^(["'])([\s\S]*)\1$/, '$2').trim();

/** A key = value line's value: a quoted string, else up to a trailing comment. */
function valueOf(rest: string): string {
  const t = rest.trim();
  const q = t[0];
  if (q === '"' || q === "'") {
    const end = t.indexOf(q, 1);
    return end === -1 ? t.slice(1) : t.slice(1, end);
  }
  return t.replace(/\s#.*$/, '').replace(/\s*\\$/, '').trim();
}

/** The secret values written in a home's files, longest first, so that messages can be scrubbed of them. */
export function secretValues(files: SourceFiles): string[] {
  const found = new Set<string>();
  const add = (raw: string | undefined): void => {
    const v = unquote(raw ?? '');
    if (v.length >= 4 && !NOT_A_SECRET.test(v) && !isReference(v)) found.add(v);
  };
  // Each pattern starts only where a name starts and stops at its delimiter: linear on long lines.
  // Templates hold the product's own text, not an operator's secrets.
  for (const path of files.paths().filter((p) => !p.endsWith('.j2'))) {
    const text = files.get(path)!.text;
    if (path.endsWith('.json')) {
      // "keystore.primary.password": "…" (but not key-mappings.json's "a.password": "b.password").
      for (const m of text.matchAll(/"([^"\n]{1,200})"\s*:\s*"((?:[^"\\\n]|\\.)*)"/g)) {
        if (SECRET_NAME.test(m[1]!) && !SECRET_NAME.test(m[2]!)) add(m[2]);
      }
      continue;
    }
    for (const m of text.matchAll(/(?<![\w.:-])([\w.:-]+)\s*=\s*("[^"\n]*"|'[^'\n]*')/g)) if (SECRET_NAME.test(m[1]!)) add(m[2]);
    for (const m of text.matchAll(/<([\w.:-]+)(?:\s[^<>]*)?>([^<]*)<\/\1\s*>/g)) if (SECRET_NAME.test(m[1]!)) add(m[2]);
    for (const m of text.matchAll(/(?<![\w.-])-D([\w.-]+)=("[^"]*"|'[^']*'|[^\s"']+)/g)) if (SECRET_NAME.test(m[1]!)) add(m[2]);
    // Secure Vault's input file: every entry is a password, whatever its alias is called.
    const vaultText = /(^|\/)cipher-text\.properties$/.test(path);
    let inSecrets = false;
    for (const line of text.split('\n')) {
      const table = /^\s*\[([^\]]*)\]/.exec(line);
      if (table) {
        inSecrets = table[1]!.trim() === 'secrets';
        continue;
      }
      const kv = /^[ \t]*([\w.:"'-]+)[ \t]*=/.exec(line);
      if (kv && (inSecrets || vaultText || SECRET_NAME.test(kv[1]!))) {
        const v = valueOf(line.slice(kv[0].length));
        add(v);
        // "[plaintext]", the cipher tool's input form ([secrets], cipher-text.properties): the password inside too.
        const inner = /^\[([^\]]*)\]$/.exec(v.trim());
        if (inner) add(inner[1]);
      }
    }
  }
  return [...found].sort((a, b) => b.length - a.length);
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The text with every known secret value replaced by ********: whole (standing on its own, not inside
 * a longer word), and with `partial` (error messages) — for secrets of 12 characters or more — a start
 * or end of one of at least 8 characters, which is what a parser that quotes a truncated excerpt leaves.
 */
export function redact(text: string, secrets: readonly string[], partial = true): string {
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.replace(new RegExp(`(?<![A-Za-z0-9])${escapeRe(s)}(?![A-Za-z0-9])`, 'g'), '********');
    if (!partial || s.length < 12) continue;
    for (let n = s.length - 1; n >= 8; n--) {
      const head = s.slice(0, n);
      const tail = s.slice(s.length - n);
      if (out.includes(head)) out = out.split(head).join('********');
      if (out.includes(tail)) out = out.split(tail).join('********');
    }
  }
  return out;
}

/** V8 quotes the JSON text it could not parse ('Unexpected token 'x', "…" is not valid JSON'): never print it. */
function withoutQuotedInput(message: string): string {
  return message.replace(/, ".*?"(?:\.\.\.)? is not valid JSON/gs, ' (the text is not repeated here) is not valid JSON');
}

export interface ApplyOptions extends WriteHooks {
  /** Keep the original bytes under HOME/.harden/backups/<run-id>/ for `harden rollback` (default true). */
  backup?: boolean;
}

/**
 * Writes every planned change, all or nothing: refused before anything is written when a target is a
 * link, read-only, or changed since it was planned; journalled so that a killed run is finished or
 * reverted by the next one; backed up for `harden rollback` unless `backup` is false.
 */
export function applyPlan(plan: HomePlan, options: ApplyOptions = {}): string[] {
  for (const n of plan.notices ?? []) options.notify?.(n);
  const writes = plan.changes.map((c): FileWrite => {
    const file = plan.files.get(c.path);
    // A file harden only knows the mode of (a keystore) keeps the bytes it holds; only its mode changes.
    const [bytes, expected] = file ? [encodeFile(file, c.after), encodeFile(file, c.before)] : Array(2).fill(readHomeBytes(plan.home, c.path));
    return { path: c.path, bytes, expected, ...(c.mode ? { mode: c.mode } : {}) };
  });
  const result = writeFilesAtomically(plan.home, writes, {
    ...options,
    kind: 'fix',
    rules: [...new Set(plan.changes.flatMap((c) => c.rules))],
  });
  if (result.runId) options.notify?.(`the original files are kept in ${STATE_DIR}/backups/${result.runId}; harden rollback puts them back`);
  return result.written;
}

export type { Manifest as RunRecord, RollbackOptions, RollbackResult };

/** The runs harden recorded in a home, newest first. */
export function runHistory(home: string, hooks: WriteHooks = {}): Manifest[] {
  return listRuns(home, hooks);
}

/** Puts back what a run (default: the latest fix) changed; see io/backups.ts. */
export function rollback(home: string, options: RollbackOptions = {}): RollbackResult {
  return rollbackRun(home, options);
}
