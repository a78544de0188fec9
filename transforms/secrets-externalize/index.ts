// The alternative to Secure Vault on deployment.toml products (RULES §1.4, §1.5, §2.21, §5 pitfall 7):
// the operator maps keys to environment variables (--set secret-env=super_admin.password=ADMIN_PW,…) and
// harden writes "$env{VAR}" in their place, so the passwords stay out of deployment.toml and version
// control. The config mapper still writes the values in clear into the rendered XML and into
// .metadata/references.properties, and the server does not start while a variable is unset: every
// finding says so. Keys another credential rule owns are left to it (src/kit/secrets.ts).
import { effective, flatKey, tomlConfig, tomlFiles } from '../../src/kit/deployment-toml.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { envRef, FIRST_START, isAdminKey, isReference, ownerOf, ownerReason, parseSecretEnv, secretEnvMap } from '../../src/kit/secrets.js';
import { writeSettings, type BatchStep } from '../../src/kit/toml-batch.js';
import { SOURCES } from '../../src/kit/sources.js';
import type { Finding, Transform, TransformContext } from '../../src/engine/types.js';

const PARAM = 'secret-env';

export const CLEAR_TEXT_WARNING =
  'the config mapper writes each value in clear text into the rendered XML and into repository/resources/conf/.metadata/references.properties, ' +
  'so this keeps passwords out of deployment.toml and version control, not off the disk (secrets-encryption keeps them encrypted at rest)';

/** A flat key split into its segments ('a'.b.'c.d' → a, b, c.d). */
function segments(key: string): string[] {
  return [...key.matchAll(/'([^']+)'|([^.]+)/g)].map((m) => m[1] ?? m[2]!);
}

export const secretsExternalize: Transform = {
  id: 'secrets-externalize',
  title: 'Chosen passwords come from environment variables, not deployment.toml',
  rationale:
    'A password written in deployment.toml travels with every copy of the file: backups, images and version control. Reading it from an environment variable set by the deployment keeps it out of the file, which suits containers whose orchestrator injects secrets.',
  severity: 'medium',
  fixClass: 'USER-VALUE',
  sources: [SOURCES.wso2EnvPasswords, SOURCES.wso2EncryptedPasswords],
  appliesTo: { models: ['toml', 'mi'] },
  files: (product) => tomlFiles(product),
  params: [
    {
      name: PARAM,
      description:
        'Comma-separated key=VARIABLE pairs, e.g. database.shared_db.password=SHARED_DB_PW,super_admin.password=ADMIN_PW: each key becomes "$env{VARIABLE}" (names, never passwords)',
      validate: (v) => {
        const parsed = parseSecretEnv(v);
        return typeof parsed === 'string' ? parsed : undefined;
      },
    },
  ],
  plan(ctx) {
    return planToml(this, ctx);
  },
};

function planToml(t: Transform, ctx: TransformContext): Finding[] {
  const config = tomlConfig(ctx);
  if (!config) return [report(t, 'not-applicable', 'no deployment.toml')];
  const file = config.path;
  const mapping = secretEnvMap(ctx);
  if (mapping.size === 0) {
    return [
      report(
        t,
        'advisory',
        `opt-in: pass --set ${PARAM}=<key>=<VARIABLE>,… to read chosen passwords from environment variables instead of [secrets]; ${CLEAR_TEXT_WARNING}`,
        file,
      ),
    ];
  }
  const findings: Finding[] = [];
  const steps: BatchStep[] = [];
  const said: string[] = [];
  let firstLine: number | undefined;
  let admin = false;
  for (const [key, name] of mapping) {
    // The key as written in the TOML (array elements, dotted keys) or as a canonical setting.
    const written = config.doc.entries.filter((e) => flatKey(e.path) === key);
    const eff = effective(config, key);
    const entry = written.at(-1) ?? eff.entries.at(-1);
    const value = entry ? entry.value : eff.value;
    const line = entry ? lineOf(config.doc.text, entry.keyStart) : undefined;
    const shown = entry ? `[${flatKey(entry.table.path)}] ${entry.keyRaw}` : key;
    const want = envRef(name);
    if (value === undefined) {
      findings.push(report(t, 'manual', `${key} is set neither in deployment.toml nor in default.json: check the key's spelling (harden does not add keys no file knows)`, file));
      continue;
    }
    if (typeof value !== 'string') {
      findings.push(report(t, 'manual', `${shown} is not a string; a password reference cannot replace it`, file, line));
      continue;
    }
    if (value === want) {
      findings.push(report(t, 'compliant', `${shown} = "${want}": ${name} must be set at every start, and ${CLEAR_TEXT_WARNING}`, file, line));
      continue;
    }
    if (isReference(value)) {
      findings.push(report(t, 'manual', `${shown} is already the reference ${JSON.stringify(value)}; harden does not replace one reference with another: change it by hand if ${name} should win`, file, line));
      continue;
    }
    const owner = ownerOf(ctx, config, key, value);
    if (owner !== 'secrets-externalize') {
      findings.push(report(t, 'advisory', `${shown}: left alone here because ${ownerReason(owner)}`, file, line));
      continue;
    }
    if (entry) steps.push({ path: entry.path, value: want });
    else steps.push({ canonical: key, writeAs: segments(key), value: want });
    said.push(`${shown} = "${want}"`);
    admin ||= isAdminKey(key);
    firstLine ??= line;
  }
  if (steps.length) {
    let w;
    try {
      w = writeSettings(config, steps);
    } catch (e) {
      return [...findings, report(t, 'manual', `harden cannot write ${said.join(', ')} here (${(e as Error).message}); make the change by hand`, file, firstLine)];
    }
    const vars = [...new Set([...mapping.values()])];
    findings.push(
      fix(
        t,
        file,
        firstLine ?? lineOf(config.doc.text, w.edits[0]?.start ?? 0),
        `read ${said.length === 1 ? 'this password' : 'these passwords'} from the environment: set ${said.join(', ')}. ` +
          `${vars.join(', ')} must be set in the server's environment at every start (the server refuses to start without ${vars.length === 1 ? 'it' : 'them'}); ${CLEAR_TEXT_WARNING}.${admin ? ` ${FIRST_START}` : ''}`,
        w.edits,
        w.intents,
      ),
    );
  }
  return findings;
}
