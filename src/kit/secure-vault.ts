// Carbon 4.4 Secure Vault (RULES §2.21, cipher-tool CipherTool.secureVaultConfigTokens): cipher-tool.properties
// maps an alias to `<file>//<XPath>,<flag>` (flag true and an XPath ending in [@attr]: the attribute holds
// the password), cipher-text.properties maps the alias to "[plaintext]" until bin/ciphertool.sh -Dconfigure
// encrypts it and replaces the XML value with the text "password" plus svns:secretAlias. File paths are
// relative to the profile's home (repository/conf/… in Carbon products, conf/… in EI and its profiles).
// A small evaluator for the XPath shapes these files use tells where each alias points.
import { attr, findAll, textOf, type XmlAttr, type XmlDoc, type XmlElement } from '../formats/xml/locate.js';
import { locateProperties, type PropEntry } from '../formats/properties/locate.js';
import type { TransformContext } from '../engine/types.js';

/** The directory cipher-tool.properties paths are relative to: "" for repository/conf and conf, wso2/broker for wso2/broker/conf. */
export function profileRoot(confDir: string): string {
  return confDir.replace(/\/?(?:repository\/)?conf$/, '');
}

export const homePath = (root: string, rel: string): string => (root ? `${root}/${rel}` : rel);

export const cipherToolPath = (confDir: string): string => `${confDir}/security/cipher-tool.properties`;
export const cipherTextPath = (confDir: string): string => `${confDir}/security/cipher-text.properties`;

/** The profile's own cipher tool (EI profiles have one each under wso2/<profile>/bin). */
export const cipherTool = (confDir: string): string => `${profileRoot(confDir) ? `${profileRoot(confDir)}/` : ''}bin/ciphertool.sh`;

export interface ToolLine {
  alias: string;
  /** As written: "<file>//<xpath>,<flag>". */
  value: string;
  file: string;
  xpath: string;
  attribute: string | undefined;
  /** Active entry, or a commented-out one (`#alias=…`) with the offset of its '#'. */
  entry: PropEntry | undefined;
  commentHash: number | undefined;
}

/** "<file>//<xpath>,<flag>" split the way CipherTool splits it; undefined when it has no "//". */
export function splitToolValue(value: string): { file: string; xpath: string; attribute: string | undefined } | undefined {
  const slash = value.indexOf('//');
  if (slash < 0) return undefined;
  const comma = value.indexOf(',');
  const file = value.slice(0, slash).trim();
  const xpath = comma > slash ? value.slice(slash, comma) : value.slice(slash);
  const flag = comma > 0 ? value.slice(comma + 1).trim() : '';
  // CipherTool: flag "true" and ']' right before the comma → the attribute named in the last [@…].
  const attribute = flag === 'true' && value.charAt(comma - 1) === ']' ? value.slice(value.lastIndexOf('[') + 2, comma - 1) : undefined;
  return { file, xpath: xpath.trim(), attribute };
}

/** Active entries of cipher-tool.properties, then the commented-out ones that look like entries. */
export function toolLines(text: string): ToolLine[] {
  const out: ToolLine[] = [];
  for (const entry of locateProperties(text).entries) {
    const split = splitToolValue(entry.value);
    if (split) out.push({ alias: entry.key, value: entry.value, ...split, entry, commentHash: undefined });
  }
  const re = /^([ \t]*)#[ \t]*([A-Za-z0-9_.\-]+)=([^\r\n]*?)[ \t]*$/gm;
  for (const m of text.matchAll(re)) {
    const split = splitToolValue(m[3]!);
    if (split) out.push({ alias: m[2]!, value: m[3]!, ...split, entry: undefined, commentHash: m.index! + m[1]!.length });
  }
  return out;
}

interface Step {
  name: string;
  preds: ({ attr: string; value: string | undefined } | { child: string; value: string })[];
}

/** Parses the XPath shapes cipher-tool.properties uses; undefined for anything else. */
export function parseXPath(xpath: string): Step[] | undefined {
  const body = xpath.replace(/^\/\//, '');
  const steps: Step[] = [];
  const re = /([A-Za-z_][\w.:-]*)((?:\[[^\]]*\])*)(?:\/|$)/y;
  let pos = 0;
  while (pos < body.length) {
    re.lastIndex = pos;
    const m = re.exec(body);
    if (!m || m[0].length === 0) return undefined;
    const preds: Step['preds'] = [];
    for (const p of m[2]!.matchAll(/\[([^\]]*)\]/g)) {
      const a = /^\s*@([\w.:-]+)\s*(?:=\s*(['"])(.*?)\2)?\s*$/.exec(p[1]!);
      const c = /^\s*([\w.:-]+)\s*=\s*(['"])(.*?)\2\s*$/.exec(p[1]!);
      if (a) preds.push({ attr: a[1]!, value: a[3] });
      else if (c) preds.push({ child: c[1]!, value: c[3]! });
      else return undefined;
    }
    steps.push({ name: m[1]!, preds });
    pos += m[0].length;
  }
  return steps.length ? steps : undefined;
}

function matches(doc: XmlDoc, el: XmlElement, step: Step): boolean {
  if (el.name !== step.name) return false;
  return step.preds.every((p) => {
    if ('attr' in p) {
      const a = attr(el, p.attr);
      return a !== undefined && (p.value === undefined || a.value === p.value);
    }
    return el.children.some((c) => c.name === p.child && textOf(doc, c) === p.value);
  });
}

/** Elements an XPath selects ("//First/…": First anywhere, then child steps), or undefined when it cannot be evaluated. */
export function selectXPath(doc: XmlDoc, xpath: string): XmlElement[] | undefined {
  const steps = parseXPath(xpath);
  if (!steps) return undefined;
  let current = findAll(doc, (e) => matches(doc, e, steps[0]!));
  for (const step of steps.slice(1)) current = current.flatMap((e) => e.children.filter((c) => matches(doc, c, step)));
  return current;
}

export interface VaultTarget {
  el: XmlElement;
  attr: XmlAttr | undefined;
  /** Secure Vault already holds it (svns:secretAlias on the element). */
  encrypted: boolean;
  /** The password as written (decoded); meaningless when encrypted. */
  value: string;
}

export const vaultAliasOf = (el: XmlElement): string | undefined => el.attrs.find((a) => a.name === 'svns:secretAlias' || a.name.endsWith(':secretAlias'))?.value;

/** What a cipher-tool line points at in a loaded XML file; undefined when the file is not loaded or the XPath is not understood. */
export function targetsOf(ctx: TransformContext, root: string, line: Pick<ToolLine, 'file' | 'xpath' | 'attribute'>): { path: string; targets: VaultTarget[] } | undefined {
  const path = homePath(root, line.file);
  if (!ctx.files.get(path) || !path.endsWith('.xml')) return undefined;
  const doc = ctx.files.xml(path);
  const els = selectXPath(doc, line.xpath);
  if (!els) return undefined;
  const targets = els.flatMap((el): VaultTarget[] => {
    const a = line.attribute ? attr(el, line.attribute) : undefined;
    if (line.attribute && !a) return [];
    return [{ el, attr: a, encrypted: vaultAliasOf(el) !== undefined, value: a ? a.value : textOf(doc, el) }];
  });
  return { path, targets };
}

/**
 * A cipher-text.properties value still waiting for the cipher tool, as CipherTool.encryptCipherTextFile
 * reads it: from the first '[' to the first ']' (so a password with ']' in it cannot go this way).
 */
export function bracketed(v: string): string | undefined {
  const open = v.indexOf('[');
  const close = v.indexOf(']');
  return open >= 0 && close > open ? v.slice(open + 1, close) : undefined;
}
