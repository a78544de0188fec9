// JSSE's ephemeral finite-field DH key defaults to 1024 bits on JDK 8 (Logjam range): pass
// -Djdk.tls.ephemeralDHKeySize=2048 (or larger) on the server's java command, .sh and .bat alike.
import { JVM_FLAG_MODELS, planStartScripts, requireFlag, startScripts } from '../../src/kit/jvm-flags.js';
import type { Transform } from '../../src/engine/types.js';
import { SOURCES } from '../../src/kit/sources.js';

const FLAG = 'jdk.tls.ephemeralDHKeySize';

/** The JDK accepts 1024..8192 in steps of 64 and fails every DHE handshake otherwise. */
const jdkAccepts = (n: number): boolean => Number.isInteger(n) && n >= 1024 && n <= 8192 && n % 64 === 0;

export const jvmEphemeralDh: Transform = {
  id: 'jvm-ephemeral-dh',
  title: 'The JVM uses ephemeral Diffie-Hellman keys of at least 2048 bits',
  rationale:
    'JDK 8 generates 1024-bit ephemeral DH keys for DHE cipher suites, weak enough for a Logjam-style precomputation attack on TLS 1.2 connections. -Djdk.tls.ephemeralDHKeySize=2048 on the java command raises it for every TLS listener of the JVM.',
  severity: 'medium',
  fixClass: 'AUTO',
  sources: [
    SOURCES.wso2Guidelines,
    SOURCES.wso2Guidelines44,
    SOURCES.jsseGuide,
    { title: 'Weak Diffie-Hellman and the Logjam attack', url: 'https://weakdh.org/' },
  ],
  appliesTo: { models: JVM_FLAG_MODELS },
  files: startScripts,
  params: [
    {
      name: 'dh-key-size',
      description: 'Minimum ephemeral DH key size in bits, passed as -Djdk.tls.ephemeralDHKeySize',
      default: '2048',
      validate: (v) => {
        if (!/^\d+$/.test(v)) return 'must be a whole number of bits';
        const n = Number(v);
        if (n < 2048) return 'must be at least 2048';
        return jdkAccepts(n) ? undefined : 'the JDK accepts only multiples of 64 up to 8192';
      },
    },
  ],
  plan(ctx) {
    const wanted = ctx.param('dh-key-size')!;
    const floor = Number(wanted);
    const complies = (v: string | undefined): boolean => v !== undefined && /^\d+$/.test(v) && jdkAccepts(Number(v)) && Number(v) >= floor;
    const why = `ephemeral DH keys should have at least ${floor} bits; JDK 8 uses 1024 by default`;
    return planStartScripts(this, ctx, (cmd) => [requireFlag(this, cmd, FLAG, wanted, complies, why)]);
  },
};
