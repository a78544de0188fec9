// The registry: every transform harden knows, in the order their edits are merged.
import type { Transform } from '../src/engine/types.js';
import { tomcatServerHeader } from './tomcat-server-header/index.js';
import { hstsMgtConsole } from './hsts-mgt-console/index.js';
import { portsOffset } from './ports-offset/index.js';
import { passthruTlsProtocols } from './passthru-tls-protocols/index.js';
import { passthruTlsCiphers } from './passthru-tls-ciphers/index.js';
import { tomcatTlsProtocols } from './tomcat-tls-protocols/index.js';
import { tomcatTlsCiphers } from './tomcat-tls-ciphers/index.js';

export const ALL_TRANSFORMS: Transform[] = [tomcatServerHeader, tomcatTlsProtocols, tomcatTlsCiphers, passthruTlsProtocols, passthruTlsCiphers, hstsMgtConsole, portsOffset];
