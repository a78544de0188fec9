// Where a Carbon 4.4-style home names its keystores and truststores (RULES §2.20): carbon.xml's
// <Security><KeyStore>/<InternalKeyStore>/<TrustStore>, catalina-server.xml's keystoreFile/truststoreFile
// and <Certificate certificateKeystoreFile>, and axis2.xml's PassThrough <KeyStore>/<TrustStore> blocks.
// Each use carries its password fields by position, so the credential rules can tell a password that
// unlocks the shipped key pair (default-keystore's) from any other (secrets-encryption's). The engine never
// opens a keystore: "shipped" means the configuration points at wso2carbon.jks/.p12 (client-truststore for
// truststores), whatever the file now holds.
import { attr, childrenNamed, findAll, localName, textOf, type XmlAttr, type XmlDoc, type XmlElement } from '../formats/xml/locate.js';
import type { TransformContext } from '../engine/types.js';
import { DEFAULT_KEYSTORE_FILE, DEFAULT_TRUSTSTORE_FILE, KEYSTORE_DEFAULT_PASSWORD } from './secrets.js';
import { lineOf } from './findings.js';

export interface PasswordField {
  /** The element holding the password (for an attribute, the element that carries it). */
  el: XmlElement;
  /** Set when the password is an attribute value. */
  attr: XmlAttr | undefined;
  /** Decoded value; undefined when Secure Vault holds it (svns:secretAlias). */
  value: string | undefined;
}

export interface KeystoreUse {
  file: string;
  /** For messages, e.g. "carbon.xml <Security><KeyStore>". */
  what: string;
  kind: 'keystore' | 'truststore';
  location: string | undefined;
  /** The configuration points at the shipped file (wso2carbon.* / client-truststore.*). */
  shipped: boolean;
  passwords: PasswordField[];
  line: number;
}

export const xmlFilesOf = (dir: string): string[] => [`${dir}/carbon.xml`, `${dir}/tomcat/catalina-server.xml`, `${dir}/axis2/axis2.xml`];

const secretAlias = (el: XmlElement): string | undefined => el.attrs.find((a) => a.name === 'svns:secretAlias' || a.name.endsWith(':secretAlias'))?.value;

function elementField(doc: XmlDoc, el: XmlElement | undefined): PasswordField[] {
  if (!el) return [];
  return [{ el, attr: undefined, value: secretAlias(el) ? undefined : textOf(doc, el) }];
}

function attrField(el: XmlElement, name: string): PasswordField[] {
  const a = attr(el, name);
  if (!a) return [];
  return [{ el, attr: a, value: secretAlias(el) ? undefined : a.value }];
}

const kindOf = (location: string | undefined, fallback: 'keystore' | 'truststore'): { shipped: boolean } => ({
  shipped: location !== undefined && (fallback === 'keystore' ? DEFAULT_KEYSTORE_FILE : DEFAULT_TRUSTSTORE_FILE).test(location.trim()),
});

/** A <KeyStore>/<TrustStore>-style block: <Location>, <Password>, <KeyPassword>. */
function block(doc: XmlDoc, file: string, el: XmlElement, what: string, kind: 'keystore' | 'truststore'): KeystoreUse {
  const child = (n: string): XmlElement | undefined => childrenNamed(el, n)[0];
  const loc = child('Location');
  const location = loc ? textOf(doc, loc) : undefined;
  return {
    file,
    what,
    kind,
    location,
    ...kindOf(location, kind),
    passwords: [...elementField(doc, child('Password')), ...elementField(doc, child('KeyPassword'))],
    line: lineOf(doc.text, el.start),
  };
}

/** Every keystore and truststore the XML files of one configuration directory name. */
export function keystoreUses(ctx: TransformContext, dir: string): KeystoreUse[] {
  const out: KeystoreUse[] = [];
  const [carbon, catalina, axis2] = xmlFilesOf(dir);
  if (ctx.files.get(carbon!)) {
    const doc = ctx.files.xml(carbon!);
    const security = localName(doc.root) === 'Server' ? childrenNamed(doc.root, 'Security')[0] : undefined;
    for (const [name, kind] of [['KeyStore', 'keystore'], ['InternalKeyStore', 'keystore'], ['TrustStore', 'truststore']] as const) {
      const el = security && childrenNamed(security, name)[0];
      if (el) out.push(block(doc, carbon!, el, `carbon.xml <Security><${name}>`, kind));
    }
  }
  if (ctx.files.get(catalina!)) {
    const doc = ctx.files.xml(catalina!);
    for (const el of findAll(doc, (e) => !!attr(e, 'keystoreFile') || !!attr(e, 'certificateKeystoreFile') || !!attr(e, 'truststoreFile'))) {
      const port = (el.parent && localName(el) !== 'Connector' ? ancestorPort(el) : attr(el, 'port')?.value) ?? '?';
      const keyFile = attr(el, 'keystoreFile') ?? attr(el, 'certificateKeystoreFile');
      if (keyFile) {
        out.push({
          file: catalina!,
          what: `catalina-server.xml connector ${port} ${keyFile.name}`,
          kind: 'keystore',
          location: keyFile.value,
          ...kindOf(keyFile.value, 'keystore'),
          passwords: [...attrField(el, 'keystorePass'), ...attrField(el, 'keyPass'), ...attrField(el, 'certificateKeystorePassword'), ...attrField(el, 'certificateKeyPassword')],
          line: lineOf(doc.text, keyFile.start),
        });
      }
      const trust = attr(el, 'truststoreFile');
      if (trust) {
        out.push({
          file: catalina!,
          what: `catalina-server.xml connector ${port} truststoreFile`,
          kind: 'truststore',
          location: trust.value,
          ...kindOf(trust.value, 'truststore'),
          passwords: [...attrField(el, 'truststorePass'), ...attrField(el, 'truststorePassword')],
          line: lineOf(doc.text, trust.start),
        });
      }
    }
  }
  if (ctx.files.get(axis2!)) {
    const doc = ctx.files.xml(axis2!);
    for (const el of findAll(doc, (e) => localName(e) === 'KeyStore' || localName(e) === 'TrustStore')) {
      const transport = ancestor(el, (a) => localName(a) === 'transportReceiver' || localName(a) === 'transportSender');
      const where = transport ? `${localName(transport)} ${attr(transport, 'name')?.value ?? '?'}` : 'a parameter';
      const kind = localName(el) === 'KeyStore' ? 'keystore' : 'truststore';
      out.push(block(doc, axis2!, el, `axis2.xml ${where} <${localName(el)}>`, kind));
    }
  }
  return out;
}

function ancestor(el: XmlElement, pred: (e: XmlElement) => boolean): XmlElement | undefined {
  for (let p = el.parent; p; p = p.parent) if (pred(p)) return p;
  return undefined;
}

function ancestorPort(el: XmlElement): string | undefined {
  const c = ancestor(el, (a) => localName(a) === 'Connector');
  return c ? attr(c, 'port')?.value : undefined;
}

/** The shipped truststore password is still in use (a truststore use with client-truststore and "wso2carbon"). */
export const shippedTruststorePassword = (u: KeystoreUse): boolean =>
  u.kind === 'truststore' && u.passwords.some((p) => p.value === KEYSTORE_DEFAULT_PASSWORD);

/**
 * Password fields default-keystore owns: those of a use that points at the shipped key pair, and the
 * shipped truststore password. Keyed "file@offset" of the element (or attribute) holding the value.
 */
export function shippedPasswordFields(uses: readonly KeystoreUse[]): Set<string> {
  const out = new Set<string>();
  for (const u of uses) {
    const owned = (u.kind === 'keystore' && u.shipped) || shippedTruststorePassword(u);
    if (!owned) continue;
    for (const p of u.passwords) {
      if (u.kind === 'truststore' && p.value !== KEYSTORE_DEFAULT_PASSWORD) continue;
      out.add(fieldKey(u.file, p.el, p.attr));
    }
  }
  return out;
}

export const fieldKey = (file: string, el: XmlElement, a?: XmlAttr): string => `${file}@${a ? a.start : el.start}`;
