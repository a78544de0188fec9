import { afterAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helpers/corpus.js';
import { runCli } from './helpers/capture.js';
import { applyPatch, cleanupTemps, snapshotTree, tempCopy } from './helpers/homes.js';

const example = join(repoRoot, 'examples', 'apim-2.6-home');
afterAll(cleanupTemps);

describe('harden CLI', () => {
  it('documents the exit codes in --help', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit codes:[\s\S]*2 {2}usage error or bad input/);
  });

  it('check reports the detected product and exits 1 while findings remain', async () => {
    const r = await runCli(['check', example]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('WSO2 API Manager 2.6.0');
    expect(r.stdout).toContain('4.4.35');
    expect(r.stdout).toMatch(/tomcat-server-header/);
  });

  it('fix --dry-run prints only a diff on stdout and writes nothing', async () => {
    const home = tempCopy(example);
    const before = snapshotTree(home);
    const r = await runCli(['fix', home, '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stdout.startsWith('--- a/')).toBe(true);
    expect(r.stderr).toContain('nothing was written');
    expect(snapshotTree(home)).toEqual(before);
  });

  it('fix --yes writes what the dry-run patch describes, and a second run changes nothing', async () => {
    const a = tempCopy(example);
    const b = tempCopy(example);
    const dry = await runCli(['fix', a, '--dry-run', '--set', 'port-offset=1']);
    applyPatch(a, dry.stdout);
    const yes = await runCli(['fix', b, '--yes', '--set', 'port-offset=1']);
    expect(yes.stderr).toContain('wrote repository/conf/tomcat/catalina-server.xml');
    expect(snapshotTree(a)).toEqual(snapshotTree(b));
    const again = await runCli(['fix', b, '--yes', '--set', 'port-offset=1']);
    expect(again.stderr).toContain('nothing to change');
    // What no fix can do stays open: the host name needs a value, the shipped keystore needs keytool.
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/still need attention/);
  });

  it('fix --yes exits 0 when nothing is left open', async () => {
    const home = tempCopy(example);
    const only = ['--only', 'tomcat-server-header,tomcat-tls-protocols,jvm-ephemeral-dh'];
    const first = await runCli(['fix', home, '--yes', ...only]);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/applied fixes to \d+ file\(s\); 0 finding\(s\) still need attention/);
    expect((await runCli(['check', home, ...only])).code).toBe(0);
  });

  it('refuses fix without --dry-run or --yes when there is no terminal, and writes nothing', async () => {
    const home = tempCopy(example);
    const before = snapshotTree(home);
    const r = await runCli(['fix', home]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--dry-run.*--yes/s);
    expect(snapshotTree(home)).toEqual(before);
  });

  it.each([
    [['check', '/nonexistent/home'], /no such directory/],
    [['check', example, '--only', 'no-such-rule'], /unknown rule id "no-such-rule"/],
    [['check', example, '--set', 'nonsense'], /--set takes name=value/],
    [['check', example, '--only', 'tomcat-tls-protocols', '--set', 'port-offset=1'], /no selected rule uses this parameter/],
    [['check', example, '--set', 'port-offset=70000'], /port-offset=70000: must be a whole number/],
    [['check', example, '--profile', 'modern', '--jdk', '8'], /modern profile/],
    [['frobnicate'], /Unknown argument|command/i],
    [['check', example, '--jdk', '9'], /Invalid values[\s\S]*jdk/],
    [['check', example, '--profile', 'legacy'], /Invalid values[\s\S]*profile/],
  ])('exits 2 on usage errors: %j', async (args, message) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
  });

  it('names the file and line of malformed XML, exits 2, and writes nothing', async () => {
    const home = tempCopy(example);
    const file = join(home, 'repository/conf/tomcat/catalina-server.xml');
    writeFileSync(file, '<?xml version="1.0"?>\n<Server>\n  <Service>\n</Server>\n');
    const before = snapshotTree(home);
    const r = await runCli(['fix', home, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('repository/conf/tomcat/catalina-server.xml:4');
    expect(r.stderr).toContain('nothing was written');
    expect(snapshotTree(home)).toEqual(before);
  });
});
