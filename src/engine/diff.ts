// Unified diffs that `patch -p1` and `git apply` accept inside HOME. Lines that carry a secret are
// never printed: as context they are left out (the hunk is split there, which patch accepts), and
// a changed secret line shows that it changed, not its value. A secret is a value under a name that
// says so (keystorePass, <Password>, password = …, -D…Password=…, <parameter name="…Password">) or
// any entry of a deployment.toml [secrets] table.
import { structuredPatch } from 'diff';

const SECRET_NAME = String.raw`[\w.:'"-]*(?:pass(?:word|wd|phrase)?|secret|token|private[-_.]?key|credential)[\w.'"-]*`;
const MASK = '********';
// References name where a secret lives, not the secret itself.
const isReference = (v: string): boolean => /^\s*\$(?:secret|env|sys|ref)?\{[^}]*\}\s*$/.test(v) || v.trim() === '';

const SECRET_ATTR = new RegExp(String.raw`(\b${SECRET_NAME}\s*=\s*)(["'])([^"']*)\2`, 'gi');
const SECRET_ELEMENT = new RegExp(String.raw`(<(${SECRET_NAME})(?:\s[^>]*)?>)([^<]*)(</\2\s*>)`, 'gi');
const SECRET_KEY_VALUE = new RegExp(String.raw`^(\s*${SECRET_NAME}\s*[=:]\s*)([^\s"'<>].*?)\s*$`, 'i');
const SECRET_WORD = String.raw`(?:pass(?:word|wd|phrase)?|secret|token|private[-_.]?key|credential)`;
// A JVM flag anywhere on a line: -Djavax.net.ssl.trustStorePassword=… in a java command or a .bat's one long line.
const SECRET_FLAG = new RegExp(String.raw`((?<![\w.-])-D[\w.-]*${SECRET_WORD}[\w.-]*=)("[^"]*"|'[^']*'|[^\s"']+)`, 'gi');
// An element whose name attribute names a secret: <parameter name="truststorePassword">…</parameter>.
const SECRET_NAMED_ELEMENT = new RegExp(String.raw`(<([\w.:-]+)\s[^<>]*?\bname\s*=\s*(["'])[^"'<>]*${SECRET_WORD}[^"'<>]*\3[^<>]*>)([^<]*)(</\2\s*>)`, 'gi');

/** The line with every secret value masked; unchanged when it carries none. */
export function maskSecrets(line: string): string {
  return line
    .replace(SECRET_FLAG, (m, head: string, v: string) => (isReference(v.replace(/^["']|["']$/g, '')) ? m : `${head}${MASK}`))
    .replace(SECRET_ATTR, (m, head: string, q: string, v: string) => (isReference(v) ? m : `${head}${q}${MASK}${q}`))
    .replace(SECRET_ELEMENT, (m, open: string, _n: string, v: string, close: string) => (isReference(v) ? m : `${open}${MASK}${close}`))
    .replace(SECRET_NAMED_ELEMENT, (m, open: string, _n: string, _q: string, v: string, close: string) => (isReference(v) ? m : `${open}${MASK}${close}`))
    .replace(SECRET_KEY_VALUE, (m, head: string, v: string) => (isReference(v) || v.startsWith(MASK) ? m : `${head}${MASK}`));
}

/** A key line of a TOML [secrets] table (every value there is a secret, whatever its key is called), masked. */
function maskSecretsEntry(line: string): string {
  const eq = /^(\s*[^=#\s][^=#]*=\s*)(.*)$/.exec(line);
  return eq && !isReference(eq[2]!.replace(/^["']|["']\s*$/g, '')) ? `${eq[1]}${MASK}` : line;
}

/** 1-based numbers of the key lines inside [secrets] tables of a TOML text. */
function secretsTableLines(text: string): Set<number> {
  const out = new Set<number>();
  let inSecrets = false;
  text.split('\n').forEach((line, i) => {
    const table = /^\s*\[([^\]]*)\]/.exec(line);
    if (table) inSecrets = table[1]!.trim() === 'secrets';
    else if (inSecrets && /^\s*[^=#\s][^=#]*=/.test(line)) out.add(i + 1);
  });
  return out;
}

export function looksSecret(line: string): boolean {
  return maskSecrets(line) !== line;
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
): { hunks: Hunk[]; redacted: boolean } {
  const out: Hunk[] = [];
  let redacted = false;
  let oldNo = h.oldStart;
  let newNo = h.newStart;
  let cur: Hunk = { oldStart: oldNo, newStart: newNo, lines: [] };
  const flush = (): void => {
    if (cur.lines.some((l) => l[0] === '+' || l[0] === '-')) out.push(cur);
  };
  for (const line of h.lines) {
    const kind = line[0];
    const entry = kind === '+' ? secretNew.has(newNo) : secretOld.has(oldNo);
    if (kind === ' ' && (entry || looksSecret(line))) {
      flush();
      oldNo++;
      newNo++;
      cur = { oldStart: oldNo, newStart: newNo, lines: [] };
      continue;
    }
    if ((kind === '+' || kind === '-') && (entry || looksSecret(line))) {
      const masked = maskSecrets(line.slice(1));
      cur.lines.push(kind + (entry ? maskSecretsEntry(masked) : masked));
      redacted = true;
    } else cur.lines.push(line);
    if (kind === ' ' || kind === '-') oldNo++;
    if (kind === ' ' || kind === '+') newNo++;
  }
  flush();
  return { hunks: out, redacted };
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
  const secretOld = toml ? secretsTableLines(before) : new Set<number>();
  const secretNew = toml ? secretsTableLines(after) : new Set<number>();
  for (const h of patch.hunks) {
    const split = splitAtSecrets(h, secretOld, secretNew);
    hunks.push(...split.hunks);
    redacted ||= split.redacted;
  }
  if (hunks.length === 0) return { path, text: '', redacted };
  const body = hunks.map((h) => [header(h), ...h.lines].join('\n')).join('\n');
  return { path, text: `--- a/${path}\n+++ b/${path}\n${body}\n`, redacted };
}
