// With metrics on ([ballerina.observe] metricsEnabled or enabled), ballerinax/prometheus serves /metrics on
// 0.0.0.0:9797 without authentication. Bind it to the loopback interface ([ballerinax.prometheus] host =
// "127.0.0.1"), so that only a local agent or sidecar scrapes it.
import { setKeys } from '../../src/formats/toml/set-keys.js';
import { ballerinaFiles, ballerinaProject, CONFIG_TOML, configDoc, entryAt, isLoopback, lineAt, projectSources, usesPackage, valueAt } from '../../src/kit/ballerina.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import type { Transform } from '../../src/engine/types.js';
import { SOURCES } from '../../src/kit/sources.js';

const OBSERVE = ['ballerina', 'observe'];
const PROMETHEUS = ['ballerinax', 'prometheus'];

export const biObservability: Transform = {
  id: 'bi-observability',
  title: 'The Prometheus metrics endpoint of a Ballerina program listens on loopback only',
  rationale:
    'With metrics enabled, ballerinax/prometheus serves /metrics on every interface (0.0.0.0:9797) without authentication, exposing service names, resource paths, error counts and traffic to anyone who can reach the port. A local agent or sidecar can still scrape it on 127.0.0.1.',
  severity: 'medium',
  fixClass: 'AUTO-GUARDED',
  sources: [
    SOURCES.biRuntimeSecurity,
    { title: 'Ballerina: observability with Prometheus (ballerinax/prometheus)', url: 'https://ballerina.io/learn/supported-observability-tools-and-platforms/prometheus/' },
  ],
  appliesTo: { models: ['ballerina'] },
  files: (product) => ballerinaFiles(product, { sources: true }),
  params: [],
  plan(ctx) {
    const doc = configDoc(ctx);
    if (!doc) return [report(this, 'compliant', 'no Config.toml here: metrics are off by default ([ballerina.observe] metricsEnabled = false)')];
    const enabled = valueAt(doc, [...OBSERVE, 'enabled']) === true;
    const metrics = valueAt(doc, [...OBSERVE, 'metricsEnabled']) === true;
    if (!enabled && !metrics) {
      return [report(this, 'compliant', 'metrics are not enabled ([ballerina.observe] metricsEnabled and enabled are not true): no /metrics endpoint', CONFIG_TOML, lineAt(doc, OBSERVE))];
    }
    const switchedOn = metrics ? 'metricsEnabled = true' : 'enabled = true';
    const reporter = valueAt(doc, [...OBSERVE, 'metricsReporter']);
    if (typeof reporter === 'string' && reporter !== '' && reporter !== 'prometheus') {
      return [report(this, 'compliant', `metrics go to the "${reporter}" reporter, so the Prometheus exporter is not started`, CONFIG_TOML, lineAt(doc, [...OBSERVE, 'metricsReporter']))];
    }
    const hostPath = [...PROMETHEUS, 'host'];
    const host = valueAt(doc, hostPath);
    const port = valueAt(doc, [...PROMETHEUS, 'port']);
    const endpoint = `/metrics on port ${typeof port === 'number' || typeof port === 'string' ? String(port) : '9797'}`;
    if (typeof host === 'string' && isLoopback(host)) {
      return [report(this, 'compliant', `${endpoint} listens on ${host} only`, CONFIG_TOML, lineAt(doc, hostPath))];
    }
    if (host !== undefined && typeof host !== 'string') {
      return [report(this, 'manual', `[ballerinax.prometheus] host is not a string; set it to "127.0.0.1" by hand`, CONFIG_TOML, lineAt(doc, hostPath))];
    }
    // The guard: the exporter must be part of the program, else a [ballerinax.prometheus] table names a module
    // the program does not have.
    const project = ballerinaProject(ctx);
    const present =
      reporter === 'prometheus' || valueAt(doc, PROMETHEUS) !== undefined || usesPackage(ctx, project, 'ballerinax', 'prometheus');
    if (!present) {
      const seen = project.deps !== undefined || projectSources(ctx).length > 0;
      return [
        seen
          ? report(this, 'compliant', `${switchedOn}, but ballerinax/prometheus is not part of the program (not in Dependencies.toml or the sources): no /metrics endpoint`, CONFIG_TOML, lineAt(doc, OBSERVE))
          : report(
              this,
              'manual',
              `${switchedOn} in [ballerina.observe], and harden cannot tell whether the program includes ballerinax/prometheus (no Dependencies.toml or sources here): if it does, set [ballerinax.prometheus] host = "127.0.0.1"`,
              CONFIG_TOML,
              lineAt(doc, OBSERVE),
            ),
      ];
    }
    let edits;
    try {
      edits = setKeys(doc, PROMETHEUS, [['host', '127.0.0.1']]);
    } catch (e) {
      return [report(this, 'manual', `set [ballerinax.prometheus] host = "127.0.0.1" by hand: ${(e as Error).message}`, CONFIG_TOML, lineAt(doc, PROMETHEUS))];
    }
    const was = typeof host === 'string' ? `[ballerinax.prometheus] has host = "${host}"` : 'no [ballerinax.prometheus] host is set (0.0.0.0, every interface)';
    const entry = entryAt(doc, hostPath);
    return [
      fix(
        this,
        CONFIG_TOML,
        lineOf(doc.text, entry?.keyStart ?? edits[0]!.start),
        `${switchedOn} and ${was}: ${endpoint} is unauthenticated, so bind it to loopback with host = "127.0.0.1" (scrape it through a local agent or sidecar)`,
        edits,
        [{ kind: 'toml-set', key: hostPath, value: '127.0.0.1' }],
      ),
    ];
  },
};
