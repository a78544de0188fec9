// Every Carbon server listens on well-known default ports unless carbon.xml's <Ports><Offset> moves
// them (rendered from deployment.toml's [server] offset on Carbon 4.5+ and Micro Integrator: toml.ts). The new ports must match the load balancer and firewall plan, so only the operator can pick
// the offset: without --set port-offset=N an offset of 0 is reported, never guessed.
import { insertAfter, setText } from '../../src/formats/xml/edit.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { tomlFiles } from '../../src/kit/deployment-toml.js';
import { tomlFindings } from './toml.js';
import { carbonXmlOffset } from '../../src/kit/port-offset.js';
import type { Finding, ProductInfo, Transform, TransformContext } from '../../src/engine/types.js';
import { SOURCES } from '../../src/kit/sources.js';

/** The default ports the offset moves; the highest bounds the offset so that all stay below 65536. */
const DEFAULT_PORTS = [9443, 9763, 8243, 8280, 9999, 11111];
const MAX_OFFSET = 65535 - Math.max(...DEFAULT_PORTS);

const carbonXmls = (product: ProductInfo): string[] => product.confDirs.map((d) => `${d}/carbon.xml`);

export const portsOffset: Transform = {
  id: 'ports-offset',
  title: 'The Carbon server does not listen on the default ports',
  rationale:
    'Scanners and worms probe the well-known WSO2 ports (9443, 9763, 8243, 8280, and JMX on 9999/11111) first. A port offset chosen with the load balancer and firewall plan moves them all at once.',
  severity: 'low',
  fixClass: 'USER-VALUE',
  sources: [
    SOURCES.wso2Guidelines44,
    { title: 'WSO2 Carbon 4.4: changing the default ports with offset', url: 'https://docs.wso2.com/display/ADMIN44x/Changing+the+Default+Ports+with+Offset' },
  ],
  appliesTo: { models: ['xml', 'toml', 'mi'] },
  // TOML/MI: deployment.toml and the carbon.xml template, plus the static carbon.xml for products that do not template it.
  files: (product) => [...tomlFiles(product, carbonXmls(product)), ...carbonXmls(product)],
  params: [
    {
      name: 'port-offset',
      description: `Offset added to every default port (0..${MAX_OFFSET}); pick it with the load balancer and firewall plan`,
      validate: (v) => (!/^\d+$/.test(v) || Number(v) > MAX_OFFSET ? `must be a whole number from 0 to ${MAX_OFFSET}, so that port ${Math.max(...DEFAULT_PORTS)} + offset stays below 65536` : undefined),
    },
  ],
  plan(ctx) {
    const inPlace = (): Finding[] => xmlFindings(this, ctx);
    return ctx.product.model === 'xml' ? inPlace() : tomlFindings(this, ctx, inPlace);
  },
};

/** carbon.xml's <Ports><Offset>: Carbon 4.4 / EI, and a TOML home whose carbon.xml is not templated. */
function xmlFindings(t: Transform, ctx: TransformContext): Finding[] {
  const wanted = ctx.param('port-offset');
  const findings: Finding[] = [];
  const inUse = `the default ports ${DEFAULT_PORTS.join('/')} are in use`;
  const [main] = carbonXmls(ctx.product);
  for (const file of carbonXmls(ctx.product)) {
    if (!ctx.files.get(file)) {
      findings.push(report(t, 'not-applicable', `no carbon.xml at ${file}`));
      continue;
    }
    const doc = ctx.files.xml(file);
    const { ports, offset, raw, value } = carbonXmlOffset(doc);
    if (!ports) {
      findings.push(report(t, 'manual', `no <Server><Ports> element; add <Ports><Offset>N</Offset></Ports> with the offset of your port plan`, file));
      continue;
    }
    const line = lineOf(doc.text, (offset ?? ports).start);
    if (value === undefined) {
      findings.push(report(t, 'manual', `<Offset> is "${raw}", which harden cannot evaluate; make sure it resolves to the offset of your port plan`, file, line));
      continue;
    }
    const current = value; // Carbon reads a missing Offset as 0.
    const shown = raw === undefined ? 'no <Offset> (0)' : `<Offset>${raw}</Offset>`;
    // EI profiles ship distinct offsets (integrator 0, broker 3, business-process 2) so that they run side
    // by side: one --set value for all would make them clash, so it moves the main configuration only.
    const isProfile = file !== main;
    if (wanted === undefined || isProfile) {
      if (current === 0) {
        const how = isProfile
          ? `set this profile's <Offset> by hand to one no other profile uses (--set port-offset moves ${main} only)`
          : 'pass --set port-offset=N matching the load balancer/firewall plan (-DportOffset=N at start-up overrides carbon.xml)';
        findings.push(report(t, 'needs-input', `${shown}: ${inUse}; ${how}`, file, line));
      } else {
        findings.push(report(t, 'compliant', `${shown} moves the default ports (e.g. HTTPS to ${9443 + current})`, file, line));
      }
      continue;
    }
    const n = Number(wanted);
    if (current === n) {
      findings.push(report(t, 'compliant', `${shown} already is the requested offset (HTTPS on ${9443 + n})`, file, line));
      continue;
    }
    const moves = `set <Offset>${n}</Offset> (HTTPS ${9443 + n}, HTTP ${9763 + n}, JMX ${9999 + n}/${11111 + n})`;
    if (offset) {
      findings.push(
        fix(t, file, line, `${shown}${current === 0 ? `: ${inUse}` : ''}; ${moves}`, [setText(doc, offset, String(n))], [
          { kind: 'xml-text', path: offset.path, value: String(n) },
        ]),
      );
      continue;
    }
    // No <Offset>: add one after the last child of <Ports>, in the elements' own layout.
    const last = ports.children[ports.children.length - 1];
    if (!last) {
      findings.push(report(t, 'manual', `<Ports> is empty; add <Offset>${n}</Offset> to it`, file, line));
      continue;
    }
    const markup = `<${offsetName(last.name)}>${n}</${offsetName(last.name)}>`;
    findings.push(
      fix(t, file, line, `${shown}: ${inUse}; ${moves}`, [insertAfter(doc, last, markup)], [{ kind: 'xml-insert', after: last.path, xml: markup }]),
    );
  }
  return findings;
}

/** "Offset" with the namespace prefix its siblings use, if any. */
function offsetName(sibling: string): string {
  const i = sibling.indexOf(':');
  return i === -1 ? 'Offset' : `${sibling.slice(0, i)}:Offset`;
}
