// --format json | sarif | junit: the documented JSON fields and counts, SARIF that validates against the
// 2.1.0 schema and whose fixes reproduce what fix --yes writes, JUnit counts, and no planted secret in any.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { xml2js, type Element } from 'xml-js';
import { repoRoot } from './helpers/corpus.js';
import { hasSarifSchema, sarifValidator } from './helpers/sarif-schema.js';
import { runCli } from './helpers/capture.js';
import { cleanupTemps, tempCopy } from './helpers/homes.js';
import { PLANTED_SECRET, plantedPieces, xmlHomeWithSecret } from './helpers/planted-secret.js';
import { CATALINA } from './safety/helpers.js';
import { unifiedDiff } from '../src/engine/diff.js';
import { planHome } from '../src/run.js';

afterAll(cleanupTemps);

const example = join(repoRoot, 'examples', 'apim-2.6-home');
const pkgVersion = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

interface JsonFinding { rule: string; title: string; severity: string; file: string | null; line: number | null; status: string; message: string }
interface JsonReport {
  schemaVersion: number;
  tool: { name: string; version: string };
  mode: string;
  home: string;
  product: { id: string; name: string; version: string | null; kernel: string | null; model: string; confDirs: string[]; evidence: string[] };
  tls: { profile: string; jdk: number };
  findings: JsonFinding[];
  changes: { path: string; rules: string[]; diff?: string; masked?: boolean; written?: boolean }[];
  summary: { total: number; byStatus: Record<string, number>; bySeverity: Record<string, number> };
}

interface SarifReplacement { deletedRegion: { charOffset: number; charLength: number }; insertedContent?: { text: string } }
interface SarifResult {
  ruleId: string;
  level: string;
  message: { text: string };
  locations?: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region?: { startLine: number } } }[];
  fixes?: { artifactChanges: { artifactLocation: { uri: string }; replacements: SarifReplacement[] }[] }[];
  properties: { status: string };
}
interface Sarif {
  version: string;
  runs: { tool: { driver: { name: string; version: string; rules: { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[] } }; originalUriBaseIds: { HOME: { uri: string } }; results: SarifResult[] }[];
}

const STATUSES = ['fixable', 'fixed', 'compliant', 'needs-input', 'manual', 'advisory', 'not-applicable', 'error', 'waived'];

/** Applies every SARIF replacement for each file (offsets on the original text, UTF-16 code units). */
function applySarifFixes(sarif: Sarif, home: string): Map<string, string> {
  const byFile = new Map<string, SarifReplacement[]>();
  for (const r of sarif.runs[0]!.results)
    for (const fix of r.fixes ?? [])
      for (const c of fix.artifactChanges) {
        const path = decodeURIComponent(c.artifactLocation.uri);
        byFile.set(path, [...(byFile.get(path) ?? []), ...c.replacements]);
      }
  const out = new Map<string, string>();
  for (const [path, reps] of byFile) {
    const text = readFileSync(join(home, path), 'utf8').replace(/^\uFEFF/, '');
    const sorted = reps.map((r, i) => ({ r, i })).sort((a, b) => a.r.deletedRegion.charOffset - b.r.deletedRegion.charOffset || a.i - b.i);
    let result = '';
    let cursor = 0;
    for (const { r } of sorted) {
      expect(r.deletedRegion.charOffset).toBeGreaterThanOrEqual(cursor);
      result += text.slice(cursor, r.deletedRegion.charOffset) + (r.insertedContent?.text ?? '');
      cursor = r.deletedRegion.charOffset + r.deletedRegion.charLength;
    }
    out.set(path, result + text.slice(cursor));
  }
  return out;
}

describe('--format json', () => {
  it('check: the documented fields, and summary counts equal to the findings', async () => {
    const r = await runCli(['check', example, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as JsonReport;
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'tool', 'mode', 'home', 'product', 'tls', 'findings', 'changes', 'summary']);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.tool).toEqual({ name: 'harden', version: pkgVersion });
    expect(doc.mode).toBe('check');
    expect(doc.product).toMatchObject({ id: 'wso2am', name: 'WSO2 API Manager', version: '2.6.0', kernel: '4.4.35', model: 'xml', confDirs: ['repository/conf'] });
    expect(doc.product.evidence.length).toBeGreaterThan(0);
    expect(doc.tls).toEqual({ profile: 'intermediate', jdk: 8 });
    const plan = planHome({ home: example });
    expect(doc.findings).toHaveLength(plan.findings.length);
    for (const f of doc.findings) {
      expect(Object.keys(f)).toEqual(['rule', 'title', 'severity', 'file', 'line', 'status', 'message']);
      expect(STATUSES).toContain(f.status);
      expect(f.title.length).toBeGreaterThan(0);
    }
    expect(doc.findings.some((f) => f.rule === 'tomcat-server-header' && f.file === CATALINA && typeof f.line === 'number')).toBe(true);
    expect(doc.changes.map((c) => c.path)).toEqual(plan.changes.map((c) => c.path));
    expect(doc.changes.every((c) => c.diff === undefined && c.rules.length > 0)).toBe(true);
    expect(doc.summary.total).toBe(doc.findings.length);
    expect(Object.keys(doc.summary.byStatus)).toEqual(STATUSES);
    for (const s of STATUSES) expect(doc.summary.byStatus[s]).toBe(doc.findings.filter((f) => f.status === s).length);
    expect(Object.keys(doc.summary.bySeverity)).toEqual(['high', 'medium', 'low', 'info']);
    for (const s of ['high', 'medium', 'low', 'info']) expect(doc.summary.bySeverity[s]).toBe(doc.findings.filter((f) => f.severity === s).length);
    // Deterministic: the same home gives the same bytes.
    expect((await runCli(['check', example, '--format', 'json'])).stdout).toBe(r.stdout);
  });

  it('fix --dry-run: stdout is the JSON, each change carries the masked unified diff; writes nothing', async () => {
    const home = tempCopy(example);
    const r = await runCli(['fix', home, '--dry-run', '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as JsonReport;
    expect(doc.mode).toBe('dry-run');
    const plan = planHome({ home });
    expect(doc.changes.length).toBeGreaterThan(0);
    for (const c of doc.changes) {
      const p = plan.changes.find((x) => x.path === c.path)!;
      const d = unifiedDiff(p.path, p.before, p.after);
      expect(c.diff).toBe(d.text);
      expect(c.masked).toBe(d.redacted);
    }
    expect(existsSync(join(home, '.harden'))).toBe(false);
  });

  it('fix --yes: the fixable findings whose changes were written are "fixed"', async () => {
    const home = tempCopy(example);
    const r = await runCli(['fix', home, '--yes', '--set', 'port-offset=1', '--format', 'json']);
    expect(r.code).toBeLessThan(2);
    const doc = JSON.parse(r.stdout) as JsonReport;
    expect(doc.mode).toBe('apply');
    expect(doc.summary.byStatus.fixed).toBeGreaterThan(0);
    expect(doc.summary.byStatus.fixable).toBe(0);
    expect(doc.changes.every((c) => c.written === true)).toBe(true);
    expect(r.stderr).not.toContain('wrote ');
  });

  it('fix without --dry-run or --yes refuses a machine format (the planner speaks only text)', async () => {
    const r = await runCli(['fix', example, '--format', 'json'], true);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('rejects an unknown format', async () => {
    const r = await runCli(['check', example, '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Invalid values|choices/i);
  });
});

(hasSarifSchema ? describe : describe.skip)('--format sarif', () => {
  const expectValid = sarifValidator();

  it('check: validates against the 2.1.0 schema and holds the open findings with file and startLine', async () => {
    const r = await runCli(['check', example, '--format', 'sarif']);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout) as Sarif;
    expectValid(sarif);
    const run = sarif.runs[0]!;
    expect(run.tool.driver).toMatchObject({ name: 'harden', version: pkgVersion });
    expect(run.originalUriBaseIds.HOME.uri).toMatch(/^file:\/\/\/.*\/$/);
    const plan = planHome({ home: example });
    const open = plan.findings.filter((f) => ['fixable', 'needs-input', 'manual', 'error', 'advisory'].includes(f.status));
    expect(run.results).toHaveLength(open.length);
    for (const f of open) {
      if (!f.file) {
        // Home-level advice (the OS guidelines) has no file: a result without a location.
        expect(run.results.some((x) => x.ruleId === f.ruleId && !x.locations?.length)).toBe(true);
        continue;
      }
      const found = run.results.find(
        (x) => x.ruleId === f.ruleId && x.locations?.[0]?.physicalLocation.artifactLocation.uri === f.file && x.locations?.[0]?.physicalLocation.region?.startLine === f.line,
      );
      expect({ rule: f.ruleId, file: f.file, found: Boolean(found) }).toEqual({ rule: f.ruleId, file: f.file, found: true });
      expect(found!.locations![0]!.physicalLocation.artifactLocation.uriBaseId).toBe('HOME');
    }
    const header = run.tool.driver.rules.find((x) => x.id === 'jvm-hostname-verification')!;
    expect(header.defaultConfiguration.level).toBe('error');
  });

  it.each([
    ['the XML-model example home', example],
    ['a deployment.toml home whose fixes add tables together', join(repoRoot, 'transforms/tomcat-server-header/fixtures/05-toml-apim-unset/before')],
    ['a deployment.toml home with CRLF and secrets', join(repoRoot, 'transforms/hsts-mgt-console/fixtures/12-toml-crlf-secrets/before')],
  ])('%s: the SARIF fixes applied to the original text give what fix --yes writes', async (_label, src) => {
    const original = tempCopy(src);
    const fixed = tempCopy(src);
    const dry = await runCli(['fix', original, '--dry-run', '--set', 'port-offset=1', '--format', 'sarif']);
    const sarif = JSON.parse(dry.stdout) as Sarif;
    expectValid(sarif);
    const yes = await runCli(['fix', fixed, '--yes', '--no-backup', '--set', 'port-offset=1', '--format', 'json']);
    const written = (JSON.parse(yes.stdout) as JsonReport).changes.map((c) => c.path);
    expect(written.length).toBeGreaterThan(0);
    const applied = applySarifFixes(sarif, original);
    expect([...applied.keys()].sort()).toEqual([...written].sort());
    for (const path of written) expect(applied.get(path)).toBe(readFileSync(join(fixed, path), 'utf8').replace(/^\uFEFF/, ''));
    // After the fix, the fixed findings are no longer results.
    const after = JSON.parse((await runCli(['fix', fixed, '--yes', '--no-backup', '--set', 'port-offset=1', '--format', 'sarif'])).stdout) as Sarif;
    expectValid(after);
    expect(after.runs[0]!.results.filter((x) => x.properties.status === 'fixable')).toEqual([]);
  });
});

describe('--format junit', () => {
  it('parses, with one testcase per rule and file and counts that match the findings', async () => {
    const r = await runCli(['check', example, '--format', 'junit']);
    expect(r.code).toBe(1);
    const doc = xml2js(r.stdout, { compact: false }) as Element;
    const suite = doc.elements!.find((e) => e.name === 'testsuite')!;
    expect(suite.attributes!.name).toBe('harden');
    const cases = (suite.elements ?? []).filter((e) => e.name === 'testcase');
    const child = (c: Element, name: string): Element | undefined => c.elements?.find((e) => e.name === name);
    expect(Number(suite.attributes!.tests)).toBe(cases.length);
    expect(Number(suite.attributes!.failures)).toBe(cases.filter((c) => child(c, 'failure')).length);
    expect(Number(suite.attributes!.skipped)).toBe(cases.filter((c) => child(c, 'skipped')).length);
    const plan = planHome({ home: example });
    const groups = new Set(plan.findings.map((f) => `${f.ruleId}|${f.file ?? f.ruleId}`));
    expect(new Set(cases.map((c) => `${c.attributes!.classname}|${c.attributes!.name}`))).toEqual(groups);
    const openGroups = new Set(plan.findings.filter((f) => ['fixable', 'needs-input', 'manual', 'error'].includes(f.status)).map((f) => `${f.ruleId}|${f.file ?? f.ruleId}`));
    expect(Number(suite.attributes!.failures)).toBe(openGroups.size);
    const header = cases.find((c) => c.attributes!.classname === 'tomcat-server-header')!;
    expect(child(header, 'failure')!.attributes!.type).toBe('fixable');
  });
});

describe('a planted secret appears in no machine output', () => {
  const SECRET = PLANTED_SECRET;
  const pieces = plantedPieces();

  const xmlHome = (): string => xmlHomeWithSecret(SECRET);
  const tomlHome = (): string => {
    const home = tempCopy(example);
    rmSync(join(home, 'repository'), { recursive: true });
    mkdirSync(join(home, 'repository/conf'), { recursive: true });
    writeFileSync(join(home, 'bin/version.txt'), 'WSO2 API Manager v4.2.0\n');
    writeFileSync(join(home, 'bin/wso2carbon-version.txt'), 'WSO2 Carbon Framework v4.8.1\n');
    writeFileSync(
      join(home, 'repository/conf/deployment.toml'),
      `[server]\nhostname = "localhost"\n\n[super_admin]\nusername = "admin"\npassword = "${SECRET}"\n\n[transport.https.properties]\nserver = "WSO2 Carbon Server"\nkeystorePass = "${SECRET}"\n\n[keystore.primary]\nfile_name = "wso2carbon.jks"\npassword = "${SECRET}"\n`,
    );
    return home;
  };

  it.each([
    ['XML-model home', xmlHome],
    ['deployment.toml home', tomlHome],
  ])('%s: check, fix --dry-run and fix --yes in json, sarif and junit', async (_label, make) => {
    for (const format of ['json', 'sarif', 'junit']) {
      const home = make();
      const runs = [
        ['check', home, '--verbose', '--format', format],
        ['fix', home, '--dry-run', '--set', 'port-offset=1', '--format', format],
        ['fix', home, '--yes', '--set', 'port-offset=1', '--format', format],
      ];
      for (const args of runs) {
        const r = await runCli(args);
        expect(r.code).toBeLessThan(2);
        expect(r.stdout.length).toBeGreaterThan(0);
        for (const [stream, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
          expect({ args: args.join(' '), stream, leaked: pieces.filter((p) => text.includes(p)) }).toEqual({ args: args.join(' '), stream, leaked: [] });
        }
      }
    }
  });
});
