// What harden refuses to read or write in a product archive (exit 2, the entry named, nothing written),
// and the usage rules of fix on an archive: never in place, --out a new file, --force to replace one.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/corpus.js';
import { runCli } from '../helpers/capture.js';
import { cleanupScratch, homeEntries, pyZip, scratch, stageHome, zipTree, type PyEntry } from './zips.js';

const example = join(repoRoot, 'examples', 'apim-2.6-home');
const HOME = 'wso2am-2.6.0';
afterAll(cleanupScratch);

const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

/** Runs `args`, expecting exit 2 with `message` on stderr, and that the folder of the archive is as it was. */
async function refused(dir: string, args: string[], message: RegExp): Promise<string> {
  const before = Object.fromEntries(readdirSync(dir).map((n) => [n, sha(join(dir, n))]));
  const r = await runCli(args);
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
  expect(r.stderr).toMatch(message);
  expect(Object.fromEntries(readdirSync(dir).map((n) => [n, sha(join(dir, n))]))).toEqual(before);
  return r.stderr;
}

describe('archive: entries that could land outside the folder they are extracted to', () => {
  const good = (): PyEntry[] => homeEntries(example, `${HOME}/`);
  const CASES: [string, PyEntry[], RegExp][] = [
    ['a ".." segment', [{ name: '../evil.sh', data: 'x' }], /entry "\.\.\/evil\.sh" has a '\.\.' segment/],
    ['".." inside the home folder', [{ name: `${HOME}/../../etc/cron.d/evil`, data: 'x' }], /entry "wso2am-2\.6\.0\/\.\.\/\.\.\/etc\/cron\.d\/evil" has a '\.\.' segment/],
    ['an absolute path', [{ name: '/etc/cron.d/evil', data: 'x' }], /entry "\/etc\/cron\.d\/evil" has an absolute path/],
    ['a drive letter', [{ name: 'C:/Windows/evil.bat', data: 'x' }], /entry "C:\/Windows\/evil\.bat" starts with a drive letter/],
    ['a backslash trick', [{ name: `${HOME}\\..\\..\\evil.bat`, data: 'x' }], /entry "wso2am-2\.6\.0\\\.\.\\\.\.\\evil\.bat" has a backslash/],
    ['a "." segment', [{ name: `${HOME}/./bin/version.txt`, data: 'x' }], /has a '\.' segment/],
    ['a duplicate name', [{ name: `${HOME}/repository/conf/carbon.xml`, data: '<Server/>' }], /entry "wso2am-2\.6\.0\/repository\/conf\/carbon\.xml" appears twice/],
    ['a link to an absolute path', [{ name: `${HOME}/bin/evil`, data: '/etc/passwd', link: true }], /entry "wso2am-2\.6\.0\/bin\/evil" is a symbolic link to "\/etc\/passwd", outside the home/],
    ['a link out of the home', [{ name: `${HOME}/bin/evil`, data: '../../outside', link: true }], /entry "wso2am-2\.6\.0\/bin\/evil" is a symbolic link to "\.\.\/\.\.\/outside", outside the home/],
    [
      'a link that leaves through another link',
      [
        { name: `${HOME}/a/b/up`, data: '../..', link: true },
        { name: `${HOME}/a/b/c/evil`, data: '../up/../..', link: true },
      ],
      /is a symbolic link to .*outside the home/,
    ],
  ];

  it.each(CASES)('refuses %s: check and fix --yes --out exit 2, naming the entry, and write nothing', async (_what, bad, message) => {
    const dir = scratch();
    const zip = pyZip(join(dir, 'pack.zip'), [...good(), ...bad]);
    await refused(dir, ['check', zip], message);
    await refused(dir, ['fix', zip, '--dry-run'], message);
    const err = await refused(dir, ['fix', zip, '--yes', '--out', join(dir, 'hardened.zip')], message);
    expect(err).toContain('nothing was written');
  });

  it('accepts links that stay inside the home, and reads through them as the unpacked home does', async () => {
    const dir = scratch();
    const zip = pyZip(join(dir, 'pack.zip'), [
      ...good(),
      { name: `${HOME}/samples/conf`, data: '../repository/conf', link: true },
      { name: `${HOME}/samples/version`, data: '../bin/version.txt', link: true },
    ]);
    const r = await runCli(['check', zip]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('WSO2 API Manager 2.6.0');
  });

  it('refuses to write a fix through a link entry, as a directory home does', async () => {
    const { parent, home } = stageHome(example, HOME, { extras: false });
    const conf = join(home, 'repository/conf/tomcat');
    execFileSync('mv', [join(conf, 'catalina-server.xml'), join(conf, 'catalina-server.real.xml')]);
    symlinkSync('catalina-server.real.xml', join(conf, 'catalina-server.xml'));
    const dir = scratch();
    execFileSync('mv', [zipTree(parent, 'pack.zip', HOME), dir]);
    const zip = join(dir, 'pack.zip');
    const dirFix = await runCli(['fix', home, '--yes', '--no-backup', '--only', 'tomcat-server-header']);
    expect(dirFix.code).toBe(2);
    const check = await runCli(['check', zip, '--only', 'tomcat-server-header']);
    expect(check.stdout).toContain('repository/conf/tomcat/catalina-server.xml:24');
    await refused(dir, ['fix', zip, '--yes', '--out', join(dir, 'hardened.zip'), '--only', 'tomcat-server-header'], /entry "wso2am-2\.6\.0\/repository\/conf\/tomcat\/catalina-server\.xml" is a symbolic link to "catalina-server\.real\.xml"; harden does not write through links/);
  });

  it('refuses an encrypted archive, naming the entry', async () => {
    const { parent } = stageHome(example, HOME, { extras: false });
    execFileSync('zip', ['-q', '-r', '-P', 'not-a-secret', 'enc.zip', HOME], { cwd: parent });
    const dir = scratch();
    execFileSync('mv', [join(parent, 'enc.zip'), dir]);
    await refused(dir, ['check', join(dir, 'enc.zip')], /entry "wso2am-2\.6\.0\/.*" is encrypted/);
  });

  it('refuses what is not a ZIP archive, and a corrupt one', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'not.zip'), 'just text\n');
    await refused(dir, ['check', join(dir, 'not.zip')], /not\.zip: not a ZIP archive/);
    const zip = pyZip(join(dir, 'pack.zip'), good());
    const bytes = readFileSync(zip);
    writeFileSync(join(dir, 'cut.zip'), bytes.subarray(0, bytes.length - 30));
    await refused(dir, ['check', join(dir, 'cut.zip')], /cut\.zip: not a ZIP archive/);
    // A flipped byte in carbon.xml's data: the CRC says so.
    const at = bytes.indexOf(Buffer.from(`${HOME}/repository/conf/carbon.xml`)) + `${HOME}/repository/conf/carbon.xml`.length + 40;
    const bad = Buffer.from(bytes);
    bad[at] = bad[at]! ^ 0xff;
    writeFileSync(join(dir, 'crc.zip'), bad);
    await refused(dir, ['check', join(dir, 'crc.zip')], /entry "wso2am-2\.6\.0\/repository\/conf\/carbon\.xml" (fails its CRC-32|cannot be inflated)/);
  });
});

describe('archive: fix never rewrites the input, and --out is a new file', () => {
  let dir: string;
  let zip: string;
  beforeAll(() => {
    const { parent } = stageHome(example, HOME, { extras: false });
    zipTree(parent, 'pack.zip', HOME);
    dir = scratch();
    execFileSync('mv', [join(parent, 'pack.zip'), dir]);
    zip = join(dir, 'pack.zip');
  });

  it('fix --yes without --out is a usage error', async () => {
    await refused(dir, ['fix', zip, '--yes'], /never rewrites an archive in place: add --out NEW\.zip/);
  });

  it('fix on an archive without --dry-run or --yes is a usage error, even on a terminal', async () => {
    await refused(dir, ['fix', zip], /is an archive: use fix --dry-run .* or fix --yes --out NEW\.zip/);
    const tty = await runCli(['fix', zip], true);
    expect(tty.code).toBe(2);
  });

  it('--out naming the input archive is refused, by any name, even with --force', async () => {
    await refused(dir, ['fix', zip, '--yes', '--out', zip, '--force'], /is the input archive; harden never rewrites an archive in place/);
    await refused(dir, ['fix', zip, '--yes', '--out', join(dir, '.', 'pack.zip')], /is the input archive/);
    const other = join(scratch(), 'same-inode.zip');
    linkSync(zip, other);
    await refused(dir, ['fix', zip, '--yes', '--out', other, '--force'], /is the input archive/);
    rmSync(other);
  });

  it('--out refuses an existing file unless --force, and --force replaces it', async () => {
    const out = join(dir, 'existing.zip');
    writeFileSync(out, 'keep me');
    await refused(dir, ['fix', zip, '--yes', '--out', out], /existing\.zip already exists; harden does not replace it unless you add --force/);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    const r = await runCli(['fix', zip, '--yes', '--out', out, '--force']);
    expect(r.code).toBe(1);
    expect(readFileSync(out).subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    rmSync(out);
  });

  it.each([
    [['--dry-run', '--out', 'x.zip'], /--out goes with --yes/],
    [['--yes', '--force'], /--force goes with --out/],
    [['--yes', '--out', '/nonexistent-dir/x.zip'], /the folder \/nonexistent-dir does not exist/],
  ])('usage errors: %j', async (flags, message) => {
    await refused(dir, ['fix', zip, ...(flags as string[])], message as RegExp);
  });

  it('--out with a folder home is a usage error (a folder is fixed in place)', async () => {
    const { home } = stageHome(example, HOME, { extras: false });
    const r = await runCli(['fix', home, '--yes', '--out', join(dir, 'x.zip')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out is for a HOME that is a product archive/);
    expect(existsSync(join(dir, 'x.zip'))).toBe(false);
  });

  it('reads a ZIP archive by its signature whatever its name', async () => {
    const other = join(scratch(), 'wso2am-2.6.0.pack');
    execFileSync('cp', [zip, other]);
    const r = await runCli(['check', other]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('WSO2 API Manager 2.6.0');
    expect(r.stderr).toContain(`harden: ${other}: reading the home in its folder wso2am-2.6.0/ in place`);
  });

  it('plan, rollback and history on an archive say they need the unpacked home', async () => {
    await refused(dir, ['plan', zip, '--out', join(dir, 'plan.json')], /a product archive; harden check and harden fix .* read archives, other commands need the unpacked home/);
    await refused(dir, ['history', zip], /a product archive/);
  });
});
