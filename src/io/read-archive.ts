// A product home inside a ZIP archive, read in place (nothing is extracted): the same inputs planHome
// gets from a directory — decoded files and a listing, HOME-relative — with the same glob expansion,
// limits and refusals as src/io/read-home.ts.
//
// The home is the archive's root, or its one top-level folder when everything lies under one (WSO2
// ships `wso2am-2.6.0.zip` holding `wso2am-2.6.0/`). Opening refuses archives a tool could not extract
// safely: entries with '..', absolute paths, drive letters or backslashes, duplicate names, encrypted
// entries, and symbolic-link entries pointing outside the home.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GLOB_MAX_DEPTH, InputError, SourceFiles } from '../engine/source-files.js';
import { decodeFile, expandGlobIn, MAX_FILE_BYTES, readMatched, refuseUnlessConfigFile, walkSkips, type HomeReader } from './read-home.js';
import { entryData, fileSource, readZip, ZipError, type ZipArchive, type ZipEntry, type ZipSource } from './zip/read.js';

/** Folder names a product home holds at its top: a lone top-level folder with one of these names is the home's own, not a wrapper. */
const HOME_DIRS = new Set(['bin', 'conf', 'repository', 'lib', 'wso2', 'dbscripts', 'dropins', 'resources', 'deployment', 'tmp', 'logs', 'samples']);

/** The longest link target harden reads (a path, not a file). */
const MAX_LINK_TARGET = 4096;
/** As Linux's MAXSYMLINKS: more links than this while resolving one path is a loop. */
const MAX_LINK_HOPS = 40;

interface Node {
  kind: 'dir' | 'file' | 'link' | 'other';
  entry?: ZipEntry;
  children?: Set<string>;
  /** A link's target, as stored. */
  target?: string;
}

class Escape extends Error {}
class Loop extends Error {}

/** Whether a path names a ZIP archive harden should read as a home: a regular file ending in .zip, or starting with a ZIP signature. */
export function isArchivePath(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
  } catch {
    return false;
  }
  if (/\.zip$/i.test(path)) return true;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const n = readSync(fd, head, 0, 4, 0);
    return n === 4 && head.readUInt32LE(0) === 0x04034b50;
  } finally {
    closeSync(fd);
  }
}

export class ArchiveHome implements HomeReader {
  /** The home's folder inside the archive: '' (the root) or e.g. 'wso2am-2.6.0/'. */
  readonly root: string;
  private readonly nodes = new Map<string, Node>();

  private constructor(
    /** The archive's path as given. */
    readonly path: string,
    readonly zip: ZipArchive,
    /** The archive's size and mtime when read: the new archive is written only if they still hold. */
    readonly stamp: { size: number; mtimeMs: number },
    src: ZipSource,
  ) {
    this.nodes.set('', { kind: 'dir', children: new Set() });
    for (const e of zip.entries) this.add(e);
    this.root = this.findRoot();
    for (const [p, n] of this.nodes) if (n.kind === 'link') this.checkLink(src, p, n);
  }

  /** Reads an archive's directory and validates every entry; refuses (ZipError) what is unsafe or unreadable. */
  static open(path: string): ArchiveHome {
    if (!existsSync(path)) throw new ZipError(path, 'no such file');
    let src;
    try {
      src = fileSource(path);
    } catch (e) {
      throw new ZipError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      const st = statSync(path);
      return new ArchiveHome(path, readZip(src, path), { size: st.size, mtimeMs: st.mtimeMs }, src);
    } finally {
      src.close();
    }
  }

  /** HOME as a jar: URI (the archive's file: URI, '!', the home's folder), for SARIF's HOME base. */
  get uri(): string {
    return `jar:${pathToFileURL(resolve(this.path)).href}!/${this.root.split('/').map(encodeURIComponent).join('/')}`;
  }

  /** How messages and reports name a HOME-relative path: `pack.zip!/wso2am-2.6.0/<rel>`. */
  describe(rel = ''): string {
    return `${this.path}!/${this.root}${rel}`;
  }

  private add(e: ZipEntry): void {
    const full = e.name.replace(/\/$/, '');
    const segs = full.split('/');
    let dir = '';
    for (const seg of segs.slice(0, -1)) {
      const p = dir ? `${dir}/${seg}` : seg;
      let n = this.nodes.get(p);
      if (!n) {
        n = { kind: 'dir', children: new Set() };
        this.nodes.set(p, n);
        this.nodes.get(dir)!.children!.add(seg);
      }
      if (n.kind !== 'dir') throw new ZipError(this.path, `entry "${e.name}" lies under "${p}", which is ${n.kind === 'link' ? 'a symbolic link' : 'not a directory'}`);
      dir = p;
    }
    const existing = this.nodes.get(full);
    const kind: Node['kind'] = e.isSymlink ? 'link' : e.isDirectory ? 'dir' : e.unixMode !== undefined && (e.unixMode & 0o170000) !== 0 && (e.unixMode & 0o170000) !== 0o100000 ? 'other' : 'file';
    if (existing) {
      // A folder implied by earlier entries, now listed itself.
      if (kind !== 'dir' || existing.entry) throw new ZipError(this.path, `entry "${e.name}" appears twice`);
      existing.entry = e;
      return;
    }
    this.nodes.set(full, { kind, entry: e, ...(kind === 'dir' ? { children: new Set<string>() } : {}) });
    this.nodes.get(dir)!.children!.add(segs[segs.length - 1]!);
  }

  private findRoot(): string {
    // macOS's Finder adds __MACOSX/ (resource forks) beside the folder it zipped: not a second home.
    const top = [...this.nodes.get('')!.children!].filter((n) => n !== '__MACOSX');
    if (top.length !== 1) return '';
    const only = top[0]!;
    return this.nodes.get(only)!.kind === 'dir' && !HOME_DIRS.has(only) ? `${only}/` : '';
  }

  /**
   * Resolves an archive path as the file system would after extraction: '..' and link targets are
   * followed (the last segment only with `followLast`). Escape: above the archive's root. Loop: too many links.
   */
  private walk(path: string, followLast: boolean, hops = { n: 0 }): { path: string; node: Node | undefined } {
    const segs = path.split('/').filter((s) => s !== '' && s !== '.');
    const stack: string[] = [];
    let broken = false;
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i]!;
      const last = i === segs.length - 1;
      if (s === '..') {
        if (!stack.length) throw new Escape();
        stack.pop();
        continue;
      }
      stack.push(s);
      const node = broken ? undefined : this.nodes.get(stack.join('/'));
      if (node?.kind === 'link' && (!last || followLast)) {
        if (++hops.n > MAX_LINK_HOPS) throw new Loop();
        stack.pop();
        return this.walk([...stack, node.target!, ...segs.slice(i + 1)].join('/'), followLast, hops);
      }
      if (!last && node?.kind !== 'dir') broken = true;
    }
    const p = stack.join('/');
    return { path: p, node: broken ? undefined : this.nodes.get(p) };
  }

  /** A link entry must point inside the home: a relative target that stays below the home's folder. */
  private checkLink(src: ZipSource, full: string, n: Node): void {
    const e = n.entry!;
    const name = e.name;
    if (e.size > MAX_LINK_TARGET) throw new ZipError(this.path, `entry "${name}" is a symbolic link with a ${e.size}-byte target; harden refuses it`);
    const target = entryData(src, this.zip, e, MAX_LINK_TARGET).toString('utf8');
    n.target = target;
    const outside = `entry "${name}" is a symbolic link to "${target}", outside the home${this.root ? ` (${this.root})` : ''}; harden refuses archives with links that point outside, as extracting them could write elsewhere`;
    if (target === '' || target.startsWith('/') || /^[A-Za-z]:/.test(target) || target.includes('\\') || target.includes('\0')) throw new ZipError(this.path, outside);
    const dir = full.split('/').slice(0, -1).join('/');
    let resolved;
    try {
      resolved = this.walk(dir ? `${dir}/${target}` : target, true);
    } catch (err) {
      if (err instanceof Loop) return; // a loop is refused when something reads through it
      throw new ZipError(this.path, outside);
    }
    const home = this.root.replace(/\/$/, '');
    if (home && resolved.path !== home && !resolved.path.startsWith(`${home}/`)) throw new ZipError(this.path, outside);
  }

  private full(rel: string): string {
    return `${this.root}${rel}`.replace(/\/$/, '');
  }

  private lookup(rel: string, followLast: boolean): Node | undefined {
    try {
      return this.walk(this.full(rel), followLast).node;
    } catch {
      return undefined;
    }
  }

  private isDir(rel: string): boolean {
    return this.lookup(rel, true)?.kind === 'dir';
  }

  /** `dir` and the folders below it, down to GLOB_MAX_DEPTH levels, skipping what read-home skips; links are not followed. */
  private walkDirs(dir: string, depth = 0, out: string[] = []): string[] {
    out.push(dir);
    if (depth >= GLOB_MAX_DEPTH) return out;
    const node = this.lookup(dir, true);
    for (const name of [...(node?.children ?? [])].sort()) {
      const rel = dir ? `${dir}/${name}` : name;
      if (this.lookup(rel, false)?.kind === 'dir' && !walkSkips(rel)) this.walkDirs(rel, depth + 1, out);
    }
    return out;
  }

  /** HOME-relative paths of entries matching a glob, exactly as expandGlob finds them in a directory. */
  expandGlob(pattern: string): string[] {
    const names = (dir: string): string[] => [...(this.lookup(dir, true)?.children ?? [])];
    return expandGlobIn(
      {
        isDir: (rel) => this.isDir(rel),
        exists: (rel) => this.lookup(rel, false) !== undefined,
        names,
        nonDirs: (dir) => names(dir).map((name) => (dir ? `${dir}/${name}` : name)).filter((rel) => this.lookup(rel, false)?.kind !== 'dir'),
        walk: (dir) => this.walkDirs(dir),
      },
      pattern,
    );
  }

  /** The bytes of a HOME-relative file, through links, with read-home's refusals. */
  private fileBytes(src: ZipSource, rel: string): Buffer {
    let node: Node | undefined;
    try {
      node = this.walk(this.full(rel), true).node;
    } catch (e) {
      throw new InputError(rel, e instanceof Loop ? 'cannot be read (a loop of symbolic links)' : 'cannot be read (a symbolic link that points outside the home)');
    }
    if (!node) throw new InputError(rel, 'cannot be read (a symbolic link to a file that does not exist)');
    refuseUnlessConfigFile(rel, node.kind === 'dir' || node.kind === 'file' ? node.kind : 'other', node.entry?.size ?? 0);
    return entryData(src, this.zip, node.entry!, MAX_FILE_BYTES);
  }

  /** Permission bits of a regular file entry (not through a link) made on Unix, as fileMode gives them for a directory. */
  private fileMode(rel: string): number | undefined {
    const node = this.lookup(rel, false);
    return node?.kind === 'file' && node.entry!.unixMode !== undefined ? node.entry!.unixMode & 0o7777 : undefined;
  }

  /**
   * Loads the files matched by `read` (decoded, with their mode), lists those matched by `list`, and
   * lists those matched by `stat` with their mode only — as readHome does for a directory.
   */
  read(read: string[], list: string[], known?: SourceFiles, stat: string[] = []): SourceFiles {
    const src = this.source();
    try {
      return readMatched(
        { read, list, known, stat },
        (pattern) => this.expandGlob(pattern),
        (p) => decodeFile(p, this.fileBytes(src, p)),
        (p) => this.fileMode(p),
      );
    } finally {
      src.close();
    }
  }

  /** The text of HOME/harden.toml inside the archive, when there is one. */
  configFile(name: string): { path: string; text: string } | undefined {
    if (this.lookup(name, true)?.kind !== 'file') return undefined;
    const src = this.source();
    try {
      return { path: this.describe(name), text: this.fileBytes(src, name).toString('utf8') };
    } finally {
      src.close();
    }
  }

  /** The entry a HOME-relative file is written to; refuses links (and files under a linked folder), as a directory home does. */
  entryToWrite(rel: string): ZipEntry {
    const full = this.full(rel);
    let r;
    try {
      r = this.walk(full, false);
    } catch {
      r = undefined;
    }
    const node = r?.node;
    if (!r || !node) throw new ZipError(this.path, `entry "${full}" does not exist`);
    if (node.kind === 'link') throw new ZipError(this.path, `entry "${full}" is a symbolic link to "${node.target}"; harden does not write through links (fix the entry it points to, or edit it by hand)`);
    if (r.path !== full) throw new ZipError(this.path, `entry "${full}" lies under a symbolic link (it is "${r.path}"); harden does not write through links`);
    if (node.kind !== 'file') throw new ZipError(this.path, `entry "${full}" is not a regular file`);
    return node.entry!;
  }

  /** The archive opened again for reading (the caller closes it). */
  source(): ZipSource & { close(): void } {
    try {
      return fileSource(this.path);
    } catch (e) {
      if (e instanceof ZipError) throw e;
      throw new ZipError(this.path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
}
