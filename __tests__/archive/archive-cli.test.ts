// HOME as a product .zip: check and fix --dry-run read it in place and say exactly what they say for the
// unpacked home; fix --yes --out writes a new archive in which only the fixed entries differ, and which
// unpacks to exactly the tree fix --yes gives the unpacked home. Archives are made with Info-ZIP's zip
// in the shapes operators and builds make them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusRoot, hasCorpus, repoRoot } from '../helpers/corpus.js';
import { runCli, type Ran } from '../helpers/capture.js';
import { snapshotTree } from '../helpers/homes.js';
import { hasSarifSchema, sarifValidator } from '../helpers/sarif-schema.js';
import {
  cleanupScratch,
  entryNames,
  extract,
  rawEntries,
  scratch,
  stageHome,
  unzipTest,
  withoutSizes,
  zipinfoBlocks,
  zipStreamed,
  zipTree,
} from './zips.js';

const example = join(repoRoot, 'examples', 'apim-2.6-home');
afterAll(cleanupScratch);

const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
const wroteLines = (r: Ran): string[] => r.stderr.split('\n').filter((l) => /^wrote [^:]+$/.test(l));

/** Links (path → target) and regular files' permission bits below `dir`, for comparing unpacked trees. */
function treeMeta(dir: string): { links: Record<string, string>; modes: Record<string, string> } {
  const links: Record<string, string> = {};
  const modes: Record<string, string> = {};
  const visit = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const child = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(dir, child));
      if (st.isSymbolicLink()) links[child] = readlinkSync(join(dir, child));
      else if (st.isDirectory()) visit(child);
      else modes[child] = (st.mode & 0o7777).toString(8);
    }
  };
  visit('');
  return { links, modes };
}

/** What the unpacked home gives: the reference every archive run is compared with. */
interface Reference {
  home: string;
  check: Ran;
  dryRun: Ran;
  fixed: string;
  fix: Ran;
  /** With `reports`: check --format json, fix --yes --format json, and fix --dry-run after fix --yes. */
  json?: Ran;
  fixJson?: Ran;
  again?: Ran;
}

async function reference(src: string, name: string, { links = true, reports = true } = {}): Promise<Reference> {
  const { home } = stageHome(src, name, { links });
  const fixed = join(scratch(), name);
  cpSync(home, fixed, { recursive: true, verbatimSymlinks: true });
  const check = await runCli(['check', home]);
  const dryRun = await runCli(['fix', home, '--dry-run']);
  const fix = await runCli(['fix', fixed, '--yes', '--no-backup']);
  if (!reports) return { home, check, dryRun, fixed, fix };
  const fixedJson = join(scratch(), name);
  cpSync(home, fixedJson, { recursive: true, verbatimSymlinks: true });
  const json = await runCli(['check', home, '--format', 'json']);
  const fixJson = await runCli(['fix', fixedJson, '--yes', '--no-backup', '--format', 'json']);
  const again = await runCli(['fix', fixed, '--dry-run']);
  return { home, check, json, dryRun, fixed, fix, fixJson, again };
}

/** A JSON report without HOME's name (the archive's path vs the folder's). */
const report = (r: Ran): unknown => {
  const doc = JSON.parse(r.stdout) as Record<string, unknown>;
  delete doc.home;
  return doc;
};

interface Variant {
  name: string;
  /** Makes the archive from `parent`/<home name>, returns its path. */
  make: (parent: string, home: string) => string;
  /** The entries' prefix: the home's folder, or '' when the archive's root is the home. */
  rooted?: boolean;
  /** The home has no symbolic links (zip cannot stream them). */
  noLinks?: boolean;
  /** What `zipinfo -v` of the archive must show: the shape the variant is about is really there. */
  proof: RegExp;
}

const HOME = 'wso2am-2.6.0';
const VARIANTS: Variant[] = [
  {
    name: 'zip -r -y (UT and ux extra fields, folder entries, links)',
    make: (p) => zipTree(p, 'pack.zip', HOME),
    proof: /^(?=[\s\S]*ID 0x5455 \(universal time\))(?=[\s\S]*ID 0x7875 \(Unix UID\/GID)(?=[\s\S]*\(120777 octal\))(?=[\s\S]*^ {2}wso2am-2\.6\.0\/repository\/conf\/$)/m,
  },
  { name: 'zip -X -D (no extra fields, no folder entries)', make: (p) => zipTree(p, 'pack.zip', HOME, ['-X', '-D']), proof: /^(?![\s\S]*ID 0x5455)(?![\s\S]*\/\n\n {2}offset)/ },
  { name: 'zip to a pipe (data descriptors)', make: (p) => zipStreamed(p, 'pack.zip', HOME), noLinks: true, proof: /extended local header: +yes/ },
  { name: 'zip -fz (ZIP64 fields)', make: (p) => zipTree(p, 'pack.zip', HOME, ['-fz']), proof: /PKWARE 64-bit sizes/ },
  { name: 'zip -0 (stored entries)', make: (p) => zipTree(p, 'pack.zip', HOME, ['-0']), proof: /^(?![\s\S]*compression method: +deflated)/ },
  { name: 'zip -9 (maximum compression)', make: (p) => zipTree(p, 'pack.zip', HOME, ['-9']), proof: /compression sub-type \(deflation\): +maximum/ },
  {
    name: 'an archive comment and entry comments',
    make: (p) => {
      const zip = zipTree(p, 'pack.zip', HOME);
      execFileSync('zip', ['-q', '-z', zip], { input: 'hardened by nobody yet\n' });
      execFileSync('zip', ['-q', '-c', zip, `${HOME}/repository/conf/tomcat/catalina-server.xml`, `${HOME}/bin/version.txt`], { input: 'the connectors\nthe version\n' });
      return zip;
    },
    proof: /zipfile comment begins[\s\S]*hardened by nobody yet[\s\S]*file comment begins -+\n(the connectors|the version)\n/,
  },
  { name: 'an archive whose root is the home', make: (_p, home) => zipTree(home, '../pack.zip', '.'), rooted: true, proof: /^ {2}repository\/conf\/carbon\.xml$/m },
];

/** The archive of a freshly staged copy of `src`, alone in a folder of its own. */
function archiveOf(src: string, v: Variant): { dir: string; zip: string } {
  const { parent, home } = stageHome(src, HOME, { links: !v.noLinks });
  const made = v.make(parent, home);
  const dir = scratch();
  const zip = join(dir, 'pack.zip');
  renameSync(made, zip);
  return { dir, zip };
}

describe.each(VARIANTS)('archive: $name', (v) => {
  let ref: Reference;
  let dir: string;
  let zip: string;
  beforeAll(async () => {
    ref = await reference(example, HOME, { links: !v.noLinks });
    ({ dir, zip } = archiveOf(example, v));
  });

  it('is the archive the variant is about', () => {
    expect(execFileSync('zipinfo', ['-v', zip]).toString('utf8')).toMatch(v.proof);
  });

  it('check and fix --dry-run say what they say for the unpacked home, and write nothing', async () => {
    const before = { sha: sha(zip), names: readdirSync(dir) };
    const check = await runCli(['check', zip]);
    expect(check.code).toBe(ref.check.code);
    expect(check.stdout).toBe(ref.check.stdout);
    const json = await runCli(['check', zip, '--format', 'json']);
    expect(report(json)).toEqual(report(ref.json!));
    const dry = await runCli(['fix', zip, '--dry-run']);
    expect(dry.code).toBe(ref.dryRun.code);
    expect(dry.stdoutBytes.equals(ref.dryRun.stdoutBytes)).toBe(true);
    expect(dry.stdout).toContain('--- a/repository/conf/tomcat/catalina-server.xml');
    // stderr: the same, after a line saying where the home is in the archive.
    const where = `harden: ${zip}: reading the home ${v.rooted ? 'at its root' : `in its folder ${HOME}/`} in place (nothing is extracted)\n`;
    expect(dry.stderr).toBe(where + ref.dryRun.stderr);
    expect(check.stderr).toBe(where);
    expect(json.stderr).toBe('');
    expect({ sha: sha(zip), names: readdirSync(dir) }).toEqual(before);
  });

  it('fix --yes --out writes a new archive in which only the fixed entries differ', async () => {
    const before = sha(zip);
    const out = join(dir, 'hardened.zip');
    const r = await runCli(['fix', zip, '--yes', '--out', out]);
    expect(r.code).toBe(ref.fix.code);
    expect(wroteLines(r)).toEqual(wroteLines(ref.fix));
    expect(wroteLines(r).length).toBeGreaterThan(0);
    expect(readdirSync(dir).sort()).toEqual(['hardened.zip', 'pack.zip']);
    expect(sha(zip)).toBe(before);
    expect(unzipTest(out)).toMatch(/No errors detected/);

    const prefix = v.rooted ? '' : `${HOME}/`;
    const fixed = new Set(wroteLines(r).map((l) => `${prefix}${l.slice('wrote '.length)}`));
    expect(entryNames(out)).toEqual(entryNames(zip));
    const a = rawEntries(zip);
    const b = rawEntries(out);
    expect(b.comment).toBe(a.comment);
    // The keystore's fix is a change of permissions alone: its bytes are copied, its attributes change.
    const jks = `${prefix}repository/resources/security/wso2carbon.jks`;
    expect(fixed.has(jks)).toBe(true);
    expect(b.entries[jks]!.sha256).toBe(a.entries[jks]!.sha256);
    expect([(a.entries[jks]!.attr >>> 16).toString(8), (b.entries[jks]!.attr >>> 16).toString(8)]).toEqual(['100644', '100600']);
    for (const [name, e] of Object.entries(a.entries)) {
      const o = b.entries[name]!;
      expect({ name, comment: o.comment, date: o.date }).toEqual({ name, comment: e.comment, date: e.date });
      // Unfixed entries: local header, data and descriptor byte for byte, same attributes; fixed ones:
      // new bytes, or new permissions (a change of mode alone keeps the bytes).
      if (fixed.has(name)) expect({ name, changed: o.sha256 !== e.sha256 || o.attr !== e.attr }).toEqual({ name, changed: true });
      else expect({ name, sha256: o.sha256, length: o.length, attr: o.attr }).toEqual({ name, sha256: e.sha256, length: e.length, attr: e.attr });
    }
    const za = zipinfoBlocks(zip);
    const zb = zipinfoBlocks(out);
    expect([...zb.keys()]).toEqual([...za.keys()]);
    for (const [name, block] of za) {
      if (fixed.has(name)) {
        // Everything but CRC, sizes and (for a permission fix) the mode, which the unpacked tree checks below.
        expect(zb.get(name)).not.toBe(block);
        expect(withoutSizes(zb.get(name)!)).toBe(withoutSizes(block));
      } else expect(zb.get(name)).toBe(block);
    }

    // Unpacked, it is exactly the tree fix --yes gives the unpacked home.
    const unpacked = extract(out, join(scratch(), 'x'));
    const root = v.rooted ? unpacked : join(unpacked, HOME);
    expect(snapshotTree(root)).toEqual(snapshotTree(ref.fixed));
    expect(treeMeta(root)).toEqual(treeMeta(ref.fixed));

    // And a second run has nothing more to change than it has on the unpacked home.
    const again = await runCli(['fix', out, '--dry-run']);
    expect(again.stdout).toBe(ref.again!.stdout);
    expect(again.code).toBe(ref.again!.code);
  });
});

describe('archive: reports', () => {
  let ref: Reference;
  let dir: string;
  let zip: string;
  beforeAll(async () => {
    ref = await reference(example, HOME);
    ({ dir, zip } = archiveOf(example, VARIANTS[0]!));
  });

  it('fix --yes --out --format json reports what fix --yes reports for the unpacked home', async () => {
    const r = await runCli(['fix', zip, '--yes', '--out', join(dir, 'json.zip'), '--format', 'json']);
    expect(r.code).toBe(ref.fixJson!.code);
    expect(report(r)).toEqual(report(ref.fixJson!));
    expect((JSON.parse(r.stdout) as { home: string }).home).toBe(zip);
  });

  (hasSarifSchema ? it : it.skip)('SARIF: the same results, locations relative to the home inside the archive (a jar: URI)', async () => {
    const z = await runCli(['check', zip, '--format', 'sarif']);
    const d = await runCli(['check', ref.home, '--format', 'sarif']);
    const doc = JSON.parse(z.stdout) as { runs: { originalUriBaseIds: { HOME: { uri: string } }; results: unknown[] }[] };
    sarifValidator()(doc);
    const run = doc.runs[0]!;
    expect(run.originalUriBaseIds.HOME.uri).toBe(`jar:file://${zip}!/${HOME}/`);
    expect(run.results).toEqual((JSON.parse(d.stdout) as typeof doc).runs[0]!.results);
    expect(JSON.stringify(run.results)).toContain('"uri":"repository/conf/tomcat/catalina-server.xml"');
  });

  it('with nothing left to fix, the new archive is a byte-for-byte copy', async () => {
    const once = join(dir, 'once.zip');
    const twice = join(dir, 'twice.zip');
    const first = await runCli(['fix', zip, '--yes', '--out', once, '--only', 'tomcat-server-header']);
    expect(first.stderr).toContain('wrote repository/conf/tomcat/catalina-server.xml');
    const second = await runCli(['fix', once, '--yes', '--out', twice, '--only', 'tomcat-server-header']);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('nothing to change');
    expect(readFileSync(twice).equals(readFileSync(once))).toBe(true);
  });

  it('reads harden.toml from the home inside the archive, as from a folder', async () => {
    const { parent, home } = stageHome(example, HOME);
    writeFileSync(join(home, 'harden.toml'), 'only = ["tomcat-server-header"]\n');
    const zip2 = zipTree(parent, 'conf.zip', HOME);
    const fromZip = await runCli(['check', zip2, '--verbose']);
    const fromDir = await runCli(['check', home, '--verbose']);
    expect(fromZip.stdout).toBe(fromDir.stdout);
    expect(fromZip.stdout).toContain('tomcat-server-header');
    expect(fromZip.stdout).not.toContain('tomcat-tls-protocols');
  });
});

// The real files: a corpus home of each configuration model, packed as WSO2 ships it.
const CORPUS = hasCorpus ? ['apim-2.6.0', 'apim-4.2.0'].filter((l) => existsSync(join(corpusRoot, l))) : [];
(CORPUS.length ? describe.each(CORPUS) : describe.skip.each(['(no corpus)']))('archive of the corpus home %s', (label) => {
  it('check, dry-run and fix --yes --out agree with the unpacked home', async () => {
    const src = join(corpusRoot, label);
    const ref = await reference(src, HOME, { reports: false });
    const { dir, zip } = archiveOf(src, VARIANTS[0]!);
    const check = await runCli(['check', zip]);
    expect(check.code).toBe(ref.check.code);
    expect(check.stdout).toBe(ref.check.stdout);
    const dry = await runCli(['fix', zip, '--dry-run']);
    expect(dry.stdoutBytes.equals(ref.dryRun.stdoutBytes)).toBe(true);
    const out = join(dir, 'hardened.zip');
    const fix = await runCli(['fix', zip, '--yes', '--out', out]);
    expect(fix.code).toBe(ref.fix.code);
    expect(wroteLines(fix)).toEqual(wroteLines(ref.fix));
    expect(unzipTest(out)).toMatch(/No errors detected/);
    const unpacked = join(extract(out, join(scratch(), 'x')), HOME);
    expect(snapshotTree(unpacked)).toEqual(snapshotTree(ref.fixed));
    expect(treeMeta(unpacked)).toEqual(treeMeta(ref.fixed));
    const fixed = new Set(wroteLines(fix).map((l) => `${HOME}/${l.slice('wrote '.length)}`));
    const a = rawEntries(zip).entries;
    const b = rawEntries(out).entries;
    for (const name of Object.keys(a)) if (!fixed.has(name)) expect({ name, sha: b[name]!.sha256 }).toEqual({ name, sha: a[name]!.sha256 });
  });
});
