// Every WSO2 download carries the same key pair (wso2carbon.jks / .p12, password wso2carbon): its private
// key is public, so TLS and everything the server signs or encrypts with it is readable by anyone
// (RULES §2.20). harden cannot open keystores and never generates keys: it finds the configuration that
// still points at the shipped files, says exactly which keytool commands make a new key pair, and on
// deployment.toml products re-points the keystores at the operator's file, alias and password
// reference (never a password) once given. Carbon 4.4 XML is reported with the Secure Vault route.
import { dirname, posix } from 'node:path';
import { effective, tomlConfig, tomlFiles, type TomlConfig } from '../../src/kit/deployment-toml.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { keystoreUses, shippedTruststorePassword, xmlFilesOf, type KeystoreUse } from '../../src/kit/keystores-xml.js';
import {
  aliasProblem,
  envNameProblem,
  envRef,
  isReference,
  KEYSTORE_DEFAULT_PASSWORD,
  keystoreFile,
  KEYSTORES,
  ownerOf,
  ownerReason,
  resolved,
  runtimeSecrets,
  secretRef,
  secretsTable,
  truststoreFile,
  type KeystoreName,
} from '../../src/kit/secrets.js';
import { writeSettings, type BatchStep } from '../../src/kit/toml-batch.js';
import { SOURCES } from '../../src/kit/sources.js';
import { cipherTool } from '../../src/kit/secure-vault.js';
import type { Finding, Transform, TransformContext } from '../../src/engine/types.js';

const FILE = 'keystore-file';
const ALIAS = 'keystore-alias';
const PW_ENV = 'keystore-password-env';
const PW_SECRET = 'keystore-password-secret';
const TRUST_ENV = 'truststore-password-env';

const KEYSTORE_NAME = /^[A-Za-z0-9._-]+\.(?:jks|p12|pfx)$/i;
const typeOf = (file: string): 'JKS' | 'PKCS12' => (/\.jks$/i.test(file) ? 'JKS' : 'PKCS12');

/** The keytool commands that make and trust a new key pair (the password is prompted for, never typed on the command line). */
export function keytoolSteps(keystorePath: string, alias: string, truststorePath: string): string {
  const type = typeOf(keystorePath);
  return (
    `keytool -genkeypair -alias ${alias} -keyalg RSA -keysize 2048 -validity 825 -storetype ${type} -keystore ${keystorePath} ` +
    `-dname "CN=<host name>, OU=<unit>, O=<organisation>, L=<city>, ST=<state>, C=<country code>" -ext san=dns:<host name> ` +
    `(keytool prompts for the password: never put it on the command line; use the same one for the key), then trust its certificate: ` +
    `keytool -exportcert -rfc -alias ${alias} -keystore ${keystorePath} -file ${alias}.pem and keytool -importcert -alias ${alias} -file ${alias}.pem -keystore ${truststorePath}. ` +
    `Once nothing uses the shipped key pair, remove its certificate from the truststore too (keytool -delete -alias <shipped alias> -keystore ${truststorePath})`
  );
}

const ENV_WARNING = (names: string[]): string =>
  `${names.join(' and ')} must be set in the server's environment at every start (the server refuses to start without it); ` +
  `the value is written in clear text into the rendered XML and repository/resources/conf/.metadata/references.properties`;

export const defaultKeystore: Transform = {
  id: 'default-keystore',
  title: 'The server does not use the key pair every WSO2 download ships',
  rationale:
    'The wso2carbon keystore and its password ship in every WSO2 download, so its private key is public: whoever has it can impersonate the server and decrypt what it encrypted. A key pair made for this deployment, with its own password, closes that.',
  severity: 'high',
  fixClass: 'GUIDED',
  sources: [
    SOURCES.wso2Guidelines,
    { title: 'WSO2 API Manager: creating new keystores', url: 'https://apim.docs.wso2.com/en/latest/install-and-setup/setup/security/configuring-keystores/keystore-basics/creating-new-keystores/' },
    { title: 'keytool (JDK 17 tool reference)', url: 'https://docs.oracle.com/en/java/javase/17/docs/specs/man/keytool.html' },
    SOURCES.wso2EnvPasswords,
  ],
  appliesTo: { models: ['xml', 'toml', 'mi'] },
  files: (product) => (product.model === 'xml' ? product.confDirs.flatMap(xmlFilesOf) : tomlFiles(product)),
  params: [
    {
      name: FILE,
      description: 'File name of the new keystore (made with keytool) in the security directory, e.g. myhost.p12 (.jks for JKS)',
      validate: (v) => (!KEYSTORE_NAME.test(v) ? 'must be a file name ending in .p12, .pfx or .jks (no directory)' : /^wso2carbon\./i.test(v) ? 'must not be the shipped wso2carbon keystore' : undefined),
    },
    { name: ALIAS, description: 'Alias of the new key pair in that keystore', validate: (v) => (/^[A-Za-z0-9._-]+$/.test(v) ? undefined : 'must be a keystore alias (letters, digits, . _ and -)') },
    { name: PW_ENV, description: 'Name of the environment variable that holds the new keystore and key password (written as "$env{NAME}")', validate: envNameProblem },
    { name: PW_SECRET, description: 'Alternative to keystore-password-env: a [secrets] alias that already holds the new password (written as "$secret{alias}")', validate: aliasProblem },
    { name: TRUST_ENV, description: 'Name of the environment variable that holds the truststore password after it is changed with keytool -storepasswd', validate: envNameProblem },
  ],
  plan(ctx) {
    return ctx.product.model === 'xml' ? planXml(this, ctx) : planToml(this, ctx);
  },
};

// ------------------------------------------------------------------------------------------------
// Carbon 4.4 XML: report with the exact steps

/** HOME-relative path of a Location such as ${carbon.home}/repository/resources/security/wso2carbon.jks. */
const homeRelative = (location: string): string => location.trim().replace(/^\$\{carbon\.home\}[/\\]?/, '');

function planXml(t: Transform, ctx: TransformContext): Finding[] {
  const findings: Finding[] = [];
  const given = [FILE, ALIAS, PW_ENV, PW_SECRET, TRUST_ENV].filter((p) => ctx.options.params[p] !== undefined);
  // The keytool steps are spelled out once, in the first finding; the others point there.
  let told: string | undefined;
  for (const dir of ctx.product.confDirs) {
    const uses = keystoreUses(ctx, dir);
    const byFile = new Map<string, KeystoreUse[]>();
    for (const u of uses) byFile.set(u.file, [...(byFile.get(u.file) ?? []), u]);
    for (const [file, list] of byFile) {
      const keys = list.filter((u) => u.kind === 'keystore' && u.shipped);
      const trusts = list.filter(shippedTruststorePassword);
      const first = [...keys, ...trusts][0];
      if (!first) {
        findings.push(report(t, 'compliant', `${list.map((u) => u.what).join(', ')}: no shipped key pair or truststore password`, file, list[0]!.line));
        continue;
      }
      const shippedKey = keys.find((u) => u.location)?.location ?? trusts[0]?.location ?? '';
      const secDir = posix.dirname(homeRelative(shippedKey).replace(/\\/g, '/')) || 'repository/resources/security';
      const parts: string[] = [];
      if (keys.length) {
        parts.push(
          `${keys.map((u) => `${u.what} (line ${u.line})`).join(', ')} use${keys.length === 1 ? 's' : ''} the shipped key pair, whose private key is public. ` +
            (told ? `Make your own (the keytool steps are in the finding for ${told}). ` : `Make your own: ${keytoolSteps(`${secDir}/<new keystore>.p12`, '<alias>', `${secDir}/client-truststore.jks`)}. `) +
            `Then point ${keys.length === 1 ? 'it' : 'each'} at the new file (Location/keystoreFile, Type PKCS12, KeyAlias) and give the new password through Secure Vault, never in the file: ` +
            `the aliases cipher-tool.properties maps to these password elements get [<new password>] in cipher-text.properties, then run ${cipherTool(dir)} -Dconfigure`,
        );
      }
      if (trusts.length) {
        parts.push(
          `${trusts.map((u) => `${u.what} (line ${u.line})`).join(', ')} still open${trusts.length === 1 ? 's' : ''} the truststore with its shipped password: ` +
            `change it with keytool -storepasswd -keystore ${secDir}/client-truststore.jks and give the new one through Secure Vault the same way`,
        );
      }
      if (keys.length) told ??= file;
      const note = given.length ? ` (--set ${given.join(', ')} apply to deployment.toml products only: XML has no $env{})` : '';
      findings.push(report(t, 'manual', `${parts.join('. ')}${note}. Restart afterwards.`, file, first.line));
    }
  }
  if (findings.length === 0) return [report(t, 'not-applicable', `no carbon.xml, catalina-server.xml or axis2.xml names a keystore in ${ctx.product.confDirs.join(', ')}`)];
  return findings;
}

// ------------------------------------------------------------------------------------------------
// deployment.toml and Micro Integrator

interface Plan {
  steps: BatchStep[];
  said: string[];
  envs: string[];
}

/** The security directory and the path a keystore file name is written with (MI writes a path, APIM/IS a bare name). */
function placeOf(current: string, newName: string): { written: string; onDisk: string } {
  const dir = dirname(current.replace(/\\/g, '/'));
  const hasDir = dir !== '.' && dir !== '';
  const written = hasDir ? `${dir}/${newName}` : newName;
  // MI writes the path (repository/resources/security/…); API Manager and Identity Server a bare name in that directory.
  const onDisk = hasDir ? written : `repository/resources/security/${newName}`;
  return { written, onDisk };
}

function planToml(t: Transform, ctx: TransformContext): Finding[] {
  const config = tomlConfig(ctx);
  if (!config) return [report(t, 'not-applicable', 'no deployment.toml')];
  const file = config.path;
  const p = (n: string): string | undefined => ctx.options.params[n];
  const findings: Finding[] = [];
  const plan: Plan = { steps: [], said: [], envs: [] };

  // Keystores that still read the shipped file (tls and internal follow primary unless written).
  // Only keystores the product configures (written, or in default.json); primary always exists.
  const configured = KEYSTORES.filter((n) => n === 'primary' || effective(config, `keystore.${n}.file_name`).source !== 'unset');
  const shipped = configured.filter((n) => keystoreFile(config, n).shipped);
  const entryLine = (canonical: string): number | undefined => {
    const e = effective(config, canonical).entries.at(-1);
    return e ? lineOf(config.doc.text, e.keyStart) : undefined;
  };
  const ksLine = shipped.map((n) => entryLine(`keystore.${n}.file_name`)).find((l) => l !== undefined);
  const primary = keystoreFile(config, 'primary');
  const trust = truststoreFile(config);
  const trustPlace = placeOf(trust.file, posix.basename(trust.file.replace(/\\/g, '/'))).onDisk;

  if (shipped.length === 0) {
    findings.push(report(t, 'compliant', `the keystores read ${[...new Set(configured.map((n) => keystoreFile(config, n).file))].join(', ')}, not the shipped key pair`, file, entryLine('keystore.primary.file_name')));
  } else {
    const names = shipped.map((n) => `[keystore.${n}]`).join(', ');
    const how = (f: string, a: string): string => keytoolSteps(placeOf(primary.file, f).onDisk, a, trustPlace);
    const wantFile = p(FILE);
    const wantAlias = p(ALIAS);
    const env = p(PW_ENV);
    const secret = p(PW_SECRET);
    const missing = [!wantFile && FILE, !wantAlias && ALIAS, !env && !secret && PW_ENV].filter(Boolean) as string[];
    const was = `${names} ${shipped.length === 1 ? 'reads' : 'read'} the shipped key pair (${keystoreFile(config, shipped[0]!).file}), whose private key is public`;
    if (env && secret) {
      findings.push(report(t, 'manual', `${was}; give either --set ${PW_ENV} or --set ${PW_SECRET}, not both`, file, ksLine));
    } else if (missing.length) {
      findings.push(
        report(
          t,
          'needs-input',
          `${was}. Make your own: ${how(wantFile ?? '<new keystore>.p12', wantAlias ?? '<alias>')}. ` +
            `Then pass ${missing.map((m) => `--set ${m}=…`).join(' ')} (the password's variable name, never the password; or --set ${PW_SECRET}=<[secrets] alias>) and harden points the keystores at it.`,
          file,
          ksLine,
        ),
      );
    } else if (secret && !secretsTable(config.doc)?.entries.has(secret) && !runtimeSecrets(config)) {
      findings.push(
        report(
          t,
          'needs-input',
          `${was}; [secrets] has no alias ${secret}: add ${secret} = "[<new keystore password>]" as the last entry of [secrets] yourself (harden never writes a password), then run harden again, then bin/ciphertool.sh -Dconfigure`,
          file,
          ksLine,
        ),
      );
    } else {
      const ref = env ? envRef(env) : secretRef(secret!);
      keystoreSteps(config, shipped, { file: wantFile!, alias: wantAlias!, ref }, plan);
      plan.said.push(
        `${was}: point ${names} at ${wantFile} (type ${typeOf(wantFile!)}, alias ${wantAlias}, password "${ref}"). Before the next start, make that keystore: ${how(wantFile!, wantAlias!)}` +
          (secret ? `; then run bin/ciphertool.sh -Dconfigure if [secrets] still holds the password in [brackets]` : ''),
      );
      if (env) plan.envs.push(env);
    }
  }

  // The truststore: its shipped password (the shipped certificate inside it goes with the key pair).
  const trustPw = resolved(config, 'truststore.password');
  const te = p(TRUST_ENV);
  const trustLine = entryLine('truststore.password');
  const trustDefault = (trustPw.source === 'unset' && trust.shipped) || trustPw.value === KEYSTORE_DEFAULT_PASSWORD;
  const trustOwner = typeof trustPw.value === 'string' ? ownerOf(ctx, config, 'truststore.password', trustPw.value) : 'default-keystore';
  if (typeof trustPw.value === 'string' && isReference(trustPw.value)) {
    findings.push(report(t, 'compliant', `[truststore] password is a reference, not a password written in the file`, file, trustLine));
  } else if (trustOwner === 'secrets-externalize') {
    findings.push(report(t, 'advisory', `[truststore] password: ${ownerReason(trustOwner)}; change the truststore's password with keytool -storepasswd -keystore ${trustPlace} to the variable's value`, file, trustLine));
  } else if (trustDefault || (te && typeof trustPw.value === 'string')) {
    const was = trustDefault ? `[truststore] ${trust.file} is opened with the shipped password` : `[truststore] password is written in clear`;
    if (!te) {
      findings.push(
        report(t, 'needs-input', `${was}; change it (keytool -storepasswd -keystore ${trustPlace}), put the new one in an environment variable and pass --set ${TRUST_ENV}=<VARIABLE NAME>`, file, trustLine),
      );
    } else {
      plan.steps.push({ canonical: 'truststore.password', writeAs: ['truststore', 'password'], value: envRef(te) });
      plan.said.push(`${was}: set [truststore] password = "${envRef(te)}"${trustDefault ? ` after changing it with keytool -storepasswd -keystore ${trustPlace}` : ''}`);
      plan.envs.push(te);
    }
  } else {
    findings.push(report(t, 'compliant', `[truststore] is not opened with the shipped password`, file, trustLine));
  }

  if (plan.steps.length) {
    let w;
    try {
      w = writeSettings(config, plan.steps);
    } catch (e) {
      return [...findings, report(t, 'manual', `${plan.said.join('; ')}; harden cannot write this here (${(e as Error).message}): make the change by hand`, file, ksLine)];
    }
    if (w.edits.length) {
      const envs = plan.envs.length ? ` ${ENV_WARNING([...new Set(plan.envs)])}.` : '';
      findings.push(fix(t, file, ksLine ?? trustLine ?? lineOf(config.doc.text, w.edits[0]!.start), `${plan.said.join('. ')}. Written: ${w.where.join(', ')}.${envs}`, w.edits, w.intents));
    }
  }
  return findings;
}

/**
 * The settings that move the shipped keystores to the operator's: every field written as a literal
 * (not a $ref{} to another keystore) is rewritten; an unwritten primary keystore gets the whole set.
 */
function keystoreSteps(config: TomlConfig, shipped: readonly KeystoreName[], want: { file: string; alias: string; ref: string }, plan: Plan): void {
  for (const name of shipped) {
    const current = keystoreFile(config, name);
    const fields: [string, string][] = [
      ['file_name', placeOf(current.file, want.file).written],
      ['type', typeOf(want.file)],
      ['alias', want.alias],
      ['password', want.ref],
      ['key_password', want.ref],
    ];
    for (const [field, value] of fields) {
      const canonical = `keystore.${name}.${field}`;
      const eff = effective(config, canonical);
      if (typeof eff.value === 'string' && /^\s*\$ref\{/.test(eff.value)) continue; // follows another keystore
      if (eff.source === 'unset' && name !== 'primary') continue; // the kernel's $ref{keystore.primary.*}
      if (eff.value === value) continue;
      plan.steps.push({ canonical, writeAs: ['keystore', name, field], value });
    }
  }
}
