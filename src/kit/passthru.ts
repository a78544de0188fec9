// Where the Synapse PassThrough HTTPS transports (the 8243 listener and the back-end sender) keep
// their TLS settings in axis2.xml: plain <parameter name="…"> children read by name (RULES.md §2.8, §2.9).
import { attr, childrenNamed, escapeAttr, escapeText, findAll, innerRaw, textOf, type XmlDoc, type XmlElement } from '../formats/xml/locate.js';
import { insertAfter, setText } from '../formats/xml/edit.js';
import { compareVersions, protocolsComply, splitList, type TlsPolicy } from '../engine/tls-profiles.js';
import { fix, lineOf, report } from './findings.js';
import type { TextEdit } from '../formats/text.js';
import type { Finding, Intent, ProductInfo, TransformContext, TransformMeta } from '../engine/types.js';

export function axis2Files(product: ProductInfo): string[] {
  return product.confDirs.map((d) => `${d}/axis2/axis2.xml`);
}

export interface PassthruTransport {
  el: XmlElement;
  /** e.g. 'https receiver (port 8243)', for messages. */
  label: string;
}

/**
 * Active PassThrough HTTPS receivers and senders: a passthru class named "https", or any passthru
 * class ending in SSLListener / SSLSender. Commented-out alternatives are never located.
 */
export function passthruHttpsTransports(doc: XmlDoc): PassthruTransport[] {
  return findAll(doc, (el) => {
    const suffix = el.name === 'transportReceiver' ? /SSLListener$/ : el.name === 'transportSender' ? /SSLSender$/ : undefined;
    const cls = attr(el, 'class')?.value ?? '';
    return !!suffix && /passthru/i.test(cls) && (attr(el, 'name')?.value === 'https' || suffix.test(cls));
  }).map((el) => {
    const port = directParams(el, 'port')[0];
    const side = el.name === 'transportReceiver' ? 'receiver' : 'sender';
    return { el, label: `${attr(el, 'name')?.value ?? '?'} ${side}${port ? ` (port ${textOf(doc, port)})` : ''}` };
  });
}

/** Direct <parameter name="…"> children only (never the nested KeyStore/TrustStore markup). */
export function directParams(el: XmlElement, name: string): XmlElement[] {
  return childrenNamed(el, 'parameter').filter((p) => attr(p, 'name')?.value === name);
}

type Planned = { edits: TextEdit[]; intents: Intent[] } | { manual: string };

/** Replaces a parameter's value in place; markup inside it (comments, elements) is left to a person. */
export function writeParam(doc: XmlDoc, p: XmlElement, value: string): Planned {
  if (innerRaw(doc, p).includes('<')) return { manual: 'its value holds markup (a comment, CDATA or elements)' };
  const intents: Intent[] = [{ kind: 'xml-text', path: p.path, value }];
  if (p.selfClosing) {
    // <parameter name="X" /> becomes <parameter name="X">value</parameter>.
    const start = p.attrs.at(-1)?.end ?? p.start + 1 + p.name.length;
    return { edits: [{ start, end: p.openEnd, text: `>${escapeText(value)}</${p.name}>` }], intents };
  }
  return { edits: [setText(doc, p, value)], intents };
}

/**
 * The element to add, written like its siblings: locked="false" when most of them carry it, in the
 * attribute order and quote style of such a sibling (DOM-re-serialised files put locked first).
 */
export function paramSnippet(params: XmlElement[], name: string, value: string): string {
  const locked = params.filter((p) => attr(p, 'locked'));
  const useLocked = locked.length * 2 > params.length;
  const model = (useLocked ? locked : params.filter((p) => !attr(p, 'locked'))).at(-1);
  const quote = (model && attr(model, 'name')?.quote) ?? '"';
  const nameAttr = `name=${quote}${escapeAttr(name, quote)}${quote}`;
  const lockedAttr = `locked=${quote}false${quote}`;
  const lockedFirst = !!model && model.attrs.findIndex((a) => a.name === 'locked') < model.attrs.findIndex((a) => a.name === 'name');
  const attrs = !useLocked ? [nameAttr] : lockedFirst ? [lockedAttr, nameAttr] : [nameAttr, lockedAttr];
  return `<parameter ${attrs.join(' ')}>${escapeText(value)}</parameter>`;
}

/** Adds a parameter as a new sibling after the transport's last direct <parameter>. */
export function insertParam(doc: XmlDoc, transport: XmlElement, name: string, value: string): Planned {
  const params = childrenNamed(transport, 'parameter');
  const anchor = params.at(-1);
  if (!anchor) return { manual: 'it has no <parameter> to place the new one beside' };
  const xml = paramSnippet(params, name, value);
  return { edits: [insertAfter(doc, anchor, xml)], intents: [{ kind: 'xml-insert', after: anchor.path, xml }] };
}

/**
 * Synapse splits these lists on commas only and passes each name to JSSE as is, so a Tomcat-style
 * ':' separator or '+' prefix (which splitList accepts) would be an unknown name there.
 */
export function synapseSyntax(value: string): boolean {
  return !/[:+!-]/.test(value);
}

/** Protocols the transport will enable once passthru-tls-protocols has run (a compliant value stays). */
export function protocolsAfterFix(doc: XmlDoc, transport: XmlElement, policy: TlsPolicy): string[] {
  const last = directParams(transport, 'HttpsProtocols').at(-1); // Axis2 keeps the last duplicate
  const value = last && textOf(doc, last);
  return value !== undefined && synapseSyntax(value) && protocolsComply(value, policy) ? splitList(value) : policy.protocols;
}

/** Synapse reads PreferredCiphers since 2.1.7-wso2v289 (Nov 2016); kernels before 4.4.11 predate it. */
export function mayIgnorePreferredCiphers(product: ProductInfo): boolean {
  return !!product.kernel && compareVersions(product.kernel, '4.4.11') < 0;
}

export interface ParamRule {
  name: string;
  /** The value to write. */
  wanted: string;
  complies: (value: string, doc: XmlDoc, t: PassthruTransport) => boolean;
  /** Why an absent parameter is a finding. */
  absent: string;
  /** Appended to fix messages (caveats). */
  note?: string;
}

/** Plans one parameter on every active PassThrough HTTPS transport of every axis2.xml. */
export function planPassthruParam(meta: TransformMeta, ctx: TransformContext, rule: ParamRule): Finding[] {
  const findings: Finding[] = [];
  const seen: string[] = [];
  const note = rule.note ? ` ${rule.note}` : '';
  const wanted = rule.wanted;
  for (const file of axis2Files(ctx.product)) {
    if (!ctx.files.get(file)) continue;
    seen.push(file);
    const doc = ctx.files.xml(file);
    for (const t of passthruHttpsTransports(doc)) {
      const existing = directParams(t.el, rule.name);
      if (existing.length === 0) {
        const line = lineOf(doc.text, t.el.start);
        const planned = insertParam(doc, t.el, rule.name, wanted);
        findings.push(
          'manual' in planned
            ? report(meta, 'manual', `${t.label} has no ${rule.name} (${rule.absent}) and ${planned.manual}; add ${rule.name}=${wanted} by hand`, file, line)
            : fix(meta, file, line, `${t.label} has no ${rule.name} (${rule.absent}); add ${rule.name}=${wanted}${note}`, planned.edits, planned.intents),
        );
        continue;
      }
      for (const p of existing) {
        const value = textOf(doc, p);
        const shown = value || '(empty)';
        const line = lineOf(doc.text, p.start);
        if (synapseSyntax(value) && rule.complies(value, doc, t)) {
          findings.push(report(meta, 'compliant', `${t.label} has ${rule.name}=${value}`, file, line));
          continue;
        }
        const planned = writeParam(doc, p, wanted);
        findings.push(
          'manual' in planned
            ? report(meta, 'manual', `${t.label} has ${rule.name}=${shown}, which does not meet the ${ctx.options.policy.profile} profile, but ${planned.manual}; set ${wanted} by hand`, file, line)
            : fix(meta, file, line, `${t.label} has ${rule.name}=${shown}, which does not meet the ${ctx.options.policy.profile} profile on JDK ${ctx.options.policy.jdk}; set ${wanted}${note}`, planned.edits, planned.intents),
        );
      }
    }
  }
  if (findings.length === 0) {
    const why = seen.length ? `no active PassThrough HTTPS listener or sender in ${seen.join(', ')}` : 'no axis2/axis2.xml in the configuration directories';
    findings.push(report(meta, 'not-applicable', why));
  }
  return findings;
}
