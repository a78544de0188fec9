// Carbon ships org.wso2.carbon.ui.valve.XSSValve but registers it nowhere (RULES.md §2.23): once added to the
// Tomcat <Host> it rejects requests whose parameters match xss-patterns.properties, as configured by
// carbon.xml's Security/XSSPreventionConfig. It can reject legitimate rich-text input, so it is added only on
// --set xss-valve=enable; without that the rule says how. deployment.toml homes: a [[catalina.valves]] entry,
// only where the product's catalina template loops over catalina.valves (APIM 4.x, IS 5.11+; not the kernel's).
import { attr, childrenNamed, findAll, localName, textOf, type XmlDoc } from '../../src/formats/xml/locate.js';
import { insertAfter } from '../../src/formats/xml/edit.js';
import { tomlMeaning } from '../../src/formats/toml/semantic.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { catalinaFiles } from '../../src/kit/tomcat.js';
import { CATALINA, planCatalina, tomcatFiles } from '../../src/kit/tomcat-toml.js';
import { appendArrayTables, isTree, tomlArray } from '../../src/kit/toml-array-tables.js';
import type { TomlConfig } from '../../src/kit/deployment-toml.js';
import type { Finding, ProductInfo, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';
import { SOURCES } from '../../src/kit/sources.js';

const VALVE = 'org.wso2.carbon.ui.valve.XSSValve';
const ARRAY = ['catalina', 'valves'];
const LOOP = /\{%-?\s*for\s+\w+\s+in\s+catalina\.valves\s*-?%\}/;
const OPT_IN = '--set xss-valve=enable';
const CAVEAT = 'it rejects any request whose parameters match the patterns in security/xss-patterns.properties of the configuration directory, which can include legitimate rich-text input: test the consoles and portals';

const carbonXmls = (product: ProductInfo): string[] => product.confDirs.map((d) => `${d}/carbon.xml`);

export const xssValve: Transform = {
  id: 'xss-valve',
  title: "Carbon's XSS valve screens request parameters (opt-in)",
  rationale:
    'The management console and other Carbon web applications render request parameters back into pages. Carbon ships an XSS valve that rejects requests carrying script patterns, but no product registers it, so it does nothing until it is added to the Tomcat Host.',
  severity: 'low',
  fixClass: 'AUTO-GUARDED',
  sources: [
    SOURCES.wso2Guidelines44,
    { title: 'WSO2 Identity Server: mitigating cross-site scripting attacks', url: 'https://is.docs.wso2.com/en/latest/deploy/mitigate-attacks/mitigate-cross-site-scripting-attacks/' },
    { title: 'OWASP: cross-site scripting prevention cheat sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html' },
  ],
  // No Tomcat in Micro Integrator.
  appliesTo: { models: ['xml', 'toml'] },
  files: (product) => (product.model === 'xml' ? [...catalinaFiles(product), ...carbonXmls(product)] : tomcatFiles(product)),
  params: [
    {
      name: 'xss-valve',
      description: 'enable: add Carbon\'s XSSValve to the Tomcat Host (it may reject legitimate rich-text input)',
      validate: (v) => (v === 'enable' ? undefined : 'the only value is "enable"'),
    },
  ],
  plan(ctx) {
    const enable = ctx.param('xss-valve') === 'enable';
    return planCatalina(
      this,
      ctx,
      (config) => tomlFindings(this, config, enable),
      (file, i) => xmlFindings(this, ctx, file, carbonXmls(ctx.product)[i]!, enable),
    );
  },
};

function hostsOf(doc: XmlDoc) {
  return findAll(doc, (el) => localName(el) === 'Host' && el.parent !== undefined && localName(el.parent) === 'Engine');
}

/** Why the valve would do nothing, from carbon.xml's Security/XSSPreventionConfig (the valve reads Enabled with Boolean.parseBoolean). */
function inertBecause(ctx: TransformContext, carbonXml: string): string | undefined {
  if (!ctx.files.get(carbonXml)) return undefined;
  const doc = ctx.files.xml(carbonXml);
  const security = childrenNamed(doc.root, 'Security')[0];
  const config = security && childrenNamed(security, 'XSSPreventionConfig')[0];
  const enabled = config && childrenNamed(config, 'Enabled')[0];
  const value = enabled ? textOf(doc, enabled) : undefined;
  if (/^true$/i.test(value ?? '')) return undefined;
  return `${carbonXml} ${enabled ? `has <XSSPreventionConfig><Enabled>${value}</Enabled>` : 'has no <Security><XSSPreventionConfig><Enabled>'}, so the valve checks nothing until that is true`;
}

function xmlFindings(t: TransformMeta, ctx: TransformContext, file: string, carbonXml: string, enable: boolean): Finding[] {
  const doc = ctx.files.xml(file);
  const hosts = hostsOf(doc);
  if (hosts.length === 0) return [report(t, 'manual', 'no <Engine><Host> to hold the XSS valve', file)];
  const findings: Finding[] = [];
  for (const host of hosts) {
    const name = attr(host, 'name')?.value ?? '?';
    const present = childrenNamed(host, 'Valve').find((v) => attr(v, 'className')?.value === VALVE);
    if (present) {
      findings.push(report(t, 'compliant', `<Host name="${name}"> has the ${VALVE}`, file, lineOf(doc.text, present.start)));
      continue;
    }
    const line = lineOf(doc.text, host.start);
    if (!enable) {
      findings.push(report(t, 'advisory', `<Host name="${name}"> has no ${VALVE}; to add it, ${OPT_IN} (${CAVEAT})`, file, line));
      continue;
    }
    const valves = childrenNamed(host, 'Valve');
    const anchor = valves.at(-1) ?? host.children.at(-1);
    if (!anchor) {
      findings.push(report(t, 'manual', `<Host name="${name}"> has no child to place the valve beside; add <Valve className="${VALVE}"/> inside it by hand`, file, line));
      continue;
    }
    const q = (anchor && attr(anchor, 'className')?.quote) ?? '"';
    const markup = `<${valves.at(-1)?.name ?? 'Valve'} className=${q}${VALVE}${q}/>`;
    const inert = inertBecause(ctx, carbonXml);
    findings.push(
      fix(t, file, line, `<Host name="${name}"> has no XSS valve; add ${markup} after its last valve (${CAVEAT})${inert ? `; note: ${inert}` : ''}`, [insertAfter(doc, anchor, markup)], [
        { kind: 'xml-insert', after: anchor.path, xml: markup },
      ]),
    );
  }
  return findings;
}

/** Valve class names an existing catalina.valves value renders (array of tables, or the docs' table form). */
function classNames(value: unknown): string[] {
  const items = Array.isArray(value) ? value : isTree(value) ? Object.values(value) : [];
  return items.flatMap((v) => (isTree(v) && isTree(v.properties) && typeof v.properties.className === 'string' ? [v.properties.className] : []));
}

function tomlFindings(t: TransformMeta, config: TomlConfig, enable: boolean): Finding[] {
  const file = config.path;
  const template = config.template(CATALINA);
  const where = `templates/${CATALINA}.j2`;
  if (!config.hasTemplates || template === undefined) {
    return [report(t, enable ? 'manual' : 'advisory', `this copy of the home has no ${where}, so harden cannot tell whether a [[catalina.valves]] entry would be rendered; run harden on the full product home`, file)];
  }
  if (!LOOP.test(template)) {
    return [
      report(
        t,
        enable ? 'manual' : 'advisory',
        `the product's ${where} has no catalina.valves loop (the bare kernel's does not), so deployment.toml cannot add the XSS valve; it would have to go into the template's <Host> as <Valve className="${VALVE}"/>, which the next update of the product may replace`,
        file,
      ),
    ];
  }
  const tree = tomlMeaning(config.doc.text);
  const current = isTree(tree.catalina) ? tree.catalina.valves : undefined;
  const written = tomlArray(config.doc, ARRAY);
  const line = typeof written === 'object' ? written.line : undefined;
  if (classNames(current).includes(VALVE)) return [report(t, 'compliant', `deployment.toml's catalina.valves adds the ${VALVE}`, file, line)];
  if (!enable) return [report(t, 'advisory', `deployment.toml adds no ${VALVE} through [[catalina.valves]]; to add it, ${OPT_IN} (${CAVEAT})`, file, line)];

  const entry = `[[catalina.valves]] properties.className = "${VALVE}"`;
  if (typeof written === 'string') return [report(t, 'manual', `catalina.valves is written as a table, not an array of tables; add the valve to it by hand (${entry})`, file)];
  if (written?.form === 'inline') return [report(t, 'manual', `catalina.valves is an inline array, which harden does not reformat; add {properties = {className = "${VALVE}"}} to it by hand`, file, line)];
  const defaults = config.defaults['catalina.valves'];
  if (!written && Array.isArray(defaults) && defaults.length) {
    return [report(t, 'manual', `default.json defines catalina.valves, and an array in deployment.toml replaces it wholesale; restate its entries together with ${entry} by hand`, file)];
  }
  let edits;
  try {
    edits = appendArrayTables(config.doc, ARRAY, [[[['properties', 'className'], VALVE]]]);
  } catch (e) {
    return [report(t, 'manual', `harden cannot add [[catalina.valves]] here (${(e as Error).message}); add ${entry} by hand`, file, line)];
  }
  // The new header's line: the insertion starts by ending the line it follows.
  const lead = /^(\r?\n)*/.exec(edits[0]?.text ?? '')?.[0] ?? '';
  const at = lineOf(config.doc.text, edits[0]?.start ?? 0) + (lead.match(/\n/g)?.length ?? 0);
  return [
    fix(t, file, line ?? at, `the product's ${where} renders each [[catalina.valves]] entry into <Host>; add ${entry} (${CAVEAT})`, edits, [
      { kind: 'toml-append', key: ARRAY, value: { properties: { className: VALVE } } },
    ]),
  ];
}
