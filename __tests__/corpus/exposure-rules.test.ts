// jmx-rmi, hostname, admin-services-exposure, xss-valve, tomcat-http-connector and passthru-sender-hostname-verifier
// on every real home of ../shared/corpus, with every opt-in and value given: nothing refused, the result
// re-plans to nothing, and what each product generation gets is what RULES.md / RULES-FACTCHECK say.
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan, planHome, type HomePlan } from '../../src/run.js';
import type { Finding } from '../../src/engine/types.js';
import { corpusRoot, hasCorpus } from '../helpers/corpus.js';
import { corpusHomes } from '../helpers/corpus-homes.js';
import { cleanupTemps, tempCopy } from '../helpers/homes.js';

const RULES = ['jmx-rmi', 'hostname', 'admin-services-exposure', 'xss-valve', 'tomcat-http-connector', 'passthru-sender-hostname-verifier'];
const ALL_IN = { hostname: 'api.example.com', jmx: 'disable', 'xss-valve': 'enable', 'http-connector': 'disable' };
const homes = corpusHomes('xml', 'toml', 'mi').filter((l) => !l.startsWith('helm-'));
afterAll(cleanupTemps);

const of = (plan: HomePlan, rule: string): Finding[] => plan.findings.filter((f) => f.ruleId === rule);
const statuses = (plan: HomePlan, rule: string): string[] => [...new Set(of(plan, rule).map((f) => f.status))].sort();

/** Plans with the given parameters on a copy, applies, and checks the second run. */
function run(label: string, params: Record<string, string>): { plan: HomePlan; home: string } {
  const home = tempCopy(join(corpusRoot, label));
  const plan = planHome({ home, only: RULES, params });
  expect(plan.findings.filter((f) => f.status === 'error')).toEqual([]);
  applyPlan(plan);
  const again = planHome({ home, only: RULES, params });
  expect(again.changes).toEqual([]);
  expect(again.findings.filter((f) => f.status === 'fixable' || f.status === 'error')).toEqual([]);
  return { plan, home };
}

(hasCorpus ? describe : describe.skip)('exposure rules on the corpus homes', () => {
  it.each(homes)('%s, with and without the parameters', (label) => {
    run(label, {});
    run(label, ALL_IN);
  });

  it('turns each shipped <!--HostName--> / <!--MgtHostName--> comment into the element on the same line, and changes no other line', () => {
    const labels = ['apim-2.6.0', 'carbon-kernel-4.4.x', 'esb-5.0.0', 'ei-6.6.0', 'wild-1', 'wild-2'];
    for (const label of labels) {
      const { plan, home } = run(label, { hostname: 'api.example.com' });
      const carbons = plan.changes.filter((c) => c.path.endsWith('carbon.xml'));
      expect(carbons.length).toBeGreaterThan(0);
      for (const c of carbons) {
        const before = c.before.split('\n');
        const after = readFileSync(join(home, c.path), 'latin1').split('\n');
        expect(after.length).toBe(before.length);
        const changed = before.map((l, i) => [l, after[i]!] as const).filter(([a, b]) => a !== b);
        for (const [was, now] of changed) {
          expect({ label, was: was.trim() }).toEqual({ label, was: expect.stringMatching(/^<!--(Mgt)?HostName>.*<\/(Mgt)?HostName-->$|^<(Mgt)?HostName>localhost<\/(Mgt)?HostName>$/) });
          expect(now.trim()).toMatch(/^<(Mgt)?HostName>api\.example\.com<\/(Mgt)?HostName>$/);
          expect(now.slice(0, now.indexOf('<'))).toBe(was.slice(0, was.indexOf('<'))); // same indentation
        }
      }
    }
  });

  it('follows each product generation', () => {
    const all = Object.fromEntries(homes.map((l) => [l, planHome({ home: join(corpusRoot, l), only: RULES, params: ALL_IN })]));
    // B11: Identity Server ships the RMI server off; API Manager, the kernel and MI do not.
    for (const l of ['is-5.11.0', 'is-6.0.0', 'is-7.0.x']) expect(statuses(all[l]!, 'jmx-rmi')).toEqual(['compliant']);
    for (const l of ['apim-3.2.0', 'apim-4.5.0', 'carbon-kernel-4.12.x', 'mi-4.3.0', 'apim-2.6.0', 'esb-5.0.0']) expect(statuses(all[l]!, 'jmx-rmi')).toEqual(['fixable']);
    // B3: only Identity Server's template can switch 9763 off; API Manager ≤ 4.5 and the kernel cannot; Carbon 4.4 never.
    for (const l of ['is-5.11.0', 'is-6.0.0', 'is-7.0.x']) {
      const f = of(all[l]!, 'tomcat-http-connector');
      expect(f.map((x) => x.status)).toEqual(['fixable']);
      expect(f[0]!.intents).toEqual([{ file: 'repository/conf/deployment.toml', intent: { kind: 'toml-set', key: ['transport', 'http', 'enabled'], value: false } }]);
    }
    for (const l of ['apim-3.2.0', 'apim-4.2.0', 'apim-4.5.0', 'carbon-kernel-4.12.x', 'apim-2.6.0', 'is-5.4.1']) expect(statuses(all[l]!, 'tomcat-http-connector')).toEqual(['manual']);
    // §2.23: [[catalina.valves]] only where the catalina template loops over it.
    for (const l of ['apim-4.2.0', 'apim-4.5.0', 'is-5.11.0', 'is-6.0.0', 'is-7.0.x']) expect(statuses(all[l]!, 'xss-valve')).toEqual(['fixable']);
    for (const l of ['apim-3.2.0', 'carbon-kernel-4.12.x']) expect(statuses(all[l]!, 'xss-valve')).toEqual(['manual']);
    // MI: the management API loses plain HTTP, the sender gets the documented key, RMI is turned off on request.
    const mi = all['mi-4.3.0']!;
    const miIntents = mi.findings.flatMap((f) => (f.status === 'fixable' ? f.intents ?? [] : []).map((i) => i.intent));
    expect(miIntents).toEqual(
      expect.arrayContaining([
        { kind: 'toml-set', key: ['management_api', 'protocols'], value: 'https' },
        { kind: 'toml-set', key: ['transport', 'http', 'sender', 'hostname_verifier'], value: 'Strict' },
        { kind: 'toml-set', key: ['monitoring', 'jmx', 'rmi_server_start'], value: false },
      ]),
    );
    // The shipped carbon.xml everywhere keeps WSDLs hidden and both HTTP switches commented out.
    for (const l of ['apim-2.6.0', 'carbon-kernel-4.4.x', 'esb-5.0.0', 'ei-6.6.0', 'is-5.4.1', 'wild-1', 'wild-2']) expect(statuses(all[l]!, 'admin-services-exposure')).toEqual(['compliant']);
  });

  it('points MI\'s RMI host name ($ref{server.hostname}) at the loopback address without a parameter', () => {
    const { plan } = run('mi-4.3.0', {});
    const f = of(plan, 'jmx-rmi').find((x) => x.status === 'fixable')!;
    expect(f.message).toContain('$ref{server.hostname}');
    expect(f.intents).toEqual([{ file: 'conf/deployment.toml', intent: { kind: 'toml-set', key: ['monitoring', 'jmx', 'rmi_hostname'], value: '127.0.0.1' } }]);
  });
});
