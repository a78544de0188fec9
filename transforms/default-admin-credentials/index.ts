// Every WSO2 server ships an administrator admin/admin (RULES §2.19). harden never invents a password:
// in deployment.toml it points the admin password at an environment variable the operator names
// (--set admin-password-env=NAME → "$env{NAME}"); in Carbon 4.4 XML, which has no $env{}, it reports the
// Secure Vault route. Either way the user store keeps the password it got at the first start, which the
// message says every time. Micro Integrator also has the Management API's file user store and the axis2
// blocking client's admin/axis2 (reported).
import { childrenNamed, localName, textOf, type XmlDoc, type XmlElement } from '../../src/formats/xml/locate.js';
import { samePath } from '../../src/formats/toml/locate.js';
import { sectionEdit } from '../../src/formats/toml/new-section.js';
import { appendArrayTable } from '../../src/formats/toml/append-array-table.js';
import { keyStyle, renderKey, renderScalar } from '../../src/formats/toml/render.js';
import { setValue } from '../../src/formats/toml/set-value.js';
import { effective, flatKey, tomlConfig, tomlFiles, writeSetting, type TomlConfig } from '../../src/kit/deployment-toml.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { isTree, tomlArray } from '../../src/kit/toml-array-tables.js';
import { ADMIN_DEFAULT_PASSWORD, FIRST_START, envNameProblem, envRef, isReference, ownerOf, ownerReason, secretEnvMap } from '../../src/kit/secrets.js';
import { SOURCES } from '../../src/kit/sources.js';
import { cipherTextPath, cipherTool } from '../../src/kit/secure-vault.js';
import type { Finding, Intent, Transform, TransformContext } from '../../src/engine/types.js';
import type { TextEdit } from '../../src/formats/text.js';

const PARAM = 'admin-password-env';

const ENV_WARNING = (name: string): string =>
  `${name} must be set in the server's environment at every start (the server refuses to start without it); ` +
  `its value is written in clear text into the rendered XML and repository/resources/conf/.metadata/references.properties`;

export const defaultAdminCredentials: Transform = {
  id: 'default-admin-credentials',
  title: 'The administrator account does not keep the shipped password',
  rationale:
    'Every WSO2 server ships an administrator named admin with the password admin, and scanners try it first: it opens the management console, the admin services and the Management API. The password has to be one only the operator knows.',
  severity: 'high',
  fixClass: 'USER-VALUE',
  sources: [SOURCES.wso2Guidelines, SOURCES.wso2AdminPassword, SOURCES.wso2EnvPasswords, SOURCES.wso2SecureVault44],
  appliesTo: { models: ['xml', 'toml', 'mi'] },
  files: (product) =>
    product.model === 'xml'
      ? product.confDirs.map((d) => `${d}/user-mgt.xml`)
      : tomlFiles(product),
  params: [
    {
      name: PARAM,
      description:
        'Name of the environment variable that holds the new admin password (deployment.toml products): the password becomes "$env{NAME}". Never the password itself.',
      validate: envNameProblem,
    },
  ],
  plan(ctx) {
    return ctx.product.model === 'xml' ? planXml(this, ctx) : planToml(this, ctx);
  },
};

// ------------------------------------------------------------------------------------------------
// Carbon 4.4 XML: user-mgt.xml <AdminUser><Password>

function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el ? childrenNamed(el, name)[0] : undefined;
}

function adminPassword(doc: XmlDoc): XmlElement | undefined {
  if (localName(doc.root) !== 'UserManager') return undefined;
  return child(child(child(child(doc.root, 'Realm'), 'Configuration'), 'AdminUser'), 'Password');
}

const secretAliasOf = (el: XmlElement): string | undefined => el.attrs.find((a) => a.name === 'svns:secretAlias' || a.name.endsWith(':secretAlias'))?.value;

function planXml(t: Transform, ctx: TransformContext): Finding[] {
  const findings: Finding[] = [];
  for (const dir of ctx.product.confDirs) {
    const file = `${dir}/user-mgt.xml`;
    if (!ctx.files.get(file)) continue;
    const doc = ctx.files.xml(file);
    const pw = adminPassword(doc);
    if (!pw) {
      findings.push(report(t, 'advisory', 'no <UserManager><Realm><Configuration><AdminUser><Password> element: no administrator password is configured here', file));
      continue;
    }
    const line = lineOf(doc.text, pw.start);
    const alias = secretAliasOf(pw);
    if (alias) {
      findings.push(report(t, 'compliant', `<AdminUser><Password> is read from Secure Vault (alias ${alias})`, file, line));
      continue;
    }
    const value = textOf(doc, pw);
    if (isReference(value)) {
      findings.push(report(t, 'compliant', '<AdminUser><Password> is a reference, not a password written in the file', file, line));
      continue;
    }
    if (value !== ADMIN_DEFAULT_PASSWORD) {
      findings.push(report(t, 'compliant', `<AdminUser><Password> is not the shipped default (keeping it out of the file in clear is secrets-encryption's part)`, file, line));
      continue;
    }
    const cipherText = cipherTextPath(dir);
    const given = ctx.options.params[PARAM] !== undefined ? ` (--set ${PARAM} applies to deployment.toml only: XML has no $env{})` : '';
    findings.push(
      report(
        t,
        'manual',
        `<AdminUser><Password> is the shipped default${given}. ` +
          `Choose a new password and give it through Secure Vault, never in this file: write UserManager.AdminUser.Password=[<new password>] in ${cipherText} ` +
          `(cipher-tool.properties already maps that alias to this element), then run ${cipherTool(dir)} -Dconfigure, which encrypts it and replaces the element's text with the alias. ` +
          FIRST_START,
        file,
        line,
      ),
    );
  }
  if (findings.length === 0) return [report(t, 'not-applicable', `no user-mgt.xml in ${ctx.product.confDirs.join(', ')}`)];
  return findings;
}

// ------------------------------------------------------------------------------------------------
// deployment.toml and Micro Integrator

function planToml(t: Transform, ctx: TransformContext): Finding[] {
  const config = tomlConfig(ctx);
  if (!config) return [report(t, 'not-applicable', 'no deployment.toml')];
  const mapped = secretEnvMap(ctx);
  const given = ctx.options.params[PARAM];
  const findings = [superAdmin(t, ctx, config, given)];
  if (ctx.product.model === 'mi') {
    findings.push(...managementApiUsers(t, ctx, config, given));
    const blocking = blockingClient(t, config, mapped);
    if (blocking) findings.push(blocking);
  }
  return findings;
}

/** Where a setting's value comes from, for messages (never the value). */
function whence(config: TomlConfig, canonical: string, label: string): { shown: string; line: number | undefined } {
  const eff = effective(config, canonical);
  const entry = eff.entries.at(-1);
  if (eff.source === 'toml' && entry) return { shown: `[${flatKey(entry.table.path)}] ${entry.keyRaw}`, line: lineOf(config.doc.text, entry.keyStart) };
  if (eff.source === 'default') return { shown: `${label} (not set in deployment.toml, so default.json's value applies)`, line: undefined };
  return { shown: `${label} (set nowhere, so the kernel's shipped default applies)`, line: undefined };
}

function superAdmin(t: Transform, ctx: TransformContext, config: TomlConfig, envName: string | undefined): Finding {
  const file = config.path;
  const eff = effective(config, 'super_admin.password');
  const { shown, line } = whence(config, 'super_admin.password', '[super_admin] password');
  const value = eff.source === 'unset' ? ADMIN_DEFAULT_PASSWORD : eff.value;
  if (typeof value !== 'string') return report(t, 'manual', `${shown} is not a string; give it the new administrator password's $env{} or $secret{} reference`, file, line);
  if (isReference(value)) {
    return report(t, 'compliant', `${shown} is the reference ${JSON.stringify(value)}, not a password written in the file`, file, line);
  }
  const isDefault = value === ADMIN_DEFAULT_PASSWORD;
  const owner = ownerOf(ctx, config, 'super_admin.password', value);
  if (owner === 'secrets-externalize') return report(t, 'advisory', `${shown}: ${ownerReason(owner)}. ${FIRST_START}`, file, line);
  if (owner !== 'default-admin-credentials') {
    return report(t, 'compliant', `${shown} is not the shipped default (keeping it out of the file in clear is secrets-encryption's part)`, file, line);
  }
  const was = isDefault ? `${shown} is the shipped default` : `${shown} is written in clear`;
  if (!envName) {
    return report(
      t,
      'needs-input',
      `${was}. Choose a new administrator password, put it in an environment variable and pass --set ${PARAM}=<VARIABLE NAME> (the name, never the password): ` +
        `harden then writes password = "$env{<VARIABLE NAME>}". ${FIRST_START}`,
      file,
      line,
    );
  }
  let w;
  try {
    w = writeSetting(config, 'super_admin.password', ['super_admin', 'password'], envRef(envName));
  } catch (e) {
    return report(t, 'manual', `${was}; harden cannot write [super_admin] password here (${(e as Error).message}); set password = "${envRef(envName)}" by hand`, file, line);
  }
  return fix(
    t,
    file,
    line ?? lineOf(config.doc.text, w.edits[0]?.start ?? 0),
    `${was}; set ${w.where} = "${envRef(envName)}". ${ENV_WARNING(envName)}. ${FIRST_START}`,
    w.edits,
    w.intents,
  );
}

/** A user's password in a Management API user element (written `user.password = …` or `"user.password" = …`). */
function userPassword(e: unknown): unknown {
  if (!isTree(e)) return undefined;
  return isTree(e.user) ? e.user.password : e['user.password'];
}

const enabledValue = (v: unknown): boolean => !(v === false || (typeof v === 'string' && v.trim().toLowerCase() === 'false'));

/** MI: [[internal_apis.users]], the Management API's file user store (default.json: admin/admin). */
function managementApiUsers(t: Transform, ctx: TransformContext, config: TomlConfig, envName: string | undefined): Finding[] {
  const file = config.path;
  const { doc } = config;
  const store = effective(config, 'internal_apis.file_user_store.enable');
  if (store.source !== 'unset' && !enabledValue(store.value)) {
    return [report(t, 'compliant', 'the Management API file user store is disabled (internal_apis.file_user_store.enable = false)', file)];
  }
  const ARRAY = ['internal_apis', 'users'];
  const written = tomlArray(doc, ARRAY);
  if (typeof written === 'string') return [report(t, 'manual', `${written}; make sure no Management API user keeps the shipped password`, file)];
  if (written) {
    const out: Finding[] = [];
    written.elements.forEach((el, i) => {
      const key = `internal_apis.users.${i}.user.password`;
      const pw = userPassword(el);
      const entry = doc.entries.find((e) => samePath(e.path.slice(0, 3), [...ARRAY, String(i)]) && (samePath(e.path.slice(3), ['user', 'password']) || samePath(e.path.slice(3), ['user.password'])));
      const where = `[[internal_apis.users]] element ${i + 1}`;
      const line = entry ? lineOf(doc.text, entry.keyStart) : written.line;
      if (typeof pw !== 'string' || !entry) {
        out.push(report(t, 'advisory', `${where} has no user.password string; check that it keeps no shipped password`, file, line));
        return;
      }
      if (isReference(pw)) {
        out.push(report(t, 'compliant', `${where}'s user.password is a reference, not a password written in the file`, file, line));
        return;
      }
      const owner = ownerOf(ctx, config, key, pw);
      if (owner === 'secrets-externalize') {
        out.push(report(t, 'advisory', `${where}'s user.password: ${ownerReason(owner)}`, file, line));
        return;
      }
      if (owner !== 'default-admin-credentials') {
        out.push(report(t, 'compliant', `${where}'s user.password is not the shipped default (keeping it out of the file in clear is secrets-encryption's part)`, file, line));
        return;
      }
      const was = `${where} (Management API file user store) ${pw === ADMIN_DEFAULT_PASSWORD ? 'keeps the shipped default password' : 'has its password in clear'}`;
      if (!envName) {
        out.push(report(t, 'needs-input', `${was}; pass --set ${PARAM}=<VARIABLE NAME> to make it "$env{<VARIABLE NAME>}", or remove the user`, file, line));
        return;
      }
      const value = envRef(envName);
      out.push(fix(t, file, line, `${was}; set its user.password = "${value}". ${ENV_WARNING(envName)}`, setValue(doc, entry.path, value), [{ kind: 'toml-set', key: [...entry.path], value }]));
    });
    return out;
  }

  // Not in deployment.toml: default.json's list applies; an array written in the TOML replaces it wholesale.
  const defaults = config.defaults['internal_apis.users'];
  if (!Array.isArray(defaults)) return [];
  const weak = defaults.some((e) => userPassword(e) === ADMIN_DEFAULT_PASSWORD);
  const shown = "default.json's internal_apis.users (deployment.toml has no [[internal_apis.users]])";
  if (!weak) return [report(t, 'compliant', `${shown} keeps no shipped password`, file)];
  if (!envName) {
    return [
      report(
        t,
        'needs-input',
        `${shown} gives the Management API its shipped administrator user with the shipped default password; pass --set ${PARAM}=<VARIABLE NAME> and harden restates the list in deployment.toml with that user's password "$env{<VARIABLE NAME>}"`,
        file,
      ),
    ];
  }
  const restated = restate(defaults, envRef(envName));
  if (typeof restated === 'string') return [report(t, 'manual', `${shown} gives the Management API a user with the shipped password, but ${restated}; write [[internal_apis.users]] by hand`, file)];
  let edits: TextEdit[];
  try {
    appendArrayTable(doc, ARRAY, []); // refuses a path that is already a table or a value
    edits = [sectionEdit(doc, sectionLines(config, restated))];
  } catch (e) {
    return [report(t, 'manual', `${shown} gives the Management API a user with the shipped password; harden cannot add [[internal_apis.users]] here (${(e as Error).message})`, file)];
  }
  const intents: Intent[] = restated.map((value) => ({ kind: 'toml-append', key: ARRAY, value }));
  return [
    fix(
      t,
      file,
      lineOf(doc.text, edits[0]!.start),
      `${shown} gives the Management API its shipped administrator user with the shipped default password; write the list into deployment.toml with that password "${envRef(envName)}" ` +
        `(an array in deployment.toml replaces default.json's wholesale, so every default user is restated). ${ENV_WARNING(envName)}`,
      edits,
      intents,
    ),
  ];
}

type Nested = Record<string, unknown>;

/** default.json's users ({"user.name": …}) as nested tables, the weak passwords replaced by the reference. */
function restate(defaults: unknown[], ref: string): Nested[] | string {
  const out: Nested[] = [];
  for (const e of defaults) {
    if (!isTree(e)) return 'an element is not a table';
    const user: Nested = {};
    for (const [k, v] of Object.entries(e)) {
      const m = /^user\.([A-Za-z0-9_-]+)$/.exec(k);
      if (!m || !['string', 'boolean', 'number'].includes(typeof v)) return `it has the key ${JSON.stringify(k)} harden does not know`;
      user[m[1]!] = m[1] === 'password' && v === ADMIN_DEFAULT_PASSWORD ? ref : v;
    }
    out.push({ user });
  }
  return out;
}

/** `[[internal_apis.users]]` sections with dotted keys, as MI's deployment-full.toml writes them. */
function sectionLines(config: TomlConfig, users: Nested[]): string[] {
  const style = { ...keyStyle(config.doc, []), indent: '' };
  const header = `[[${['internal_apis', 'users'].map((s) => renderKey(s, style.quote)).join('.')}]]`;
  return users.flatMap((u, i) => [
    ...(i ? [''] : []),
    header,
    ...Object.entries(u.user as Nested).map(([k, v]) => `user.${renderKey(k, style.quote)}${style.equals}${renderScalar(v as string | number | boolean, undefined)}`),
  ]);
}

/** MI's axis2 blocking client ships admin / axis2 (default.json server.blocking.*): reported, with the externalize route. */
function blockingClient(t: Transform, config: TomlConfig, mapped: Map<string, string>): Finding | undefined {
  const eff = effective(config, 'server.blocking.password');
  if (eff.source === 'unset' || typeof eff.value !== 'string') return undefined;
  const { shown, line } = whence(config, 'server.blocking.password', '[server.blocking] password');
  if (isReference(eff.value)) return report(t, 'compliant', `${shown} is a reference, not a password written in the file`, config.path, line);
  const shipped = (config.defaults['server.blocking.password'] as unknown) === eff.value;
  if (!shipped) return report(t, 'compliant', `${shown} (the blocking client's credentials) is not the shipped default`, config.path, line);
  if (mapped.has('server.blocking.password')) {
    return report(t, 'compliant', `${shown} keeps the shipped default, and --set secret-env maps it: secrets-externalize writes it`, config.path, line);
  }
  return report(
    t,
    'advisory',
    `${shown} keeps the blocking client's shipped user name and password (default.json server.blocking.*). If anything uses that client, ` +
      `set [server.blocking] username and password in deployment.toml from a variable (--set secret-env=server.blocking.password=<VARIABLE NAME>) or through [secrets]`,
    config.path,
    line,
  );
}
