// carbon.xml's HostName / MgtHostName (deployment.toml: [server] hostname) name the server in every URL it
// hands out: service EPRs, WSDLs, redirects, the console. They ship commented out (Carbon then uses the
// machine's IP address) or as "localhost" (RULES.md §2.3, RULES-FACTCHECK A15, B12). Only the operator knows
// the name in the certificate, so without --set hostname=<fqdn> a missing, loopback or IP value needs input.
import { childrenNamed, localName, textOf, type XmlElement } from '../../src/formats/xml/locate.js';
import { commentedChildren } from '../../src/formats/xml/comments.js';
import { insertAfter, replaceComment, setText } from '../../src/formats/xml/edit.js';
import type { TextEdit } from '../../src/formats/text.js';
import { effective, type TomlConfig } from '../../src/kit/deployment-toml.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { fqdnProblem, isPlaceholder } from '../../src/kit/hostnames.js';
import { carbonXml, planCarbonXml, reads, renderedCarbonXml, renderedFiles } from '../../src/kit/rendered-file.js';
import { settingFix } from '../../src/kit/toml-setting.js';
import { entryLine, sourceOf } from '../../src/kit/tomcat-toml.js';
import type { Finding, Intent, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';
import { SOURCES } from '../../src/kit/sources.js';

const HOST = 'server.hostname';
const MGT = 'server.mgt_console_hostname';
const ASK = 'pass --set hostname=<the fully qualified name in the server certificate>';

export const hostname: Transform = {
  id: 'hostname',
  title: 'The server names itself by the fully qualified host name in its certificate',
  rationale:
    'Carbon puts its host name into every URL it hands out (service endpoints, WSDLs, redirects, the console). Left unset it uses the machine\'s IP address, or "localhost", neither of which a client can verify against the TLS certificate, so clients get used to ignoring hostname errors.',
  severity: 'medium',
  fixClass: 'USER-VALUE',
  sources: [
    SOURCES.wso2Guidelines,
    SOURCES.wso2Guidelines44,
    { title: 'WSO2 API Manager: changing the hostname', url: 'https://apim.docs.wso2.com/en/latest/install-and-setup/setup/deployment-best-practices/changing-the-hostname/' },
  ],
  appliesTo: { models: ['xml', 'toml', 'mi'] },
  files: (product) => (product.model === 'xml' ? product.confDirs.map(carbonXml) : renderedFiles(product, renderedCarbonXml(product))),
  params: [
    {
      name: 'hostname',
      description: 'Fully qualified host name of this server, as in its TLS certificate (e.g. api.example.com)',
      validate: (v) => {
        const why = fqdnProblem(v);
        return why ? `${v} ${why}` : undefined;
      },
    },
  ],
  plan(ctx) {
    return planCarbonXml(
      this,
      ctx,
      'then set <HostName> there',
      (file) => xmlFindings(this, ctx, file),
      (config, template, rel) => tomlFindings(this, ctx, config, template, rel),
    );
  },
};

/** How a current value stands: undefined when it is a usable FQDN. */
function problemOf(value: string | undefined, unset: string): { why: string; evaluable: boolean } | undefined {
  if (value === undefined || value.trim() === '') return { why: unset, evaluable: true };
  if (isPlaceholder(value)) return { why: `"${value}" is resolved at start-up`, evaluable: false };
  const p = fqdnProblem(value);
  return p ? { why: `"${value}" ${p}`, evaluable: true } : undefined;
}

interface Slot {
  name: 'HostName' | 'MgtHostName';
  el: XmlElement | undefined;
  value: string | undefined;
}

/** carbon.xml edited in place: Carbon 4.4 / EI (every profile), and a deployment.toml home that does not template it. */
function xmlFindings(t: TransformMeta, ctx: TransformContext, file: string): Finding[] {
  const doc = ctx.files.xml(file);
  if (localName(doc.root) !== 'Server') return [report(t, 'manual', `the root element is <${doc.root.name}>, not <Server>; set <HostName> by hand`, file)];
  const slot = (name: Slot['name']): Slot => {
    const el = childrenNamed(doc.root, name)[0];
    return { name, el, value: el ? textOf(doc, el) : undefined };
  };
  const host = slot('HostName');
  const mgt = slot('MgtHostName');
  const hostProblem = problemOf(host.value, host.el ? 'is empty' : 'is commented out (Carbon then uses the machine\'s IP address)');
  // A missing MgtHostName is fine: the console then uses HostName.
  const mgtProblem = mgt.el ? problemOf(mgt.value, 'is empty') : undefined;
  const line = lineOf(doc.text, (host.el ?? mgt.el ?? doc.root).start);
  const wanted = ctx.param('hostname');

  if (wanted === undefined) {
    const problems = [hostProblem && `HostName ${hostProblem.why}`, mgtProblem && `MgtHostName ${mgtProblem.why}`].filter(Boolean) as string[];
    if (problems.length === 0) return [report(t, 'compliant', `<HostName>${host.value}</HostName>${mgt.el ? ` and <MgtHostName>${mgt.value}</MgtHostName>` : ''} name the server`, file, line)];
    const evaluable = [hostProblem, mgtProblem].some((p) => p?.evaluable);
    return [report(t, evaluable ? 'needs-input' : 'advisory', `${problems.join('; ')}; ${evaluable ? ASK : 'make sure it resolves to the fully qualified name in the server certificate'}`, file, line)];
  }

  const edits: TextEdit[] = [];
  const intents: Intent[] = [];
  const done: string[] = [];
  let anchor: XmlElement | undefined;
  const set = (s: Slot): string | undefined => {
    const markup = `<${s.name}>${wanted}</${s.name}>`;
    if (s.el) {
      if (s.el.selfClosing) return `<${s.name}/> is self-closing; write ${markup} by hand`;
      edits.push(setText(doc, s.el, wanted));
      intents.push({ kind: 'xml-text', path: s.el.path, value: wanted });
      done.push(`set ${s.name} (was "${s.value}")`);
      return undefined;
    }
    const comment = commentedChildren(doc, doc.root, s.name)[0];
    if (comment) {
      edits.push(replaceComment(doc, comment, markup));
      intents.push({ kind: 'xml-uncomment', parent: doc.root.path, comment: comment.index, xml: markup });
      done.push(`turn the commented-out <!--${comment.body}--> into ${markup}`);
      return undefined;
    }
    // No element and no comment: add it next to the server's identity (HostName after Version, MgtHostName after HostName).
    anchor ??= [...doc.root.children].reverse().find((c) => ['Version', 'ServerKey', 'Name', 'HostName'].includes(localName(c)));
    if (!anchor) return `carbon.xml has neither ${s.name} nor <Name>/<Version> to place it after; add ${markup} by hand`;
    edits.push(insertAfter(doc, anchor, markup));
    intents.push({ kind: 'xml-insert', after: anchor.path, xml: markup });
    done.push(`add ${markup}`);
    return undefined;
  };
  const manual: string[] = [];
  if (host.value !== wanted) manual.push(...[set(host)].filter((x): x is string => !!x));
  // MgtHostName follows unless it already is a usable name of its own (a separate console host).
  if ((!mgt.el && host.value !== wanted) || (mgt.el && mgtProblem && mgt.value !== wanted)) manual.push(...[set(mgt)].filter((x): x is string => !!x));
  if (manual.length) return [report(t, 'manual', manual.join('; '), file, line)];
  if (edits.length === 0) {
    const sep = mgt.el && mgt.value !== wanted ? ` (MgtHostName ${mgt.value} is a separate console name)` : '';
    return [report(t, 'compliant', `<HostName>${wanted}</HostName> already names the server${sep}`, file, line)];
  }
  const was = hostProblem ? `HostName ${hostProblem.why}` : `HostName is "${host.value}"`;
  return [fix(t, file, line, `${was}; ${done.join(', ')} (the name must be in the server certificate)`, edits, intents)];
}

/** deployment.toml: [server] hostname, rendered into HostName and (K4.6.x, MI: always) MgtHostName. */
function tomlFindings(t: TransformMeta, ctx: TransformContext, config: TomlConfig, template: string | undefined, rel: string): Finding[] {
  const file = config.path;
  if (!reads(template, HOST)) return [report(t, 'manual', `the product's templates/${rel}.j2 does not read ${HOST}; set <HostName> in that template's product by hand`, file)];
  const findings: Finding[] = [];
  const wanted = ctx.param('hostname');
  const eff = effective(config, HOST);
  const value = typeof eff.value === 'string' ? eff.value : eff.value === undefined ? undefined : String(eff.value);
  const shown = eff.source === 'unset' ? `${HOST} is not set (Carbon then uses the machine's IP address)` : `${sourceOf(eff, HOST, '')} = "${value}"`;
  const problem = eff.source === 'unset' ? { why: 'is not set', evaluable: true } : problemOf(value, 'is empty');
  const line = entryLine(config, eff);

  if (wanted === undefined) {
    if (!problem) findings.push(report(t, 'compliant', `${shown} names the server`, file, line));
    else if (!problem.evaluable) findings.push(report(t, 'advisory', `${shown} is resolved at start-up; make sure it is the fully qualified name in the server certificate`, file, line));
    else findings.push(report(t, 'needs-input', `${eff.source === 'unset' ? shown : `${shown} ${fqdnProblem(value ?? '') ?? problem.why}`}; ${ASK}`, file, line));
  } else if (value === wanted) {
    findings.push(report(t, 'compliant', `${shown} already names the server`, file, line));
  } else {
    findings.push(settingFix(t, config, HOST, ['server', 'hostname'], wanted, (where) => `${shown}; set ${where} = "${wanted}" (the name must be in the server certificate)`));
  }

  // [server] mgt_console_hostname: only kernels 4.7+ render it into MgtHostName (B12).
  const mgt = effective(config, MGT);
  if (mgt.source === 'toml') {
    const mgtValue = typeof mgt.value === 'string' ? mgt.value : String(mgt.value);
    const mgtShown = `${sourceOf(mgt, MGT, '')} = "${mgtValue}"`;
    const mgtLine = entryLine(config, mgt);
    if (template !== undefined && !template.includes(MGT)) {
      findings.push(report(t, 'advisory', `${mgtShown} is ignored: this product's templates/${rel}.j2 renders MgtHostName from ${HOST}`, file, mgtLine));
    } else {
      const p = problemOf(mgtValue, 'is empty');
      if (p && p.evaluable && wanted !== undefined && mgtValue !== wanted) {
        findings.push(settingFix(t, config, MGT, ['server', 'mgt_console_hostname'], wanted, (where) => `${mgtShown} ${fqdnProblem(mgtValue) ?? p.why}; set ${where} = "${wanted}"`));
      } else if (p && p.evaluable && wanted === undefined) {
        findings.push(report(t, 'needs-input', `${mgtShown} ${fqdnProblem(mgtValue) ?? p.why}; ${ASK}`, file, mgtLine));
      } else if (p) {
        findings.push(report(t, 'advisory', `${mgtShown} is resolved at start-up; make sure it is the fully qualified console name in the certificate`, file, mgtLine));
      }
    }
  }
  return findings;
}
