// Advisory: WSO2's OS- and network-level guidelines, which no configuration edit can satisfy. Each is a
// finding of its own that says what to check and why, so a report lists them instead of staying silent.
import { report } from '../../src/kit/findings.js';
import { SOURCES } from '../../src/kit/sources.js';
import type { ConfigModel, Finding, Transform } from '../../src/engine/types.js';

interface Guideline {
  what: string;
  /** Only for these models (all when absent). */
  models?: ConfigModel[];
}

const GUIDELINES: Guideline[] = [
  { what: 'run the server as a dedicated OS user that is not root and owns only the product home; never start it with sudo' },
  { what: 'install only the packages the server needs and keep the OS and the JDK on current security updates' },
  { what: 'allow SSH with keys only, no root login, from the administration network only' },
  { what: 'restrict the clustering and JMX ports (4000+, 9999, 11111) to the cluster network', models: ['xml', 'toml', 'mi'] },
  { what: 'monitor OS and user activity (audit logs shipped off the host) and the server logs for repeated login failures' },
  { what: 'back up the configuration, keystores and databases regularly, keep the copies off the host, and test a restore' },
  { what: 'keep a failover node and log at the network edge (load balancer, firewall) so an attack leaves a trace outside the server' },
  {
    what: 'keep two admin accounts: one for people to log in with and a separate system account, and give console login permission only to the roles that need it',
    models: ['xml', 'toml'],
  },
];

const OS_SOURCE = {
  title: 'WSO2 API Manager: OS-level and network-level security guidelines',
  url: 'https://apim.docs.wso2.com/en/latest/install-and-setup/setup/deployment-best-practices/security-guidelines-for-production-deployment/#os-level-security',
};
const BI_SOURCE = {
  title: 'WSO2 Integrator: runtime security (non-root execution, network controls)',
  url: 'https://wso2.com/integration-platform/docs/deploy-operate/secure/runtime-security/',
};

export const osGuidelines: Transform = {
  id: 'os-guidelines',
  title: 'The host follows the OS- and network-level security guidelines',
  rationale:
    'A hardened configuration does not protect a server that runs as root, misses OS updates, accepts password SSH logins or has no backups. These guidelines need a person to check them; harden lists them so that they are not forgotten.',
  severity: 'info',
  fixClass: 'REPORT',
  sources: [OS_SOURCE, SOURCES.wso2Guidelines44, BI_SOURCE],
  appliesTo: { models: ['xml', 'toml', 'mi', 'ballerina'] },
  files: () => [],
  params: [],
  plan(ctx): Finding[] {
    const model = ctx.product.model;
    return GUIDELINES.filter((g) => !g.models || g.models.includes(model)).map((g) => report(this, 'advisory', g.what));
  },
};
