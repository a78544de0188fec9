// The advisory rules say concrete things: the port table is the one the server would open (offset
// applied, JMX only when RMI starts, clustering only when enabled), on fixtures and on real homes.
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planHome } from '../src/run.js';
import { corpusRoot, hasCorpus, repoRoot } from './helpers/corpus.js';
import { cleanupTemps, tempCopy } from './helpers/homes.js';

afterAll(cleanupTemps);

const fixture = (rule: string, name: string): string => join(repoRoot, 'transforms', rule, 'fixtures', name, 'before');

function portsOf(home: string): number[][] {
  return planHome({ home, only: ['open-ports'] })
    .findings.filter((f) => /listens on/.test(f.message))
    .map((f) => [...f.message.matchAll(/(?:: |; )(\d+) /g)].map((m) => Number(m[1])));
}

describe('open-ports', () => {
  it('lists every listener of a Carbon 4.4 home at its default port, JMX and clustering included', () => {
    expect(portsOf(fixture('open-ports', '01-insecure-default'))).toEqual([[4100, 8243, 8280, 9443, 9763, 9999, 11111]]);
  });

  it('moves ports by the offset and leaves out JMX when RMI does not start and clustering when off', () => {
    expect(portsOf(fixture('open-ports', '02-already-hardened'))).toEqual([[8248, 8285, 9448, 9768]]);
  });

  it('reads deployment.toml over default.json: a quoted offset, a moved listener, JMX switched off', () => {
    expect(portsOf(fixture('open-ports', '03-formatting-preserved'))).toEqual([[8283, 8446, 9446, 9766]]);
  });

  it('reads jmx.xml as jmx-rmi and Carbon do: no <StartRMIServer> means the RMI ports stay closed', () => {
    const home = tempCopy(fixture('open-ports', '01-insecure-default'));
    const jmx = join(home, 'repository', 'conf', 'etc', 'jmx.xml');
    writeFileSync(jmx, readFileSync(jmx, 'utf8').replace(/\s*<StartRMIServer>true<\/StartRMIServer>/, ''));
    expect(portsOf(home)).toEqual([[4100, 8243, 8280, 9443, 9763]]);
    expect(planHome({ home, only: ['jmx-rmi'] }).findings.map((f) => f.status)).toEqual(['compliant']);
  });

  it("applies Micro Integrator's default offset of 10", () => {
    expect(portsOf(fixture('open-ports', '05-mi-shipped'))).toEqual([[8253, 8290, 9164]]);
  });

  it('names the DMZ paths for Carbon products and the management API for MI', () => {
    const carbon = planHome({ home: fixture('open-ports', '01-insecure-default'), only: ['open-ports'] }).findings.map((f) => f.message);
    expect(carbon.join('\n')).toMatch(/block \/services \(admin services\) and \/carbon/);
    const mi = planHome({ home: fixture('open-ports', '05-mi-shipped'), only: ['open-ports'] }).findings.map((f) => f.message);
    expect(mi.join('\n')).toMatch(/management API/);
  });

  (hasCorpus ? it : it.skip)('gives each EI 6.6 profile its own table with its shipped offset', () => {
    const tables = portsOf(join(corpusRoot, 'ei-6.6.0'));
    expect(tables).toHaveLength(3);
    // integrator offset 0, broker 3, business-process 2: their HTTPS servlet ports.
    expect(tables.map((t) => t.filter((p) => p >= 9443 && p <= 9446)[0])).toEqual([9443, 9446, 9445]);
  });
});

describe('os-guidelines', () => {
  it('gives Carbon products every guideline and BI projects only the host ones', () => {
    const carbon = planHome({ home: fixture('os-guidelines', '01-insecure-default'), only: ['os-guidelines'] }).findings;
    const bi = planHome({ home: fixture('os-guidelines', '02-already-hardened'), only: ['os-guidelines'] }).findings;
    expect(carbon.every((f) => f.status === 'advisory')).toBe(true);
    expect(carbon.map((f) => f.message).join('\n')).toMatch(/not root/);
    expect(carbon.map((f) => f.message).join('\n')).toMatch(/two admin accounts/);
    expect(bi.map((f) => f.message).join('\n')).not.toMatch(/admin accounts|JMX/);
    expect(bi.length).toBeLessThan(carbon.length);
  });
});
