// Reads the files of a product home that detection and the selected transforms declare, and only
// those: globs are expanded one directory at a time, so large homes are never walked whole.
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, SourceFiles, type SourceFile } from '../engine/source-files.js';
import { positionOf } from '../formats/text.js';

export class HomeError extends Error {}

export function assertHome(home: string): void {
  if (!existsSync(home)) throw new HomeError(`${home}: no such directory`);
  if (!statSync(home).isDirectory()) throw new HomeError(`${home}: not a directory (give the product home, e.g. the folder that holds bin/ and repository/)`);
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

/** HOME-relative paths of existing entries matching a glob ('*' within a segment); never HOME/.harden. */
export function expandGlob(home: string, pattern: string): string[] {
  let found = [''];
  const segments = pattern.split('/');
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const dir of found) {
      const abs = join(home, dir);
      if (!seg.includes('*')) {
        const rel = dir ? `${dir}/${seg}` : seg;
        if (!isHardenState(rel) && (last ? lexists(join(home, rel)) : isDir(join(home, rel)))) next.push(rel);
        continue;
      }
      if (!isDir(abs)) continue;
      const re = new RegExp(`^${seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      for (const name of readdirSync(abs).sort()) {
        const rel = dir ? `${dir}/${name}` : name;
        if (re.test(name) && !isHardenState(rel) && (last || isDir(join(home, rel)))) next.push(rel);
      }
    }
    found = next;
  });
  return found;
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

/** The bytes of a file harden expects to be a configuration file, or a clear refusal. */
function readConfigFile(home: string, p: string): Buffer {
  const abs = join(home, p);
  let st;
  try {
    st = statSync(abs);
  } catch (e) {
    throw cannotRead(p, e);
  }
  if (st.isDirectory()) throw new InputError(p, 'is a directory, where harden expects a configuration file');
  if (!st.isFile()) throw new InputError(p, 'is not a regular file (a device, pipe or socket), where harden expects a configuration file');
  if (st.size > MAX_FILE_BYTES) {
    throw new InputError(p, `is ${(st.size / 1024 / 1024).toFixed(1)} MB; harden reads configuration files up to ${MAX_FILE_BYTES / 1024 / 1024} MB, so this is not the file it expects`);
  }
  try {
    return readFileSync(abs);
  } catch (e) {
    throw cannotRead(p, e);
  }
}

/**
 * Loads the files matched by `read` (decoded) and lists those matched by `list` (not read). Files
 * already in `known` are reused, not read again. HOME/.harden is never matched.
 */
export function readHome(home: string, read: string[], list: string[], known?: SourceFiles): SourceFiles {
  assertHome(home);
  const listing = new Set<string>(known?.listing ?? []);
  const files: SourceFile[] = known ? known.paths().map((p) => known.get(p)!) : [];
  for (const pattern of list) for (const p of expandGlob(home, pattern)) listing.add(p);
  for (const pattern of read) {
    for (const p of expandGlob(home, pattern)) {
      listing.add(p);
      if (files.some((f) => f.path === p)) continue;
      files.push(decodeFile(p, readConfigFile(home, p)));
    }
  }
  return new SourceFiles(files, [...listing].sort());
}
