// The registry: every transform harden knows, in the order their edits are merged (equal-offset
// insertions keep this order: protocols before ciphers, and the three JVM flags in this order).
import type { Transform } from '../src/engine/types.js';
import { tomcatServerHeader } from './tomcat-server-header/index.js';
import { tomcatTlsProtocols } from './tomcat-tls-protocols/index.js';
import { tomcatTlsCiphers } from './tomcat-tls-ciphers/index.js';
import { passthruTlsProtocols } from './passthru-tls-protocols/index.js';
import { passthruTlsCiphers } from './passthru-tls-ciphers/index.js';
import { hstsMgtConsole } from './hsts-mgt-console/index.js';
import { hstsWebapps } from './hsts-webapps/index.js';
import { cachePrevention } from './cache-prevention/index.js';
import { sessionIdLength } from './session-id-length/index.js';
import { sessionCookieFlags } from './session-cookie-flags/index.js';
import { portsOffset } from './ports-offset/index.js';
import { jvmEphemeralDh } from './jvm-ephemeral-dh/index.js';
import { jvmRejectClientRenegotiation } from './jvm-reject-client-renegotiation/index.js';
import { jvmHostnameVerification } from './jvm-hostname-verification/index.js';
import { openPorts } from './open-ports/index.js';
import { osGuidelines } from './os-guidelines/index.js';
import { logRotation } from './log-rotation/index.js';
import { logForging } from './log-forging/index.js';
import { dbTls } from './db-tls/index.js';
import { ldapTls } from './ldap-tls/index.js';
import { ldapReadOnly } from './ldap-read-only/index.js';
import { jmxRmi } from './jmx-rmi/index.js';
import { hostname } from './hostname/index.js';
import { adminServicesExposure } from './admin-services-exposure/index.js';
import { xssValve } from './xss-valve/index.js';
import { tomcatHttpConnector } from './tomcat-http-connector/index.js';
import { passthruSenderHostnameVerifier } from './passthru-sender-hostname-verifier/index.js';
import { biLogConfig } from './bi-log-config/index.js';
import { biObservability } from './bi-observability/index.js';
import { biConfigSecrets } from './bi-config-secrets/index.js';
import { biListenerTls } from './bi-listener-tls/index.js';
import { defaultAdminCredentials } from './default-admin-credentials/index.js';
import { defaultKeystore } from './default-keystore/index.js';
import { secretsExternalize } from './secrets-externalize/index.js';
import { secretsEncryption } from './secrets-encryption/index.js';
import { containerNonRoot } from './container-non-root/index.js';
import { biJvmFlags } from './bi-jvm-flags/index.js';
import { filePermissions } from './file-permissions/index.js';
import { patchLevel } from './patch-level/index.js';
import { generatedConfigDrift } from './generated-config-drift/index.js';

export const ALL_TRANSFORMS: Transform[] = [
  tomcatServerHeader,
  tomcatTlsProtocols,
  tomcatTlsCiphers,
  passthruTlsProtocols,
  passthruTlsCiphers,
  hstsMgtConsole,
  hstsWebapps,
  cachePrevention,
  sessionIdLength,
  sessionCookieFlags,
  portsOffset,
  jvmEphemeralDh,
  jvmRejectClientRenegotiation,
  jvmHostnameVerification,
  openPorts,
  osGuidelines,
  logRotation,
  logForging,
  dbTls,
  ldapTls,
  ldapReadOnly,
  jmxRmi,
  hostname,
  adminServicesExposure,
  xssValve,
  tomcatHttpConnector,
  passthruSenderHostnameVerifier,
  biLogConfig,
  biObservability,
  biListenerTls,
  biConfigSecrets,
  // Credentials: one rule owns each password key (src/kit/secrets.ts), in this order.
  defaultAdminCredentials,
  defaultKeystore,
  secretsExternalize,
  secretsEncryption,
  containerNonRoot,
  biJvmFlags,
  filePermissions,
  patchLevel,
  generatedConfigDrift,
];
