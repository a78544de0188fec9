// The Dockerfiles of a home (any depth, see src/io/read-home.ts for what a `**` walk skips), parsed,
// and what the container rules ask of them: who the final stage runs as, which non-root users the image
// creates, where a new instruction goes. Shared by container-non-root, bi-jvm-flags and patch-level.
import { isDockerfile } from '../engine/detect.js';
import type { ProductInfo, TransformContext } from '../engine/types.js';
import { expand, globalScope, keyValues, parseDockerfile, scopeAt, splitWords, type Dockerfile, type Instruction, type Stage } from '../formats/dockerfile/parse.js';
import { lineStartOf } from '../formats/text.js';

/** Globs that find Dockerfiles at any depth (`**` also matches HOME itself). */
export const DOCKERFILE_GLOBS = ['**/Dockerfile', '**/*.Dockerfile', '**/Dockerfile.*'];

/**
 * Where a home keeps its Dockerfiles: anywhere in a folder of container builds or a Ballerina project; in
 * a product home (whose webapps, Solr index and logs hold thousands of directories) the home itself and
 * up to three folders down (docker/, dockerfiles/ubuntu/apim/…).
 */
export function dockerfileGlobs(product: ProductInfo): string[] {
  if (product.model === 'container' || product.model === 'ballerina') return DOCKERFILE_GLOBS;
  return ['', '*/', '*/*/', '*/*/*/'].flatMap((dir) => ['Dockerfile', '*.Dockerfile', 'Dockerfile.*'].map((name) => `${dir}${name}`));
}

export type ParsedDockerfile = { path: string; text: string; file: Dockerfile } | { path: string; text: string; error: { reason: string; line: number } };

/** Every Dockerfile the context loaded (templates such as Dockerfile.j2 left out), parsed, sorted by path. */
export function dockerfiles(ctx: TransformContext): ParsedDockerfile[] {
  const seen = new Map<string, ParsedDockerfile>();
  for (const g of dockerfileGlobs(ctx.product)) {
    for (const f of ctx.files.glob(g)) {
      if (seen.has(f.path) || !isDockerfile(f.path)) continue;
      const parsed = parseDockerfile(f.text);
      seen.set(f.path, parsed.ok ? { path: f.path, text: f.text, file: parsed.file } : { path: f.path, text: f.text, error: { reason: parsed.reason, line: parsed.line } });
    }
  }
  return [...seen.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** The stage a FROM names when it builds on an earlier stage (`FROM build AS final`), else undefined. */
export function parentStage(file: Dockerfile, stage: Stage): Stage | undefined {
  const image = expandGlobal(file, stage.image).toLowerCase();
  return file.stages.slice(0, stage.index).find((s) => s.name === image || String(s.index) === image);
}

/** The image a stage starts from, with the global ARGs expanded (left as written where they are unknown). */
export function expandGlobal(file: Dockerfile, image: string): string {
  return expand(image, globalScope(file)) ?? image;
}

/** WSO2's published images (docker-apim, docker-is, docker-ei, docker-mi): they end with USER wso2carbon. */
export const WSO2_IMAGE = /^(?:docker\.wso2\.com\/|(?:[\w.-]+(?::\d+)?\/)?wso2\/)[\w.-]+/i;
export const WSO2_IMAGE_USER = 'wso2carbon';

/** What USER the instruction sets: the name or uid as written, expanded when the build variables allow. */
export interface UserSetting {
  /** As written: `${USER_ID}`, `wso2carbon:wso2`. */
  raw: string;
  /** The user part, expanded; undefined when it depends on a build argument without default. */
  user: string | undefined;
  root: boolean | undefined;
}

export function userOf(file: Dockerfile, stage: Stage, index: number): UserSetting {
  const ins = stage.instructions[index]!;
  const raw = splitWords(ins.args, file.escape)[0]?.text ?? '';
  const expanded = expand(raw, scopeAt(file, stage, index));
  const user = expanded?.split(':')[0];
  return { raw, user, root: user === undefined ? undefined : isRootUser(user) };
}

export const isRootUser = (user: string): boolean => user === '' || user === 'root' || /^0+$/.test(user);

/** Who a stage's processes run as: its last USER, else what it inherits from an earlier stage or its base image. */
export interface EffectiveUser {
  setting: UserSetting | undefined;
  /** The stage and index of the USER instruction that decides, when one does. */
  at?: { stage: Stage; index: number };
  /** The base image it inherits from when no USER decides. */
  base?: string;
  root: boolean | undefined;
}

export function effectiveUser(file: Dockerfile, stage: Stage): EffectiveUser {
  for (let i = stage.instructions.length - 1; i >= 1; i--) {
    if (stage.instructions[i]!.keyword === 'USER') {
      const setting = userOf(file, stage, i);
      return { setting, at: { stage, index: i }, root: setting.root };
    }
  }
  const parent = parentStage(file, stage);
  if (parent) return effectiveUser(file, parent);
  const base = expandGlobal(file, stage.image);
  // WSO2's images and "nonroot" images (distroless, Chainguard) set a non-root USER; most others run as root.
  if (WSO2_IMAGE.test(base) || /[:/-]nonroot\b/i.test(base)) return { setting: undefined, base, root: false };
  if (base.toLowerCase() === 'scratch') return { setting: undefined, base, root: true };
  return { setting: undefined, base, root: true };
}

/** A non-root user the image creates (useradd / adduser in a RUN of the stage or a stage it builds on). */
export interface CreatedUser {
  /** How to name it in a USER instruction: the uid when the RUN gives one, else the name, as written there. */
  ref: string;
  /** `ref` expanded. */
  value: string;
  name: string;
  uid: string | undefined;
  stage: Stage;
  index: number;
}

// Options that take a value, for useradd (shadow-utils), Debian's adduser and BusyBox/Alpine adduser.
const WITH_VALUE = new Set([
  '-b', '-c', '-d', '-e', '-f', '-g', '-G', '-k', '-K', '-p', '-R', '-P', '-s', '-u', '-Z', '-h',
  '--base-dir', '--comment', '--home-dir', '--home', '--expiredate', '--inactive', '--gid', '--groups', '--skel', '--key', '--password',
  '--root', '--prefix', '--shell', '--uid', '--selinux-user', '--ingroup', '--gecos', '--firstuid', '--lastuid', '--firstgid', '--lastgid', '--conf',
]);
const UID_OPTIONS = new Set(['-u', '--uid']);
const SEPARATOR = /^(?:&&|\|\||;|\||&)$/;

/** The users created by `useradd` / `adduser` in one RUN, with the uid when given. */
export function usersCreatedBy(ins: Instruction, escape: '\\' | '`'): { name: string; uid: string | undefined }[] {
  const text = [ins.args, ...ins.heredocs.map((h) => h.body)].join('\n').replace(/[;&|]+/g, ' $& ');
  const words = splitWords(text, escape).map((w) => w.text);
  const out: { name: string; uid: string | undefined }[] = [];
  for (let i = 0; i < words.length; i++) {
    const cmd = words[i]!.replace(/^.*\//, '');
    if (cmd !== 'useradd' && cmd !== 'adduser') continue;
    let uid: string | undefined;
    const operands: string[] = [];
    let j = i + 1;
    for (; j < words.length && !SEPARATOR.test(words[j]!); j++) {
      const w = words[j]!;
      if (w.startsWith('-')) {
        const [opt, inline] = w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, undefined];
        if (inline === undefined && WITH_VALUE.has(opt)) {
          if (UID_OPTIONS.has(opt)) uid = words[j + 1];
          j++;
        } else if (UID_OPTIONS.has(opt)) uid = inline;
      } else operands.push(w);
    }
    // useradd NAME; adduser NAME [GROUP] (BusyBox) — the user is the first operand either way.
    const name = cmd === 'useradd' ? operands[operands.length - 1] : operands[0];
    if (name) out.push({ name, uid });
    i = j;
  }
  return out;
}

/** Non-root users created in `stage` or the stages it builds on, latest first. */
export function createdUsers(file: Dockerfile, stage: Stage): CreatedUser[] {
  const out: CreatedUser[] = [];
  for (let s: Stage | undefined = stage; s; s = parentStage(file, s)) {
    for (let i = s.instructions.length - 1; i >= 1; i--) {
      const ins = s.instructions[i]!;
      if (ins.keyword !== 'RUN') continue;
      const scope = scopeAt(file, s, i);
      for (const u of usersCreatedBy(ins, file.escape).reverse()) {
        const name = expand(u.name, scope);
        const uid = u.uid === undefined ? undefined : expand(u.uid, scope);
        if (name === undefined || isRootUser(name) || (uid !== undefined && isRootUser(uid)) || /[$`]/.test(name)) continue;
        const byUid = u.uid !== undefined && uid !== undefined && /^\d+$/.test(uid);
        out.push({ ref: byUid ? u.uid! : u.name, value: byUid ? uid! : name, name, uid, stage: s, index: i });
      }
    }
  }
  return out;
}

/** Whether an ENTRYPOINT/CMD hands over to another user itself (gosu, su-exec…): it needs to start as root. */
export const DROPS_PRIVILEGES = /\b(?:gosu|su-exec|setpriv|runuser|chroot\s+--userspec|s6-setuidgid|chpst\s+-u|su\s+-c)\b/;

/** Where a new instruction goes before instruction `index`: the start of its line, or of the comment lines right above it. */
export function insertionBefore(text: string, ins: Instruction): number {
  let at = ins.lineStart;
  for (;;) {
    if (at === 0) return at;
    const prevStart = lineStartOf(text, at - 1);
    const prev = text.slice(prevStart, at).replace(/\r?\n$/, '');
    if (!/^[ \t]*#/.test(prev)) return at;
    at = prevStart;
  }
}

/** ENV values of a stage (and the stages it builds on) that the JVM or the Ballerina launcher reads. */
export function stageEnv(file: Dockerfile, stage: Stage): Map<string, { value: string; ins: Instruction }> {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = stage; s; s = parentStage(file, s)) chain.unshift(s);
  const out = new Map<string, { value: string; ins: Instruction }>();
  for (const s of chain) {
    for (const ins of s.instructions) {
      if (ins.keyword !== 'ENV') continue;
      for (const kv of keyValues(ins, file.escape)) if (kv.value !== undefined) out.set(kv.name, { value: kv.value, ins });
    }
  }
  return out;
}
