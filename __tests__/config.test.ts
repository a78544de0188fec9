// harden.toml: every key applies, flags override it, mistakes are exit 2 naming the key with nothing
// written, waivers mark findings "waived" in every format and keep their fixes out, expired waivers exit 3.
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './helpers/corpus.js';
import { hasSarifSchema, sarifValidator } from './helpers/sarif-schema.js';
import { runCli } from './helpers/capture.js';
import { cleanupTemps, snapshotTree, tempCopy } from './helpers/homes.js';

const example = join(repoRoot, 'examples', 'apim-2.6-home');
afterAll(cleanupTemps);

interface JsonFinding {
  rule: string;
  file: string | null;
  status: string;
  message: string;
  waiver?: { reason: string; owner: string; expires: string };
}
interface JsonDoc {
  tls: { profile: string; jdk: number };
  findings: JsonFinding[];
  changes: { path: string; rules: string[] }[];
  summary: { byStatus: Record<string, number> };
}

/** A temp copy of the example with HOME/harden.toml holding `toml`. */
function homeWith(toml: string): string {
  const home = tempCopy(example);
  writeFileSync(join(home, 'harden.toml'), toml);
  return home;
}

const json = async (args: string[]): Promise<{ code: number; doc: JsonDoc; stderr: string }> => {
  const r = await runCli([...args, '--format', 'json']);
  return { code: r.code, doc: JSON.parse(r.stdout) as JsonDoc, stderr: r.stderr };
};

const WAIVER = `
[[waivers]]
rule = "hsts-mgt-console"
file = "repository/conf/tomcat/*/WEB-INF/web.xml"
reason = "the console sits behind a proxy that sets HSTS"
owner = "platform-team"
expires = 2999-01-31
`;

describe('harden.toml', () => {
  it('applies every key: profile, jdk, only, skip, params', async () => {
    const home = homeWith(`profile = "modern"\njdk = 17\nonly = ["tomcat-server-header", "ports-offset", "hsts-mgt-console"]\nskip = ["hsts-mgt-console"]\n[params]\nport-offset = 3\nserver-header = "edge"\n`);
    const { code, doc } = await json(['fix', home, '--dry-run']);
    expect(code).toBe(1);
    expect(doc.tls).toEqual({ profile: 'modern', jdk: 17 });
    expect([...new Set(doc.findings.map((f) => f.rule))].sort()).toEqual(['ports-offset', 'tomcat-server-header']);
    expect(doc.findings.some((f) => f.status === 'needs-input')).toBe(false);
    const r = await runCli(['fix', home, '--dry-run']);
    expect(r.stdout).toContain('server="edge"');
    expect(r.stdout).toMatch(/\+\s*<Offset>3<\/Offset>/);
  });

  it('lets flags override the file', async () => {
    const home = homeWith(`profile = "modern"\njdk = 17\nonly = ["ports-offset"]\n[params]\nserver-header = "edge"\n`);
    const { doc } = await json(['check', home, '--profile', 'intermediate', '--jdk', '8', '--only', 'tomcat-server-header', '--set', 'server-header=gate']);
    expect(doc.tls).toEqual({ profile: 'intermediate', jdk: 8 });
    expect([...new Set(doc.findings.map((f) => f.rule))]).toEqual(['tomcat-server-header']);
    const r = await runCli(['fix', home, '--dry-run', '--only', 'tomcat-server-header', '--set', 'server-header=gate']);
    expect(r.stdout).toContain('server="gate"');
    expect(r.stdout).not.toContain('server="edge"');
    const skip = await json(['check', homeWith('skip = ["tomcat-server-header"]\n'), '--skip', 'ports-offset']);
    expect(skip.doc.findings.some((f) => f.rule === 'tomcat-server-header')).toBe(true);
    expect(skip.doc.findings.some((f) => f.rule === 'ports-offset')).toBe(false);
  });

  it.each([
    ['unknown key', 'colour = true\n', /colour: unknown key/],
    ['wrong type', 'only = "tomcat-server-header"\n', /only: must be an array/],
    ['wrong jdk', 'jdk = "11"\n', /jdk: must be one of/],
    ['unknown rule', 'skip = ["no-such-rule"]\n', /skip: unknown rule id "no-such-rule"/],
    ['unknown param', '[params]\nno-such-param = 1\n', /params\.no-such-param: unknown parameter/],
    ['invalid param', '[params]\nport-offset = "lots"\n', /params\.port-offset: lots/],
    ['param of wrong type', '[params]\nport-offset = 1.5\n', /params\.port-offset: must be a string or an integer/],
    ['unknown waiver rule', '[[waivers]]\nrule = "nope"\nreason = "r"\nowner = "o"\nexpires = 2999-01-01\n', /waivers\[0\]\.rule: unknown rule id "nope"/],
    ['bad date', '[[waivers]]\nrule = "ports-offset"\nreason = "r"\nowner = "o"\nexpires = "2999-01-01"\n', /waivers\[0\]\.expires: must be a TOML date/],
    ['date-time', '[[waivers]]\nrule = "ports-offset"\nreason = "r"\nowner = "o"\nexpires = 2999-01-01T10:00:00Z\n', /waivers\[0\]\.expires: must be a TOML date/],
    ['missing owner', '[[waivers]]\nrule = "ports-offset"\nreason = "r"\nexpires = 2999-01-01\n', /waivers\[0\]\.owner: is required/],
    ['unknown waiver key', '[[waivers]]\nrule = "ports-offset"\nreason = "r"\nowner = "o"\nexpires = 2999-01-01\nuntil = 1\n', /waivers\[0\]\.until: unknown key/],
    ['malformed TOML', 'profile = \n', /malformed TOML/],
  ])('refuses a file with %s: exit 2 naming the key, nothing written', async (_what, toml, message) => {
    const home = homeWith(toml);
    const before = snapshotTree(home, { withHardenState: true });
    const r = await runCli(['fix', home, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('harden.toml');
    expect(snapshotTree(home, { withHardenState: true })).toEqual(before);
  });

  it('marks a waived finding in text, JSON, SARIF and JUnit, without counting it as open', async () => {
    const home = homeWith(`only = ["hsts-mgt-console"]\n${WAIVER}`);
    const text = await runCli(['check', home]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/WAIVED .*hsts-mgt-console/);
    expect(text.stdout).toContain('the console sits behind a proxy that sets HSTS');
    expect(text.stdout).toContain('1 waived');

    const { code, doc } = await json(['check', home]);
    expect(code).toBe(0);
    const f = doc.findings.find((x) => x.rule === 'hsts-mgt-console')!;
    expect(f.status).toBe('waived');
    expect(f.waiver).toEqual({ reason: 'the console sits behind a proxy that sets HSTS', owner: 'platform-team', expires: '2999-01-31' });
    expect(doc.summary.byStatus.waived).toBe(1);
    expect(doc.changes).toEqual([]);

    const sarif = JSON.parse((await runCli(['check', home, '--format', 'sarif'])).stdout) as {
      runs: { results: { ruleId: string; suppressions?: unknown[]; fixes?: unknown[]; properties: { status: string } }[] }[];
    };
    const result = sarif.runs[0]!.results.find((x) => x.ruleId === 'hsts-mgt-console')!;
    expect(result.properties.status).toBe('waived');
    expect(result.fixes).toBeUndefined();
    expect(result.suppressions).toEqual([
      { kind: 'external', justification: 'the console sits behind a proxy that sets HSTS', properties: { owner: 'platform-team', expires: '2999-01-31' } },
    ]);
    if (hasSarifSchema) sarifValidator()(sarif);

    const junit = (await runCli(['check', home, '--format', 'junit'])).stdout;
    expect(junit).toContain('<skipped message="waived: the console sits behind a proxy that sets HSTS"/>');
    expect(junit).toMatch(/failures="0"/);
  });

  it('fix --yes leaves the waived file unchanged and fixes the rest', async () => {
    const home = homeWith(WAIVER);
    const before = snapshotTree(home);
    // Without the rules no fix closes (a host name to give, the shipped keystore), exit 0 means all applied.
    const r = await runCli(['fix', home, '--yes', '--set', 'port-offset=1', '--skip', 'hostname,default-keystore']);
    expect(r.code).toBe(0);
    const after = snapshotTree(home);
    const webXml = 'repository/conf/tomcat/carbon/WEB-INF/web.xml';
    expect(after.get(webXml)).toEqual(before.get(webXml));
    expect(r.stderr).not.toContain(`wrote ${webXml}`);
    for (const p of ['repository/conf/tomcat/catalina-server.xml', 'repository/conf/axis2/axis2.xml', 'bin/wso2server.sh', 'repository/conf/carbon.xml'])
      expect(after.get(p)).not.toEqual(before.get(p));
    const again = await json(['check', home, '--skip', 'hostname,default-keystore']);
    expect(again.code).toBe(0);
    expect(again.doc.findings.filter((f) => f.status === 'waived').map((f) => f.rule)).toEqual(['hsts-mgt-console']);
  });

  it('reports an expired waiver as a finding and exits 3; the finding it covered is open again', async () => {
    const home = homeWith(`only = ["hsts-mgt-console"]\n${WAIVER.replace('2999-01-31', '2020-01-31')}`);
    const r = await runCli(['check', home]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/MANUAL medium harden\.waiver/);
    const { code, doc } = await json(['check', home]);
    expect(code).toBe(3);
    const expired = doc.findings.find((f) => f.rule === 'harden.waiver')!;
    expect(expired.status).toBe('manual');
    for (const part of ['hsts-mgt-console', 'repository/conf/tomcat/*/WEB-INF/web.xml', 'platform-team', '2020-01-31']) expect(expired.message).toContain(part);
    expect(doc.findings.find((f) => f.rule === 'hsts-mgt-console')!.status).toBe('fixable');
    const fix = await runCli(['fix', home, '--yes']);
    expect(fix.code).toBe(3);
    expect(fix.stderr).toContain('wrote repository/conf/tomcat/carbon/WEB-INF/web.xml');
  });

  it('accepts the full example of docs/cli.md, and --help documents exit code 3', async () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'cli.md'), 'utf8');
    const example = /## Config file[\s\S]*?```toml\n([\s\S]*?)```/.exec(doc)![1]!;
    const r = await json(['check', homeWith(example)]);
    expect(r.stderr).toBe('');
    expect(r.code).not.toBe(2);
    expect(r.doc.tls).toEqual({ profile: 'intermediate', jdk: 11 });
    const help = await runCli(['--help']);
    expect(help.stdout).toMatch(/\n\s+3 {2}a waiver in harden\.toml has expired/);
  });

  it('reads the file --config names, and finds HOME/harden.toml without it', async () => {
    const home = tempCopy(example);
    const elsewhere = join(tmpdir(), `harden-config-${process.pid}.toml`);
    writeFileSync(elsewhere, 'only = ["tomcat-server-header"]\n');
    const given = await json(['check', home, '--config', elsewhere]);
    expect([...new Set(given.doc.findings.map((f) => f.rule))]).toEqual(['tomcat-server-header']);
    const missing = await runCli(['check', home, '--config', join(home, 'nope.toml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--config .*nope\.toml: no such file/);
    writeFileSync(join(home, 'harden.toml'), 'only = ["ports-offset"]\n');
    const found = await json(['check', home]);
    expect([...new Set(found.doc.findings.map((f) => f.rule))]).toEqual(['ports-offset']);
    // --config replaces HOME/harden.toml.
    const over = await json(['check', home, '--config', elsewhere]);
    expect([...new Set(over.doc.findings.map((f) => f.rule))]).toEqual(['tomcat-server-header']);
  });
});
