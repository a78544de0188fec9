// PreferredCiphers goes straight into SSLEngine.setEnabledCipherSuites on every 8243 connection, so
// it may only ever hold suites from the JDK-filtered policy: one unknown name breaks every handshake.
import { ciphersComply } from '../../src/engine/tls-profiles.js';
import { axis2Files, mayIgnorePreferredCiphers, planPassthruParam, protocolsAfterFix } from '../../src/kit/passthru.js';
import { passthruTomlFiles, planPassthruToml, tomlProtocolsAfterFix } from '../../src/kit/passthru-toml.js';
import { tomlConfig } from '../../src/kit/deployment-toml.js';
import type { Transform } from '../../src/engine/types.js';
import { SOURCES } from '../../src/kit/sources.js';

export const passthruTlsCiphers: Transform = {
  id: 'passthru-tls-ciphers',
  title: 'PassThrough HTTPS listener and sender only enable cipher suites of the TLS profile',
  rationale:
    'Without PreferredCiphers the PassThrough HTTPS transports enable every suite the JVM allows, including CBC, SHA-1 and static-RSA suites. The list is applied verbatim per connection, so it must be the profile filtered for the JDK the server runs on.',
  severity: 'medium',
  fixClass: 'AUTO-GUARDED',
  sources: [
    SOURCES.wso2Guidelines,
    SOURCES.mozillaTls,
    { title: 'Java SSLEngine.setEnabledCipherSuites', url: 'https://docs.oracle.com/en/java/javase/17/docs/api/java.base/javax/net/ssl/SSLEngine.html#setEnabledCipherSuites(java.lang.String%5B%5D)' },
  ],
  appliesTo: { models: ['xml', 'toml', 'mi'] },
  files: (product) => (product.model === 'xml' ? axis2Files(product) : passthruTomlFiles(product)),
  params: [],
  plan(ctx) {
    const policy = ctx.options.policy;
    if (ctx.product.model !== 'xml') {
      // deployment.toml products: the same list, written in deployment.toml (RULES.md §2.9 G5T/MI rows).
      const config = tomlConfig(ctx);
      const after = (side: 'listener' | 'sender'): string[] =>
        config ? tomlProtocolsAfterFix(config, ctx.product.model as 'toml' | 'mi', side, policy) : policy.protocols;
      return planPassthruToml(this, ctx, {
        param: 'PreferredCiphers',
        wanted: policy.ciphers.join(','),
        complies: (value, side) => ciphersComply(value, policy, after(side)),
        unset: 'every suite the JVM enables is offered',
      });
    }
    return planPassthruParam(this, ctx, {
      name: 'PreferredCiphers',
      wanted: policy.ciphers.join(','),
      // Judged against the protocols passthru-tls-protocols leaves: TLS 1.3 on needs a TLS 1.3 suite.
      complies: (value, doc, t) => ciphersComply(value, policy, protocolsAfterFix(doc, t.el, policy)),
      absent: 'every suite the JVM enables is offered',
      note: mayIgnorePreferredCiphers(ctx.product)
        ? `(kernel ${ctx.product.kernel} may ship a Synapse older than 2.1.7-wso2v289, which ignores PreferredCiphers: check repository/components/plugins/synapse-nhttp-transport_*.jar)`
        : undefined,
    });
  },
};
