// Writes a copy of a ZIP archive in which some entries hold new content. Every other entry's local
// header, data and data descriptor are copied byte for byte, in their order; every central-directory
// record is copied with only its local-header offset moved (and, for a replaced entry, its CRC and
// sizes); the end records and the archive comment are kept. A replaced entry keeps its name, flags,
// method, timestamps, extra fields and attributes: it is compressed afresh (deflated at the level its
// flags record, or stored if it was stored) and gets a fresh CRC-32 and sizes.
import { deflateRawSync } from 'node:zlib';
import { crc32 } from './crc32.js';
import { extraFields, MAX32, METHOD, ZIP64_EXTRA, ZipError, type ZipArchive, type ZipEntry, type ZipSource } from './read.js';

const COPY_CHUNK = 4 * 1024 * 1024;

/** The zlib level a deflated entry's flag bits 1-2 record (normal, maximum, fast, super fast). */
const LEVELS = [6, 9, 2, 1] as const;

interface Fresh {
  crc: number;
  size: number;
  compressedSize: number;
  data: Buffer;
}

function compress(e: ZipEntry, content: Buffer, label: string): Fresh {
  let data: Buffer;
  if (e.method === METHOD.stored) data = content;
  else if (e.method === METHOD.deflated) data = deflateRawSync(content, { level: LEVELS[(e.flags >> 1) & 3]! });
  else throw new ZipError(label, `entry "${e.name}" uses compression method ${e.method}; harden writes stored and deflated entries only`);
  return { crc: crc32(content), size: content.length, compressedSize: data.length, data };
}

/** The position in `rec` of the ZIP64 field's slot `slot` (0 size, 1 compressed size, 2 offset), or undefined. */
function zip64Slot(rec: Buffer, extraStart: number, extraLength: number, slot: number, present: boolean[]): number | undefined {
  const z = extraFields(rec.subarray(extraStart, extraStart + extraLength)).get(ZIP64_EXTRA);
  if (!z) return undefined;
  let at = 0;
  for (let i = 0; i < slot; i++) if (present[i]) at += 8;
  return at + 8 <= z.data.length ? extraStart + z.offset + at : undefined;
}

function put32(rec: Buffer, at: number, value: number, label: string, what: string): void {
  if (value >= MAX32) throw new ZipError(label, `${what} would need ZIP64 fields the original does not have; harden does not add them`);
  rec.writeUInt32LE(value, at);
}

/**
 * Sets size (slot 0), compressed size (1) or local-header offset (2) in a central-directory record:
 * in the ZIP64 field when the 32-bit field says so (0xFFFFFFFF), else in the 32-bit field.
 */
function setCentral(rec: Buffer, slot: 0 | 1 | 2, value: number, label: string, what: string): void {
  const at32 = [24, 20, 42][slot]!;
  const present = [24, 20, 42].map((o) => rec.readUInt32LE(o) === MAX32);
  if (present[slot]) {
    const nameLen = rec.readUInt16LE(28);
    const pos = zip64Slot(rec, 46 + nameLen, rec.readUInt16LE(30), slot, present);
    if (pos === undefined) throw new ZipError(label, `${what} has a short ZIP64 field`);
    rec.writeBigUInt64LE(BigInt(value), pos);
  } else put32(rec, at32, value, label, what);
}

/**
 * Sets CRC and sizes in a replaced entry's local header. With a data descriptor the header may carry
 * zeros (the values follow the data): a zero stays a zero.
 */
function patchLocal(head: Buffer, f: Fresh, hasDescriptor: boolean, label: string, what: string): void {
  const keep = (v: number | bigint): boolean => hasDescriptor && (v === 0 || v === 0n);
  if (!keep(head.readUInt32LE(14))) head.writeUInt32LE(f.crc, 14);
  const nameLen = head.readUInt16LE(26);
  const z = extraFields(head.subarray(30 + nameLen, 30 + nameLen + head.readUInt16LE(28))).get(ZIP64_EXTRA);
  const zAt = z ? 30 + nameLen + z.offset : undefined;
  // The local ZIP64 field holds size then compressed size.
  ([[22, 0, f.size], [18, 8, f.compressedSize]] as const).forEach(([at32, slot, value]) => {
    const v32 = head.readUInt32LE(at32);
    if (v32 !== MAX32 && !keep(v32)) put32(head, at32, value, label, what);
    if (zAt !== undefined && z!.data.length >= slot + 8 && !keep(head.readBigUInt64LE(zAt + slot))) head.writeBigUInt64LE(BigInt(value), zAt + slot);
  });
}

function descriptorBytes(e: ZipEntry, f: Fresh): Buffer {
  const d = e.local.descriptor!;
  const out = Buffer.alloc(d.length);
  let p = 0;
  if (d.signature) p = out.writeUInt32LE(0x08074b50, 0);
  p = out.writeUInt32LE(f.crc, p);
  if (d.wide) {
    p = out.writeBigUInt64LE(BigInt(f.compressedSize), p);
    out.writeBigUInt64LE(BigInt(f.size), p);
  } else {
    p = out.writeUInt32LE(f.compressedSize, p);
    out.writeUInt32LE(f.size, p);
  }
  return out;
}

/**
 * Writes the archive with `replace` (entry index → new uncompressed content) to `sink`, in order;
 * `externalAttrs` (entry index → new external attributes: a change of permissions) touches only the
 * entry's central-directory record. Returns the number of bytes written.
 */
export function writeZip(
  src: ZipSource,
  zip: ZipArchive,
  replace: ReadonlyMap<number, Buffer>,
  sink: (chunk: Buffer) => void,
  externalAttrs: ReadonlyMap<number, number> = new Map(),
): number {
  let pos = 0;
  const emit = (b: Buffer): void => {
    if (b.length) sink(b);
    pos += b.length;
  };
  const fresh = new Map<number, Fresh>();
  const offsets = new Map<number, number>();
  for (const e of [...zip.entries].sort((a, b) => a.localOffset - b.localOffset)) {
    offsets.set(e.index, pos);
    const content = replace.get(e.index);
    if (!content) {
      for (let at = e.localOffset; at < e.local.end; at += COPY_CHUNK) emit(src.read(at, Math.min(COPY_CHUNK, e.local.end - at)));
      continue;
    }
    if (e.isDirectory || e.isSymlink) throw new ZipError(zip.label, `entry "${e.name}" is not a file; harden replaces file entries only`);
    const f = compress(e, content, zip.label);
    fresh.set(e.index, f);
    const head = Buffer.from(src.read(e.localOffset, e.local.headerLength));
    patchLocal(head, f, e.local.descriptor !== undefined, zip.label, `entry "${e.name}"`);
    emit(head);
    emit(f.data);
    if (e.local.descriptor) emit(descriptorBytes(e, f));
  }
  for (const index of replace.keys()) if (!fresh.has(index)) throw new ZipError(zip.label, `no entry ${index} to replace`);
  const cdOffset = pos;
  for (const e of zip.entries) {
    const rec = Buffer.from(zip.centralDirectory.subarray(e.central.offset, e.central.offset + e.central.length));
    const what = `entry "${e.name}"`;
    const f = fresh.get(e.index);
    if (f) {
      rec.writeUInt32LE(f.crc, 16);
      setCentral(rec, 0, f.size, zip.label, what);
      setCentral(rec, 1, f.compressedSize, zip.label, what);
    }
    setCentral(rec, 2, offsets.get(e.index)!, zip.label, what);
    const attr = externalAttrs.get(e.index);
    if (attr !== undefined) rec.writeUInt32LE(attr >>> 0, 38);
    emit(rec);
  }
  if (zip.zip64) {
    const record = Buffer.from(zip.zip64.record);
    record.writeBigUInt64LE(BigInt(cdOffset), 48);
    const locator = Buffer.from(zip.zip64.locator);
    locator.writeBigUInt64LE(BigInt(pos), 8);
    emit(record);
    emit(locator);
  }
  const eocd = Buffer.from(zip.eocd);
  if (!(zip.zip64 && eocd.readUInt32LE(16) === MAX32)) put32(eocd, 16, cdOffset, zip.label, "the central directory's new offset");
  emit(eocd);
  return pos;
}
