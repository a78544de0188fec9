// Product archives for the archive suites: staged homes zipped with Info-ZIP's zip (as operators and
// WSO2's builds make them), hand-made ones with python3's zipfile (for entries zip will not write), and
// independent views of an archive (python's zipfile, zipinfo) to judge harden's output by.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

export function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'harden-archive-'));
  made.push(dir);
  return dir;
}

export function cleanupScratch(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

function ownerWritable(p: string): void {
  const st = lstatSync(p);
  if (st.isSymbolicLink()) return;
  if ((st.mode & 0o200) === 0) chmodSync(p, (st.mode & 0o7777) | 0o200);
  if (st.isDirectory()) for (const name of readdirSync(p)) ownerWritable(join(p, name));
}

/**
 * A copy of `src` as `<parent>/<name>`, owner-writable as a real home is, with what a shipped pack has
 * besides configuration: a binary jar, a keystore, an empty folder, a README and links that stay inside
 * the home.
 */
export function stageHome(src: string, name = 'wso2am-2.6.0', { extras = true, links = true } = {}): { parent: string; home: string } {
  const parent = scratch();
  const home = join(parent, name);
  cpSync(src, home, { recursive: true });
  ownerWritable(home);
  if (extras) {
    const plugins = join(home, 'repository/components/plugins');
    mkdirSync(plugins, { recursive: true });
    // Deterministic bytes that do not compress well, as a jar's.
    const jar = Buffer.alloc(96 * 1024);
    let x = 12345;
    for (let i = 0; i < jar.length; i++) jar[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    writeFileSync(join(plugins, 'org.example.bundle_1.0.0.jar'), jar);
    // A keystore readable by all: file-permissions changes its mode alone.
    mkdirSync(join(home, 'repository/resources/security'), { recursive: true });
    writeFileSync(join(home, 'repository/resources/security/wso2carbon.jks'), jar.subarray(0, 2048), { mode: 0o644 });
    chmodSync(join(home, 'repository/resources/security/wso2carbon.jks'), 0o644);
    mkdirSync(join(home, 'repository/logs'), { recursive: true });
    writeFileSync(join(home, 'README.txt'), 'WSO2 product pack (test copy)\n');
    mkdirSync(join(home, 'samples'), { recursive: true });
    if (links) {
      symlinkSync('../README.txt', join(home, 'samples/README.txt'));
      symlinkSync('../repository/conf', join(home, 'samples/conf'));
    }
  }
  return { parent, home };
}

/** `zip -r <flags> <out> <entry>` run in `cwd`. */
export function zipTree(cwd: string, out: string, entry: string, flags: string[] = []): string {
  execFileSync('zip', ['-q', '-r', '-y', ...flags, out, entry], { cwd, stdio: 'pipe' });
  return join(cwd, out);
}

/**
 * zip writing to a pipe, as a build streaming its output does: every file entry gets a data descriptor.
 * (zip cannot stream links: they are stored, and it stores nothing to a pipe.)
 */
export function zipStreamed(cwd: string, out: string, entry: string, flags: string[] = []): string {
  execFileSync('sh', ['-c', `zip -q -r -y ${flags.join(' ')} - "$1" | cat > "$2"`, 'sh', entry, out], { cwd, stdio: 'pipe' });
  return join(cwd, out);
}

export interface PyEntry {
  name: string;
  /** UTF-8 content (files and link targets). */
  data?: string;
  /** Content as base64 (bytes that are not UTF-8). */
  b64?: string;
  link?: boolean;
  /** Python zipfile's compress_type: 0 stored, 8 deflated (default). */
  method?: 0 | 8;
}

/**
 * Writes an archive with python3's zipfile: any names (even the unsafe ones zip refuses to write),
 * links, duplicates; `stream` writes to an unseekable pipe (data descriptors), `zip64` forces ZIP64 fields.
 */
export function pyZip(out: string, entries: PyEntry[], { stream = false, zip64 = false, comment = '' } = {}): string {
  const script = `
import base64, io, json, sys, warnings, zipfile
warnings.simplefilter('ignore')
spec = json.load(sys.stdin)
class Pipe(io.RawIOBase):
    def __init__(self, f): self.f = f
    def writable(self): return True
    def write(self, b): return self.f.write(b)
with open(spec['out'], 'wb') as f:
    target = Pipe(f) if spec['stream'] else f
    with zipfile.ZipFile(target, 'w', zipfile.ZIP_DEFLATED) as z:
        for e in spec['entries']:
            i = zipfile.ZipInfo(e['name'], (2024, 5, 17, 10, 30, 0))
            i.compress_type = e.get('method', 8)
            i.create_system = 3
            if e['name'].endswith('/'):
                i.external_attr = (0o40755 << 16) | 0x10
            elif e.get('link'):
                i.external_attr = 0o120777 << 16
            else:
                i.external_attr = 0o100644 << 16
            data = base64.b64decode(e['b64']) if 'b64' in e else e.get('data', '').encode('utf-8')
            if spec['zip64']:
                with z.open(i, 'w', force_zip64=True) as w: w.write(data)
            else:
                z.writestr(i, data)
        z.comment = spec['comment'].encode('utf-8')
`;
  execFileSync('python3', ['-c', script], { input: JSON.stringify({ out, entries, stream, zip64, comment }), stdio: ['pipe', 'pipe', 'pipe'] });
  return out;
}

/** The entries of a home as PyEntry (files only, relative names under `prefix`). */
export function homeEntries(home: string, prefix: string): PyEntry[] {
  const out: PyEntry[] = [];
  const visit = (rel: string): void => {
    for (const name of readdirSync(join(home, rel)).sort()) {
      const child = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(home, child));
      if (st.isDirectory()) visit(child);
      else if (st.isFile()) out.push({ name: `${prefix}${child}`, b64: readFileSync(join(home, child)).toString('base64') });
    }
  };
  visit('');
  return out;
}

/**
 * Each entry's bytes in the archive, local header to the next record (python's zipfile finds where):
 * name → { sha256, length }. Also the archive and entry comments.
 */
export function rawEntries(zip: string): { entries: Record<string, { sha256: string; length: number; comment: string; date: number[]; attr: number }>; comment: string } {
  const script = `
import hashlib, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
data = open(sys.argv[1], 'rb').read()
infos = z.infolist()
starts = sorted(i.header_offset for i in infos) + [z.start_dir]
out = {}
for i in infos:
    s = i.header_offset
    e = starts[starts.index(s) + 1]
    out[i.filename] = {'sha256': hashlib.sha256(data[s:e]).hexdigest(), 'length': e - s, 'comment': i.comment.decode('utf-8', 'replace'), 'date': list(i.date_time), 'attr': i.external_attr}
print(json.dumps({'entries': out, 'comment': z.comment.decode('utf-8', 'replace')}))
`;
  return JSON.parse(execFileSync('python3', ['-c', script, zip]).toString('utf8'));
}

/** Names in central-directory order (python's zipfile). */
export function entryNames(zip: string): string[] {
  return JSON.parse(execFileSync('python3', ['-c', 'import json,sys,zipfile; print(json.dumps(zipfile.ZipFile(sys.argv[1]).namelist()))', zip]).toString('utf8'));
}

/**
 * `zipinfo -v` per entry, without what necessarily moves when an earlier entry changes size: the local
 * header's offset (and a ZIP64 field's bytes, which may hold it). The archive-wide header is dropped.
 */
export function zipinfoBlocks(zip: string): Map<string, string> {
  const text = execFileSync('zipinfo', ['-v', zip], { maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
  const blocks = new Map<string, string>();
  for (const block of text.split(/^Central directory entry #\d+:\n-+\n/m).slice(1)) {
    const lines = block.split('\n');
    const name = lines.find((l) => l.trim() !== '')!.trim();
    const kept: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (/offset of local header from start of archive/.test(l)) {
        i++; // its continuation line (the hex form)
        continue;
      }
      if (/ID 0x0001 \(PKWARE 64-bit sizes\)/.test(l)) {
        kept.push(l);
        while (i + 1 < lines.length && /^\s+[0-9a-f]{2}( [0-9a-f]{2})*\.?$/.test(lines[i + 1]!)) i++;
        continue;
      }
      kept.push(l);
    }
    blocks.set(name, kept.join('\n'));
  }
  return blocks;
}

/** A zipinfo block without the lines a fixed entry changes: CRC and sizes, and its Unix mode. */
export function withoutSizes(block: string): string {
  return block
    .split('\n')
    .filter((l) => !/32-bit CRC value|compressed size:|uncompressed size:|Unix file attributes/.test(l))
    .join('\n');
}

export function unzipTest(zip: string): string {
  return execFileSync('unzip', ['-t', zip]).toString('utf8');
}

export function extract(zip: string, into: string): string {
  mkdirSync(into, { recursive: true });
  execFileSync('unzip', ['-q', zip, '-d', into]);
  return into;
}
