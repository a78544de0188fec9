// Unified diffs that `patch -p1` and `git apply` accept inside HOME. Lines that carry a secret are
// never printed: as context they are left out (the hunk is split there, which patch accepts), and
// a changed secret line shows that it changed, not its value. A secret is a value under a name that
// says so (keystorePass, <Password>, password = …, -D…Password=…, <parameter name="…Password">), any
// entry of a deployment.toml [secrets] table, or any entry of Secure Vault's cipher-text.properties.
import { structuredPatch } from 'diff';
import { isSecretConfigLine } from '../formats/ballerina/config.js';

const MASK = '********';
// References name where a secret lives, not the secret itself.
const isReference = (v: string): boolean => /^\s*\$(?:secret|env|sys|ref)?\{[^}]*\}\s*$/.test(v) || v.trim() === '';
/** A name that says it holds a secret: keystorePass, Password, client_secret, access-token, privateKey. */
const SECRET_WORD = /pass(?:word|wd|phrase)?|secret|token|private[-_.]?key|credential/i;
const secretName = (name: string): boolean => SECRET_WORD.test(name);

// Every pattern matches a whole name (it cannot start inside one) and tests the name in code, so each
// runs in time linear in the line: a nested (name-part)*keyword(name-part)* pattern took minutes on a
// 20 000-character line of dotted names.
const NAME_RUN = String.raw`[\w.:'"-]+`;
const ATTR = new RegExp(String.raw`(?<![\w.:'"-])(${NAME_RUN})(\s*=\s*)(["'])([^"']*)\3`, 'g');
// name=value without quotes anywhere on a line (a comment's "token=…", a properties-style line).
const BARE = new RegExp(String.raw`(?<![\w.:'"-])(${NAME_RUN})(\s*=)([^\s"'<>=]+)`, 'g');
const ELEMENT = /<([\w.:-]+)(\s[^<>]*)?>([^<]*)<\/\1\s*>/g;
const NAME_ATTR = /\bname\s*=\s*(["'])([^"']*)\1/;
const KEY_VALUE = new RegExp(String.raw`^(\s*)(${NAME_RUN})(\s*[=:]\s*)([\s\S]*)$`);
// A JVM flag anywhere on a line: -Djavax.net.ssl.trustStorePassword=… in a java command or a .bat's one long line.
const FLAG = /(?<![\w.-])-D([\w.-]+)=("[^"]*"|'[^']*'|[^\s"']+)/g;

/** The line with every secret value masked; unchanged when it carries none. */
export function maskSecrets(line: string): string {
  let out = line
    .replace(FLAG, (m, name: string, v: string) => (secretName(name) && !isReference(v.replace(/^["']|["']$/g, '')) ? `-D${name}=${MASK}` : m))
    .replace(ATTR, (m, name: string, eq: string, q: string, v: string) => (secretName(name) && !isReference(v) ? `${name}${eq}${q}${MASK}${q}` : m))
    .replace(BARE, (m, name: string, eq: string, v: string) => (secretName(name) && !isReference(v) && !v.startsWith(MASK) ? `${name}${eq}${MASK}` : m))
    .replace(ELEMENT, (m, name: string, attrs: string | undefined, v: string) => {
      // <Password>…</Password>, and <parameter name="truststorePassword">…</parameter>.
      const named = attrs ? NAME_ATTR.exec(attrs)?.[2] : undefined;
      if (!(secretName(name) || (named !== undefined && secretName(named))) || isReference(v)) return m;
      return `<${name}${attrs ?? ''}>${MASK}</${m.slice(m.lastIndexOf('</') + 2)}`;
    });
  const kv = KEY_VALUE.exec(out);
  if (kv && secretName(kv[2]!)) {
    const value = kv[4]!.trimEnd();
    if (/^[^\s"'<>]/.test(value) && !isReference(value) && !value.startsWith(MASK)) out = `${kv[1]}${kv[2]}${kv[3]}${MASK}${out.endsWith('\r') ? '\r' : ''}`;
  }
  return out;
}

export function looksSecret(line: string): boolean {
  return maskSecrets(line) !== line;
}

/**
 * A key line of a TOML [secrets] table or of cipher-text.properties (every value there is a secret, whatever
 * its key is called), masked. A CRLF line keeps its '\r' ('.' stops before it, so it is matched on its own).
 */
function maskSecretsEntry(line: string): string {
  const eq = /^(\s*[^=#\s][^=#]*=\s*)(.*?)(\r?)$/.exec(line);
  return eq && !isReference(eq[2]!.replace(/^["']|["']\s*$/g, '')) ? `${eq[1]}${MASK}${eq[3]}` : line;
}

/**
 * 1-based numbers of the key lines inside [secrets] tables of a TOML text, and in a Ballerina Config.toml
 * every line that sets a secret-named key (apiKey, githubPAT, … which the generic patterns do not know).
 */
function secretsTableLines(text: string, ballerinaConfig = false): Set<number> {
  const out = new Set<number>();
  if (ballerinaConfig) text.split('\n').forEach((line, i) => isSecretConfigLine(line) && out.add(i + 1));
  let inSecrets = false;
  text.split('\n').forEach((line, i) => {
    const table = /^\s*\[([^\]]*)\]/.exec(line);
    if (table) inSecrets = table[1]!.trim() === 'secrets';
    else if (inSecrets && /^\s*[^=#\s][^=#]*=/.test(line)) out.add(i + 1);
  });
  return out;
}

/** 1-based numbers of the lines of a .properties text that hold an entry (not blank, not a # or ! comment). */
function propertiesEntryLines(text: string): Set<number> {
  const out = new Set<number>();
  text.split('\n').forEach((line, i) => /^[ \t\f]*[^#!\s]/.test(line) && out.add(i + 1));
  return out;
}

interface Hunk {
  oldStart: number;
  newStart: number;
  lines: string[];
}

/** Splits a hunk at secret context lines, dropping them and any piece left without a change. */
function splitAtSecrets(
  h: { oldStart: number; newStart: number; lines: string[] },
  secretOld: ReadonlySet<number>,
  secretNew: ReadonlySet<number>,
  /** A file whose lines never hold a secret by its format (cipher-tool.properties): only `secretOld/New` count. */
  plain = false,
): { hunks: Hunk[]; redacted: boolean } {
  const out: Hunk[] = [];
  let redacted = false;
  let oldNo = h.oldStart;
  let newNo = h.newStart;
  let cur: Hunk = { oldStart: oldNo, newStart: newNo, lines: [] };
  const flush = (): void => {
    if (cur.lines.some((l) => l[0] === '+' || l[0] === '-')) out.push(cur);
  };
  let dropped = false;
  for (const line of h.lines) {
    const kind = line[0];
    const entry = kind === '+' ? secretNew.has(newNo) : secretOld.has(oldNo);
    const secret = entry || (!plain && looksSecret(line));
    if (kind === ' ' && secret) {
      dropped = true;
      flush();
      oldNo++;
      newNo++;
      cur = { oldStart: oldNo, newStart: newNo, lines: [] };
      continue;
    }
    if ((kind === '+' || kind === '-') && secret) {
      const masked = maskSecrets(line.slice(1));
      cur.lines.push(kind + (entry ? maskSecretsEntry(masked) : masked));
      redacted = true;
    } else cur.lines.push(line);
    if (kind === ' ' || kind === '-') oldNo++;
    if (kind === ' ' || kind === '+') newNo++;
  }
  flush();
  return { hunks: dropped ? out.map(symmetric) : out, redacted };
}

/**
 * The hunk with as much context after its changes as before them. GNU patch reads a hunk with less
 * trailing than leading context as one that ends the file (and the reverse as one that starts it), so
 * a piece cut short by a dropped secret line would fail to apply (or apply with fuzz): trim the
 * longer side. A "\ No newline at end of file" marker stays with the line it follows.
 */
function symmetric(h: Hunk): Hunk {
  const units: string[][] = [];
  for (const line of h.lines) {
    if (line[0] === '\\' && units.length) units[units.length - 1]!.push(line);
    else units.push([line]);
  }
  const isContext = (u: string[]): boolean => u[0]![0] === ' ';
  let lead = 0;
  while (lead < units.length && isContext(units[lead]!)) lead++;
  let trail = 0;
  while (trail < units.length - lead && isContext(units[units.length - 1 - trail]!)) trail++;
  const keep = Math.min(lead, trail);
  const cutFront = lead - keep;
  const kept = units.slice(cutFront, units.length - (trail - keep));
  return { oldStart: h.oldStart + cutFront, newStart: h.newStart + cutFront, lines: kept.flat() };
}

function header(h: Hunk): string {
  const count = (k: string): number => h.lines.filter((l) => l[0] === ' ' || l[0] === k).length;
  const oldCount = count('-');
  const newCount = count('+');
  // An empty side names the line before the change, as unified diffs do.
  const range = (start: number, n: number): string => (n === 0 ? `${start - 1},0` : n === 1 ? `${start}` : `${start},${n}`);
  return `@@ -${range(h.oldStart, oldCount)} +${range(h.newStart, newCount)} @@`;
}

export interface FileDiff {
  path: string;
  text: string;
  /** True when a changed line was masked, so the diff shows the change but cannot be applied as a patch. */
  redacted: boolean;
}

export function unifiedDiff(path: string, before: string, after: string, context = 3): FileDiff {
  const patch = structuredPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context });
  const hunks: Hunk[] = [];
  let redacted = false;
  const toml = path.endsWith('.toml');
  const ballerinaConfig = /(^|\/)Config\.toml$/.test(path);
  // Secure Vault's files: every cipher-text.properties entry is a secret ([plaintext] or ciphertext) whatever
  // its alias is called; cipher-tool.properties maps aliases to XPaths and holds none, though its keys end in Password.
  const vaultText = /(^|\/)cipher-text\.properties$/.test(path);
  const vaultMap = /(^|\/)cipher-tool\.properties$/.test(path);
  const secretLines = (text: string): Set<number> => (toml ? secretsTableLines(text, ballerinaConfig) : vaultText ? propertiesEntryLines(text) : new Set<number>());
  const secretOld = secretLines(before);
  const secretNew = secretLines(after);
  for (const h of patch.hunks) {
    const split = splitAtSecrets(h, secretOld, secretNew, vaultMap);
    hunks.push(...split.hunks);
    redacted ||= split.redacted;
  }
  if (hunks.length === 0) return { path, text: '', redacted };
  const body = hunks.map((h) => [header(h), ...h.lines].join('\n')).join('\n');
  return { path, text: `--- a/${path}\n+++ b/${path}\n${body}\n`, redacted };
}

/** `100644`: a regular file's mode as git writes it in a diff header. */
const gitMode = (mode: number): string => (0o100000 | (mode & 0o7777)).toString(8);

/**
 * The diff of one planned change: its text diff, under a git header with `old mode`/`new mode` lines when
 * the file's permissions change too (GNU patch 2.7+ applies them; git apply accepts them but keeps only the
 * executable bit, the one permission git tracks).
 */
export function changeDiff(c: { path: string; before: string; after: string; mode?: { from: number; to: number } }): FileDiff {
  const d = unifiedDiff(c.path, c.before, c.after);
  if (!c.mode) return d;
  const header = `diff --git a/${c.path} b/${c.path}\nold mode ${gitMode(c.mode.from)}\nnew mode ${gitMode(c.mode.to)}\n`;
  return { ...d, text: header + d.text };
}
