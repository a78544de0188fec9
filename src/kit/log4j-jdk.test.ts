// The two log rules on every corpus home, judged by the JDK itself: every log4j(2).properties they edit
// is read by java.util.Properties.load as the original plus exactly the declared intents, and
// the planned edits are what the rules' messages promise (class, MaxFileSize/MaxBackupIndex, -%i, [%K]/[%u]).
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planHome } from '../run.js';
import { corpusHomes } from '../../__tests__/helpers/corpus-homes.js';
import { corpusRoot, hasCorpus } from '../../__tests__/helpers/corpus.js';

const DUMPER = fileURLToPath(new URL('../formats/properties/java/PropertiesDump.java', import.meta.url));
const hasJava = spawnSync('java', ['-version'], { encoding: 'utf8' }).status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'harden-log-jdk-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const homes = corpusHomes('xml', 'toml', 'mi').filter((l) => !l.startsWith('helm-'));

function jdk(paths: string[]): Record<string, string>[] {
  const r = spawnSync('java', [DUMPER, ...paths], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  expect(r.stderr).toBe('');
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
}

(hasCorpus && hasJava ? describe : describe.skip)('log rules on the corpus, read back by the JDK', () => {
  it('edits the shipped log files of the Carbon 4.4, 4.5+, EI and MI homes', () => {
    const edited = homes.flatMap((label) => planHome({ home: join(corpusRoot, label), only: ['log-rotation', 'log-forging'] }).changes.map((c) => `${label}/${c.path}`));
    expect(edited).toEqual(
      expect.arrayContaining([
        'apim-2.6.0/repository/conf/log4j.properties',
        'esb-5.0.0/repository/conf/log4j.properties',
        'is-5.4.1/repository/conf/log4j.properties',
        'apim-4.5.0/repository/conf/log4j2.properties',
        'is-7.0.x/repository/conf/log4j2.properties',
        'ei-6.6.0/wso2/broker/conf/log4j2.properties',
        'mi-4.3.0/conf/log4j2.properties',
      ]),
    );
  });

  it('every edited file means the original plus the intents, and what the messages promise', () => {
    const cases = homes.flatMap((label) => {
      const plan = planHome({ home: join(corpusRoot, label), only: ['log-rotation', 'log-forging'] });
      expect({ label, errors: plan.findings.filter((f) => f.status === 'error') }).toEqual({ label, errors: [] });
      return plan.changes.map((c, i) => {
        const after = join(tmp, `${label}-${i}.properties`);
        writeFileSync(after, c.after);
        const intents = plan.findings.flatMap((f) => (f.intents ?? []).filter((x) => x.file === c.path).map((x) => x.intent));
        return { file: `${label}/${c.path}`, before: join(corpusRoot, label, c.path), after, intents };
      });
    });
    expect(cases.length).toBeGreaterThanOrEqual(15);
    // One JVM for all the originals and one for all the edited files.
    const before = jdk(cases.map((c) => c.before));
    const after = jdk(cases.map((c) => c.after));
    cases.forEach((c, i) => {
      const want = { ...before[i]! };
      for (const x of c.intents) if (x.kind === 'properties-set') want[x.key] = x.value;
      expect({ file: c.file, map: after[i] }).toEqual({ file: c.file, map: Object.fromEntries(Object.entries(want).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) });
      for (const [k, v] of Object.entries(after[i]!)) {
        if (v === before[i]![k]) continue;
        if (/^log4j\.appender\.(CARBON_LOGFILE|AUDIT_LOGFILE)$/.test(k)) expect(v).toBe('org.apache.log4j.RollingFileAppender');
        if (/^appender\.[^.]+\.filePattern$/.test(k)) expect(v).toMatch(/-%i/);
        if (/\.layout\.ConversionPattern$/.test(k)) expect(v.startsWith('[%K] ')).toBe(true);
        if (/\.layout\.pattern$/.test(k)) expect(v.startsWith('[%u] ')).toBe(true);
      }
    });
  });
});
