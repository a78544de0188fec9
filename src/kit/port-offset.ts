// The port offset a Carbon server starts with (RULES §2.1, RULES-FACTCHECK B4, B5): carbon.xml's
// <Ports><Offset>, or deployment.toml's [server] offset over default.json, the carbon.xml template's
// default('N') and the model's own default (MI 10, others 0).
import { childrenNamed, localName, textOf, type XmlDoc, type XmlElement } from '../formats/xml/locate.js';
import { effective, type Effective, type TomlConfig } from './deployment-toml.js';

export const OFFSET_KEY = 'server.offset';

/** A whole, non-negative offset, or undefined when the value cannot be evaluated (a placeholder, say). */
export function offsetOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) return Number(v);
  return undefined;
}

/** carbon.xml's <Ports> and <Offset>; `value` is 0 when Offset is missing (as Carbon reads it), undefined when unreadable. */
export function carbonXmlOffset(doc: XmlDoc): { ports: XmlElement | undefined; offset: XmlElement | undefined; raw: string | undefined; value: number | undefined } {
  // carbon.xml's root is <Server xmlns="http://wso2.org/projects/carbon/carbon.xml">: match local names.
  const ports = localName(doc.root) === 'Server' ? childrenNamed(doc.root, 'Ports')[0] : undefined;
  const offset = ports && childrenNamed(ports, 'Offset')[0];
  const raw = offset ? textOf(doc, offset) : undefined;
  return { ports, offset, raw, value: raw === undefined ? 0 : /^\d+$/.test(raw) ? Number(raw) : undefined };
}

export interface TomlOffset {
  eff: Effective;
  /** The template's default('N'), when it has one. */
  fromTemplate: string | undefined;
  /** The offset when deployment.toml says nothing: the template's default, else the model's. */
  builtIn: number;
  /** What the product ships: default.json's value, else builtIn. */
  shippedRaw: unknown;
  /** What the server starts with, as written (may be a placeholder). */
  raw: unknown;
  /** raw as a number, or undefined when it cannot be evaluated. */
  current: number | undefined;
}

/** The offset of a deployment.toml home, given the carbon.xml template text (when the home has it). */
export function tomlOffset(config: TomlConfig, template: string | undefined, mi: boolean): TomlOffset {
  const fromTemplate = template && /server\.offset\s*\|\s*default\(\s*['"]?\s*(\d+)\s*['"]?\s*\)/.exec(template)?.[1];
  const builtIn = fromTemplate !== undefined ? Number(fromTemplate) : mi ? 10 : 0;
  const eff = effective(config, OFFSET_KEY);
  const shippedRaw = eff.source === 'toml' ? (OFFSET_KEY in config.defaults ? config.defaults[OFFSET_KEY] : builtIn) : eff.source === 'default' ? eff.value : builtIn;
  const raw = eff.source === 'toml' ? eff.value : shippedRaw;
  return { eff, fromTemplate, builtIn, shippedRaw, raw, current: offsetOf(raw) };
}
