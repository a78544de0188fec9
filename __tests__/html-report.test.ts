// --format html without a browser: escaping (a config value holding <script> is text), no planted secret
// in any HTML output (check, fix --dry-run, plan, show), and several homes in one run in every format
// (discovery of a folder of homes, per-home errors, the worst exit code, one diff for patch -p1).
import { afterAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { xml2js, type Element } from 'xml-js';
import { repoRoot } from './helpers/corpus.js';
import { runCli } from './helpers/capture.js';
import { applyPatch, cleanupTemps, snapshotTree, tempCopy } from './helpers/homes.js';
import { hasSarifSchema, sarifValidator } from './helpers/sarif-schema.js';
import { PLANTED_SECRET, plantedPieces, xmlHomeWithSecret } from './helpers/planted-secret.js';
import { edit } from './safety/helpers.js';
import { escapeHtml, html, raw, safeHref } from '../src/report/html-escape.js';
import { htmlReport } from '../src/report/html.js';
import { commonRoot, discoverHomes, resolveHomes } from '../src/run-many.js';

const example = join(repoRoot, 'examples', 'apim-2.6-home');
const made: string[] = [];
afterAll(() => {
  cleanupTemps();
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'harden-html-'));
  made.push(d);
  return d;
};

/** A deployment.toml API Manager 4.2 home (the shape reports.test.ts uses), with extra TOML text. */
function tomlHome(dir: string, extra = ''): string {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'repository/conf'), { recursive: true });
  writeFileSync(join(dir, 'bin/version.txt'), 'WSO2 API Manager v4.2.0\n');
  writeFileSync(join(dir, 'bin/wso2carbon-version.txt'), 'WSO2 Carbon Framework v4.8.1\n');
  writeFileSync(join(dir, 'repository/conf/deployment.toml'), `[server]\nhostname = "localhost"\n\n[transport.https.properties]\nserver = "WSO2 Carbon Server"\n${extra}`);
  return dir;
}

/** Text content of the page without its markup, entities decoded (what a reader sees). */
const visibleText = (page: string): string =>
  page
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

describe('escaping', () => {
  it('escapes the five HTML specials and turns disallowed controls into U+FFFD', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
    expect(escapeHtml('a\u0000b\u001bc\td\ne\r')).toBe('a\ufffdb\ufffdc\td\ne\r');
    expect(escapeHtml('\ud800x')).toBe('\ufffdx');
    expect(escapeHtml('😀')).toBe('😀');
  });

  it('html`…` escapes every interpolated value, joins arrays and keeps only its own markup', () => {
    const value = '<script>alert(1)</script>';
    expect(html`<p title="${value}">${value}${[value, 1]}${null}${undefined}${false}</p>`.text).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;1</p>',
    );
    expect(html`<div>${html`<b>${value}</b>`}${raw('<i>ok</i>')}</div>`.text).toBe('<div><b>&lt;script&gt;alert(1)&lt;/script&gt;</b><i>ok</i></div>');
  });

  it('links only to http(s) addresses', () => {
    expect(safeHref('https://example.org/a b')).toBe('https://example.org/a%20b');
    for (const bad of ['javascript:alert(1)', 'data:text/html,<script>', 'relative/path', 'file:///etc/passwd', 'vbscript:x']) expect(safeHref(bad)).toBeUndefined();
  });

  it('every field of a report is escaped: home, product, finding, waiver, diff, source title and address', () => {
    const evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const page = htmlReport({
      tool: { name: 'harden', version: evil },
      mode: 'check',
      homes: [
        {
          home: evil,
          product: { id: evil, name: evil, version: evil, kernel: evil, model: evil, confDirs: [evil], evidence: [evil] },
          tls: { profile: evil, jdk: 8 },
          findings: [
            {
              rule: evil,
              title: evil,
              severity: 'high',
              file: evil,
              line: 3,
              status: 'waived',
              message: evil,
              waiver: { reason: evil, owner: evil, expires: evil },
              rationale: evil,
              sources: [{ title: evil, url: 'javascript:alert(3)' }],
              needs: [{ name: evil, description: evil }],
              diffs: [{ path: evil, text: `--- a/${evil}\n+++ b/${evil}\n@@ -1 +1 @@\n-${evil}\n+${evil}\n`, redacted: false }],
            },
          ],
          summary: { total: 1, byStatus: { fixable: 0, fixed: 0, compliant: 0, 'needs-input': 0, manual: 0, advisory: 0, 'not-applicable': 0, error: 0, waived: 1 }, bySeverity: { high: 1, medium: 0, low: 0, info: 0 } },
          changes: [{ path: evil, rules: [evil], diff: `-${evil}\n`, masked: true }],
        },
        { home: evil, changes: [], error: evil },
      ],
    });
    expect(page).not.toMatch(/<script|<img|href="javascript:/i);
    // Only harden's own elements: no tag, and so no attribute, came from the data.
    const TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'a', 'header', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'nav', 'ul', 'li', 'main', 'section', 'code', 'dl', 'dt', 'dd', 'div', 'span', 'strong', 'figure', 'figcaption', 'svg', 'desc', 'g', 'text', 'rect', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'article', 'abbr', 'time', 'pre', 'br', 'wbr', 'footer']);
    expect([...page.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]!).filter((t) => !TAGS.has(t))).toEqual([]);
    // Attribute names, outside their (escaped, double-quoted) values: no event handler came through.
    const names = [...page.matchAll(/<[a-zA-Z][^<>]*>/g)].flatMap((m) => [...m[0].replace(/"[^"]*"/g, '""').matchAll(/\s([\w:-]+)=/g)].map((a) => a[1]!));
    expect(names.filter((n) => /^on/i.test(n))).toEqual([]);
    // Everything is there, as text.
    expect(visibleText(page).split(evil).length - 1).toBeGreaterThanOrEqual(15);
  });
});

describe('--format html on a home with <script> and secrets in its configuration', () => {
  const SECRET = PLANTED_SECRET;
  const pieces = plantedPieces();
  const SCRIPT = '<script>alert("owned")</script>';

  const xmlHome = (): string => xmlHomeWithSecret(SECRET);
  const toml = (): string =>
    tomlHome(
      tempDir(),
      `keystorePass = "${SECRET}"\n\n[super_admin]\nusername = "admin"\npassword = "${SECRET}"\n\n[keystore.primary]\nfile_name = "wso2carbon.jks"\npassword = "${SECRET}"\n\n[secrets]\nadmin_password = "${SECRET}"\n`,
    );

  it('a config value holding <script> renders as text, in the finding and in the diff', async () => {
    const home = tempDir();
    tomlHome(home, `\n[transport.http.properties]\nserver = "WSO2 Carbon Server" # ${SCRIPT}\n`);
    edit(home, 'repository/conf/deployment.toml', 'server = "WSO2 Carbon Server"\n', `server = "${SCRIPT.replace(/"/g, '\\"')}"\n`);
    const r = await runCli(['fix', home, '--dry-run', '--format', 'html']);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/<script/i);
    const shown = '&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;';
    // The https connector's value: a compliant finding's message, and a context line of the diff.
    expect(r.stdout).toContain(`Server: ${shown}`);
    expect(r.stdout).toContain(`<span class="d-ctx"> server = &quot;&lt;script&gt;alert(\\&quot;owned\\&quot;)&lt;/script&gt;&quot;`);
    // The http connector's line changes and keeps its comment: removed and added lines show it as text.
    expect(r.stdout).toContain(`<span class="d-del">-server = &quot;WSO2 Carbon Server&quot; # ${shown}`);
    expect(r.stdout).toContain(`<span class="d-add">+server = &quot;WebServer&quot; # ${shown}`);
  });

  it.each([
    ['XML-model home', xmlHome],
    ['deployment.toml home', toml],
  ])('%s: no piece of a planted secret in check, fix --dry-run, plan or show as html', async (_label, make) => {
    const home = make();
    const planFile = join(tempDir(), 'plan.json');
    const runs = [
      ['check', home, '--verbose', '--format', 'html'],
      ['fix', home, '--dry-run', '--set', 'port-offset=1', '--format', 'html'],
      ['plan', home, '--out', planFile, '--set', 'port-offset=1', '--format', 'html'],
      ['show', planFile, '--format', 'html'],
      ['check', home, example, '--format', 'html'],
    ];
    for (const args of runs) {
      const r = await runCli(args);
      expect({ args: args.join(' '), code: r.code < 2 }).toEqual({ args: args.join(' '), code: true });
      expect(r.stdout).toMatch(/^<!DOCTYPE html>/);
      for (const [stream, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
        expect({ args: args.join(' '), stream, leaked: pieces.filter((p) => text.includes(p)) }).toEqual({ args: args.join(' '), stream, leaked: [] });
      }
    }
    // The masked diffs are there (the secret's line changed or is context), so the test looked where a leak would be.
    const dry = await runCli(['fix', home, '--dry-run', '--format', 'html']);
    expect(dry.stdout).toContain('class="diff"');
  });

  it('the page loads nothing: no script, no external URL in src/href other than links to references', async () => {
    const r = await runCli(['check', example, '--format', 'html']);
    expect(r.stdout).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|@import|url\(/i);
    expect(r.stdout).not.toMatch(/\ssrc=/i);
    expect(r.stdout).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'`);
    const hrefs = [...r.stdout.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const h of hrefs) expect(h).toMatch(/^(#[\w-]+|https?:\/\/)/);
  });
});

describe('show and plan --format html', () => {
  it('show prints the saved plan as a page with every diff; plan prints the planned home and still saves the plan', async () => {
    const home = tempCopy(example);
    const planFile = join(tempDir(), 'plan.json');
    const p = await runCli(['plan', home, '--out', planFile, '--format', 'html']);
    expect(p.code).toBe(0);
    expect(p.stdout).toContain('data-mode="plan"');
    expect(p.stdout).toContain(planFile);
    const doc = JSON.parse(readFileSync(planFile, 'utf8')) as { changes: { path: string; diff: string }[] };
    expect(doc.changes.length).toBeGreaterThan(0);
    const s = await runCli(['show', planFile, '--format', 'html']);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('data-mode="show"');
    for (const c of doc.changes) expect(s.stdout).toContain(`<figure class="diff" data-path="${escapeHtml(c.path)}"`);
    expect((s.stdout.match(/<figure class="diff"/g) ?? []).length).toBe(doc.changes.length);
    const bad = await runCli(['show', planFile, '--format', 'json']);
    expect(bad.code).toBe(2);
  });
});

describe('several homes in one run', () => {
  /** fleet/{a (XML), group/b (TOML), notes (no home)}: a and group/b are homes, found by discovery. */
  function fleet(): { root: string; a: string; b: string } {
    const root = tempDir();
    const a = join(root, 'a');
    // A copy inside the fleet folder (tempCopy gives the files the owner write bit a real home has).
    cpSync(tempCopy(example), a, { recursive: true });
    mkdirSync(join(root, 'group'));
    const b = tomlHome(join(root, 'group', 'b'));
    mkdirSync(join(root, 'notes'));
    writeFileSync(join(root, 'notes', 'README.md'), 'not a home\n');
    return { root, a, b };
  }

  it('finds the homes below a folder that is not one, up to a small depth, and not inside homes', () => {
    const { root, a, b } = fleet();
    expect(discoverHomes(root)).toEqual([a, b]);
    expect(resolveHomes([root])).toEqual({ homes: [a, b], many: true, root });
    // One home, or a folder with no home below: an ordinary single run.
    expect(resolveHomes([a])).toEqual({ homes: [a], many: false, root: a });
    expect(resolveHomes([join(root, 'notes')]).many).toBe(false);
    // Too deep is not found.
    const deep = tempDir();
    tomlHome(join(deep, 'x', 'y', 'z', 'w'));
    expect(discoverHomes(deep)).toEqual([]);
    tomlHome(join(deep, 'x', 'y', 'z2'));
    expect(discoverHomes(deep)).toEqual([join(deep, 'x', 'y', 'z2')]);
    expect(commonRoot([a, b])).toBe(resolve(root));
  });

  it('json: an object with homes (each the single-home document) and a summary; exit is the worst', async () => {
    const { root, a, b } = fleet();
    const many = await runCli(['check', root, '--format', 'json']);
    expect(many.code).toBe(1);
    const doc = JSON.parse(many.stdout) as { schemaVersion: number; mode: string; homes: Record<string, unknown>[]; summary: { homes: number; failed: number; total: number; byStatus: Record<string, number> } };
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'tool', 'mode', 'homes', 'summary']);
    expect(doc.homes.map((h) => h.home)).toEqual([a, b]);
    for (const h of [a, b]) {
      const single = JSON.parse((await runCli(['check', h, '--format', 'json'])).stdout) as Record<string, unknown>;
      expect(doc.homes.find((x) => x.home === h)).toEqual(single);
    }
    const findings = doc.homes.flatMap((h) => h.findings as { status: string }[]);
    expect(doc.summary).toMatchObject({ homes: 2, failed: 0, total: findings.length });
    expect(doc.summary.byStatus.fixable).toBe(findings.filter((f) => f.status === 'fixable').length);

    // A home that cannot be planned is reported and the others go on; the exit code is 2.
    writeFileSync(join(root, 'group', 'b', 'repository/conf/deployment.toml'), '[server\nbroken');
    const broken = await runCli(['check', root, '--format', 'json']);
    expect(broken.code).toBe(2);
    const bdoc = JSON.parse(broken.stdout) as { homes: { home: string; error?: string; findings?: unknown[] }[]; summary: { failed: number } };
    expect(bdoc.summary.failed).toBe(1);
    expect(bdoc.homes[0]!.findings!.length).toBeGreaterThan(0);
    expect(bdoc.homes[1]).toEqual({ home: b, error: expect.stringContaining('malformed TOML') });
    expect(broken.stderr).toContain(`harden: ${b}: repository/conf/deployment.toml`);
  });

  it('an expired waiver in one home makes the run exit 3; a clean home alone exits 0', async () => {
    const { root, a } = fleet();
    writeFileSync(join(a, 'harden.toml'), '[[waivers]]\nrule = "tomcat-server-header"\nreason = "r"\nowner = "o"\nexpires = 2001-01-01\n');
    const r = await runCli(['check', root, '--format', 'json']);
    expect(r.code).toBe(3);
    // Flag mistakes stop the whole run once.
    const bad = await runCli(['check', root, '--only', 'no-such-rule']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('unknown rule id "no-such-rule"');
  });

  it('text: a section per home and a closing table; fix --dry-run gives one diff that patch -p1 applies from the root', async () => {
    const { root, a, b } = fleet();
    const check = await runCli(['check', a, b]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`=== [1/2] ${a} ===`);
    expect(check.stdout).toContain(`=== [2/2] ${b} ===`);
    expect(check.stdout).toMatch(/2 home\(s\); open findings by severity/);
    expect(check.stdout).toMatch(new RegExp(`${b.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+WSO2 API Manager 4\\.2\\.0\\s+\\d+`));

    const dry = await runCli(['fix', root, '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('--- a/a/repository/conf/tomcat/catalina-server.xml');
    expect(dry.stdout).toContain('+++ b/group/b/repository/conf/deployment.toml');
    expect(dry.stderr).toContain(`cd ${root} && patch -p1`);
    // Applying it from the root gives what fix --yes writes in each home.
    const viaPatch = tempCopy(root);
    applyPatch(viaPatch, dry.stdoutBytes);
    const viaFix = tempCopy(root);
    for (const h of ['a', 'group/b']) expect((await runCli(['fix', join(viaFix, h), '--yes', '--no-backup'])).code).toBeLessThan(2);
    expect(snapshotTree(viaPatch)).toEqual(snapshotTree(viaFix));

    // Writing goes one home at a time.
    const yes = await runCli(['fix', root, '--yes']);
    expect(yes.code).toBe(2);
    expect(yes.stderr).toContain('one home at a time');
    expect(snapshotTree(root)).toEqual(snapshotTree(tempCopy(root)));
  });

  it('sarif: a run per home (a failed one with executionSuccessful false); junit: a testsuite per home', async () => {
    const { root, b } = fleet();
    writeFileSync(join(b, 'repository/conf/deployment.toml'), '[server\nbroken');
    const s = await runCli(['check', root, '--format', 'sarif']);
    expect(s.code).toBe(2);
    const sarif = JSON.parse(s.stdout) as { runs: { invocations?: { executionSuccessful: boolean }[]; results: unknown[] }[] };
    expect(sarif.runs).toHaveLength(2);
    expect(sarif.runs[0]!.results.length).toBeGreaterThan(0);
    expect(sarif.runs[1]!.invocations![0]!.executionSuccessful).toBe(false);
    if (hasSarifSchema) sarifValidator()(sarif);

    const j = await runCli(['check', root, '--format', 'junit']);
    const top = (xml2js(j.stdout) as Element).elements!.find((e) => e.name === 'testsuites')!;
    const suites = top.elements!.filter((e) => e.name === 'testsuite');
    expect(suites.map((x) => x.attributes!.package)).toEqual([join(root, 'a'), b]);
    const sum = (k: string): number => suites.reduce((n, x) => n + Number(x.attributes![k]), 0);
    for (const k of ['tests', 'failures', 'errors', 'skipped']) expect(Number(top.attributes![k])).toBe(sum(k));
    expect(Number(suites[1]!.attributes!.errors)).toBe(1);
  });

  it('html: a homes table linking to each home section, an error section for a broken home', async () => {
    const { root, a, b } = fleet();
    writeFileSync(join(b, 'repository/conf/deployment.toml'), '[server\nbroken');
    const r = await runCli(['check', root, '--format', 'html']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('<table class="homes">');
    const linked = (home: string): string => `<a href="#home-${home === a ? 1 : 2}"><code>${escapeHtml(home).split('/').join('/<wbr>')}</code></a>`;
    expect(r.stdout).toContain(linked(a));
    expect(r.stdout).toContain(linked(b));
    expect(r.stdout).toMatch(/<section class="home" id="home-1" /);
    expect(r.stdout).toMatch(/<section class="home" id="home-2" data-home="[^"]*" data-error="true"/);
    expect(r.stdout).toContain('malformed TOML');
  });
});
