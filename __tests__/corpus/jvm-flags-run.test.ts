// Hardens each XML-model corpus home with `harden fix --yes`, then runs its start script under bash with a stub
// `java` that records its arguments: the JVM flags of jvm-ephemeral-dh, jvm-reject-client-renegotiation and
// jvm-hostname-verification must reach java exactly once each, with their secure values.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planHome } from '../../src/run.js';
import { parseShJava } from '../../src/formats/script/java-sh.js';
import { corpusRoot, hasCorpus } from '../helpers/corpus.js';
import { runCli } from '../helpers/capture.js';
import { cleanupTemps, tempCopy } from '../helpers/homes.js';
import { recordingJavaHome } from '../helpers/recording-java.js';

const RULES = ['jvm-ephemeral-dh', 'jvm-reject-client-renegotiation', 'jvm-hostname-verification'];
const EXPECTED_HOMES = ['apim-2.6.0', 'carbon-kernel-4.4.x', 'esb-5.0.0', 'ei-6.6.0', 'is-5.4.1', 'is-5.7.0', 'wild-4'];


/** HOME-relative start scripts whose java command runs the server, for every XML-model corpus home. */
function serverScripts(label: string): string[] {
  const home = join(corpusRoot, label);
  let product;
  try {
    product = planHome({ home, only: RULES }).product;
  } catch {
    return [];
  }
  if (product.model !== 'xml') return [];
  return product.binDirs.flatMap((dir) => {
    const abs = join(home, dir);
    if (!existsSync(abs)) return [];
    return readdirSync(abs)
      .filter((name) => name.endsWith('.sh'))
      .map((name) => `${dir}/${name}`)
      .filter((rel) => {
        const parsed = parseShJava(readFileSync(join(home, rel), 'utf8'));
        return parsed.ok && parsed.blocks.length === 1;
      });
  });
}

const hasBash = spawnSync('bash', ['-c', 'exit 0']).status === 0;
const labels = hasCorpus ? readdirSync(corpusRoot).filter((l) => statSync(join(corpusRoot, l)).isDirectory()).sort() : [];
const homes = labels.map((label): [string, string[]] => [label, serverScripts(label)]).filter(([, scripts]) => scripts.length > 0);

afterAll(cleanupTemps);

(hasCorpus && hasBash ? describe : describe.skip)('hardened corpus start scripts run under bash', () => {
  const root = mkdtempSync(join(tmpdir(), 'harden-jvm-run-'));
  // `-version` is answered like a JDK 8: the Carbon 4.4 scripts check it.
  const javaHome = recordingJavaHome(join(root, 'jdk'), { versionLine: 'openjdk version "1.8.0_292"' });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds the XML-model homes with a server script', () => {
    expect(homes.map(([label]) => label)).toEqual(expect.arrayContaining(EXPECTED_HOMES));
  });

  it.each(homes)('%s', async (label, scripts) => {
    const home = tempCopy(join(corpusRoot, label));
    execFileSync('chmod', ['-R', 'u+w', home]); // the corpus is read-only; a non-root run must still write
    const fixed = await runCli(['fix', home, '--yes']);
    expect(fixed.stderr).not.toMatch(/refused|internal error/);
    expect([0, 1]).toContain(fixed.code);

    for (const script of scripts) {
      const record = join(root, `${label}-${script.replace(/\//g, '_')}.args`);
      const run = spawnSync('bash', [join(home, script)], {
        cwd: home,
        encoding: 'utf8',
        timeout: 30_000,
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: root, JAVA_HOME: javaHome, CARBON_HOME: home, RECORD_FILE: record },
      });
      expect({ script, status: run.status, recorded: existsSync(record) }).toEqual({ script, status: 0, recorded: true });

      const args = readFileSync(record, 'utf8').split('\n').slice(0, -1);
      const values = (name: string): string[] => args.filter((a) => a === `-D${name}` || a.startsWith(`-D${name}=`));
      expect({ script, dh: values('jdk.tls.ephemeralDHKeySize') }).toEqual({ script, dh: ['-Djdk.tls.ephemeralDHKeySize=2048'] });
      expect({ script, reneg: values('jdk.tls.rejectClientInitiatedRenegotiation') }).toEqual({
        script,
        reneg: ['-Djdk.tls.rejectClientInitiatedRenegotiation=true'],
      });
      // Hostname verification: whichever property the script carries, once and secure, and at least one of them.
      const verifier = values('httpclient.hostnameVerifier');
      const ignore = values('org.wso2.ignoreHostnameVerification');
      expect({ script, verifier: verifier.length > 0 ? verifier : undefined, ignore: ignore.length > 0 ? ignore : undefined }).toEqual({
        script,
        verifier: verifier.length > 0 ? ['-Dhttpclient.hostnameVerifier=Strict'] : undefined,
        ignore: ignore.length > 0 ? ['-Dorg.wso2.ignoreHostnameVerification=false'] : undefined,
      });
      expect(verifier.length + ignore.length).toBeGreaterThan(0);
      expect(args.some((a) => /\.Bootstrap$/.test(a))).toBe(true);
    }
  });
});
