// What tomcat-tls-protocols and tomcat-tls-ciphers share: which element of each HTTPS Connector holds
// its TLS settings, what its protocols will be once tomcat-tls-protocols has run, and where missing
// attributes go, so both transforms make non-overlapping edits that keep the TLS settings together.
import { attr, childrenNamed, type XmlAttr, type XmlDoc, type XmlElement } from '../formats/xml/locate.js';
import { protocolsComply, splitList, type TlsPolicy } from '../engine/tls-profiles.js';
import { connectors, formatProtocols, isHttps, isTomcat7, tlsHolder, type TlsHolder } from './tomcat.js';

export interface TlsSite {
  connector: XmlElement;
  port: string;
  holder: TlsHolder;
  /** The holder's protocol list attribute, if present. */
  protocols: XmlAttr | undefined;
  protocolsComply: boolean;
  /** The value tomcat-tls-protocols writes, in the element's own style. */
  protocolsWanted: string;
  /** Protocols in effect after tomcat-tls-protocols: the current ones if they comply, else the policy's. */
  protocolsAfter: string[];
  /** Attribute a missing protocol list is added after (undefined: after the last attribute). */
  protocolsAnchor: string | undefined;
  /** Attribute a missing cipher list is added after: the protocol list, or where it will be added. */
  ciphersAnchor: string | undefined;
}

/** Every TLS holder of a file's HTTPS Connectors: each nested SSLHostConfig (SNI), else the Connector. */
export function tlsSites(doc: XmlDoc, policy: TlsPolicy): TlsSite[] {
  const sites: TlsSite[] = [];
  // A Tomcat 8.5+ file that already writes '+' on some connector keeps that style on connectors it adds to.
  const tomcat7 = isTomcat7(doc);
  const filePlus = !tomcat7 && connectors(doc).some((c) => (attr(c, 'sslEnabledProtocols')?.value ?? '').includes('+'));
  for (const c of connectors(doc).filter(isHttps)) {
    const hosts = childrenNamed(c, 'SSLHostConfig');
    const holders: TlsHolder[] = hosts.length
      ? hosts.map((el) => ({ el, protocolsAttr: 'protocols', plusStyle: true }))
      : [tlsHolder(c)];
    for (const holder of holders) {
      const el = holder.el;
      const protocols = attr(el, holder.protocolsAttr);
      // Tomcat 7 passes names straight to JSSE, which knows no '+TLSv1.2': such a list is rewritten plain.
      const ok = protocols !== undefined && protocolsComply(protocols.value, policy) && !(tomcat7 && protocols.value.includes('+'));
      const plus = !tomcat7 && (holder.plusStyle || (!protocols && el === c && filePlus));
      const anchor = protocols ? undefined : missingProtocolsAnchor(el);
      sites.push({
        connector: c,
        port: attr(c, 'port')?.value ?? '?',
        holder,
        protocols,
        protocolsComply: ok,
        protocolsWanted: formatProtocols(policy.protocols, plus),
        protocolsAfter: ok ? splitList(protocols.value) : [...policy.protocols],
        protocolsAnchor: anchor,
        ciphersAnchor: protocols ? protocols.name : anchor,
      });
    }
  }
  return sites;
}

/** After sslProtocol if present; else just before an existing ciphers attribute; else after the last attribute. */
function missingProtocolsAnchor(el: XmlElement): string | undefined {
  if (attr(el, 'sslProtocol')) return 'sslProtocol';
  const i = el.attrs.findIndex((a) => a.name === 'ciphers');
  if (i > 0) return el.attrs[i - 1]!.name;
  return undefined;
}

/** "connector 9443" or "connector 9443 SSLHostConfig" for messages. */
export function siteName(s: TlsSite): string {
  if (s.holder.el === s.connector) return `connector ${s.port}`;
  const host = attr(s.holder.el, 'hostName')?.value;
  return `connector ${s.port} <SSLHostConfig${host ? ` hostName="${host}"` : ''}>`;
}

/** Tomcat 7's APR connector takes SSLProtocol/SSLCipherSuite (OpenSSL), not the JSSE attributes. */
export function isAprWithoutHostConfig(s: TlsSite): boolean {
  return s.holder.el === s.connector && /Apr/i.test(attr(s.connector, 'protocol')?.value ?? '');
}
