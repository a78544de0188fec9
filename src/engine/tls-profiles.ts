// TLS profiles as data. Facts from Mozilla's server-side TLS guidelines 6.0 (intermediate, modern),
// cipher names in IANA/JSSE form, filtered by what each JDK line can negotiate (RULES.md §3).

export type ProfileName = 'intermediate' | 'modern';
export type Jdk = 8 | 11 | 17;
export const PROFILES: readonly ProfileName[] = ['intermediate', 'modern'];
export const JDKS: readonly Jdk[] = [8, 11, 17];

const TLS13_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const INTERMEDIATE_TLS12_SUITES = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
];

/** Mozilla's HSTS minimum for both profiles (two years). */
export const HSTS_MIN_AGE = 63072000;

/**
 * What a JDK line can do, conservatively: JDK 8 builds before 8u261 lack TLS 1.3 and every 8 lacks
 * ChaCha20 without a backport; ChaCha20 suites arrived in JDK 12, so 11 is held to AES-GCM.
 */
const JDK_CAN = {
  8: { tls13: false, chacha: false },
  11: { tls13: true, chacha: false },
  17: { tls13: true, chacha: true },
} as const;

export interface TlsPolicy {
  profile: ProfileName;
  jdk: Jdk;
  /** Protocols to write, oldest first, in plain JSSE form (TLSv1.2). */
  protocols: string[];
  /** Suites to write: TLS 1.3 suites (if any) first, then TLS 1.2 suites. */
  ciphers: string[];
}

export class PolicyError extends Error {}

export function tlsPolicy(profile: ProfileName, jdk: Jdk): TlsPolicy {
  const can = JDK_CAN[jdk];
  const usable = (suite: string): boolean => can.chacha || !suite.includes('CHACHA20');
  const tls13 = can.tls13 ? TLS13_SUITES.filter(usable) : [];
  if (profile === 'modern') {
    if (!can.tls13) throw new PolicyError('the modern profile is TLS 1.3 only, which JDK 8 cannot be relied on for: use --jdk 11 or later, or --profile intermediate');
    return { profile, jdk, protocols: ['TLSv1.3'], ciphers: tls13 };
  }
  return {
    profile,
    jdk,
    protocols: can.tls13 ? ['TLSv1.2', 'TLSv1.3'] : ['TLSv1.2'],
    ciphers: [...tls13, ...INTERMEDIATE_TLS12_SUITES.filter(usable)],
  };
}

/** Splits a protocol or cipher list as Tomcat and Synapse do (commas; Tomcat also takes ':'), dropping '+'. */
export function splitList(value: string): string[] {
  return value
    .split(/[,:]/)
    .map((s) => s.trim().replace(/^\+/, ''))
    .filter(Boolean);
}

/** A protocol list complies when it is non-empty, only enables allowed versions and disables nothing by '-'. */
export function protocolsComply(value: string, policy: TlsPolicy): boolean {
  if (/(^|[,\s])[-!]/.test(value)) return false;
  const list = splitList(value);
  return list.length > 0 && list.every((p) => policy.protocols.includes(p));
}

/**
 * A cipher list complies when every suite is one the policy allows (a shorter list of strong
 * suites is fine) and, if TLS 1.3 is enabled, at least one TLS 1.3 suite remains.
 */
export function ciphersComply(value: string, policy: TlsPolicy, protocols: readonly string[]): boolean {
  const list = splitList(value);
  if (list.length === 0 || !list.every((c) => policy.ciphers.includes(c))) return false;
  if (protocols.includes('TLSv1.3') && !list.some((c) => TLS13_SUITES.includes(c))) return false;
  if (protocols.some((p) => p !== 'TLSv1.3') && list.every((c) => TLS13_SUITES.includes(c))) return false;
  return true;
}

/** Conservative default JDK per kernel: Carbon before 4.8 runs on JDK 8, later kernels need 11+. */
export function defaultJdk(kernel: string | undefined): Jdk {
  if (!kernel) return 8;
  return compareVersions(kernel, '4.8.0') >= 0 ? 11 : 8;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}
