// Every deployment.toml and Micro Integrator home of ../shared/corpus, tried as a new user would:
// fixes land in deployment.toml (and the start scripts), never in a generated file or a template;
// every comment line of deployment.toml survives; a second run plans nothing.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planHome } from '../../src/run.js';
import { corpusRoot, hasCorpus } from '../helpers/corpus.js';
import { runCli } from '../helpers/capture.js';
import { cleanupTemps, snapshotTree, tempCopy } from '../helpers/homes.js';
import { tryAsUser } from '../helpers/as-user.js';
import { corpusHomes } from '../helpers/corpus-homes.js';

const homes = corpusHomes('toml', 'mi').filter((l) => !l.startsWith('helm-')); // Helm templates are not homes
afterAll(cleanupTemps);

const tomlOf = (label: string): string => (existsSync(join(corpusRoot, label, 'conf/deployment.toml')) ? 'conf/deployment.toml' : 'repository/conf/deployment.toml');

/** A file the config mapper renders: it has a template, or the last start recorded it (deployment.toml is its input). */
function generated(label: string, path: string): boolean {
  if (path.endsWith('deployment.toml')) return false;
  const home = join(corpusRoot, label);
  const meta = join(home, 'repository/resources/conf/.metadata/metadata_config.properties');
  const listed = existsSync(meta) && readFileSync(meta, 'utf8').replace(/\\\\/g, '/').includes(`${path}=`);
  return listed || existsSync(join(home, 'repository/resources/conf/templates', `${path}.j2`));
}

(hasCorpus ? describe : describe.skip)('deployment.toml and MI corpus homes', () => {
  it('finds the Carbon >= 4.5 and MI homes', () => {
    expect(homes).toEqual(expect.arrayContaining(['apim-3.2.0', 'apim-4.2.0', 'apim-4.5.0', 'carbon-kernel-4.12.x', 'is-5.11.0', 'is-6.0.0', 'is-7.0.x', 'mi-4.3.0', 'wild-3']));
  });

  it.each(homes)('%s', async (label) => {
    const run = await tryAsUser(label);
    const toml = tomlOf(label);
    for (const path of run.changed) {
      expect({ path, generated: generated(label, path) }).toEqual({ path, generated: false });
      expect(path.includes('resources/conf/templates/')).toBe(false);
    }
    expect(run.changed).toContain(toml);

    // Every comment line of deployment.toml is still there, in order.
    const before = run.original.get(toml)!.toString('utf8').split(/\r?\n/);
    const after = readFileSync(join(run.applied, toml), 'utf8').split(/\r?\n/);
    let at = 0;
    for (const line of before.filter((l) => l.trim().startsWith('#'))) {
      at = after.indexOf(line, at);
      expect({ line, kept: at !== -1 }).toEqual({ line, kept: true });
    }

    const again = planHome({ home: run.applied });
    expect(again.changes).toEqual([]);
    expect(again.findings.filter((f) => f.status === 'error' || f.status === 'fixable')).toEqual([]);
  });

  it('names file, line and column of a deployment.toml that does not parse, exits 2, writes nothing', async () => {
    const home = tempCopy(join(corpusRoot, 'apim-4.5.0'));
    const file = join(home, 'repository/conf/deployment.toml');
    writeFileSync(file, '[server]\nhostname = "localhost"\n\n[server]\noffset = 1\n');
    const before = snapshotTree(home);
    const r = await runCli(['fix', home, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/repository\/conf\/deployment\.toml:4:\d+: malformed TOML/);
    expect(r.stderr).toContain('nothing was written');
    expect(snapshotTree(home)).toEqual(before);
  });

  it('reports a generated file that was edited by hand after the last start', async () => {
    const clean = await runCli(['check', join(corpusRoot, 'is-6.0.0'), '--only', 'generated-config-drift', '--verbose']);
    expect(clean.stdout).toMatch(/OK.*generated-config-drift[\s\S]*generated file\(s\) match/);
    expect(clean.stdout).not.toMatch(/MANUAL/);
    const home = tempCopy(join(corpusRoot, 'is-6.0.0'));
    const catalina = join(home, 'repository/conf/tomcat/catalina-server.xml');
    writeFileSync(catalina, readFileSync(catalina, 'utf8').replace('+TLSv1,+TLSv1.1,+TLSv1.2', '+TLSv1.2'));
    const drift = await runCli(['check', home, '--only', 'generated-config-drift']);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toMatch(/MANUAL.*generated-config-drift repository\/conf\/tomcat\/catalina-server\.xml/);
  });
});
