// Reads the files of a product home that detection and the selected transforms declare, and only
// those: globs are expanded one directory at a time, so large homes are never walked whole.
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GLOB_MAX_DEPTH, InputError, SourceFiles, type SourceFile } from '../engine/source-files.js';
import { positionOf } from '../formats/text.js';

export class HomeError extends Error {}

export function assertHome(home: string): void {
  if (!existsSync(home)) throw new HomeError(`${home}: no such directory`);
  if (!statSync(home).isDirectory()) {
    if (/\.zip$/i.test(home)) {
      throw new HomeError(`${home}: a product archive; harden check and harden fix (--dry-run, or --yes --out NEW.zip) read archives, other commands need the unpacked home`);
    }
    throw new HomeError(`${home}: not a directory (give the product home, e.g. the folder that holds bin/ and repository/)`);
  }
}

/** Where planHome gets a home's files when the home is not a directory (a product archive: src/io/read-archive.ts). */
export interface HomeReader {
  /** As readHome: the files matched by `read` decoded, those matched by `list` listed, `known` reused, `stat` listed with their mode. */
  read(read: string[], list: string[], known?: SourceFiles, stat?: string[]): SourceFiles;
  /** HOME as an absolute URI ending in '/', for reports (SARIF's HOME base). */
  readonly uri?: string;
}

/** harden's own state (HOME/.harden) and its temp files are never part of a home's configuration. */
const HARDEN_TEMP = /^\..+\.harden-[0-9TZ]+-[0-9a-f]+\.tmp(\.back)?$/;
export function isHardenState(rel: string): boolean {
  return rel === '.harden' || rel.startsWith('.harden/') || HARDEN_TEMP.test(rel.slice(rel.lastIndexOf('/') + 1));
}

/** Whether an entry exists, links included (a dangling link is found, and reading it says why it fails). */
function lexists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Directories a `**` segment never descends into: version control, build output, and the product's
 * jar trees (thousands of bundles, no configuration). A literal segment still reaches them.
 */
const WALK_SKIP_NAMES = new Set(['.git', 'node_modules', 'target', 'lib', 'dropins', 'plugins', 'patches']);
const WALK_SKIP_PATHS = /(?:^|\/)(?:repository|wso2)\/components$/;

export function walkSkips(rel: string): boolean {
  return WALK_SKIP_NAMES.has(rel.slice(rel.lastIndexOf('/') + 1)) || WALK_SKIP_PATHS.test(rel) || isHardenState(rel);
}

/** `dir` and the directories below it, down to GLOB_MAX_DEPTH levels; links are not followed. */
function walkDirs(home: string, dir: string, depth = 0, out: string[] = []): string[] {
  out.push(dir);
  if (depth >= GLOB_MAX_DEPTH) return out;
  let entries;
  try {
    entries = readdirSync(join(home, dir), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory() && !walkSkips(rel)) walkDirs(home, rel, depth + 1, out);
  }
  return out;
}

/** What glob expansion needs to know of a home: a directory (read-home) or a ZIP archive (read-archive). */
export interface GlobTree {
  /** Whether `rel` is a directory, through links. */
  isDir(rel: string): boolean;
  /** Whether an entry exists at `rel`, links included and not followed (a dangling link is found). */
  exists(rel: string): boolean;
  /** The names in directory `rel` (through links). */
  names(dir: string): string[];
  /** HOME-relative paths of the entries in directory `rel` that are not directories (links not followed). */
  nonDirs(dir: string): string[];
  /** `dir` and the directories below it that a `**` segment visits (see walkSkips). */
  walk(dir: string): string[];
}

/**
 * HOME-relative paths of existing entries matching a glob ('*' within a segment; a whole '**' segment
 * for any depth, bounded and skipping jar trees, see walkSkips); never HOME/.harden.
 */
export function expandGlobIn(tree: GlobTree, pattern: string): string[] {
  let found = [''];
  const segments = pattern.split('/');
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    const next: string[] = [];
    if (seg === '**') {
      // Any number of directories; as the last segment, every file below them.
      for (const dir of found) {
        if (dir !== '' && !tree.isDir(dir)) continue;
        for (const d of tree.walk(dir)) {
          if (!last) next.push(d);
          else for (const rel of tree.nonDirs(d)) if (!isHardenState(rel)) next.push(rel);
        }
      }
      found = [...new Set(next)].sort();
      return;
    }
    for (const dir of found) {
      if (!seg.includes('*')) {
        const rel = dir ? `${dir}/${seg}` : seg;
        if (!isHardenState(rel) && (last ? tree.exists(rel) : tree.isDir(rel))) next.push(rel);
        continue;
      }
      if (!tree.isDir(dir)) continue;
      const re = new RegExp(`^${seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      for (const name of tree.names(dir).sort()) {
        const rel = dir ? `${dir}/${name}` : name;
        if (re.test(name) && !isHardenState(rel) && (last || tree.isDir(rel))) next.push(rel);
      }
    }
    found = next;
  });
  return found;
}

/** expandGlob on a directory home; `walks` keeps one walk per directory per read, however many patterns start a `**` there. */
export function expandGlob(home: string, pattern: string, walks: Map<string, string[]> = new Map()): string[] {
  return expandGlobIn(
    {
      isDir: (rel) => isDir(join(home, rel)),
      exists: (rel) => lexists(join(home, rel)),
      names: (dir) => readdirSync(join(home, dir)),
      nonDirs: (dir) => readdirSync(join(home, dir), { withFileTypes: true }).filter((e) => !e.isDirectory()).map((e) => (dir ? `${dir}/${e.name}` : e.name)),
      walk: (dir) => {
        if (!walks.has(dir)) walks.set(dir, walkDirs(home, dir));
        return walks.get(dir)!;
      },
    },
    pattern,
  );
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

const LATIN1_DECL = /^<\?xml[^>]*encoding\s*=\s*["'](ISO-8859-1|latin1|ISO8859_1|US-ASCII)["']/i;

/** Decodes a config file's bytes; refuses what cannot be edited as text, naming file and line. */
export function decodeFile(path: string, bytes: Buffer): SourceFile {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new InputError(path, 'is UTF-16 encoded; harden edits UTF-8 and ISO-8859-1 files only');
  }
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  const nul = body.indexOf(0);
  if (nul !== -1) {
    const line = positionOf(body.subarray(0, nul).toString('latin1'), nul).line;
    throw new InputError(path, 'looks binary (it contains a NUL byte), not a text configuration file', line);
  }
  const head = body.subarray(0, 200).toString('latin1');
  if (LATIN1_DECL.test(head)) {
    return { path, text: body.toString('latin1'), encoding: 'latin1', bom };
  }
  try {
    return { path, text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf8', bom };
  } catch {
    const text = body.toString('latin1');
    let bad = 0;
    while (bad < body.length && body[bad]! < 0x80) bad++;
    throw new InputError(path, 'is not valid UTF-8 and declares no other encoding', positionOf(text, bad).line);
  }
}

/**
 * The largest file harden reads: WSO2 configuration files are kilobytes (the largest in the corpus is
 * well under 1 MB); anything near this size is the wrong file, and parsing, verifying and diffing it
 * would take long and much memory. Bigger files are refused, naming the file and its size.
 */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const READ_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'a loop of symbolic links',
  ENOENT: 'a symbolic link to a file that does not exist',
  EISDIR: 'it is a directory',
  EIO: 'an I/O error',
};

function cannotRead(path: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  return new InputError(path, `cannot be read (${code ? `${code}: ${READ_ERRORS[code] ?? 'error'}` : String(e)})`);
}

/** Refuses, naming the file, what harden does not read as a configuration file: a directory, a device, pipe or socket, or a file over MAX_FILE_BYTES. */
export function refuseUnlessConfigFile(path: string, kind: 'dir' | 'file' | 'other', size: number): void {
  if (kind === 'dir') throw new InputError(path, 'is a directory, where harden expects a configuration file');
  if (kind !== 'file') throw new InputError(path, 'is not a regular file (a device, pipe or socket), where harden expects a configuration file');
  if (size > MAX_FILE_BYTES) {
    throw new InputError(path, `is ${(size / 1024 / 1024).toFixed(1)} MB; harden reads configuration files up to ${MAX_FILE_BYTES / 1024 / 1024} MB, so this is not the file it expects`);
  }
}

/** The bytes of a file harden expects to be a configuration file, or a clear refusal. */
function readConfigFile(home: string, p: string): Buffer {
  const abs = join(home, p);
  let st;
  try {
    st = statSync(abs);
  } catch (e) {
    throw cannotRead(p, e);
  }
  refuseUnlessConfigFile(p, st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other', st.size);
  try {
    return readFileSync(abs);
  } catch (e) {
    throw cannotRead(p, e);
  }
}

/** Permission bits of a regular file (not through a link), or undefined where the platform has none. */
export function fileMode(abs: string): number | undefined {
  if (process.platform === 'win32') return undefined;
  try {
    const st = lstatSync(abs);
    return st.isFile() ? st.mode & 0o7777 : undefined;
  } catch {
    return undefined;
  }
}

/** The bytes a file holds now (for a change of its mode alone, which rewrites the same bytes). */
export function readHomeBytes(home: string, path: string): Buffer {
  try {
    return readFileSync(join(home, path));
  } catch (e) {
    throw cannotRead(path, e);
  }
}

/**
 * Loads the files matched by `read` (decoded, with their mode), lists those matched by `list` (not
 * read), and lists those matched by `stat` with their mode only, never reading them (keystores and
 * other files that are not text). Files already in `known` are reused, not read again. HOME/.harden is
 * never matched.
 */
export function readHome(home: string, read: string[], list: string[], known?: SourceFiles, stat: string[] = []): SourceFiles {
  assertHome(home);
  const walks = new Map<string, string[]>();
  return readMatched(
    { read, list, known, stat },
    (pattern) => expandGlob(home, pattern, walks),
    (p) => decodeFile(p, readConfigFile(home, p)),
    (p) => fileMode(join(home, p)),
  );
}

/**
 * What readHome and an archive home's read share: list what `list` matches; load what `read` matches (once,
 * reusing `known`) with its mode; list what `stat` matches with its mode only, never loading it.
 */
export function readMatched(
  patterns: { read: string[]; list: string[]; known: SourceFiles | undefined; stat: string[] },
  expand: (pattern: string) => string[],
  load: (path: string) => SourceFile,
  modeOf: (path: string) => number | undefined,
): SourceFiles {
  const { read, list, known, stat } = patterns;
  const listing = new Set<string>(known?.listing ?? []);
  const files: SourceFile[] = known ? known.paths().map((p) => known.get(p)!) : [];
  const statModes = new Map<string, number>(known?.statModes ?? []);
  const loaded = new Set(files.map((f) => f.path));
  for (const pattern of list) for (const p of expand(pattern)) listing.add(p);
  for (const pattern of read) {
    for (const p of expand(pattern)) {
      listing.add(p);
      if (loaded.has(p)) continue;
      loaded.add(p);
      const file = load(p);
      const mode = modeOf(p);
      files.push(mode === undefined ? file : { ...file, mode });
      statModes.delete(p);
    }
  }
  for (const pattern of stat) {
    for (const p of expand(pattern)) {
      listing.add(p);
      if (loaded.has(p)) continue;
      const mode = modeOf(p);
      if (mode !== undefined) statModes.set(p, mode);
    }
  }
  return new SourceFiles(files, [...listing].sort(), statModes);
}
