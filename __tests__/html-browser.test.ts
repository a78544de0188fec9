// The HTML report in a real browser (Debian's Chromium driven by playwright-core): the summary counts
// equal the JSON report's, every finding is there and visible, every fixable finding and changed file
// has its diff with coloured lines, nothing is requested by the page, the keyboard reaches everything
// with a visible focus, print hides only navigation, and the multi-home report's links land on each
// home. Screenshots, the pages and a PDF are kept in test-artefacts/html-report/ (git-ignored).
//
// Without Chromium at /usr/bin/chromium (or $HARDEN_CHROMIUM) the suite is skipped locally, saying so;
// in CI (CI set) a missing Chromium fails it: .ci/run installs it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { corpusRoot, hasCorpus, repoRoot } from './helpers/corpus.js';
import { runCli } from './helpers/capture.js';
import { cleanupTemps } from './helpers/homes.js';

const CHROMIUM = process.env.HARDEN_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const inCi = Boolean(process.env.CI);
const artefacts = join(repoRoot, 'test-artefacts', 'html-report');
const example = join(repoRoot, 'examples', 'apim-2.6-home');
/** The single-home report of the issue: the corpus API Manager 2.6.0, else the bundled example. */
const singleHome = hasCorpus ? join(corpusRoot, 'apim-2.6.0') : example;

interface JsonFinding { rule: string; severity: string; file: string | null; line: number | null; status: string; message: string }
interface JsonHome {
  home: string;
  product: { name: string; version: string | null };
  findings: JsonFinding[];
  changes: { path: string }[];
  summary: { total: number; byStatus: Record<string, number>; bySeverity: Record<string, number> };
}
const OPEN = ['fixable', 'needs-input', 'manual', 'error'];

if (!hasChromium) {
  const why = `no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set HARDEN_CHROMIUM) to run the HTML report's browser tests`;
  if (inCi) {
    describe('HTML report in Chromium', () => {
      it('needs Chromium in CI (.ci/run installs it)', () => {
        throw new Error(why);
      });
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(`html-browser.test.ts skipped: ${why}`);
    describe.skip(`HTML report in Chromium (skipped: ${why})`, () => {
      it('renders', () => undefined);
    });
  }
} else {
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(artefacts, { recursive: true });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    cleanupTemps();
  });

  /**
   * Opens a report from a file, as a user opens an attachment. The page's own CSP is bypassed, so that
   * anything it referred to would really be requested: every request is recorded and aborted.
   */
  async function open(name: string, text: string): Promise<{ page: Page; requests: string[]; url: string }> {
    const file = join(artefacts, name);
    writeFileSync(file, text);
    const url = pathToFileURL(file).href;
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, offline: true });
    contexts.push(context);
    const requests: string[] = [];
    await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    const page = await context.newPage();
    page.on('request', (r) => void requests.push(r.url()));
    await page.goto(url, { waitUntil: 'load' });
    return { page, requests, url };
  }

  /** Checks one home's section against its JSON document. */
  async function checkHome(page: Page, hid: string, doc: JsonHome, mode: 'check' | 'dry-run'): Promise<void> {
    const section = page.locator(`section.home#${hid}`);
    await expect(section.count()).resolves.toBe(1);
    // Summary tables: exactly the JSON summary.
    const counts = await section.evaluate((el) => {
      const read = (kind: string): Record<string, number> =>
        Object.fromEntries([...el.querySelectorAll(`table[data-summary="${kind}"] td[data-key]`)].map((td) => [td.getAttribute('data-key')!, Number(td.textContent)]));
      return { byStatus: read('status'), bySeverity: read('severity') };
    });
    expect(counts).toEqual({ byStatus: doc.summary.byStatus, bySeverity: doc.summary.bySeverity });
    // The chart draws the same numbers: per status, the bars' segments add up to the summary.
    const drawn = await section.evaluate((el) => {
      const out: Record<string, number> = {};
      for (const r of el.querySelectorAll('.summary svg rect[data-status]')) out[r.getAttribute('data-status')!] = (out[r.getAttribute('data-status')!] ?? 0) + Number(r.getAttribute('data-count'));
      return out;
    });
    expect(drawn).toEqual(Object.fromEntries(Object.entries(doc.summary.byStatus).filter(([, n]) => n > 0)));
    // Every finding, once, with its rule, status, severity, place and message, visible.
    const shown = await section.evaluate((el) =>
      [...el.querySelectorAll('[data-finding]')].map((f) => ({
        i: Number(f.getAttribute('data-finding')),
        rule: f.getAttribute('data-rule'),
        status: f.getAttribute('data-status'),
        severity: f.getAttribute('data-severity'),
        file: f.getAttribute('data-file') || null,
        line: f.getAttribute('data-line') ? Number(f.getAttribute('data-line')) : null,
        text: (f as HTMLElement).innerText.replace(/\s+/g, ' '),
        visible: (f as HTMLElement).checkVisibility(),
        diffs: f.querySelectorAll('figure.diff').length,
        // A fix made together with another one's edit links to its file's whole change instead.
        shared: [...f.querySelectorAll('.shared a[href]')].map((a) => a.getAttribute('href')!),
      })),
    );
    expect(shown.map((s) => s.i).sort((a, b) => a - b)).toEqual(doc.findings.map((_, i) => i));
    for (const s of shown) {
      const f = doc.findings[s.i]!;
      expect({ rule: s.rule, status: s.status, severity: s.severity, file: s.file, line: s.line }).toEqual({ rule: f.rule, status: f.status, severity: f.severity, file: f.file, line: f.line });
      expect(s.text).toContain(f.message.replace(/\s+/g, ' ').trim());
      expect(s.visible).toBe(true);
      // The diff of each fixable finding.
      if (f.status === 'fixable') {
        const linked = s.shared.length === 1 && (await page.locator(`${s.shared[0]} figure.diff, figure.diff${s.shared[0]}`).count()) === 1;
        expect({ rule: f.rule, file: f.file, diff: s.diffs > 0 || linked }).toEqual({ rule: f.rule, file: f.file, diff: true });
      }
    }
    // The whole change of each file, with added and removed lines coloured apart.
    const changes = await section.evaluate((el) =>
      [...el.querySelectorAll(`[id$="-changes"] figure.diff`)].map((f) => ({
        path: f.getAttribute('data-path'),
        // A change of permission bits only has no line to colour.
        perms: f.getAttribute('data-mode-change'),
        add: f.querySelector('.d-add') ? getComputedStyle(f.querySelector('.d-add')!).backgroundColor : null,
        del: f.querySelector('.d-del') ? getComputedStyle(f.querySelector('.d-del')!).backgroundColor : null,
        ctx: f.querySelector('.d-ctx') ? getComputedStyle(f.querySelector('.d-ctx')!).backgroundColor : null,
      })),
    );
    expect(changes.map((c) => c.path)).toEqual(doc.changes.map((c) => c.path));
    for (const c of changes) {
      expect(c.add ?? c.del ?? c.perms).not.toBeNull();
      if (c.add) expect(c.add).toBe('rgb(218, 251, 225)');
      if (c.del) expect(c.del).toBe('rgb(255, 235, 233)');
      if (c.ctx) expect([c.add, c.del]).not.toContain(c.ctx);
    }
    await expect(page.locator('[data-mode]').getAttribute('data-mode')).resolves.toBe(mode);
  }

  describe('HTML report in Chromium', () => {
    it(`one home (${hasCorpus ? 'corpus apim-2.6.0' : 'examples/apim-2.6-home'}): counts, findings, diffs, no request, keyboard, print`, async () => {
      const [htmlRun, jsonRun] = await Promise.all([runCli(['check', singleHome, '--format', 'html']), runCli(['check', singleHome, '--format', 'json'])]);
      expect(htmlRun.code).toBe(jsonRun.code);
      const doc = JSON.parse(jsonRun.stdout) as JsonHome;
      expect(doc.findings.some((f) => f.status === 'fixable')).toBe(true);
      const { page, requests, url } = await open('single.html', htmlRun.stdout);
      await checkHome(page, 'home-1', doc, 'check');
      // Nothing but the page itself was requested, and the page has nothing that could request.
      expect(requests).toEqual([url]);
      await expect(page.evaluate(() => document.querySelectorAll('script,link,img,iframe,object,embed,video,audio,source,[src],[srcset]').length)).resolves.toBe(0);
      // Nothing is only behind hover, and nothing is folded away (closed <details> do not print).
      const hover = await page.evaluate(() => [...document.styleSheets].flatMap((s) => [...s.cssRules]).filter((r) => r.cssText.includes(':hover')).length);
      expect(hover).toBe(0);
      await expect(page.locator('details').count()).resolves.toBe(0);
      await page.screenshot({ path: join(artefacts, 'single-top.png') });
      await page.screenshot({ path: join(artefacts, 'single-full.png'), fullPage: true });

      // Keyboard: the first Tab reaches the skip link, visibly; Enter moves to the report; every link and
      // scrollable diff that Tab reaches shows a focus outline.
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => ({ cls: document.activeElement?.className, box: document.activeElement?.getBoundingClientRect().left }));
      expect(first.cls).toBe('skip');
      expect(first.box).toBeGreaterThanOrEqual(0);
      await page.keyboard.press('Enter');
      await expect(page.evaluate(() => location.hash)).resolves.toBe('#main');
      const focusable = await page.evaluate(() => document.querySelectorAll('a[href], [tabindex="0"]').length);
      const seen = new Set<string>();
      for (let i = 0; i < Math.min(focusable, 60); i++) {
        await page.keyboard.press('Tab');
        const f = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const s = getComputedStyle(el);
          return { tag: el.tagName, key: `${el.tagName}:${el.getAttribute('href') ?? ''}:${el.getAttribute('aria-label') ?? ''}:${el.closest('[id]')?.id}`, outline: s.outlineStyle, width: s.outlineWidth };
        });
        expect(['A', 'PRE', 'DIV']).toContain(f.tag);
        expect({ key: f.key, outline: f.outline }).toEqual({ key: f.key, outline: 'solid' });
        seen.add(f.key);
      }
      expect(seen.size).toBeGreaterThan(10);
      // Diffs are reachable by keyboard (they scroll sideways).
      await expect(page.locator('pre.diff[tabindex="0"]').count()).resolves.toBeGreaterThan(0);

      // Print: the navigation goes, long diff lines wrap instead of being cut, colours are kept.
      await page.emulateMedia({ media: 'print' });
      const print = await page.evaluate(() => ({
        toc: getComputedStyle(document.querySelector('nav.toc')!).display,
        wrap: getComputedStyle(document.querySelector('pre.diff span')!).whiteSpace,
        findings: [...document.querySelectorAll('[data-finding]')].every((f) => (f as HTMLElement).checkVisibility()),
      }));
      expect(print).toEqual({ toc: 'none', wrap: 'pre-wrap', findings: true });
      const pdf = await page.pdf({ path: join(artefacts, 'single.pdf'), format: 'A4' });
      expect(pdf.length).toBeGreaterThan(10_000);
      expect(requests).toEqual([url]);
    }, 180_000);

    it('a planted <script> in a config value is text in the browser: no script element, its text shown', async () => {
      const { mkdtempSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const home = mkdtempSync(join(tmpdir(), 'harden-html-'));
      mkdirSync(join(home, 'bin'));
      mkdirSync(join(home, 'repository/conf'), { recursive: true });
      writeFileSync(join(home, 'bin/version.txt'), 'WSO2 API Manager v4.2.0\n');
      writeFileSync(join(home, 'bin/wso2carbon-version.txt'), 'WSO2 Carbon Framework v4.8.1\n');
      const evil = '<script>document.title="owned"</script><img src="https://example.invalid/x.png">';
      writeFileSync(join(home, 'repository/conf/deployment.toml'), `[transport.http.properties]\nserver = "WSO2 Carbon Server" # ${evil}\n`);
      const r = await runCli(['check', home, '--format', 'html']);
      const { page, requests, url } = await open('planted-script.html', r.stdout);
      await expect(page.evaluate(() => document.querySelectorAll('script, img').length)).resolves.toBe(0);
      await expect(page.title()).resolves.not.toBe('owned');
      await expect(page.locator('.d-del').first().innerText()).resolves.toContain(evil);
      expect(requests).toEqual([url]);
    }, 60_000);

    it(`several homes (${hasCorpus ? 'every corpus home' : 'the example and a TOML home'}): the homes table matches the JSON and its links land on each home`, async () => {
      const args = hasCorpus ? [corpusRoot] : [example, join(repoRoot, 'transforms/hsts-mgt-console/fixtures/12-toml-crlf-secrets/before')];
      const [htmlRun, jsonRun] = await Promise.all([runCli(['fix', ...args, '--dry-run', '--format', 'html']), runCli(['fix', ...args, '--dry-run', '--format', 'json'])]);
      expect(htmlRun.code).toBe(jsonRun.code);
      const doc = JSON.parse(jsonRun.stdout) as { homes: (JsonHome | { home: string; error: string })[] };
      expect(doc.homes.length).toBeGreaterThan(1);
      const { page, requests, url } = await open('multi.html', htmlRun.stdout);
      await page.screenshot({ path: join(artefacts, 'multi-top.png') });
      const rows = await page.evaluate(() =>
        [...document.querySelectorAll('table.homes tbody tr')].map((tr) => ({
          href: tr.querySelector('a')!.getAttribute('href'),
          home: tr.querySelector('a')!.textContent,
          state: tr.getAttribute('data-state'),
          open: Object.fromEntries([...tr.querySelectorAll('td[data-severity]')].map((td) => [td.getAttribute('data-severity'), Number(td.getAttribute('data-count'))])),
          product: tr.querySelectorAll('td')[0]?.textContent,
        })),
      );
      expect(rows.map((r) => r.home)).toEqual(doc.homes.map((h) => h.home));
      for (const [i, h] of doc.homes.entries()) {
        const row = rows[i]!;
        expect(row.href).toBe(`#home-${i + 1}`);
        if ('error' in h) {
          expect(row.state).toBe('error');
          await expect(page.locator(`#home-${i + 1} .error-box`).innerText()).resolves.toContain(h.error.split('\n')[0]!);
          continue;
        }
        const open = Object.fromEntries(['high', 'medium', 'low', 'info'].map((s) => [s, h.findings.filter((f) => f.severity === s && OPEN.includes(f.status)).length]));
        expect({ home: h.home, open: row.open }).toEqual({ home: h.home, open });
        expect(row.product).toBe(h.product.name);
        await checkHome(page, `home-${i + 1}`, h, 'dry-run');
      }
      // Each link lands on its home: the hash changes and the section's heading is at the top of the view.
      for (const [i] of doc.homes.entries()) {
        await page.locator('table.homes').scrollIntoViewIfNeeded();
        await page.click(`table.homes a[href="#home-${i + 1}"]`);
        const landed = await page.evaluate(
          (id) => ({
            hash: location.hash,
            top: Math.round(document.getElementById(id)!.getBoundingClientRect().top),
            // A last section shorter than the window cannot reach the top: the page is then at its end.
            atEnd: Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight - 1,
          }),
          `home-${i + 1}`,
        );
        expect(landed.hash).toBe(`#home-${i + 1}`);
        expect(Math.abs(landed.top) <= 2 || (landed.atEnd && landed.top > 0 && landed.top < 900)).toBe(true);
        // And back to the table.
        await page.click(`#home-${i + 1} .back a`);
        await expect(page.evaluate(() => location.hash)).resolves.toBe('#homes');
      }
      await page.click('table.homes a[href="#home-1"]');
      await page.screenshot({ path: join(artefacts, 'multi-home-1.png') });
      expect(requests).toEqual([url]);
    }, 300_000);
  });
}
