// Passwords in deployment.toml (RULES §1.4, §1.5, §2.19–2.21): what counts as one, what counts as a
// reference to one, and which of the four credential rules owns each key, so that no two of them edit
// the same value. Ownership, in the order the rules are registered:
//   1. default-admin-credentials: the admin passwords ([super_admin] password, MI's Management API
//      users) when --set admin-password-env names a variable, or while they hold the shipped "admin"
//      and no --set secret-env mapping names them;
//   2. default-keystore: the keystore passwords of a keystore that is still the shipped wso2carbon one
//      (always), and the truststore password when truststore-password-env is set, or while it is the
//      shipped "wso2carbon" and no secret-env mapping names it;
//   3. secrets-externalize: every other key that --set secret-env maps to an environment variable;
//   4. secrets-encryption: every other plaintext password, moved into [secrets] for the cipher tool.
// Values are compared here and never returned to a caller that prints: messages name keys, not values.
import { effective, flatKey, type TomlConfig } from './deployment-toml.js';
import { samePath, type TomlDoc, type TomlEntry } from '../formats/toml/locate.js';
import type { TransformContext } from '../engine/types.js';

export const ADMIN_DEFAULT_PASSWORD = 'admin';
export const KEYSTORE_DEFAULT_PASSWORD = 'wso2carbon';
/** The shipped key pair: wso2carbon.jks (kernel ≤ 4.9, 4.11) or wso2carbon.p12 (4.10+, 4.12), bare or with a path. */
export const DEFAULT_KEYSTORE_FILE = /(?:^|[/\\])wso2carbon\.(?:jks|p12)$/i;
export const DEFAULT_TRUSTSTORE_FILE = /(?:^|[/\\])client-truststore\.(?:jks|p12)$/i;

/** Said with every change of an admin password (RULES §2.19 pitfall). */
export const FIRST_START =
  'The user store takes the configured password only at the first start: on a server that has started before, change the stored password as well ' +
  '(management console > Change Password, or bin/chpasswd.sh), or the configuration and the user store disagree.';

export type CredentialRule = 'default-admin-credentials' | 'default-keystore' | 'secrets-externalize' | 'secrets-encryption';

// ------------------------------------------------------------------------------------------------
// Names and references

/** A POSIX environment variable name, as `$env{NAME}` accepts it. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function envNameProblem(v: string): string | undefined {
  return ENV_NAME.test(v) ? undefined : 'must be an environment variable name (letters, digits and _, not starting with a digit), not a password';
}

/** A [secrets] alias that is a bare TOML key and a cipher-text.properties key. */
export const SECRET_ALIAS = /^[A-Za-z0-9_-]+$/;

export function aliasProblem(v: string): string | undefined {
  return SECRET_ALIAS.test(v) ? undefined : 'must be a [secrets] alias (letters, digits, _ and -)';
}

export const envRef = (name: string): string => `$env{${name}}`;
export const secretRef = (alias: string): string => `$secret{${alias}}`;

/**
 * A value that names where a secret comes from rather than holding it: the config mapper's $secret{},
 * $env{}, $sys{} and $ref{}, Carbon's runtime ${…} (e.g. ${admin.password}), and template syntax
 * ({{…}}, <%…%>) in files that are not rendered yet. A value that contains one is not evaluated.
 */
export function isReference(v: string): boolean {
  return /\$(?:secret|env|sys|ref)?\{[^}]*\}/.test(v) || /\{\{[\s\S]*\}\}|<%[\s\S]*%>|\{%[\s\S]*%\}/.test(v);
}

/** The last segment of a key says it holds a password or another secret (password, key_password, client_secret, keystorePass). */
export function isSecretKey(segment: string): boolean {
  return /(?:pass(?:word|wd|phrase)?|secret)$/i.test(segment) && !/bypass$/i.test(segment);
}

// ------------------------------------------------------------------------------------------------
// deployment.toml keys

/** The admin passwords: [super_admin] password and, on Micro Integrator, each Management API file-store user's. */
export function isAdminKey(key: string): boolean {
  return key === 'super_admin.password' || /^internal_apis\.users\.\d+\.user\.password$/.test(key);
}

const KEYSTORE_KEY = /^keystore\.(primary|tls|internal)\.(password|key_password)$/;
export const KEYSTORES = ['primary', 'tls', 'internal'] as const;
export type KeystoreName = (typeof KEYSTORES)[number];

/** A setting's value with $ref{…} followed (a few steps, cycles stop), and whether it is written at all. */
export function resolved(config: TomlConfig, canonical: string, depth = 0): { value: unknown; source: 'toml' | 'default' | 'unset'; via: string } {
  const eff = effective(config, canonical);
  const ref = typeof eff.value === 'string' ? /^\$ref\{([^}]+)\}$/.exec(eff.value.trim()) : null;
  if (ref && depth < 5) return { ...resolved(config, ref[1]!, depth + 1), via: canonical };
  return { value: eff.value, source: eff.source, via: canonical };
}

/**
 * The file a keystore is read from. Unset everywhere (a home whose default.json is the product's own, not
 * the merged one) means the kernel's: the primary keystore is the shipped one and the others follow it.
 */
export function keystoreFile(config: TomlConfig, name: KeystoreName): { file: string; shipped: boolean; source: 'toml' | 'default' | 'unset' } {
  const r = resolved(config, `keystore.${name}.file_name`);
  if (r.source === 'unset' || typeof r.value !== 'string') {
    if (name !== 'primary') return keystoreFile(config, 'primary');
    return { file: 'wso2carbon.jks', shipped: true, source: 'unset' };
  }
  return { file: r.value, shipped: DEFAULT_KEYSTORE_FILE.test(r.value.trim()), source: r.source };
}

export function truststoreFile(config: TomlConfig): { file: string; shipped: boolean } {
  const r = resolved(config, 'truststore.file_name');
  const file = typeof r.value === 'string' ? r.value : 'client-truststore.jks';
  return { file, shipped: DEFAULT_TRUSTSTORE_FILE.test(file.trim()) };
}

/** --set secret-env=key=VAR,key=VAR parsed, or the reason it cannot be. */
export function parseSecretEnv(raw: string): Map<string, string> | string {
  const out = new Map<string, string>();
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.lastIndexOf('=');
    if (eq <= 0) return `"${part.replace(/=.*/, '=…')}" is not key=ENV_NAME`;
    const key = part.slice(0, eq).trim();
    const name = part.slice(eq + 1).trim();
    if (!/^(?:[A-Za-z0-9_-]+|'[^']+')(?:\.(?:[A-Za-z0-9_-]+|'[^']+'))*$/.test(key)) return `"${key}" is not a deployment.toml key (dotted, e.g. super_admin.password)`;
    if (!ENV_NAME.test(name)) return `the variable for ${key} must be an environment variable name (letters, digits and _), not a password`;
    if (out.has(key)) return `${key} is mapped twice`;
    out.set(key, name);
  }
  return out.size ? out : 'names no key';
}

/** The key → variable map the operator gave, empty when none (a bad value never reaches here: validate refuses it). */
export function secretEnvMap(ctx: TransformContext): Map<string, string> {
  const raw = ctx.options.params['secret-env'];
  const parsed = raw === undefined ? undefined : parseSecretEnv(raw);
  return parsed instanceof Map ? parsed : new Map();
}

/**
 * Which rule owns a password key with this (plaintext) value; references are nobody's business. An explicit
 * parameter wins (admin-password-env, truststore-password-env, then a secret-env mapping), except that a
 * keystore that is still the shipped one is always default-keystore's: its password cannot change alone.
 */
export function ownerOf(ctx: TransformContext, config: TomlConfig, key: string, value: string): CredentialRule {
  const given = (name: string): boolean => ctx.options.params[name] !== undefined;
  if (isAdminKey(key) && given('admin-password-env')) return 'default-admin-credentials';
  const ks = KEYSTORE_KEY.exec(key);
  if (ks && keystoreFile(config, ks[1] as KeystoreName).shipped) return 'default-keystore';
  if (key === 'truststore.password' && given('truststore-password-env')) return 'default-keystore';
  if (secretEnvMap(ctx).has(key)) return 'secrets-externalize';
  if (isAdminKey(key) && value === ADMIN_DEFAULT_PASSWORD) return 'default-admin-credentials';
  if (key === 'truststore.password' && value === KEYSTORE_DEFAULT_PASSWORD) return 'default-keystore';
  return 'secrets-encryption';
}

/** Why the owner handles a key, for the other rules' messages. */
export function ownerReason(owner: CredentialRule): string {
  switch (owner) {
    case 'default-admin-credentials':
      return 'it is an admin password that must be changed first: default-admin-credentials owns it';
    case 'default-keystore':
      return 'it unlocks the shipped keystore or truststore, which must be replaced first: default-keystore owns it';
    case 'secrets-externalize':
      return '--set secret-env maps it to an environment variable: secrets-externalize owns it';
    default:
      return 'secrets-encryption owns it';
  }
}

// ------------------------------------------------------------------------------------------------
// Plaintext passwords written in deployment.toml

export interface TomlSecret {
  /** Flat key as key-mappings.json spells it (quoted segments in single quotes). */
  key: string;
  entry: TomlEntry;
  /** The decoded value: compare, never print. */
  value: string;
}

const inTable = (e: TomlEntry, name: string): boolean => e.path[0] === name && e.path.length >= 2;

/** Every password-named string value written in deployment.toml, outside [secrets] and [runtime_secrets]. */
export function writtenPasswords(doc: TomlDoc): TomlSecret[] {
  return doc.entries
    .filter((e) => e.kind === 'string' && typeof e.value === 'string' && isSecretKey(e.path.at(-1)!))
    .filter((e) => !inTable(e, 'secrets') && !inTable(e, 'runtime_secrets'))
    .map((e) => ({ key: flatKey(e.path), entry: e, value: e.value as string }));
}

/** Those that hold a password in clear: not empty, not a reference. */
export function plaintextPasswords(doc: TomlDoc): TomlSecret[] {
  return writtenPasswords(doc).filter((s) => s.value.trim() !== '' && !isReference(s.value));
}

// ------------------------------------------------------------------------------------------------
// [secrets]

export interface SecretsTable {
  /** The [secrets] header section, if written as one. */
  headerLine: number | undefined;
  /** Alias → raw value (bracketed plaintext, or ciphertext). */
  entries: Map<string, { value: unknown; entry: TomlEntry }>;
  /** Whether a table header follows [secrets] (WSO2 documents it as the last table). */
  last: boolean;
}

export function secretsTable(doc: TomlDoc): SecretsTable | undefined {
  const entries = new Map<string, { value: unknown; entry: TomlEntry }>();
  for (const e of doc.entries) if (e.path[0] === 'secrets' && e.path.length === 2) entries.set(e.path[1]!, { value: e.value, entry: e });
  const header = doc.tables.find((t) => t.kind === 'standard' && samePath(t.path, ['secrets']));
  if (!header && entries.size === 0) return undefined;
  const after = header ? doc.tables.filter((t) => t.headerStart > header.headerStart && t.path[0] !== 'secrets') : [];
  return {
    headerLine: header ? doc.text.slice(0, header.headerStart).split('\n').length : undefined,
    entries,
    last: after.length === 0,
  };
}

/** A [secrets] value that still holds plaintext for the cipher tool to encrypt: "[…]". */
export const isBracketed = (v: unknown): boolean => typeof v === 'string' && /^\[[\s\S]*\]$/.test(v.trim());

/** [runtime_secrets] enable = true: $secret{} references are resolved at run time (RULES-FACTCHECK B14). */
export function runtimeSecrets(config: TomlConfig): boolean {
  const v = effective(config, 'runtime_secrets.enable').value;
  return v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
}

/** A fresh alias for a key path: its segments joined by _, numbered when taken. */
export function aliasFor(path: readonly string[], taken: ReadonlySet<string>): string {
  const base = path
    .map((s) => s.replace(/[^A-Za-z0-9]+/g, '_'))
    .join('_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  let alias = base || 'secret';
  for (let n = 2; taken.has(alias); n++) alias = `${base}_${n}`;
  return alias;
}
