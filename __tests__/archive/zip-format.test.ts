// harden's ZIP reader and writer (src/io/zip) against archives written by other tools: python3's zipfile
// and Info-ZIP's zip, in the shapes they write (stored, deflated, data descriptors, ZIP64, UTF-8 names).
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from '../../src/io/zip/crc32.js';
import { bufferSource, entryData, readZip, ZipError } from '../../src/io/zip/read.js';
import { writeZip } from '../../src/io/zip/write.js';
import { ArchiveHome } from '../../src/io/read-archive.js';
import { writeHardenedArchive } from '../../src/io/write-archive.js';
import { expandGlob, readHome } from '../../src/io/read-home.js';
import { repoRoot } from '../helpers/corpus.js';
import { cleanupScratch, pyZip, scratch, stageHome, zipTree, type PyEntry } from './zips.js';

afterAll(cleanupScratch);

const ENTRIES: PyEntry[] = [
  { name: 'home/', data: '' },
  { name: 'home/conf/carbon.xml', data: '<Server>\n  <Version>4.4.35</Version>\n</Server>\n'.repeat(40) },
  { name: 'home/conf/café-ünïcode.properties', data: 'clé=valeur\n' },
  { name: 'home/bin/version.txt', data: 'WSO2 API Manager v2.6.0\n', method: 0 },
  { name: 'home/empty.txt', data: '' },
];

function all(zip: Buffer): Map<string, string> {
  const src = bufferSource(zip);
  const z = readZip(src, 'test.zip');
  return new Map(z.entries.map((e) => [e.name, entryData(src, z, e, 1 << 20).toString('utf8')]));
}

/** Python's zipfile reads an archive and checks every CRC; returns name → content. */
function pythonReads(path: string): Record<string, string> {
  const script = `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps({i.filename: z.read(i).decode('utf-8') for i in z.infolist()}))
`;
  return JSON.parse(execFileSync('python3', ['-c', script, path]).toString('utf8'));
}

describe('zip: CRC-32', () => {
  it('gives the standard check value and continues across chunks', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.from('56789'), crc32(Buffer.from('1234')))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });
});

describe.each([
  ['deflated and stored', {}],
  ['written to a pipe (data descriptors)', { stream: true }],
  ['with ZIP64 fields', { zip64: true }],
  ['with ZIP64 fields, written to a pipe', { zip64: true, stream: true }],
])('zip: an archive by python zipfile, %s', (_what, opts) => {
  const path = pyZip(join(scratch(), 'p.zip'), ENTRIES, { ...opts, comment: 'an archive comment' });
  const bytes = readFileSync(path);

  it('reads every entry: names (UTF-8 flagged), content, kinds', () => {
    const got = all(bytes);
    expect([...got.keys()]).toEqual(ENTRIES.map((e) => e.name));
    for (const e of ENTRIES) expect(got.get(e.name)).toBe(e.data);
    const z = readZip(bufferSource(bytes), 'p.zip');
    expect(z.entries.map((e) => e.isDirectory)).toEqual([true, false, false, false, false]);
    expect(z.entries.find((e) => e.name.includes('café'))!.flags & 0x800).toBe(0x800);
    if ('stream' in opts) expect(z.entries.filter((e) => e.local.descriptor).length).toBeGreaterThan(0);
  });

  it('writes it back byte for byte when nothing is replaced', () => {
    const chunks: Buffer[] = [];
    writeZip(bufferSource(bytes), readZip(bufferSource(bytes), 'p.zip'), new Map(), (c) => chunks.push(Buffer.from(c)));
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('replaces entries with fresh CRCs and sizes that python reads back', () => {
    const z = readZip(bufferSource(bytes), 'p.zip');
    const xml = z.entries.find((e) => e.name === 'home/conf/carbon.xml')!;
    const stored = z.entries.find((e) => e.name === 'home/bin/version.txt')!;
    const chunks: Buffer[] = [];
    const replaced = new Map([
      [xml.index, Buffer.from('<Server>\n  <Version>4.4.35</Version>\n  <Hardened/>\n</Server>\n')],
      [stored.index, Buffer.from('WSO2 API Manager v2.6.0 (hardened)\n')],
    ]);
    writeZip(bufferSource(bytes), z, replaced, (c) => chunks.push(Buffer.from(c)));
    const out = join(scratch(), 'out.zip');
    execFileSync('sh', ['-c', 'cat > "$1"', 'sh', out], { input: Buffer.concat(chunks) });
    const read = pythonReads(out);
    expect(read['home/conf/carbon.xml']).toBe('<Server>\n  <Version>4.4.35</Version>\n  <Hardened/>\n</Server>\n');
    expect(read['home/bin/version.txt']).toBe('WSO2 API Manager v2.6.0 (hardened)\n');
    expect(read['home/conf/café-ünïcode.properties']).toBe('clé=valeur\n');
    expect(execFileSync('unzip', ['-t', out]).toString()).toMatch(/No errors detected/);
    // Stored stays stored, deflated stays deflated.
    const again = readZip(bufferSource(Buffer.concat(chunks)), 'out.zip');
    expect(again.entries.map((e) => e.method)).toEqual(z.entries.map((e) => e.method));
  });
});

describe('zip: refusals', () => {
  const base = readFileSync(pyZip(join(scratch(), 'b.zip'), ENTRIES));

  it('an entry whose local name differs from its central-directory name', () => {
    const bad = Buffer.from(base);
    const at = bad.indexOf(Buffer.from('home/conf/carbon.xml'));
    bad.write('home/conf/carbon.XML', at, 'latin1'); // the local header's copy (it comes first)
    expect(() => readZip(bufferSource(bad), 'b.zip')).toThrow(/entry "home\/conf\/carbon\.xml" has the local name "home\/conf\/carbon\.XML"/);
  });

  it('an entry whose data overlaps the next one (a zip bomb shape)', () => {
    const bad = Buffer.from(base);
    const cd = bad.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1'));
    // The last central record's compressed size, made to run into the central directory.
    bad.writeUInt32LE(0x7fff, cd + 20);
    expect(() => readZip(bufferSource(bad), 'b.zip')).toThrow(ZipError);
  });

  it('bytes before the first entry (a self-extracting stub)', () => {
    const bad = Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), base]);
    expect(() => readZip(bufferSource(bad), 'b.zip')).toThrow(/bytes before its first entry/);
  });

  it('an entry too large to be a configuration file is not inflated', () => {
    const src = bufferSource(base);
    const z = readZip(src, 'b.zip');
    expect(() => entryData(src, z, z.entries[1]!, 100)).toThrow(/over the 100-byte limit/);
  });
});

describe('archive home: where the home is, and what it lists and reads', () => {
  it.each([
    ['one top-level folder', ['wso2am-2.6.0/bin/version.txt', 'wso2am-2.6.0/repository/conf/carbon.xml'], 'wso2am-2.6.0/'],
    ['one top-level folder beside __MACOSX/', ['wso2am-2.6.0/bin/version.txt', '__MACOSX/wso2am-2.6.0/._x'], 'wso2am-2.6.0/'],
    ['the home itself', ['bin/version.txt', 'repository/conf/carbon.xml'], ''],
    ['only repository/ (a home, not a wrapper)', ['repository/conf/carbon.xml'], ''],
    ['two top-level folders', ['a/bin/version.txt', 'b/bin/version.txt'], ''],
  ])('%s', (_what, names, root) => {
    const zip = pyZip(join(scratch(), 'r.zip'), names.map((name) => ({ name, data: 'x' })));
    expect(ArchiveHome.open(zip).root).toBe(root);
  });

  it('expands globs and reads files exactly as read-home does in the unpacked folder', () => {
    const { parent, home } = stageHome(join(repoRoot, 'examples', 'apim-2.6-home'), 'wso2am-2.6.0');
    const zip = zipTree(parent, 'pack.zip', 'wso2am-2.6.0');
    const archive = ArchiveHome.open(zip);
    const patterns = ['*', 'bin/*', 'bin/*.sh', 'repository/conf/*', 'repository/**', '**/*.xml', 'samples/*', 'samples/conf/*', 'samples/conf/tomcat/*', 'samples/README.txt', 'repository/components/plugins/*.jar', 'missing/*', 'samples/**'];
    for (const p of patterns) expect({ p, found: archive.expandGlob(p) }).toEqual({ p, found: expandGlob(home, p) });
    const read = ['bin/*.sh', 'repository/conf/**', 'samples/README.txt'];
    const list = ['bin/*', 'repository/conf/*'];
    const stat = ['repository/components/plugins/*.jar', 'bin/*'];
    const a = archive.read(read, list, undefined, stat);
    const d = readHome(home, read, list, undefined, stat);
    expect(a.listing).toEqual(d.listing);
    expect(a.paths()).toEqual(d.paths());
    for (const p of d.paths()) expect(a.get(p)).toEqual(d.get(p));
    expect([...a.statModes]).toEqual([...d.statModes]);
    expect(a.paths()).toContain('samples/README.txt');
  });
});

describe('zip: the hardened copy is written only from the archive harden read', () => {
  it('refuses, leaving no file, when the archive changed after it was read', () => {
    const { parent } = stageHome(join(repoRoot, 'examples', 'apim-2.6-home'), 'wso2am-2.6.0', { extras: false });
    const zip = zipTree(parent, 'pack.zip', 'wso2am-2.6.0');
    const home = ArchiveHome.open(zip);
    expect(home.root).toBe('wso2am-2.6.0/');
    const files = home.read(['repository/conf/carbon.xml'], []);
    const before = Buffer.from(files.get('repository/conf/carbon.xml')!.text);
    execFileSync('zip', ['-q', '-z', zip], { input: 'changed\n' });
    appendFileSync(join(parent, 'marker'), '');
    const out = join(parent, 'hardened.zip');
    expect(() => writeHardenedArchive(home, [{ path: 'repository/conf/carbon.xml', bytes: Buffer.from('<x/>'), expected: before }], out)).toThrow(/changed since harden read it/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(parent).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
