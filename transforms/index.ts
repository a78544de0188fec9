// The registry: every transform harden knows, in the order their edits are merged (equal-offset
// insertions keep this order: protocols before ciphers, and the three JVM flags in this order).
import type { Transform } from '../src/engine/types.js';
import { tomcatServerHeader } from './tomcat-server-header/index.js';
import { tomcatTlsProtocols } from './tomcat-tls-protocols/index.js';
import { tomcatTlsCiphers } from './tomcat-tls-ciphers/index.js';
import { passthruTlsProtocols } from './passthru-tls-protocols/index.js';
import { passthruTlsCiphers } from './passthru-tls-ciphers/index.js';
import { hstsMgtConsole } from './hsts-mgt-console/index.js';
import { portsOffset } from './ports-offset/index.js';
import { jvmEphemeralDh } from './jvm-ephemeral-dh/index.js';
import { jvmRejectClientRenegotiation } from './jvm-reject-client-renegotiation/index.js';
import { jvmHostnameVerification } from './jvm-hostname-verification/index.js';
import { generatedConfigDrift } from './generated-config-drift/index.js';

export const ALL_TRANSFORMS: Transform[] = [
  tomcatServerHeader,
  tomcatTlsProtocols,
  tomcatTlsCiphers,
  passthruTlsProtocols,
  passthruTlsCiphers,
  hstsMgtConsole,
  portsOffset,
  jvmEphemeralDh,
  jvmRejectClientRenegotiation,
  jvmHostnameVerification,
  generatedConfigDrift,
];
