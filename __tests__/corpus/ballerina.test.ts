// Every Ballerina / WSO2 Integrator: BI project of ../shared/corpus/ballerina-bi-sample (each sub-directory is
// one; some hold only Ballerina.toml, some only Config.toml), tried as a new user would: check and fix
// --dry-run run without errors, the dry-run patch gives what fix --yes writes, every comment line of
// Config.toml survives, a second run plans nothing, and no secret value of a Config.toml is ever printed.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { planHome } from '../../src/run.js';
import { detectProduct, DETECTION_LIST, DETECTION_READ } from '../../src/engine/detect.js';
import { readHome } from '../../src/io/read-home.js';
import { locateToml } from '../../src/formats/toml/locate.js';
import { isSecretKey } from '../../src/formats/ballerina/config.js';
import { corpusRoot, hasCorpus } from '../helpers/corpus.js';
import { runCli } from '../helpers/capture.js';
import { cleanupTemps } from '../helpers/homes.js';
import { tryAsUser } from '../helpers/as-user.js';

const root = join(corpusRoot, 'ballerina-bi-sample');
const projects = hasCorpus && existsSync(root) ? readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory()).sort() : [];
const CONFIGS = ['Config.toml', 'tests/Config.toml'];
const BI_RULES = ['bi-log-config', 'bi-observability', 'bi-listener-tls', 'bi-config-secrets'];
afterAll(cleanupTemps);

/** Secret values written in the project's Config.toml files that cannot be mistaken for ordinary words. */
function secretValues(dir: string): string[] {
  return CONFIGS.filter((c) => existsSync(join(dir, c))).flatMap((c) =>
    locateToml(readFileSync(join(dir, c), 'utf8'))
      .entries.filter((e) => e.kind === 'string' && isSecretKey(e.path.at(-1)!) && /[\d@$!#%^&*]/.test(String(e.value)))
      .map((e) => String(e.value)),
  );
}

const plan = (label: string, params: Record<string, string> = {}, only = BI_RULES) => planHome({ home: join(root, label), only, params });
const mine = (label: string, rule: string, params: Record<string, string> = {}) => plan(label, params, [rule]).findings.filter((f) => f.ruleId === rule);

(hasCorpus ? describe : describe.skip)('Ballerina / BI corpus projects', () => {
  it('holds the projects the README lists, with and without Ballerina.toml', () => {
    expect(projects.length).toBeGreaterThanOrEqual(15);
    expect(projects.filter((p) => !existsSync(join(root, p, 'Ballerina.toml'))).length).toBeGreaterThan(5);
  });

  it.each(projects)('%s is detected as a Ballerina project, with its package and distribution as evidence', (label) => {
    const p = detectProduct(readHome(join(root, label), DETECTION_READ, DETECTION_LIST));
    expect(p.model).toBe('ballerina');
    const toml = join(root, label, 'Ballerina.toml');
    if (existsSync(toml)) {
      const dist = /distribution = "([^"]+)"/.exec(readFileSync(toml, 'utf8'))![1]!;
      expect(p.evidence.join('\n')).toContain(`distribution ${dist}`);
      expect(p.version).toBe('0.1.0');
    }
  });

  for (const extra of [[], ['--set', 'move-secrets=true']]) {
    it.each(projects)(`%s: check, fix --dry-run and fix --yes ${extra.join(' ')}`, async (label) => {
      const home = join(root, label);
      const secrets = secretValues(home);
      const check = await runCli(['check', home, '--verbose', ...(extra.length ? ['--only', 'bi-config-secrets', ...extra] : [])]);
      expect([0, 1]).toContain(check.code);
      expect(check.stdout).not.toMatch(/ERROR|internal error/);
      const run = await tryAsUser(join('ballerina-bi-sample', label), extra);
      for (const out of [check.stdout, check.stderr, run.preview.stdout, run.preview.stderr, run.fixed.stdout, run.fixed.stderr]) {
        for (const s of secrets) expect({ label, leaked: out.includes(s) }).toEqual({ label, leaked: false });
      }
      // Every comment line of each Config.toml is still there, in order, byte for byte.
      for (const c of CONFIGS.filter((x) => run.original.has(x))) {
        const after = readFileSync(join(run.applied, c), 'utf8').split('\n');
        let at = 0;
        for (const line of run.original.get(c)!.toString('utf8').split('\n').filter((l) => l.trim().startsWith('#'))) {
          at = after.indexOf(line, at);
          expect({ c, line, kept: at !== -1 }).toEqual({ c, line, kept: true });
        }
      }
      for (const p of run.changed) expect(CONFIGS).toContain(p);
      const again = planHome({ home: run.applied, params: extra.length ? { 'move-secrets': 'true' } : {} });
      expect(again.changes).toEqual([]);
      expect(again.findings.filter((f) => f.status === 'error' || f.status === 'fixable')).toEqual([]);
    });
  }

  it('bbe-log-file-rotation: logfmt becomes json in place; rotation already set is left alone', () => {
    const r = plan('bbe-log-file-rotation');
    const after = r.changes.find((c) => c.path === 'Config.toml')!.after;
    expect(after).toContain('[ballerina.log]\nlevel = "INFO"\nformat = "json"\n');
    expect(after).toContain('maxAge = 5  # 5 seconds for demo (use 86400 = 24 hours in production)');
    expect(r.findings.filter((f) => f.ruleId === 'bi-log-config').map((f) => f.status)).toEqual(expect.arrayContaining(['fixable', 'compliant']));
  });

  it('bbe-logging-configuration: DEBUG becomes INFO, or the level given by log-level', () => {
    const f = mine('bbe-logging-configuration', 'bi-log-config');
    expect(f.find((x) => x.status === 'fixable')?.message).toMatch(/level is DEBUG.*set it to INFO/);
    const warn = plan('bbe-logging-configuration', { 'log-level': 'WARN' }).changes[0]!.after;
    expect(warn).toMatch(/^\[ballerina\.log\]\nlevel = "WARN"\nformat = "json"\n/);
  });

  it('bbe-sensitive-data-logging: format is added after the table\'s last key', () => {
    const after = plan('bbe-sensitive-data-logging').changes[0]!.after;
    expect(after).toBe('[ballerina.log]\nenableSensitiveDataMasking = true\nformat = "json"\n');
  });

  it('a project with only Ballerina.toml: logging is advisory (no Config.toml to edit), nothing changes', () => {
    const r = plan('bi-http_connector_sample');
    expect(r.changes).toEqual([]);
    expect(r.findings.find((f) => f.ruleId === 'bi-log-config')?.status).toBe('advisory');
  });

  it('bi-config-secrets names the runtime\'s variable for a root-module secret, and removes it only on request', () => {
    const plain = mine('bbe-configurable-variables', 'bi-config-secrets');
    expect(plain).toHaveLength(1);
    expect(plain[0]).toMatchObject({ status: 'manual', line: 1 });
    expect(plain[0]!.message).toContain('BAL_CONFIG_VAR_PASSWORD');
    const moved = plan('bbe-configurable-variables', { 'move-secrets': 'true' }, ['bi-config-secrets']);
    expect(moved.changes[0]!.after).toBe('');
    expect(moved.findings.find((f) => f.ruleId === 'bi-config-secrets')!.message).toMatch(/export BAL_CONFIG_VAR_PASSWORD='<the value, not shown here>'/);
  });

  it('bi-config-secrets: a distribution before 2201.9.0 has no BAL_CONFIG_VAR_, so the secret is only reported', () => {
    const f = mine('guides-graphql_api', 'bi-config-secrets', { 'move-secrets': 'true' });
    expect(f.map((x) => x.status)).toEqual(['manual']);
    expect(f[0]!.message).toMatch(/distribution 2201\.3\.0 predates BAL_CONFIG_VAR_/);
    expect(plan('guides-graphql_api', { 'move-secrets': 'true' }, ['bi-config-secrets']).changes).toEqual([]);
  });

  it('bi-config-secrets: records, arrays of records, placeholders and test credentials are never moved', () => {
    const users = mine('bbe-http-service-basic-authentication-file-user-store', 'bi-config-secrets', { 'move-secrets': 'true' });
    expect(users.map((f) => f.status)).toEqual(['manual', 'manual', 'manual']);
    expect(users[0]!.message).toMatch(/array of records \[\[ballerina\.auth\.users\]\].*BAL_CONFIG_FILES/);
    const records = mine('bbe-configuring-via-toml', 'bi-config-secrets', { 'move-secrets': 'true' });
    expect(records.map((f) => f.status)).toEqual(['manual', 'manual', 'manual']);
    expect(records.map((f) => /inline table admin|array of records users/.exec(f.message)?.[0])).toEqual(['inline table admin', 'array of records users', 'array of records users']);
    const placeholders = mine('guides-consuming_services', 'bi-config-secrets', { 'move-secrets': 'true' });
    expect(placeholders.map((f) => [f.line, f.status])).toEqual([[1, 'advisory'], [3, 'advisory']]);
    const tests = mine('stdlib-auth-tests', 'bi-config-secrets', { 'move-secrets': 'true' });
    expect(tests.map((f) => [f.file, f.status])).toEqual([['tests/Config.toml', 'advisory'], ['tests/Config.toml', 'advisory']]);
  });

  it('bi-observability and bi-listener-tls have nothing to fix in the corpus (no metrics, no sources)', () => {
    for (const label of projects) {
      const r = plan(label);
      expect(r.findings.filter((f) => ['bi-observability', 'bi-listener-tls'].includes(f.ruleId) && f.status === 'fixable')).toEqual([]);
    }
  });
});
