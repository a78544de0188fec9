// Carbon starts a JMX RMI server (registry 9999, connector 11111, plus the offset) unless jmx.xml's
// StartRMIServer is false (RULES.md §2.2, RULES-FACTCHECK A13, B11). Turning it off breaks JMX monitoring,
// so harden does that only on --set jmx=disable. Otherwise it makes the connector advertise a loopback
// address (Micro Integrator ships rmi_hostname = $ref{server.hostname}, the public name once [server]
// hostname is set) and says that RMI is on: HostName does not stop the registry listening on every interface.
import { childrenNamed, localName, textOf, type XmlElement } from '../../src/formats/xml/locate.js';
import { insertAfter, setText } from '../../src/formats/xml/edit.js';
import { effective, type TomlConfig } from '../../src/kit/deployment-toml.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { isLoopback, isPlaceholder } from '../../src/kit/hostnames.js';
import { fileSource, reads, renderedFiles } from '../../src/kit/rendered-file.js';
import { settingFix } from '../../src/kit/toml-setting.js';
import { entryLine, sourceOf } from '../../src/kit/tomcat-toml.js';
import type { Finding, ProductInfo, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';
import { SOURCES } from '../../src/kit/sources.js';
import { rmiStartToml, rmiStartXml } from '../../src/kit/jmx.js';

const LOOPBACK = '127.0.0.1';
const START = 'monitoring.jmx.rmi_server_start';
const HOST = 'monitoring.jmx.rmi_hostname';

const jmxXml = (dir: string): string => `${dir}/etc/jmx.xml`;
/** The jmx.xml a deployment.toml home renders (MI: conf/etc/jmx.xml). */
const renderedJmx = (product: ProductInfo): string => jmxXml(product.confDirs[0] ?? (product.model === 'mi' ? 'conf' : 'repository/conf'));

const OFF_HINT = 'unless JMX monitoring needs it, turn it off with --set jmx=disable';
const LISTENS =
  'its RMI registry listens on every network interface whatever the host name says (the host name is only the address the connector advertises), so also keep ports 9999 and 11111 (plus the offset) closed at the firewall';
const REMOTE =
  'let only the monitoring host reach ports 9999 and 11111 (plus the offset) through the firewall, and give the users allowed to log in over JMX strong passwords';

export const jmxRmi: Transform = {
  id: 'jmx-rmi',
  title: 'The JMX RMI server is off, or advertises only a loopback address',
  rationale:
    'The JMX RMI server exposes every MBean of the JVM to anyone who can reach ports 9999/11111 and log in, and the RMI registry has a history of deserialization flaws. Off is best; when it must run it should advertise only the loopback address and sit behind the firewall.',
  severity: 'medium',
  fixClass: 'AUTO-GUARDED',
  sources: [
    SOURCES.wso2Guidelines44,
    { title: 'WSO2 Carbon 4.4: JMX-based monitoring', url: 'https://docs.wso2.com/display/ADMIN44x/JMX-Based+Monitoring' },
    { title: 'Oracle: monitoring and management using JMX technology', url: 'https://docs.oracle.com/en/java/javase/17/management/monitoring-and-management-using-jmx-technology.html' },
  ],
  appliesTo: { models: ['xml', 'toml', 'mi'] },
  files: (product) => (product.model === 'xml' ? product.confDirs.map(jmxXml) : renderedFiles(product, renderedJmx(product))),
  params: [
    {
      name: 'jmx',
      description: 'disable: turn the JMX RMI server off; remote: it is monitored from another host, so leave its host name alone',
      validate: (v) => (v === 'disable' || v === 'remote' ? undefined : 'must be "disable" (turn the RMI server off) or "remote" (keep a non-loopback host name)'),
    },
  ],
  plan(ctx) {
    if (ctx.product.model === 'xml') {
      const findings: Finding[] = [];
      for (const dir of ctx.product.confDirs) {
        if (ctx.files.get(jmxXml(dir))) findings.push(...xmlFindings(this, ctx, jmxXml(dir)));
      }
      return findings.length ? findings : [report(this, 'not-applicable', `no etc/jmx.xml in ${ctx.product.confDirs.join(', ')}`)];
    }
    const rel = renderedJmx(ctx.product);
    const src = fileSource(ctx, rel);
    if (src.kind === 'none') return [report(this, src.status, src.status === 'manual' ? `${src.why}; then set StartRMIServer to false there` : src.why)];
    if (src.kind === 'file') return xmlFindings(this, ctx, src.path);
    return tomlFindings(this, ctx, src.config, src.template, rel);
  },
};

/** jmx.xml edited in place: Carbon 4.4 / EI, and a deployment.toml home that does not template it. */
function xmlFindings(t: TransformMeta, ctx: TransformContext, file: string): Finding[] {
  const doc = ctx.files.xml(file);
  if (localName(doc.root) !== 'JMX') return [report(t, 'manual', `the root element is <${doc.root.name}>, not <JMX>; check that StartRMIServer is false`, file)];
  const { start, raw, on } = rmiStartXml(doc);
  if (!start || !on) {
    const shown = start ? `<StartRMIServer>${raw}</StartRMIServer>` : 'no <StartRMIServer> (read as false)';
    return [report(t, 'compliant', `${shown}: the JMX RMI server does not start`, file, start ? lineOf(doc.text, start.start) : undefined)];
  }
  const line = lineOf(doc.text, start.start);
  const mode = ctx.param('jmx');
  if (mode === 'disable') {
    return [fix(t, file, line, '<StartRMIServer>true</StartRMIServer> starts the JMX RMI server; set it to false (--set jmx=disable)', [setText(doc, start, 'false')], [
      { kind: 'xml-text', path: start.path, value: 'false' },
    ])];
  }
  const findings: Finding[] = [];
  const host = childrenNamed(doc.root, 'HostName')[0];
  const value = host ? textOf(doc, host) : undefined;
  const shown = host ? `<HostName>${value}</HostName>` : 'no <HostName> (the machine\'s own host name is advertised)';
  if (value !== undefined && value !== '' && isLoopback(value)) {
    findings.push(report(t, 'compliant', `${shown}: the RMI connector advertises a loopback address`, file, lineOf(doc.text, host!.start)));
  } else if (mode !== 'remote') {
    const what = `StartRMIServer is true and ${shown}`;
    const keep = '(--set jmx=remote keeps it for monitoring from another host)';
    if (host && !host.selfClosing) {
      findings.push(
        fix(t, file, lineOf(doc.text, host.start), `${what}; advertise ${LOOPBACK} instead ${keep}`, [setText(doc, host, LOOPBACK)], [
          { kind: 'xml-text', path: host.path, value: LOOPBACK },
        ]),
      );
    } else if (!host) {
      const markup = `<${prefixed(start, 'HostName')}>${LOOPBACK}</${prefixed(start, 'HostName')}>`;
      findings.push(fix(t, file, line, `${what}; add ${markup} ${keep}`, [insertAfter(doc, start, markup)], [{ kind: 'xml-insert', after: start.path, xml: markup }]));
    } else {
      findings.push(report(t, 'manual', `${what} is empty; write <HostName>${LOOPBACK}</HostName> ${keep}`, file, lineOf(doc.text, host.start)));
    }
  }
  findings.push(onAdvisory(t, mode, `<StartRMIServer>true</StartRMIServer>`, file, line));
  return findings;
}

/** The advisory every home with RMI on gets (even when its host name is fine). */
function onAdvisory(t: TransformMeta, mode: string | undefined, shown: string, file: string, line?: number): Finding {
  const how =
    mode === 'remote'
      ? `you keep it for monitoring from another host (--set jmx=remote): ${REMOTE}`
      : `${OFF_HINT}; ${LISTENS}`;
  return report(t, 'advisory', `${shown}: the JMX RMI server is on; ${how}`, file, line);
}

/** `name` with the namespace prefix of a sibling, if it has one. */
function prefixed(sibling: XmlElement, name: string): string {
  const i = sibling.name.indexOf(':');
  return i === -1 ? name : `${sibling.name.slice(0, i)}:${name}`;
}

/** deployment.toml: [monitoring.jmx] rmi_server_start / rmi_hostname, read by the jmx.xml template. */
function tomlFindings(t: TransformMeta, ctx: TransformContext, config: TomlConfig, template: string | undefined, rel: string): Finding[] {
  const file = config.path;
  if (!reads(template, START)) {
    return [report(t, 'manual', `the product's templates/${rel}.j2 does not read ${START}; set StartRMIServer to false in that template's product by hand`, file)];
  }
  const start = effective(config, START);
  const startShown = sourceOf(start, START, 'unset');
  const on = rmiStartToml(start.value);
  if (typeof start.value === 'string' && isPlaceholder(start.value)) {
    return [report(t, 'manual', `${startShown} is "${start.value}", resolved at start-up; make sure it is false unless JMX monitoring needs it`, file, entryLine(config, start))];
  }
  if (start.source === 'unset' && Object.keys(config.defaults).length === 0) {
    return [
      report(
        t,
        'manual',
        `deployment.toml does not set ${START} and this copy of the home has no repository/resources/conf/default.json, so harden cannot tell whether the JMX RMI server starts (API Manager, the kernel and MI default to true, Identity Server to false); run harden on the full product home`,
        file,
      ),
    ];
  }
  if (!on) {
    const why = start.source === 'unset' ? `${START} is set neither in deployment.toml nor in default.json, so the template renders an empty StartRMIServer, which Carbon reads as false` : `${startShown} = ${String(start.value)}`;
    return [report(t, 'compliant', `${why}: the JMX RMI server does not start`, file, entryLine(config, start))];
  }
  const mode = ctx.param('jmx');
  const onShown = `${startShown} = ${JSON.stringify(start.value)}`;
  if (mode === 'disable') {
    const value = typeof start.value === 'string' ? 'false' : false;
    return [settingFix(t, config, START, ['monitoring', 'jmx', 'rmi_server_start'], value, (where) => `${onShown} starts the JMX RMI server; set ${where} = ${JSON.stringify(value)} (--set jmx=disable)`)];
  }
  const findings: Finding[] = [];
  if (reads(template, HOST)) {
    const host = effective(config, HOST);
    const hostShown = sourceOf(host, HOST, 'unset');
    const value = typeof host.value === 'string' ? host.value.trim() : undefined;
    if (value && !isPlaceholder(value) && isLoopback(value)) {
      findings.push(report(t, 'compliant', `${hostShown} = "${value}": the RMI connector advertises a loopback address`, file, entryLine(config, host)));
    } else if (mode !== 'remote') {
      const now =
        value === undefined || value === ''
          ? `${HOST} is not set, so the machine's own host name is advertised`
          : /^\$ref\{server\.hostname\}$/.test(value)
            ? `${hostShown} is "${value}", which follows [server] hostname: the public host name once that is set`
            : `${hostShown} is "${value}"`;
      findings.push(
        settingFix(t, config, HOST, ['monitoring', 'jmx', 'rmi_hostname'], LOOPBACK, (where) => `${onShown} and ${now}; set ${where} = "${LOOPBACK}" (--set jmx=remote keeps it for monitoring from another host)`),
      );
    }
  }
  findings.push(onAdvisory(t, mode, onShown, file, entryLine(config, start)));
  return findings;
}
