// Part 2 of "what harden writes takes effect" (issue 8): the JVM flags harden puts into the start-up script.
// The hardened wso2server.sh runs with a JAVA_HOME whose java records its arguments; exactly the -D flags it
// recorded are then given to the real java running JvmProbe, which prints how the JVM sees them and serves TLS,
// so openssl can check that JSSE acts on them: a 2048-bit DHE group, client renegotiation refused.
// The example home as shipped runs through the same steps as a control, and must come out weak.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withFlag } from '../../src/formats/script/testing.js';
import { cleanupTemps, tempCopy } from '../helpers/homes.js';
import {
  compileJava, EXAMPLE_HOME, findJdk, handshake, hardenedCopy, makeKeystore, missingTools, OPTED_OUT, recordingJavaHome, recordJavaArgs, renegotiate,
  requireTools, Server, type Jdk,
} from './support.js';

const SCRIPT = 'bin/wso2server.sh';
/** The values harden writes (jvm-ephemeral-dh's default, jvm-reject-client-renegotiation, jvm-hostname-verification). */
const SECURE = {
  'jdk.tls.ephemeralDHKeySize': '2048',
  'jdk.tls.rejectClientInitiatedRenegotiation': 'true',
  'httpclient.hostnameVerifier': 'Strict',
};

interface Probe {
  /** The java command's arguments as recorded. */
  args: string[];
  /** The -D flags the script gave the JVM (those before the main class), in order. */
  flags: string[];
  server: Server;
  port: number;
  /** System properties as the JVM reports them (absent: unset). */
  properties: Map<string, string>;
  protocols: string[];
  suites: string[];
}

const missing = OPTED_OUT ? [] : missingTools({ openssl: true, jdkMajor: 17 });
const describeReal = OPTED_OUT ? describe.skip : describe;

describeReal('hardened JVM flags take effect in a real JVM', () => {
  let root = '';
  let hardenedHome = '';
  let shippedHome = '';
  const probes: Record<'hardened' | 'control', Probe | undefined> = { hardened: undefined, control: undefined };
  /** Every JVM started, so afterAll stops them even when a probe failed half-way. */
  const started: Server[] = [];

  /** Runs the home's script through the recording java, then JvmProbe on the real java with exactly those -D flags. */
  async function probe(name: string, home: string, jdk: Jdk, classes: string, ks: { path: string; password: string }): Promise<Probe> {
    const args = recordJavaArgs(home, SCRIPT, recordingJavaHome(root, jdk), join(root, `${name}.args`));
    const main = args.findIndex((a) => /\.Bootstrap$/.test(a));
    if (main < 0) throw new Error(`the ${name} script's java command has no Bootstrap main class: ${args.join(' ')}`);
    // Only what precedes the main class configures the JVM; a -D after it would be an argument to the program.
    const flags = args.slice(0, main).filter((a) => a.startsWith('-D'));
    const server = new Server(jdk.java, [...flags, '-cp', classes, 'JvmProbe', ks.path, ks.password], { cwd: root, maxSeconds: 150 });
    started.push(server);
    const port = Number((await server.waitFor(/^listening (\d+)$/m, 30_000, `JvmProbe with the flags of the ${name} script`))[1]);
    const out = server.text();
    const list = (key: string): string[] => (new RegExp(`^${key} (.*)$`, 'm').exec(out)?.[1] ?? '').split(',').filter(Boolean);
    const properties = new Map([...out.matchAll(/^property ([^=\n]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!] as [string, string]));
    return { args, flags, server, port, properties, protocols: list('protocols'), suites: list('suites') };
  }

  beforeAll(async () => {
    requireTools(missing);
    const jdk = findJdk() as Jdk;
    root = mkdtempSync(join(tmpdir(), 'harden-jvm-'));
    const classes = compileJava(jdk, join(root, 'classes'), 'JvmProbe.java');
    const ks = makeKeystore(root, jdk);
    hardenedHome = await hardenedCopy(EXAMPLE_HOME, ['--jdk', '17']);
    shippedHome = tempCopy(EXAMPLE_HOME);
    probes.hardened = await probe('hardened', hardenedHome, jdk, classes, ks);
    probes.control = await probe('shipped', shippedHome, jdk, classes, ks);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
    if (root) rmSync(root, { recursive: true, force: true });
    cleanupTemps();
  });

  describe('the hardened wso2server.sh', () => {
    it('gives java each flag exactly once, and the JVM reads the secure values', () => {
      const p = probes.hardened!;
      for (const [name, value] of Object.entries(SECURE)) {
        const given = p.flags.filter((f) => f === `-D${name}` || f.startsWith(`-D${name}=`));
        expect({ name, given, seen: p.properties.get(name) }).toEqual({ name, given: [`-D${name}=${value}`], seen: value });
      }
      // If the script also carries WSO2's own switch, it must not turn verification off.
      const ignore = p.properties.get('org.wso2.ignoreHostnameVerification');
      if (ignore !== undefined) expect(ignore).toBe('false');
    });

    it('differs from the shipped java command by exactly these flags', () => {
      // The shipped command with each flag set as testing.ts's withFlag models it (replaced in place, else added
      // before the main class). Where new flags land among the JVM options does not matter to java, so the
      // options are compared as sets; the main class and what follows it must be untouched.
      const shipped = probes.control!.args;
      let want = shipped;
      for (const [name, value] of Object.entries(SECURE)) want = withFlag(want, name, value, want.findIndex((a) => /\.Bootstrap$/.test(a)));
      const split = (args: string[]): { options: string[]; main: string[] } => {
        const i = args.findIndex((a) => /\.Bootstrap$/.test(a));
        return { options: args.slice(0, i).sort(), main: args.slice(i) };
      };
      expect(split(probes.hardened!.args.map((a) => a.replaceAll(hardenedHome, 'HOME')))).toEqual(split(want.map((a) => a.replaceAll(shippedHome, 'HOME'))));
    });

    it('leaves the JVM a working SSLServerSocket with no legacy protocol enabled', () => {
      const p = probes.hardened!;
      expect(p.protocols.length).toBeGreaterThan(0);
      expect(p.protocols.filter((x) => /^(SSLv[23]|TLSv1(\.1)?)$/.test(x))).toEqual([]);
      // The DHE probe below needs the JDK to enable a DHE-RSA suite by default.
      expect(p.suites).toContain('TLS_DHE_RSA_WITH_AES_128_GCM_SHA256');
    });

    it('serves DHE with a 2048-bit group (jdk.tls.ephemeralDHKeySize)', async () => {
      const h = await handshake(probes.hardened!.port, 'tls1_2', ['DHE-RSA-AES128-GCM-SHA256']);
      // JDK 17 already defaults to 2048 bits; what this proves is that JSSE accepts the written value (a malformed
      // one makes every DHE handshake fail) and serves that size. The control run below shows the probe reads it.
      expect({ accepted: h.accepted, tempKey: h.tempKey }).toEqual({ accepted: true, tempKey: 'DH, 2048 bits' });
    });

    it('refuses a client-initiated renegotiation (jdk.tls.rejectClientInitiatedRenegotiation)', async () => {
      const p = probes.hardened!;
      const r = await renegotiate(p.port);
      expect({ survived: r.survived, summary: r.summary }).toEqual({ survived: false, summary: expect.stringMatching(/alert/) });
      await p.server.waitFor(/Client initiated renegotiation is not allowed/, 5_000, 'the JVM refusing the renegotiation');
    });
  });

  describe('control: the wso2server.sh as shipped, through the same steps', () => {
    it('lacks the flags, keeps AllowAll, and lets a client renegotiate', async () => {
      const p = probes.control!;
      expect({
        dh: p.properties.get('jdk.tls.ephemeralDHKeySize'),
        reneg: p.properties.get('jdk.tls.rejectClientInitiatedRenegotiation'),
        verifier: p.properties.get('httpclient.hostnameVerifier'),
      }).toEqual({ dh: undefined, reneg: undefined, verifier: 'AllowAll' });
      const r = await renegotiate(p.port);
      expect({ survived: r.survived, summary: r.summary }).toEqual({ survived: true, summary: expect.stringMatching(/RENEGOTIATING/) });
    });
  });
});
