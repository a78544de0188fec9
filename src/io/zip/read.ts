// Reads a ZIP archive in place: the end records and the central directory first, then any entry's
// local header and data by position, so that a product pack of hundreds of megabytes is never read
// whole nor extracted. Stored and deflated entries, data descriptors, ZIP64 and the UTF-8 name flag
// are understood; encrypted entries, multi-disk archives and archives with bytes before their first
// entry or between their records are refused (ZipError), naming the entry.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { InputError } from '../../engine/source-files.js';
import { crc32 } from './crc32.js';

/** The archive is not one harden reads: malformed, encrypted, multi-disk, or an entry is unsafe. */
export class ZipError extends InputError {
  constructor(archive: string, reason: string) {
    super(archive, reason);
  }
}

/** Random access to the archive's bytes. */
export interface ZipSource {
  readonly size: number;
  /** Exactly `length` bytes at `pos` (a short read is a ZipError). */
  read(pos: number, length: number): Buffer;
}

export interface FileSource extends ZipSource {
  close(): void;
}

export function fileSource(path: string): FileSource {
  const fd = openSync(path, 'r');
  let size: number;
  try {
    size = fstatSync(fd).size;
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return {
    size,
    read(pos, length) {
      const buf = Buffer.alloc(length);
      let got = 0;
      while (got < length) {
        const n = readSync(fd, buf, got, length - got, pos + got);
        if (n === 0) throw new ZipError(path, `ends at byte ${pos + got}, inside a record that should be ${length} bytes long (truncated archive?)`);
        got += n;
      }
      return buf;
    },
    close: () => closeSync(fd),
  };
}

export function bufferSource(bytes: Buffer, label = 'the archive'): ZipSource {
  return {
    size: bytes.length,
    read(pos, length) {
      if (pos < 0 || pos + length > bytes.length) throw new ZipError(label, `ends at byte ${bytes.length}, inside a record (truncated archive?)`);
      return bytes.subarray(pos, pos + length);
    },
  };
}

export const SIG = {
  local: 0x04034b50,
  central: 0x02014b50,
  eocd: 0x06054b50,
  zip64Eocd: 0x06064b50,
  zip64Locator: 0x07064b50,
  descriptor: 0x08074b50,
} as const;

export const FLAG = { encrypted: 0x0001, descriptor: 0x0008, strongEncryption: 0x0040, utf8: 0x0800 } as const;
export const METHOD = { stored: 0, deflated: 8 } as const;
export const MAX32 = 0xffffffff;
export const ZIP64_EXTRA = 0x0001;
const UNICODE_PATH_EXTRA = 0x7075;

/** How an entry's data descriptor is written (after its data, when flag bit 3 is set). */
export interface Descriptor {
  signature: boolean;
  /** ZIP64: sizes are 8 bytes wide. */
  wide: boolean;
  length: number;
}

export interface ZipEntry {
  /** Position in the central directory (0-based). */
  index: number;
  /** The name as harden reads it (UTF-8 when flagged or valid, else CP437). */
  name: string;
  rawName: Buffer;
  versionMadeBy: number;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  externalAttr: number;
  /** This entry's record inside the central directory buffer. */
  central: { offset: number; length: number };
  /** Where the local header, data and descriptor are in the archive. */
  local: { headerLength: number; dataOffset: number; end: number; descriptor?: Descriptor };
  isDirectory: boolean;
  isSymlink: boolean;
  /** Unix permission and type bits, when the entry was made on Unix. */
  unixMode?: number;
}

export interface ZipArchive {
  /** What messages call the archive (its path). */
  label: string;
  size: number;
  entries: ZipEntry[];
  /** The central directory's bytes, as read. */
  centralDirectory: Buffer;
  cdOffset: number;
  /** The end-of-central-directory record with its comment, as read. */
  eocd: Buffer;
  eocdOffset: number;
  /** The ZIP64 end record and its locator, when the archive has them. */
  zip64?: { record: Buffer; recordOffset: number; locator: Buffer; locatorOffset: number };
}

// Code page 437 (the ZIP default for names without the UTF-8 flag), bytes 0x80 to 0xFF.
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

function decodeName(raw: Buffer, utf8Flag: boolean): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    if (utf8Flag) return undefined;
    return [...raw].map((b) => (b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80]!)).join('');
  }
}

/** The extra fields of a header, by id (the first of each id). */
export function extraFields(extra: Buffer): Map<number, { offset: number; data: Buffer }> {
  const out = new Map<number, { offset: number; data: Buffer }>();
  let p = 0;
  while (p + 4 <= extra.length) {
    const id = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    if (p + 4 + len > extra.length) break;
    if (!out.has(id)) out.set(id, { offset: p + 4, data: extra.subarray(p + 4, p + 4 + len) });
    p += 4 + len;
  }
  return out;
}

const u64 = (b: Buffer, at: number, label: string): number => {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError(label, `a ZIP64 size or offset (${v}) is too large`);
  return Number(v);
};

function findEocd(src: ZipSource, label: string): number {
  const tail = Math.min(src.size, 22 + 0xffff);
  if (src.size < 22) throw new ZipError(label, `not a ZIP archive (${src.size} bytes, too short for one)`);
  const buf = src.read(src.size - tail, tail);
  for (let p = buf.length - 22; p >= 0; p--) {
    if (buf.readUInt32LE(p) !== SIG.eocd) continue;
    // The record and its comment must end the file: a signature inside a comment is not the record.
    if (p + 22 + buf.readUInt16LE(p + 20) === buf.length) return src.size - tail + p;
  }
  throw new ZipError(label, `not a ZIP archive (no end-of-central-directory record at its end)`);
}

/** Reads the central directory and every local header; refuses what harden cannot safely read or copy. */
export function readZip(src: ZipSource, label: string): ZipArchive {
  const eocdOffset = findEocd(src, label);
  const eocd = src.read(eocdOffset, src.size - eocdOffset);
  const disk = eocd.readUInt16LE(4);
  const cdDisk = eocd.readUInt16LE(6);
  let diskEntries = eocd.readUInt16LE(8);
  let count = eocd.readUInt16LE(10);
  let cdSize = eocd.readUInt32LE(12);
  let cdOffset = eocd.readUInt32LE(16);
  let zip64: ZipArchive['zip64'];
  let cdEnd = eocdOffset;
  if (eocdOffset >= 20 && src.read(eocdOffset - 20, 4).readUInt32LE(0) === SIG.zip64Locator) {
    const locatorOffset = eocdOffset - 20;
    const locator = src.read(locatorOffset, 20);
    const recordOffset = u64(locator, 8, label);
    if (locator.readUInt32LE(4) !== 0 || locator.readUInt32LE(16) > 1) throw new ZipError(label, `a multi-disk (split) archive; harden reads single-file archives only`);
    if (recordOffset + 56 > locatorOffset) throw new ZipError(label, `its ZIP64 end record is not where its locator says`);
    const record = src.read(recordOffset, locatorOffset - recordOffset);
    if (record.readUInt32LE(0) !== SIG.zip64Eocd || 12 + u64(record, 4, label) !== record.length) {
      throw new ZipError(label, `its ZIP64 end record is not where its locator says, or bytes follow it`);
    }
    if (record.readUInt32LE(16) !== 0 || record.readUInt32LE(20) !== 0) throw new ZipError(label, `a multi-disk (split) archive; harden reads single-file archives only`);
    diskEntries = u64(record, 24, label);
    count = u64(record, 32, label);
    cdSize = u64(record, 40, label);
    cdOffset = u64(record, 48, label);
    zip64 = { record, recordOffset, locator, locatorOffset };
    cdEnd = recordOffset;
  } else if (disk !== 0 || cdDisk !== 0) {
    throw new ZipError(label, `a multi-disk (split) archive; harden reads single-file archives only`);
  }
  if (diskEntries !== count) throw new ZipError(label, `a multi-disk (split) archive; harden reads single-file archives only`);
  if (cdOffset + cdSize !== cdEnd) {
    throw new ZipError(
      label,
      cdOffset + cdSize < cdEnd
        ? `has ${cdEnd - cdOffset - cdSize} byte(s) of unknown data before its end record (or bytes before its first entry, as a self-extracting archive has); harden reads plain ZIP archives only`
        : `its central directory runs past its end record (truncated or corrupt archive)`,
    );
  }
  const cd = src.read(cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let index = 0; index < count; index++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG.central) throw new ZipError(label, `its central directory is corrupt at entry ${index + 1} of ${count}`);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    const length = 46 + nameLen + extraLen + commentLen;
    if (p + length > cd.length) throw new ZipError(label, `its central directory is corrupt at entry ${index + 1} of ${count}`);
    const rawName = cd.subarray(p + 46, p + 46 + nameLen);
    const extra = cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    const flags = cd.readUInt16LE(p + 8);
    const fields = extraFields(extra);
    let name = decodeName(rawName, (flags & FLAG.utf8) !== 0);
    const shown = name ?? rawName.toString('latin1');
    if (name === undefined) throw new ZipError(label, `entry "${shown}" is flagged as UTF-8 but its name is not valid UTF-8`);
    // Info-ZIP's Unicode Path field names the entry when its CRC matches the plain name (unzip uses it too).
    const unicode = fields.get(UNICODE_PATH_EXTRA);
    if (unicode && unicode.data.length > 5 && unicode.data[0] === 1 && unicode.data.readUInt32LE(1) === crc32(rawName)) {
      const alt = decodeName(unicode.data.subarray(5), true);
      if (alt === undefined) throw new ZipError(label, `entry "${shown}" has a Unicode Path field that is not valid UTF-8`);
      const why = unsafeName(alt);
      if (why) throw new ZipError(label, `entry "${shown}" (named "${alt}" by its Unicode Path field) ${why}`);
      name = alt;
    }
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    let localOffset = cd.readUInt32LE(p + 42);
    const diskStart = cd.readUInt16LE(p + 34);
    if (size === MAX32 || compressedSize === MAX32 || localOffset === MAX32 || diskStart === 0xffff) {
      const z = fields.get(ZIP64_EXTRA);
      if (!z) throw new ZipError(label, `entry "${name}" needs a ZIP64 field and has none (corrupt archive)`);
      let q = 0;
      const next = (): number => {
        if (q + 8 > z.data.length) throw new ZipError(label, `entry "${name}" has a short ZIP64 field (corrupt archive)`);
        const v = u64(z.data, q, label);
        q += 8;
        return v;
      };
      if (size === MAX32) size = next();
      if (compressedSize === MAX32) compressedSize = next();
      if (localOffset === MAX32) localOffset = next();
    }
    if (diskStart !== 0 && diskStart !== 0xffff) throw new ZipError(label, `a multi-disk (split) archive; harden reads single-file archives only`);
    const versionMadeBy = cd.readUInt16LE(p + 4);
    const method = cd.readUInt16LE(p + 10);
    const externalAttr = cd.readUInt32LE(p + 38);
    if (flags & (FLAG.encrypted | FLAG.strongEncryption) || method === 99) {
      throw new ZipError(label, `entry "${name}" is encrypted; harden reads unencrypted archives only (WSO2 ships its packs unencrypted)`);
    }
    const unixMode = versionMadeBy >> 8 === 3 ? externalAttr >>> 16 : undefined;
    const type = (unixMode ?? 0) & 0o170000;
    entries.push({
      index,
      name,
      rawName,
      versionMadeBy,
      flags,
      method,
      crc: cd.readUInt32LE(p + 16),
      compressedSize,
      size,
      localOffset,
      externalAttr,
      central: { offset: p, length },
      local: { headerLength: 0, dataOffset: 0, end: 0 },
      isDirectory: name.endsWith('/') || type === 0o040000 || (unixMode === undefined && (externalAttr & 0x10) !== 0 && size === 0),
      isSymlink: type === 0o120000,
      ...(unixMode !== undefined ? { unixMode } : {}),
    });
    p += length;
  }
  if (p !== cd.length) throw new ZipError(label, `its central directory holds ${cd.length - p} byte(s) past its ${count} entries (corrupt archive)`);
  for (const e of entries) {
    const why = unsafeName(e.name);
    if (why) throw new ZipError(label, `entry "${e.name}" ${why}; harden refuses archives with entries that could be written outside the folder they are extracted to`);
  }
  assertNoDuplicates(entries, label);
  const shapes = entries.map((e) => readLocal(src, e, label));
  const byOffset = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  byOffset.forEach((e, i) => {
    const next = byOffset[i + 1];
    const limit = next ? next.localOffset : cdOffset;
    const fits = shapes[e.index]!.find((d) => e.local.dataOffset + e.compressedSize + d.length === limit);
    if (fits && fits !== e.local.descriptor) e.local = { ...e.local, end: limit, descriptor: fits };
    if (e.local.end > limit) {
      throw new ZipError(label, `entry "${e.name}" overlaps ${next ? `entry "${next.name}"` : 'the central directory'} (a malformed or malicious archive)`);
    }
  });
  return { label, size: src.size, entries, centralDirectory: cd, cdOffset, eocd, eocdOffset, ...(zip64 ? { zip64 } : {}) };
}

/**
 * Why a name must not be extracted, or undefined: absolute paths, drive letters, backslashes (a
 * separator on Windows), '..' or '.' segments, empty segments, control characters.
 */
export function unsafeName(name: string): string | undefined {
  if (name.length === 0) return 'has an empty name';
  if (name.includes('\\')) return 'has a backslash in its name (a path separator on Windows)';
  if (name.startsWith('/')) return 'has an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'has a control character in its name';
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.includes('..')) return "has a '..' segment";
  if (segments.includes('.')) return "has a '.' segment";
  if (segments.includes('')) return 'has an empty path segment (//)';
  return undefined;
}

function assertNoDuplicates(entries: ZipEntry[], label: string): void {
  const seen = new Map<string, ZipEntry>();
  for (const e of entries) {
    const key = e.name.replace(/\/$/, '');
    const before = seen.get(key);
    if (before) {
      throw new ZipError(
        label,
        before.name === e.name
          ? `entry "${e.name}" appears twice; harden refuses archives with duplicate names (which copy would a tool extract?)`
          : `"${key}" is both a file and a directory entry ("${before.name}", "${e.name}")`,
      );
    }
    seen.set(key, e);
  }
  // A file entry cannot also be a directory others live under.
  for (const e of entries) {
    const segs = e.name.replace(/\/$/, '').split('/');
    for (let i = 1; i < segs.length; i++) {
      const parent = seen.get(segs.slice(0, i).join('/'));
      if (parent && !parent.isDirectory) throw new ZipError(label, `entry "${e.name}" lies under "${parent.name}", which is a file entry`);
    }
  }
}

/**
 * Reads an entry's local header: checks it agrees with the central directory, finds its data and
 * descriptor. Returns the descriptor shapes that match (most likely first).
 */
function readLocal(src: ZipSource, e: ZipEntry, label: string): Descriptor[] {
  if (e.localOffset + 30 > src.size) throw new ZipError(label, `entry "${e.name}" starts past the end of the archive (corrupt)`);
  const head = src.read(e.localOffset, 30);
  if (head.readUInt32LE(0) !== SIG.local) throw new ZipError(label, `entry "${e.name}" has no local header where the central directory says (corrupt archive)`);
  const nameLen = head.readUInt16LE(26);
  const extraLen = head.readUInt16LE(28);
  const headerLength = 30 + nameLen + extraLen;
  const rest = src.read(e.localOffset + 30, nameLen + extraLen);
  if (!rest.subarray(0, nameLen).equals(e.rawName)) {
    throw new ZipError(label, `entry "${e.name}" has the local name "${rest.subarray(0, nameLen).toString('latin1')}"; the two names of an entry must agree (a malformed or malicious archive)`);
  }
  const localFlags = head.readUInt16LE(6);
  if (localFlags & (FLAG.encrypted | FLAG.strongEncryption)) throw new ZipError(label, `entry "${e.name}" is encrypted; harden reads unencrypted archives only`);
  if (head.readUInt16LE(8) !== e.method) throw new ZipError(label, `entry "${e.name}" has different compression methods in its two headers (corrupt archive)`);
  const dataOffset = e.localOffset + headerLength;
  let end = dataOffset + e.compressedSize;
  if (end > src.size) throw new ZipError(label, `entry "${e.name}" runs past the end of the archive (truncated?)`);
  let descriptor: Descriptor | undefined;
  let shapes: Descriptor[] = [];
  if (localFlags & FLAG.descriptor) {
    const avail = Math.min(24, src.size - end);
    const d = src.read(end, avail);
    // A ZIP64 local field means 8-byte sizes; small values can read either way, so both are kept
    // and readZip picks the one after which the next record starts.
    const wideFirst = extraFields(rest.subarray(nameLen)).has(ZIP64_EXTRA);
    shapes = descriptorShapes(d, e, wideFirst);
    descriptor = shapes[0];
    if (!descriptor) throw new ZipError(label, `entry "${e.name}" has a data descriptor that does not match the central directory (corrupt archive)`);
    end += descriptor.length;
  }
  e.local = { headerLength, dataOffset, end, ...(descriptor ? { descriptor } : {}) };
  return shapes;
}

function descriptorShapes(d: Buffer, e: ZipEntry, wideFirst: boolean): Descriptor[] {
  const found: Descriptor[] = [];
  for (const signature of [true, false]) {
    for (const wide of wideFirst ? [true, false] : [false, true]) {
      const length = (signature ? 4 : 0) + 4 + (wide ? 16 : 8);
      if (d.length < length) continue;
      let p = 0;
      if (signature) {
        if (d.readUInt32LE(0) !== SIG.descriptor) continue;
        p = 4;
      }
      const crc = d.readUInt32LE(p);
      const cs = wide ? Number(d.readBigUInt64LE(p + 4)) : d.readUInt32LE(p + 4);
      const us = wide ? Number(d.readBigUInt64LE(p + 12)) : d.readUInt32LE(p + 8);
      if (crc === e.crc && cs === e.compressedSize && us === e.size) found.push({ signature, wide, length });
    }
  }
  return found;
}

/** An entry's uncompressed bytes, CRC-checked; refuses entries larger than `maxBytes` before inflating them. */
export function entryData(src: ZipSource, zip: ZipArchive, e: ZipEntry, maxBytes: number): Buffer {
  if (e.size > maxBytes) throw new ZipError(zip.label, `entry "${e.name}" is ${e.size} bytes, over the ${maxBytes}-byte limit`);
  const raw = src.read(e.local.dataOffset, e.compressedSize);
  let data: Buffer;
  if (e.method === METHOD.stored) data = raw;
  else if (e.method === METHOD.deflated) {
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size + 1) });
    } catch (err) {
      throw new ZipError(zip.label, `entry "${e.name}" cannot be inflated (${(err as Error).message}); the archive is corrupt`);
    }
  } else {
    throw new ZipError(zip.label, `entry "${e.name}" uses compression method ${e.method}; harden reads stored (0) and deflated (8) entries only`);
  }
  if (data.length !== e.size || crc32(data) !== e.crc) {
    throw new ZipError(zip.label, `entry "${e.name}" fails its CRC-32 or size check; the archive is corrupt`);
  }
  return data;
}
