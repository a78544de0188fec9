// The PassThrough HTTPS listener (8243) and sender negotiate TLS 1.0/1.1 unless axis2.xml limits
// them: ESB 5 / EI 6.6 ship HttpsProtocols=TLSv1,TLSv1.1,TLSv1.2, APIM 2.6 ships none (JVM default).
// deployment.toml products get the setting in deployment.toml: APIM 3.2–4.5 and MI default to the same
// weak list on the listener, and the MI sender has none (B13).
import { protocolsComply } from '../../src/engine/tls-profiles.js';
import { axis2Files, planPassthruParam } from '../../src/kit/passthru.js';
import { passthruTomlFiles, planPassthruToml } from '../../src/kit/passthru-toml.js';
import type { Transform } from '../../src/engine/types.js';
import { SOURCES } from '../../src/kit/sources.js';

export const passthruTlsProtocols: Transform = {
  id: 'passthru-tls-protocols',
  title: 'PassThrough HTTPS listener and sender only negotiate TLS 1.2 or later',
  rationale:
    'The API/mediation HTTPS port (8243) and the back-end sender accept whatever axis2.xml HttpsProtocols allows, or the JVM default when it is absent; TLS 1.0 and 1.1 are deprecated (RFC 8996) and must not be offered.',
  severity: 'high',
  fixClass: 'AUTO-GUARDED',
  sources: [
    SOURCES.wso2Guidelines,
    { title: 'WSO2 API Manager: configuring transport level security', url: 'https://apim.docs.wso2.com/en/latest/install-and-setup/setup/security/configuring-transport-level-security/' },
    SOURCES.mozillaTls,
    SOURCES.rfc8996,
  ],
  appliesTo: { models: ['xml', 'toml', 'mi'] },
  files: (product) => (product.model === 'xml' ? axis2Files(product) : passthruTomlFiles(product)),
  params: [],
  plan(ctx) {
    const policy = ctx.options.policy;
    if (ctx.product.model !== 'xml') {
      return planPassthruToml(this, ctx, {
        param: 'HttpsProtocols',
        wanted: policy.protocols.join(','),
        complies: (value) => protocolsComply(value, policy),
        unset: 'the JVM default protocols apply',
      });
    }
    return planPassthruParam(this, ctx, {
      name: 'HttpsProtocols',
      wanted: policy.protocols.join(','),
      complies: (value) => protocolsComply(value, policy),
      absent: 'the JVM default protocols apply',
    });
  },
};
