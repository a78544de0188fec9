// Advisory: the ports this server will listen on once started (offset applied), so the operator can hold
// them against the firewall plan, and the two paths WSO2 asks to keep off the DMZ. Nothing to edit: which
// ports a client needs is a network decision.
import { attr, childrenNamed, findAll, localName, textOf, type XmlDoc, type XmlElement } from '../../src/formats/xml/locate.js';
import { report } from '../../src/kit/findings.js';
import { effective, tomlConfig, tomlFiles, type TomlConfig } from '../../src/kit/deployment-toml.js';
import { connectors } from '../../src/kit/tomcat.js';
import { rmiStartToml, rmiStartXml } from '../../src/kit/jmx.js';
import { carbonXmlOffset, tomlOffset } from '../../src/kit/port-offset.js';
import { SOURCES } from '../../src/kit/sources.js';
import { parse as parseToml } from 'smol-toml';
import type { Finding, ProductInfo, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';

interface Port {
  port: number;
  what: string;
}

const DMZ_SOURCE = {
  title: 'WSO2 API Manager: network-level security guidelines (firewalls, DMZ)',
  url: 'https://apim.docs.wso2.com/en/latest/install-and-setup/setup/deployment-best-practices/security-guidelines-for-production-deployment/#network-level-security-guidelines',
};

const xmlFilesOf = (product: ProductInfo): string[] =>
  product.confDirs.flatMap((d) => [`${d}/carbon.xml`, `${d}/tomcat/catalina-server.xml`, `${d}/axis2/axis2.xml`, `${d}/etc/jmx.xml`]);

export const openPorts: Transform = {
  id: 'open-ports',
  title: 'Only the ports clients need are reachable; /services and /carbon stay off the DMZ',
  rationale:
    'Every listener a firewall lets through is attack surface: JMX, clustering and plain-HTTP ports belong to the cluster network, and the admin services (/services) and management console (/carbon) should not be reachable from outside at all.',
  severity: 'info',
  fixClass: 'REPORT',
  sources: [SOURCES.wso2Guidelines, DMZ_SOURCE, SOURCES.wso2Guidelines44],
  appliesTo: { models: ['xml', 'toml', 'mi', 'ballerina'] },
  files: (product) =>
    product.model === 'xml' ? xmlFilesOf(product) : product.model === 'ballerina' ? ['Config.toml'] : tomlFiles(product),
  params: [],
  plan(ctx) {
    const model = ctx.product.model;
    if (model === 'ballerina') return ballerinaFindings(this, ctx);
    const homes = model === 'xml' ? ctx.product.confDirs.map((d) => xmlPorts(ctx, d)) : [tomlPorts(ctx)];
    const findings: Finding[] = [];
    for (const h of homes) {
      if (!h) continue;
      const table = h.ports
        .sort((a, b) => a.port - b.port)
        .map((p) => `${p.port} ${p.what}`)
        .join('; ');
      findings.push(
        report(
          this,
          'advisory',
          `${h.label}listens on (port offset ${h.offset} applied): ${table || 'no port harden could read'}. ` +
            'Open in the firewall only those your clients need; keep JMX, clustering and plain HTTP to the internal network',
          h.file,
        ),
      );
    }
    if (model !== 'mi') {
      findings.push(
        report(
          this,
          'advisory',
          'block /services (admin services) and /carbon (management console) at the DMZ: expose only the API, gateway or portal paths through the reverse proxy or load balancer',
        ),
      );
    } else {
      findings.push(report(this, 'advisory', 'keep the management API (/management on the internal HTTPS port) off the DMZ: expose only the integration listeners'));
    }
    return findings;
  },
};

interface PortTable {
  label: string;
  file: string;
  /** The offset added, or why none could be. */
  offset: number | string;
  ports: Port[];
}

const asPort = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
  return n !== undefined && n > 0 && n < 65536 ? n : undefined;
};

/** Carbon 4.4 / EI profile: carbon.xml <Ports> (offset, JMX, LDAP…), the Tomcat connectors, axis2 receivers. */
function xmlPorts(ctx: TransformContext, dir: string): PortTable | undefined {
  const carbon = `${dir}/carbon.xml`;
  if (!ctx.files.get(carbon)) return undefined;
  const doc = ctx.files.xml(carbon);
  const { ports: portsEl, raw, value } = carbonXmlOffset(doc);
  // An offset harden cannot evaluate (a placeholder) leaves the ports as written, and says so.
  const offset = value ?? 0;
  const ports: Port[] = [];
  const rmiOn = jmxStarts(ctx, `${dir}/etc/jmx.xml`);
  if (portsEl) {
    for (const [path, value] of numericLeaves(doc, portsEl, [])) {
      if (path === 'Offset') continue;
      const jmx = path.startsWith('JMX/');
      if (jmx && rmiOn === false) continue;
      ports.push({ port: value + offset, what: `carbon.xml Ports/${path}${jmx ? ' (JMX RMI)' : ''}` });
    }
  }
  const catalina = `${dir}/tomcat/catalina-server.xml`;
  if (ctx.files.get(catalina)) {
    for (const c of connectors(ctx.files.xml(catalina))) {
      const p = asPort(attr(c, 'port')?.value);
      if (p) ports.push({ port: p + offset, what: `Tomcat ${/true/i.test(attr(c, 'SSLEnabled')?.value ?? '') ? 'HTTPS' : 'HTTP'} connector (console, web apps)` });
    }
  }
  const axis2 = `${dir}/axis2/axis2.xml`;
  if (ctx.files.get(axis2)) {
    const a = ctx.files.xml(axis2);
    for (const r of findAll(a, (el) => el.name === 'transportReceiver')) {
      const p = childrenNamed(r, 'parameter').find((x) => attr(x, 'name')?.value === 'port');
      const n = asPort(p && textOf(a, p));
      if (n) ports.push({ port: n + offset, what: `axis2 ${attr(r, 'name')?.value ?? '?'} receiver` });
    }
    const clustering = findAll(a, (el) => el.name === 'clustering')[0];
    if (clustering && /true/i.test(attr(clustering, 'enable')?.value ?? '')) {
      const p = childrenNamed(clustering, 'parameter').find((x) => attr(x, 'name')?.value === 'localMemberPort');
      // The membership port is taken as written: harden does not assume the offset moves it.
      ports.push({ port: asPort(p && textOf(a, p)) ?? 4000, what: 'clustering membership (localMemberPort, as written)' });
    }
  }
  return { label: dir === ctx.product.confDirs[0] ? '' : `profile ${dir}: `, file: carbon, offset: value ?? `"${raw}" (not evaluated, 0 used)`, ports };
}

/** Every numeric leaf under <Ports>, as "JMX/RMIRegistryPort" → 9999. */
function numericLeaves(doc: XmlDoc, el: XmlElement, path: string[]): [string, number][] {
  if (el.children.length === 0) {
    const n = asPort(textOf(doc, el));
    return n ? [[path.join('/'), n]] : [];
  }
  return el.children.flatMap((c) => numericLeaves(doc, c, [...path, localName(c)]));
}

/** Whether jmx.xml starts the RMI server; undefined without a jmx.xml (then its ports are listed). */
function jmxStarts(ctx: TransformContext, file: string): boolean | undefined {
  return ctx.files.get(file) ? rmiStartXml(ctx.files.xml(file)).on : undefined;
}

/** A TOML value, or the default when deployment.toml and default.json are silent. */
function value(config: TomlConfig, key: string, fallback?: number): number | undefined {
  const v = effective(config, key).value;
  return asPort(v) ?? (v === undefined ? fallback : undefined);
}

/** deployment.toml products and MI: the documented listeners, resolved through default.json. */
function tomlPorts(ctx: TransformContext): PortTable | undefined {
  const config = tomlConfig(ctx);
  if (!config) return undefined;
  const mi = ctx.product.model === 'mi';
  const { raw, current } = tomlOffset(config, config.template(`${ctx.product.confDirs[0] ?? (mi ? 'conf' : 'repository/conf')}/carbon.xml`), mi);
  const offset = current ?? 0;
  const ports: Port[] = [];
  const add = (key: string, fallback: number | undefined, what: string): void => {
    const p = value(config, key, fallback);
    if (p) ports.push({ port: p + offset, what });
  };
  // As jmx-rmi reads it; a copy without default.json cannot tell, so its JMX ports are listed.
  const rmi = effective(config, 'monitoring.jmx.rmi_server_start');
  const rmiOn = rmi.source === 'unset' && Object.keys(config.defaults).length === 0 ? true : rmiStartToml(rmi.value);
  if (ctx.product.model === 'mi') {
    add('transport.http.listener.parameter.port', 8280, 'PassThrough HTTP listener');
    add('transport.https.listener.parameter.port', 8243, 'PassThrough HTTPS listener');
    add("synapse_properties.'internal.https.api.port'", 9154, 'management API and internal HTTPS APIs');
  } else {
    add('transport.https.properties.port', 9443, 'Tomcat HTTPS connector (console, portals, web apps)');
    add('transport.http.properties.port', 9763, 'Tomcat HTTP connector');
    if (ctx.product.id === 'wso2am') {
      add('transport.passthru_http.listener.parameters.port', 8280, 'gateway PassThrough HTTP');
      add('transport.passthru_https.listener.parameters.port', 8243, 'gateway PassThrough HTTPS');
    }
  }
  if (rmiOn) {
    add('monitoring.jmx.rmi_registry_port', 9999, 'JMX RMI registry');
    add('monitoring.jmx.rmi_server_port', 11111, 'JMX RMI server');
  }
  if (effective(config, 'clustering.membership_scheme').value !== undefined) {
    const p = value(config, 'clustering.local_member_port', 4000);
    if (p) ports.push({ port: p, what: 'clustering membership (local_member_port, as written)' });
  }
  return { label: '', file: config.path, offset: current ?? `${JSON.stringify(raw)} (not evaluated, 0 used)`, ports };
}

/** A BI project: the Prometheus exporter when metrics are on; listener ports live in the code. */
function ballerinaFindings(t: TransformMeta, ctx: TransformContext): Finding[] {
  const file = ctx.files.get('Config.toml');
  // run.ts refuses a malformed Config.toml before any rule runs, so this parse cannot fail here.
  const config = file ? (parseToml(file.text) as Record<string, Record<string, Record<string, unknown>>>) : {};
  const observe = config.ballerina?.observe ?? {};
  const metrics = observe.metricsEnabled === true || observe.enabled === true;
  const port = asPort(config.ballerinax?.prometheus?.port) ?? 9797;
  return [
    report(
      t,
      'advisory',
      `the integration listens on the ports of its http:Listener declarations${metrics ? ` and ${port} (Prometheus /metrics, unauthenticated)` : ''}; open in the firewall only the listeners clients need`,
      file ? 'Config.toml' : undefined,
    ),
  ];
}
