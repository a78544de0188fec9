// Writes the hardened copy of a product archive: a NEW file (never the input) in which only the fixed
// entries differ (src/io/zip/write.ts), written to a temp file beside it, fsynced, checked by reading
// it back, then moved into place — refused if the file exists, unless `force`.
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { ArchiveHome } from './read-archive.js';
import { MAX_FILE_BYTES } from './read-home.js';
import { fsyncDir } from './state.js';
import { WriteError } from './write-files.js';
import { entryData, fileSource, readZip, ZipError } from './zip/read.js';
import { writeZip } from './zip/write.js';

export interface ArchiveWrite {
  /** HOME-relative. */
  path: string;
  /** The new content; absent when only the entry's permissions change. */
  bytes?: Buffer;
  /** What the entry held when harden planned: if it holds anything else now, nothing is written. */
  expected?: Buffer;
  /** A change of the entry's Unix permission bits (its external attributes; its bytes are copied as they are). */
  mode?: { from: number; to: number };
}

export interface ArchiveWriteResult {
  /** HOME-relative paths of the entries written with new content. */
  written: string[];
  /** How many entries were left as they were (local header and data copied, central record moved only). */
  copied: number;
  out: string;
}

/**
 * Refuses an output path before any work: the input archive itself (by any name, even with --force),
 * a directory, or an existing file without `force`.
 */
export function checkOutPath(archive: string, out: string, force: boolean): void {
  if (!existsSync(out)) {
    const dir = dirname(resolve(out));
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--out ${out}: the folder ${dir} does not exist`);
    return;
  }
  const o = statSync(out);
  const i = statSync(archive);
  if (o.dev === i.dev && o.ino === i.ino) throw new UsageError(`--out ${out} is the input archive; harden never rewrites an archive in place — name a new file`);
  if (o.isDirectory()) throw new UsageError(`--out ${out} is a directory; name the new archive file`);
  if (!force) throw new UsageError(`--out ${out} already exists; harden does not replace it unless you add --force`);
}

function writeAll(fd: number, bytes: Buffer): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

/**
 * Writes `out`: the archive with each write's entry replaced. Refused, writing nothing, if the archive
 * changed since it was read, if an entry no longer holds what was planned from, or if an entry is a
 * link; the temp file is removed on any failure.
 */
export function writeHardenedArchive(
  home: ArchiveHome,
  writes: ArchiveWrite[],
  out: string,
  { force = false, onBytes }: { force?: boolean; /** Called with the bytes written so far, for a progress line. */ onBytes?: (written: number) => void } = {},
): ArchiveWriteResult {
  checkOutPath(home.path, out, force);
  const replace = new Map<number, Buffer>();
  const attrs = new Map<number, number>();
  for (const w of writes) {
    const e = home.entryToWrite(w.path);
    if (w.bytes) replace.set(e.index, w.bytes);
    if (w.mode) {
      if (e.unixMode === undefined) throw new ZipError(home.path, `entry "${e.name}" has no Unix permissions to change (it was not made on Unix)`);
      attrs.set(e.index, ((((e.unixMode & ~0o7777) | w.mode.to) << 16) | (e.externalAttr & 0xffff)) >>> 0);
    }
  }
  const src = home.source();
  const tmp = join(dirname(resolve(out)), `.${basename(out)}.harden-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}.tmp`);
  let created = false;
  try {
    const st = statSync(home.path);
    const changed = (): WriteError => new WriteError(`${home.path}: changed since harden read it (another program wrote it); nothing was written — run harden again`);
    if (st.size !== home.stamp.size || st.mtimeMs !== home.stamp.mtimeMs) throw changed();
    const zip = readZip(src, home.path);
    if (!zip.centralDirectory.equals(home.zip.centralDirectory)) throw changed();
    for (const w of writes) {
      const e = zip.entries[home.entryToWrite(w.path).index]!;
      if (w.expected && !entryData(src, zip, e, MAX_FILE_BYTES).equals(w.expected)) throw changed();
      if (w.mode && ((e.unixMode ?? -1) & 0o7777) !== w.mode.from) throw changed();
    }
    const fd = openSync(tmp, 'wx', 0o666);
    created = true;
    try {
      let written = 0;
      writeZip(
        src,
        zip,
        replace,
        (chunk) => {
          writeAll(fd, chunk);
          written += chunk.length;
          onBytes?.(written);
        },
        attrs,
      );
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    verifyWritten(tmp, home, writes);
    if (force) renameSync(tmp, out);
    else {
      // A hard link fails if `out` appeared meanwhile, where a rename would replace it.
      try {
        linkSync(tmp, out);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`--out ${out} already exists; harden does not replace it unless you add --force`);
        if (existsSync(out)) throw e;
        renameSync(tmp, out); // a file system without hard links
      }
      rmSync(tmp, { force: true });
    }
    created = false;
    fsyncDir(dirname(resolve(out)));
    return { written: writes.map((w) => w.path), copied: zip.entries.length - new Set([...replace.keys(), ...attrs.keys()]).size, out };
  } finally {
    src.close();
    if (created) {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    }
  }
}

/** The new archive read back: the same entries in the same order, each written entry holding its new bytes. */
function verifyWritten(tmp: string, home: ArchiveHome, writes: ArchiveWrite[]): void {
  const src = fileSource(tmp);
  try {
    const zip = readZip(src, tmp);
    const same = zip.entries.length === home.zip.entries.length && zip.entries.every((e, i) => e.rawName.equals(home.zip.entries[i]!.rawName));
    if (!same) throw new WriteError(`${tmp}: the new archive does not list the entries of ${home.path}; nothing was written`);
    for (const w of writes) {
      const e = zip.entries[home.entryToWrite(w.path).index]!;
      const bytesOk = !w.bytes || entryData(src, zip, e, MAX_FILE_BYTES).equals(w.bytes);
      const modeOk = !w.mode || ((e.unixMode ?? -1) & 0o7777) === w.mode.to;
      if (!bytesOk || !modeOk) throw new WriteError(`${tmp}: entry "${e.name}" does not read back as written; nothing was written`);
    }
  } finally {
    src.close();
  }
}
