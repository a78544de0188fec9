// Part 3 of "what harden writes takes effect" (issue 8): PassThrough PreferredCiphers. Synapse hands the list to
// SSLEngine.setEnabledCipherSuites on every 8243 connection, and JSSE throws for a single name the JDK lacks,
// which would break every handshake. So every suite harden may write for a --jdk line must be one the running
// JDK supports, and the PreferredCiphers (and HttpsProtocols) harden wrote must pass the SSLEngine unharmed.
// The local JDK is 17: the JDK 11 and 17 lists are checked on it (an 11 list is a subset of 17's names; that
// it is no more than JDK 11 can do is tls-profiles.ts's reasoning, not testable here), and the JDK 8 lists are
// shown to be subsets of 11's.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tlsPolicy, type Jdk as JdkLine, type ProfileName } from '../../src/engine/tls-profiles.js';
import { cleanupTemps } from '../helpers/homes.js';
import { childrenNamed, compileJava, EXAMPLE_HOME, findJdk, hardenedCopy, missingTools, OPTED_OUT, readXml, requireTools, type Jdk } from './support.js';

const AXIS2 = 'repository/conf/axis2/axis2.xml';
const PROFILES: ProfileName[] = ['intermediate', 'modern'];

interface Check {
  missing: string[];
  engine: string;
  enabled: string[];
}

const absentTools = OPTED_OUT ? [] : missingTools({ jdkMajor: 17 });
const describeReal = OPTED_OUT ? describe.skip : describe;

describeReal('PassThrough cipher lists harden writes are usable by the running JDK', () => {
  let root = '';
  let jdk: Jdk;
  let classes = '';
  /** PassThrough HTTPS transports of the hardened axis2.xml, per profile: [transport, PreferredCiphers, HttpsProtocols]. */
  const written = new Map<ProfileName, Array<{ transport: string; mode: 'server' | 'client'; ciphers?: string; protocols?: string }>>();

  /** Runs CipherCheck on KIND:MODE:LABEL=LIST arguments; returns its verdict per label. */
  function check(items: string[]): Map<string, Check> {
    const r = spawnSync(jdk.java, ['-cp', classes, 'CipherCheck', ...items], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`CipherCheck exited ${r.status}:\n${r.stdout}${r.stderr}`);
    const split = (s: string | undefined): string[] => (s ? s.split(',').filter(Boolean) : []);
    return new Map(
      r.stdout.trim().split('\n').map((line) => {
        const [label, missing, engine, enabled] = line.split('\t');
        return [label!, { missing: split(missing?.replace(/^missing=/, '')), engine: engine!.replace(/^engine=/, ''), enabled: split(enabled?.replace(/^enabled=/, '')) }];
      }),
    );
  }

  beforeAll(async () => {
    requireTools(absentTools);
    jdk = findJdk() as Jdk;
    root = mkdtempSync(join(tmpdir(), 'harden-passthru-'));
    classes = compileJava(jdk, join(root, 'classes'), 'CipherCheck.java');
    for (const profile of PROFILES) {
      const home = await hardenedCopy(EXAMPLE_HOME, ['--profile', profile, '--jdk', '17']);
      const axis2 = readXml(join(home, AXIS2));
      const param = (t: (typeof axis2.children)[number], name: string): string | undefined =>
        childrenNamed(t, 'parameter').filter((p) => p.attributes['name'] === name).at(-1)?.text.trim(); // Axis2 keeps the last
      const transports = [...childrenNamed(axis2, 'transportReceiver'), ...childrenNamed(axis2, 'transportSender')].filter((t) =>
        /passthru\.PassThroughHttp(Multi)?SSL(Listener|Sender)$/.test(t.attributes['class'] ?? ''),
      );
      written.set(
        profile,
        transports.map((t) => ({
          transport: `${t.name} ${t.attributes['name']}`,
          mode: t.name === 'transportSender' ? 'client' : 'server',
          ciphers: param(t, 'PreferredCiphers'),
          protocols: param(t, 'HttpsProtocols'),
        })),
      );
    }
  }, 120_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    cleanupTemps();
  });

  it(`every suite of each policy for --jdk 11 and 17 is supported by the running JDK and accepted by SSLEngine`, () => {
    const lines: Array<[string, string[]]> = (PROFILES.flatMap((p) => ([11, 17] as JdkLine[]).map((j) => [`${p}-jdk${j}`, tlsPolicy(p, j).ciphers])) as Array<[string, string[]]>);
    const result = check(lines.flatMap(([label, suites]) => [`suites:server:${label}=${suites.join(',')}`, `suites:client:${label}-client=${suites.join(',')}`]));
    for (const [label, suites] of lines) {
      for (const l of [label, `${label}-client`]) expect({ l, ...result.get(l) }).toEqual({ l, missing: [], engine: 'ok', enabled: suites });
    }
  });

  it('the JDK 8 lists are subsets of the JDK 11 lists', () => {
    const jdk8 = tlsPolicy('intermediate', 8).ciphers;
    expect(jdk8.filter((s) => !tlsPolicy('intermediate', 11).ciphers.includes(s))).toEqual([]);
    expect(() => tlsPolicy('modern', 8)).toThrow(); // modern is TLS 1.3 only: harden refuses it for JDK 8
  });

  it.each(PROFILES)('the PreferredCiphers and HttpsProtocols written into axis2.xml (%s, --jdk 17) pass the SSLEngine', (profile) => {
    const transports = written.get(profile)!;
    expect(transports.map((t) => t.transport)).toEqual(['transportReceiver https', 'transportSender https']);
    const items = transports.flatMap((t) => [
      `suites:${t.mode}:${t.transport} PreferredCiphers=${t.ciphers}`,
      `protocols:${t.mode}:${t.transport} HttpsProtocols=${t.protocols}`,
    ]);
    const result = check(items);
    for (const t of transports) {
      expect({ t: t.transport, ...result.get(`${t.transport} PreferredCiphers`) }).toEqual({ t: t.transport, missing: [], engine: 'ok', enabled: t.ciphers?.split(',') });
      expect({ t: t.transport, ...result.get(`${t.transport} HttpsProtocols`) }).toEqual({ t: t.transport, missing: [], engine: 'ok', enabled: t.protocols?.split(',') });
    }
    // And they are the profile's lists, written plain: no spaces, so Synapse's split (trimmed or not) gives these names.
    const policy = tlsPolicy(profile, 17);
    for (const t of transports) {
      expect({ t: t.transport, ciphers: t.ciphers, protocols: t.protocols }).toEqual({ t: t.transport, ciphers: policy.ciphers.join(','), protocols: policy.protocols.join(',') });
    }
  });

  it('control: a list with one suite this JDK lacks is caught (JSSE rejects the whole list)', () => {
    const list = [...tlsPolicy('intermediate', 17).ciphers, 'TLS_ECDHE_RSA_WITH_AES_128_CCM_SHA256'];
    const result = check([`suites:server:with-ccm=${list.join(',')}`]).get('with-ccm')!;
    expect(result.missing).toEqual(['TLS_ECDHE_RSA_WITH_AES_128_CCM_SHA256']);
    expect(result.engine).toMatch(/^java\.lang\.IllegalArgumentException: .*TLS_ECDHE_RSA_WITH_AES_128_CCM_SHA256/);
  });
});
