// A TLS 1.2 client may ask the server to renegotiate again and again, each time costing the server a full
// handshake: pass -Djdk.tls.rejectClientInitiatedRenegotiation=true on the server's java command.
import { JVM_FLAG_MODELS, planStartScripts, requireFlag, startScripts } from '../../src/kit/jvm-flags.js';
import type { Transform } from '../../src/engine/types.js';
import { SOURCES } from '../../src/kit/sources.js';

const FLAG = 'jdk.tls.rejectClientInitiatedRenegotiation';

export const jvmRejectClientRenegotiation: Transform = {
  id: 'jvm-reject-client-renegotiation',
  title: 'The JVM rejects TLS renegotiation requested by clients',
  rationale:
    'Client-initiated renegotiation lets one client make the server repeat expensive handshakes on a single connection (a cheap denial of service) and has a history of injection flaws. No browser or API client needs it; -Djdk.tls.rejectClientInitiatedRenegotiation=true refuses it for every TLS listener of the JVM.',
  severity: 'medium',
  fixClass: 'AUTO',
  sources: [
    SOURCES.wso2Guidelines,
    SOURCES.wso2Guidelines44,
    SOURCES.jsseGuide,
  ],
  appliesTo: { models: JVM_FLAG_MODELS },
  files: startScripts,
  params: [],
  plan(ctx) {
    // The JDK reads "true"/"false" in any case (any other value makes TLS fail).
    const complies = (v: string | undefined): boolean => v?.toLowerCase() === 'true';
    const why = 'clients can otherwise force repeated TLS 1.2 handshakes';
    return planStartScripts(this, ctx, (cmd) => [requireFlag(this, cmd, FLAG, 'true', complies, why)]);
  },
};
