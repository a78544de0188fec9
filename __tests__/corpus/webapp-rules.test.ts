// The Tomcat web-application rules (hsts-webapps, cache-prevention, session-id-length, session-cookie-flags)
// on the real files of ../shared/corpus: what they find in every home as shipped, and round trips that
// break a real file the way operators do (a flag turned off, a filter commented out) and expect the rule
// to give back the hardened bytes.
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planFixes } from '../../src/engine/plan.js';
import { SourceFiles } from '../../src/engine/source-files.js';
import { tomlMeaning } from '../../src/formats/toml/semantic.js';
import { applyPlan, planHome } from '../../src/run.js';
import { tlsPolicy } from '../../src/engine/tls-profiles.js';
import type { Finding, ProductInfo, Transform } from '../../src/engine/types.js';
import { hstsWebapps } from '../../transforms/hsts-webapps/index.js';
import { sessionCookieFlags } from '../../transforms/session-cookie-flags/index.js';
import { corpusRoot, hasCorpus, listFiles } from '../helpers/corpus.js';
import { corpusHomes } from '../helpers/corpus-homes.js';
import { cleanupTemps, tempCopy } from '../helpers/homes.js';

afterAll(cleanupTemps);

const RULES = ['hsts-webapps', 'cache-prevention', 'session-id-length', 'session-cookie-flags'];
const homes = corpusHomes('xml', 'toml').filter((l) => !l.startsWith('helm-'));
const run = (label: string): ReturnType<typeof planHome> => planHome({ home: join(corpusRoot, label), only: RULES });
const of = (findings: Finding[], rule: string, status?: string): Finding[] => findings.filter((f) => f.ruleId === rule && (!status || f.status === status));

const G44: ProductInfo = { id: 'carbon-kernel', name: 'WSO2 Carbon', version: '4.4.40', kernel: '4.4.40', model: 'xml', confDirs: ['repository/conf'], binDirs: ['bin'], evidence: [], generated: [] };

/** One rule over in-memory files: the text it would write for each changed file. */
function fixOnce(t: Transform, texts: Record<string, string>, product = G44): { findings: Finding[]; out: Map<string, string> } {
  const files = new SourceFiles(Object.entries(texts).map(([path, text]) => ({ path, text, encoding: 'utf8' as const, bom: false })), Object.keys(texts));
  const plan = planFixes(files, product, [t], { policy: tlsPolicy('intermediate', 8), params: {} });
  return { findings: plan.findings, out: new Map(plan.changes.map((c) => [c.path, c.after])) };
}

(hasCorpus ? describe : describe.skip)('web application rules on the corpus homes as shipped', () => {
  it.each(homes)('%s: no errors, stable after one run, edits only deployment.toml', (label) => {
    const plan = run(label);
    expect(plan.findings.filter((f) => f.status === 'error')).toEqual([]);
    for (const c of plan.changes) expect(c.path).toMatch(/deployment\.toml$/);
    if (plan.changes.length === 0) return;
    const home = tempCopy(join(corpusRoot, label));
    applyPlan(planHome({ home, only: RULES }));
    const again = planHome({ home, only: RULES });
    expect(again.changes).toEqual([]);
    expect(again.findings.filter((f) => f.status === 'error' || f.status === 'fixable')).toEqual([]);
  });

  it('declares the global HSTS filter only where the global web.xml template loops tomcat.filter (kernel 4.6.1+)', () => {
    const withLoop = ['apim-4.2.0', 'apim-4.5.0', 'carbon-kernel-4.12.x', 'is-5.11.0', 'is-6.0.0', 'is-7.0.x'];
    for (const label of withLoop) {
      const plan = run(label);
      expect({ label, fixes: of(plan.findings, 'hsts-webapps', 'fixable').map((f) => f.file) }).toEqual({ label, fixes: ['repository/conf/deployment.toml'] });
      const toml = tomlMeaning(plan.changes.find((c) => c.path === 'repository/conf/deployment.toml')!.after) as { tomcat: { filter: unknown[]; filter_mapping: unknown[] } };
      expect(toml.tomcat.filter).toContainEqual(expect.objectContaining({ class: 'org.apache.catalina.filters.HttpHeaderSecurityFilter', init_params: expect.objectContaining({ hstsEnabled: true, hstsMaxAgeSeconds: 31536000 }) }));
      expect(toml.tomcat.filter_mapping).toContainEqual({ name: 'httpHeaderSecurity', url_pattern: '/*', dispatchers: ['REQUEST'] });
    }
    // APIM 3.2 ships the kernel 4.6.0 template without the loop (RULES-FACTCHECK B15).
    expect(of(run('apim-3.2.0').findings, 'hsts-webapps').map((f) => f.status)).toEqual(['manual']);
  });

  it('reports the console cache filter as shipped: present, or never shipped by the product (RULES-FACTCHECK B10)', () => {
    for (const label of ['apim-2.6.0', 'carbon-kernel-4.4.x', 'ei-6.6.0', 'is-5.7.0', 'apim-4.2.0', 'apim-4.5.0']) {
      expect({ label, statuses: [...new Set(of(run(label).findings, 'cache-prevention').map((f) => f.status))] }).toEqual({ label, statuses: ['compliant'] });
    }
    for (const label of ['is-5.4.1', 'esb-5.0.0', 'is-6.0.0', 'is-7.0.x', 'apim-3.2.0', 'is-5.11.0', 'carbon-kernel-4.12.x']) {
      expect({ label, statuses: [...new Set(of(run(label).findings, 'cache-prevention').map((f) => f.status))] }).toEqual({ label, statuses: ['advisory'] });
    }
  });

  it('flags the Tomcat 7 <Manager sessionIdLength> that EI 6.6 business-process ships on Tomcat 9', () => {
    const found = of(run('ei-6.6.0').findings, 'session-id-length', 'advisory');
    expect(found.map((f) => f.file)).toEqual(['wso2/business-process/conf/tomcat/context.xml']);
    expect(found[0]!.message).toMatch(/ignore it.*effective length is 16 bytes/);
  });

  it('finds every shipped session cookie Secure and HttpOnly', () => {
    for (const label of homes) {
      const mine = of(run(label).findings, 'session-cookie-flags');
      expect({ label, open: mine.filter((f) => !['compliant', 'not-applicable'].includes(f.status)) }).toEqual({ label, open: [] });
    }
  });
});

const consoles = hasCorpus ? listFiles(corpusRoot, (p) => /^[^/]+\/(repository\/)?(wso2\/[^/]+\/)?conf\/tomcat\/carbon\/WEB-INF\/web\.xml$/.test(p)) : [];
const contexts = hasCorpus ? listFiles(corpusRoot, (p) => /tomcat\/(carbon\/META-INF\/)?context\.xml$/.test(p)) : [];

(hasCorpus ? describe : describe.skip)('round trips on real files', () => {
  /** The corpus file `rel` with `shipped` turned into `broken`, placed at `path`: session-cookie-flags must restore the shipped bytes. */
  const expectRestored = (rel: string, shipped: string, broken: string, path: string): void => {
    const text = readFileSync(join(corpusRoot, rel), 'utf8');
    const before = text.replace(shipped, broken);
    expect(before).not.toBe(text);
    const { out } = fixOnce(sessionCookieFlags, { [path]: before });
    expect(out.get(path)).toBe(text);
  };

  it.each(consoles)('%s: <secure>false</secure> is set back to exactly the shipped bytes', (rel) => {
    expectRestored(rel, '<secure>true</secure>', '<secure>false</secure>', 'repository/conf/tomcat/carbon/WEB-INF/web.xml');
  });

  it.each(contexts)('%s: useHttpOnly="false" is set back to exactly the shipped bytes', (rel) => {
    expectRestored(rel, 'useHttpOnly="true"', 'useHttpOnly="false"', 'repository/conf/tomcat/context.xml');
  });

  // Each console web.xml used as a web application's descriptor: the filter fixed in place, and the same
  // filter and mapping commented out, must come out as the same bytes apart from the removed delimiter lines.
  it.each(consoles)('%s as a webapp descriptor: restoring a commented-out filter gives the in-place fix', (rel) => {
    const text = readFileSync(join(corpusRoot, rel), 'utf8');
    const path = 'repository/deployment/server/webapps/app/WEB-INF/web.xml';
    const filter = /([ \t]*)<filter>\s*<filter-name>HttpHeaderSecurityFilter<\/filter-name>[\s\S]*?<\/filter>\r?\n/.exec(text)!;
    const mapping = /([ \t]*)<filter-mapping>\s*<filter-name>HttpHeaderSecurityFilter<\/filter-name>[\s\S]*?<\/filter-mapping>\r?\n/.exec(text)!;
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const wrap = (m: RegExpExecArray): string => `${m[1]}<!--${eol}${m[0]}${m[1]}-->${eol}`;
    const commented = text.replace(mapping[0], wrap(mapping)).replace(filter[0], wrap(filter));
    const direct = fixOnce(hstsWebapps, { [path]: text }).out.get(path)!;
    const restored = fixOnce(hstsWebapps, { [path]: commented });
    expect(restored.findings.filter((f) => f.status === 'fixable')).toHaveLength(1);
    expect(restored.out.get(path)).toBe(direct);
    expect(direct).toMatch(/<param-name>hstsMaxAgeSeconds<\/param-name>\s*<param-value>31536000<\/param-value>/);
  });
});
