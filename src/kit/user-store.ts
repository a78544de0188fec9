// User stores as the LDAP rules see them (RULES §2.24): the primary store of user-mgt.xml (Carbon 4.4 / EI)
// or of deployment.toml's [user_store] (resolved through key-mappings.json and default.json, and the type →
// class table of the products' infer.json), and secondary stores in repository/deployment/server/userstores/*.xml,
// which no template renders on any generation.
import type { Intent, ProductInfo, TransformContext } from '../engine/types.js';
import { findAll, localName, textOf, attr, escapeText, innerRaw, type XmlDoc, type XmlElement } from '../formats/xml/locate.js';
import type { TextEdit } from '../formats/text.js';
import { xmlSafe } from '../formats/toml/xml-safe.js';
import { effective, tomlConfig, tomlFiles, writeSetting, type Effective, type TomlConfig } from './deployment-toml.js';
import { lineOf } from './findings.js';
import { narrowEdit } from './narrow-edit.js';

const SECONDARY = 'repository/deployment/server/userstores/*.xml';

export interface UserStore {
  /** How messages name it: "the primary user store" or "secondary user store ldap-ext.xml". */
  name: string;
  file: string;
  line: number | undefined;
  className: string | undefined;
  /** ConnectionURL as the server reads it (entities decoded); may list several URLs separated by blanks. */
  url: string | undefined;
  bindDn: string | undefined;
  readOnly: string | undefined;
  startTls: string | undefined;
  /** The edit that writes a new ConnectionURL, or why harden cannot write one. */
  writeUrl: ((url: string) => { edits: TextEdit[]; intents: Intent[] }) | string;
}

export function userStoreFiles(product: ProductInfo): string[] {
  if (product.model === 'xml') return [...product.confDirs.map((d) => `${d}/user-mgt.xml`), SECONDARY];
  return [...tomlFiles(product), SECONDARY];
}

export const isLdapClass = (cls: string | undefined): boolean => !!cls && /LDAP|ActiveDirectory/i.test(cls);
export const isReadWriteLdapClass = (cls: string | undefined): boolean => !!cls && /(ReadWriteLDAP|ActiveDirectory)UserStoreManager$/.test(cls.trim());
export const isReadOnlyLdapClass = (cls: string | undefined): boolean => !!cls && /ReadOnlyLDAPUserStoreManager$/.test(cls.trim());

export interface LdapEndpoint {
  scheme: string;
  host: string;
  port: string | undefined;
  /** Offsets in the URL string of `scheme://host[:port]`. */
  start: number;
  end: number;
}

export function ldapEndpoints(url: string): LdapEndpoint[] {
  return [...url.matchAll(/([a-z]+):\/\/(\[[^\]]*\]|\$\{[^}]*\}|[^:/\s]*)(?::(\$\{[^}]*\}|[^/\s]*))?/gi)].map((m) => ({
    scheme: m[1]!.toLowerCase(),
    host: m[2]!,
    port: m[3],
    start: m.index,
    end: m.index + m[0].length,
  }));
}

function xmlStores(doc: XmlDoc, file: string, name: (el: XmlElement) => string): UserStore[] {
  const out: UserStore[] = [];
  for (const usm of findAll(doc, (e) => localName(e) === 'UserStoreManager')) {
    const props = usm.children.filter((c) => localName(c) === 'Property');
    const propEl = (n: string): XmlElement | undefined => [...props].reverse().find((p) => attr(p, 'name')?.value === n);
    const value = (n: string): string | undefined => {
      const el = propEl(n);
      return el ? textOf(doc, el) : undefined;
    };
    const urlEl = propEl('ConnectionURL');
    let writeUrl: UserStore['writeUrl'] = 'it has no ConnectionURL property';
    if (urlEl) {
      const raw = innerRaw(doc, urlEl);
      if (raw.includes('<')) writeUrl = 'its ConnectionURL holds CDATA, a comment or markup, which harden does not rewrite; change it by hand';
      else {
        const lead = raw.length - raw.trimStart().length;
        const body = raw.trim();
        writeUrl = (url) => ({ edits: [narrowEdit(urlEl.openEnd + lead, body, escapeText(url))], intents: [{ kind: 'xml-text', path: urlEl.path, value: url }] });
      }
    }
    out.push({
      name: name(usm),
      file,
      line: lineOf(doc.text, (urlEl ?? usm).start),
      className: attr(usm, 'class')?.value,
      url: value('ConnectionURL'),
      bindDn: value('ConnectionName'),
      readOnly: value('ReadOnly'),
      startTls: value('StartTLSEnabled'),
      writeUrl,
    });
  }
  return out;
}

/**
 * [user_store] type → class, as the products' infer.json maps it (RULES §2.24; read from a table because some
 * copies ship an empty infer.json, which harden would refuse as a declared file).
 */
const TYPES: Record<string, string> = {
  read_only_ldap: 'ldap.ReadOnlyLDAPUserStoreManager',
  read_only_ldap_unique_id: 'ldap.UniqueIDReadOnlyLDAPUserStoreManager',
  read_write_ldap: 'ldap.ReadWriteLDAPUserStoreManager',
  read_write_ldap_unique_id: 'ldap.UniqueIDReadWriteLDAPUserStoreManager',
  active_directory: 'ldap.ActiveDirectoryUserStoreManager',
  active_directory_unique_id: 'ldap.UniqueIDActiveDirectoryUserStoreManager',
  database: 'jdbc.JDBCUserStoreManager',
  database_unique_id: 'jdbc.UniqueIDJDBCUserStoreManager',
};
/** MI's infer.json gives its LDAP types this ConnectionURL (mi-4.3.0); Carbon kernels infer none. */
const MI_LDAP_URL = 'ldap://localhost:10389';

const asText = (v: unknown): string | undefined => (v === undefined || v === null || typeof v === 'object' ? undefined : String(v));

function tomlStore(ctx: TransformContext, config: TomlConfig): UserStore | undefined {
  const type = asText(effective(config, 'user_store.type').value);
  const pkg = ctx.product.model === 'mi' ? 'org.wso2.micro.integrator.security.user.core.' : 'org.wso2.carbon.user.core.';
  const inferred: Record<string, string> = {};
  if (type && TYPES[type]) {
    inferred['user_store.class'] = pkg + TYPES[type];
    if (ctx.product.model === 'mi' && TYPES[type]!.startsWith('ldap.')) inferred['user_store.properties.ConnectionURL'] = MI_LDAP_URL;
  }
  // The canonical key first, then the deployment.toml spelling (a partial copy may lack key-mappings.json).
  const get = (...canonical: string[]): { value: string | undefined; eff: Effective | undefined; key: string } => {
    for (const key of canonical) {
      const eff = effective(config, key);
      if (eff.source !== 'unset') return { value: asText(eff.value), eff, key };
    }
    return { value: asText(inferred[canonical[0]!]), eff: undefined, key: canonical[0]! };
  };
  const cls = get('user_store.class');
  const url = get('user_store.properties.ConnectionURL', 'user_store.connection_url');
  if (!type && !cls.value && !url.value) return undefined;
  const header = config.doc.tables.find((t) => t.path.length === 1 && t.path[0] === 'user_store');
  const urlEntry = url.eff?.source === 'toml' ? url.eff.entries.at(-1) : undefined;
  const line = urlEntry ? lineOf(config.doc.text, urlEntry.keyStart) : header ? lineOf(config.doc.text, header.headerStart) : undefined;
  return {
    name: `the primary user store ([user_store]${type ? ` type = "${type}"` : ''})`,
    file: config.path,
    line,
    className: cls.value,
    url: url.value,
    bindDn: get('user_store.properties.ConnectionName', 'user_store.connection_name').value,
    readOnly: get('user_store.properties.ReadOnly', 'user_store.read_only').value,
    startTls: get('user_store.properties.StartTLSEnabled').value,
    writeUrl: (value) => {
      const w = writeSetting(config, url.key, ['user_store', 'connection_url'], xmlSafe(value));
      return { edits: w.edits, intents: w.intents };
    },
  };
}

/** Every user store of the home that a rule can judge. */
export function userStores(ctx: TransformContext): UserStore[] {
  const out: UserStore[] = [];
  if (ctx.product.model === 'xml') {
    for (const d of ctx.product.confDirs) {
      const file = `${d}/user-mgt.xml`;
      if (ctx.files.get(file)) out.push(...xmlStores(ctx.files.xml(file), file, () => `the primary user store (${file})`));
    }
  } else {
    const config = tomlConfig(ctx);
    const store = config && tomlStore(ctx, config);
    if (store) out.push(store);
  }
  for (const f of ctx.files.glob(SECONDARY)) {
    const doc = ctx.files.xml(f.path);
    out.push(...xmlStores(doc, f.path, () => `secondary user store ${f.path.slice(f.path.lastIndexOf('/') + 1)}`));
  }
  return out;
}
