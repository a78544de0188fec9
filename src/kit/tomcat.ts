// Where Tomcat keeps TLS settings in catalina-server.xml. Decided from the element structure, not
// the Tomcat version (RULES-FACTCHECK B1): a nested <SSLHostConfig> if there is one, else the
// Connector's own attributes (Tomcat 7, and Tomcat 9 files written that way).
import { attr, childrenNamed, findAll, type XmlDoc, type XmlElement } from '../formats/xml/locate.js';
import type { ProductInfo } from '../engine/types.js';

export function catalinaFiles(product: ProductInfo): string[] {
  return product.confDirs.map((d) => `${d}/tomcat/catalina-server.xml`);
}

export function connectors(doc: XmlDoc): XmlElement[] {
  return findAll(doc, (el) => el.name === 'Connector' && el.parent?.name === 'Service');
}

export function isHttps(connector: XmlElement): boolean {
  return /^true$/i.test(attr(connector, 'SSLEnabled')?.value ?? '');
}

export interface TlsHolder {
  el: XmlElement;
  /** Attribute naming the enabled protocols on this element. */
  protocolsAttr: 'protocols' | 'sslEnabledProtocols';
  /** Tomcat 9 SSLHostConfig lists take '+TLSv1.2'; connector lists are written as the file already writes them. */
  plusStyle: boolean;
}

export function tlsHolder(connector: XmlElement): TlsHolder {
  const host = childrenNamed(connector, 'SSLHostConfig')[0];
  if (host) return { el: host, protocolsAttr: 'protocols', plusStyle: true };
  const current = attr(connector, 'sslEnabledProtocols')?.value ?? '';
  return { el: connector, protocolsAttr: 'sslEnabledProtocols', plusStyle: current.includes('+') };
}

export function formatProtocols(protocols: readonly string[], plusStyle: boolean): string {
  return protocols.map((p) => (plusStyle ? `+${p}` : p)).join(',');
}

/** Tomcat 7 spells the connector attribute compressableMimeType, 8.5+ compressibleMimeType (RULES-FACTCHECK C1). */
export function isTomcat7(doc: XmlDoc): boolean {
  return /\bcompressableMimeType=/.test(doc.text) && !/\bcompressibleMimeType=/.test(doc.text);
}
