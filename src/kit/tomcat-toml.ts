// The deployment.toml side of the Tomcat rules (RULES.md §1, §2.4–§2.6): catalina-server.xml is rendered
// from the product's template, so settings are read and written as the keys that template reads.
import { protocolsComply, splitList, type TlsPolicy } from '../engine/tls-profiles.js';
import type { Finding, ProductInfo, TransformContext, TransformMeta } from '../engine/types.js';
import { find } from '../formats/toml/locate.js';
import { effective, flatKey, tomlConfig, tomlFiles, type Effective, type TomlConfig } from './deployment-toml.js';
import { lineOf, report } from './findings.js';
import { catalinaFiles } from './tomcat.js';

/** The catalina-server.xml template, relative to templates/ (and to the home, once rendered). */
export const CATALINA = 'repository/conf/tomcat/catalina-server.xml';
export const SSL_HOST_CONFIG = ['transport', 'https', 'sslHostConfig', 'properties'] as const;
export const PROTOCOLS = 'transport.https.sslHostConfig.properties.protocols';
export const CIPHERS = 'transport.https.sslHostConfig.properties.ciphers';

/** deployment.toml, its mapping files and the catalina template; the XML too, for a product that does not template it. */
export function tomcatFiles(product: ProductInfo): string[] {
  return product.model === 'toml' ? [...tomlFiles(product, [CATALINA]), ...catalinaFiles(product)] : catalinaFiles(product);
}

/** The parsed deployment.toml when catalina-server.xml is rendered from it; undefined when the XML is edited directly. */
export function catalinaToml(ctx: TransformContext): TomlConfig | undefined {
  if (ctx.product.model !== 'toml') return undefined;
  const config = tomlConfig(ctx);
  if (!config) return undefined;
  // A copy with templates/ but no catalina template: the product does not generate the file (RULES §1.2).
  if (config.hasTemplates && config.template(CATALINA) === undefined) return undefined;
  return config;
}

/**
 * A Tomcat rule's plan: `toml` on deployment.toml when it renders catalina-server.xml (catalinaToml), else `xml`
 * on the catalina-server.xml of every configuration directory that has one (`i` is the directory's index).
 */
export function planCatalina(t: TransformMeta, ctx: TransformContext, toml: (config: TomlConfig) => Finding[], xml: (file: string, i: number) => Finding[]): Finding[] {
  const config = catalinaToml(ctx);
  if (config) return toml(config);
  const findings: Finding[] = [];
  for (const [i, file] of catalinaFiles(ctx.product).entries()) {
    if (ctx.files.get(file)) findings.push(...xml(file, i));
  }
  return findings.length ? findings : [report(t, 'not-applicable', `no tomcat/catalina-server.xml in ${ctx.product.confDirs.join(', ')}`)];
}

/** Whether the catalina template reads `needle` (true when the copy has no templates/ to check). */
export function catalinaReads(config: TomlConfig, needle: string): boolean {
  const text = config.template(CATALINA);
  return !config.hasTemplates || (text !== undefined && text.includes(needle));
}

/** A `{% if <key> is sameas true %}` switch of the template: 'off' unless the effective value is boolean true. */
export function catalinaSwitch(config: TomlConfig, key: string): 'on' | 'off' | 'none' {
  const text = config.template(CATALINA);
  if (text === undefined || !text.includes(`${key} is sameas true`)) return 'none';
  return effective(config, key).value === true ? 'on' : 'off';
}

/** 1-based line of where a setting is written, if it is. */
export function entryLine(config: TomlConfig, eff: Effective): number | undefined {
  const e = eff.entries[eff.entries.length - 1];
  return e ? lineOf(config.doc.text, e.keyStart) : undefined;
}

/** How a message names where the effective value comes from; `kernel` describes the kernel's own default. */
export function sourceOf(eff: Effective, canonical: string, kernel: string): string {
  if (eff.source === 'toml') return eff.entries.map((e) => `[${flatKey(e.table.path)}] ${e.keyRaw}`).join(', ');
  if (eff.source === 'default') return `the product default (default.json ${canonical})`;
  return `${canonical} is set neither in deployment.toml nor in this product's default.json, so the kernel default applies (${kernel})`;
}

/** The string value, or undefined for anything else (unset, or a TOML type the template cannot render as a list). */
export function stringValue(eff: Effective): string | undefined {
  return typeof eff.value === 'string' ? eff.value : undefined;
}

/** True when every place that sets the key holds a value `ok` accepts (the default when nothing does). */
export function allComply(eff: Effective, ok: (v: string) => boolean): boolean {
  const values = eff.entries.length ? eff.entries.map((e) => e.value) : [eff.value];
  return values.every((v) => typeof v === 'string' && ok(v));
}

/** Protocols in effect once tomcat-tls-protocols has run: the current ones if they comply, else the policy's. */
export function protocolsAfterToml(config: TomlConfig, policy: TlsPolicy): string[] {
  const eff = effective(config, PROTOCOLS);
  const value = stringValue(eff);
  return value !== undefined && allComply(eff, (v) => protocolsComply(v, policy)) ? splitList(value) : [...policy.protocols];
}

/** A key written literally under `[transport.https.properties]` (not mapped elsewhere): it lands on the Connector. */
export function connectorLevel(config: TomlConfig, name: string): { line: number; raw: string } | undefined {
  const path = ['transport', 'https', 'properties', name];
  const mapped = config.mappings[flatKey(path)];
  const e = mapped === undefined ? find(config.doc, path) : undefined;
  return e ? { line: lineOf(config.doc.text, e.keyStart), raw: config.doc.text.slice(e.lineStart, e.lineEnd).trim() } : undefined;
}

export interface CustomTransport {
  index: string;
  line: number;
  port: string;
}

const TLS_PROPERTY = /^(SSLEnabled|sslEnabledProtocols|protocols|ciphers|sslProtocol|keystoreFile|certificateKeystoreFile)$/;

/** IS `[[custom_transport]]` entries with TLS properties: extra Connectors, without an SSLHostConfig (RULES-FACTCHECK C6). */
export function customTlsTransports(config: TomlConfig): CustomTransport[] {
  if (!catalinaReads(config, 'custom_transport')) return [];
  const out = new Map<string, CustomTransport>();
  for (const e of config.doc.entries) {
    const [root, index, props, name] = e.path;
    if (root !== 'custom_transport' || index === undefined || props !== 'properties' || name === undefined || out.has(index)) continue;
    if (!TLS_PROPERTY.test(name) || (name === 'SSLEnabled' && String(e.value).toLowerCase() !== 'true')) continue;
    const port = config.doc.entries.find((p) => p.path.join('.') === `custom_transport.${index}.properties.port`);
    out.set(index, { index, line: lineOf(config.doc.text, e.keyStart), port: port ? String(port.value) : '?' });
  }
  return [...out.values()];
}
