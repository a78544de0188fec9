// Passwords, tokens and API keys written in plain text in a Ballerina program's Config.toml. A configurable of
// a simple type can come from the environment instead (BAL_CONFIG_VAR_<NAME>, Ballerina 2201.9.0+); the
// opt-in fix removes the line and says which variable to export. Values are never printed.
import { removeKey } from '../../src/formats/toml/remove-key.js';
import type { TomlDoc, TomlEntry } from '../../src/formats/toml/locate.js';
import { classifyKey, isPlaceholder, isSecretKey } from '../../src/formats/ballerina/config.js';
import { atLeast } from '../../src/formats/ballerina/project.js';
import { ballerinaFiles, ballerinaProject, CONFIG_TOML, configDoc, TEST_CONFIG_TOML, type BallerinaProject } from '../../src/kit/ballerina.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import type { Finding, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';
import { SOURCES } from '../../src/kit/sources.js';

const ENV_SINCE = '2201.9.0';
const ELSEWHERE =
  'keep it in a separate TOML file outside version control, readable only by the service account (chmod 600), and list it in BAL_CONFIG_FILES (paths separated by ":" on Linux and macOS, ";" on Windows)';

export const biConfigSecrets: Transform = {
  id: 'bi-config-secrets',
  title: 'No plaintext secrets in a Ballerina program\'s Config.toml',
  rationale:
    'Config.toml is copied into images, committed to repositories and readable by anyone who can read the program\'s directory; a password, token or API key written there leaks with it. Ballerina reads a configurable of a simple type from BAL_CONFIG_VAR_<NAME> instead, which a secret store can fill at start-up.',
  severity: 'high',
  fixClass: 'GUIDED',
  sources: [SOURCES.biRuntimeSecurity, SOURCES.ballerinaConfigurables],
  appliesTo: { models: ['ballerina'] },
  files: (product) => ballerinaFiles(product, { tests: true, sources: true }),
  params: [
    {
      name: 'move-secrets',
      description: 'true: remove each plaintext secret that an environment variable can carry from Config.toml, and print the BAL_CONFIG_VAR_ variable to export instead',
      validate: (v) => (v === 'true' || v === 'false' ? undefined : 'must be true or false'),
    },
  ],
  plan(ctx) {
    const project = ballerinaProject(ctx);
    const findings: Finding[] = [];
    const main = configDoc(ctx);
    if (main) findings.push(...scan(this, ctx, project, CONFIG_TOML, main));
    const tests = configDoc(ctx, TEST_CONFIG_TOML);
    if (tests) findings.push(...scan(this, ctx, project, TEST_CONFIG_TOML, tests));
    if (!main && !tests) findings.push(report(this, 'compliant', 'no Config.toml here, so no secret is written in one'));
    return findings;
  },
};

const isSecretEntry = (e: TomlEntry): boolean => e.kind === 'string' && typeof e.value === 'string' && e.value.trim() !== '' && isSecretKey(e.path.at(-1)!);

function scan(t: TransformMeta, ctx: TransformContext, project: BallerinaProject, file: string, doc: TomlDoc): Finding[] {
  const secrets = doc.entries.filter(isSecretEntry);
  if (secrets.length === 0) return [report(t, 'compliant', `${file} holds no secret-named key with a value`, file)];
  return secrets.map((e) => judge(t, ctx, project, file, doc, e));
}

function judge(t: TransformMeta, ctx: TransformContext, project: BallerinaProject, file: string, doc: TomlDoc, e: TomlEntry): Finding {
  const line = lineOf(doc.text, e.keyStart);
  const name = e.path.filter((s) => !/^\d+$/.test(s)).join('.');
  if (isPlaceholder(String(e.value))) {
    return report(t, 'advisory', `${name} holds a placeholder, not a secret; give the real value through the environment or a protected file, never here`, file, line);
  }
  if (file === TEST_CONFIG_TOML) {
    return report(t, 'advisory', `${name} in ${file} is a plaintext credential for \`bal test\` only; make sure it is a test value and never a real one`, file, line);
  }
  const kind = classifyKey(project, e.path, { inline: e.inline, arrayTable: e.table.kind === 'array' });
  const plain = `${name} is a plaintext secret in ${file}`;
  if (kind.kind === 'structured') {
    const users = name.startsWith('ballerina.auth.users') ? ' (the ballerina/auth file user store: prefer an LDAP, JWT or OAuth2 provider for real users)' : '';
    return report(t, 'manual', `${plain}${users}: ${kind.why}, and environment variables carry only simple values, so ${ELSEWHERE}`, file, line);
  }
  if (kind.kind === 'unknown') return report(t, 'manual', `${plain}: ${kind.why}; either ${ELSEWHERE}, or move it to BAL_CONFIG_VAR_<ORG>_<MODULE>_<NAME> if it is a simple configurable`, file, line);
  if (!kind.env) return report(t, 'manual', `${plain}: its name cannot be an environment variable name, so ${ELSEWHERE}`, file, line);
  const envOk = atLeast(project.distribution, ENV_SINCE);
  if (envOk === false) {
    return report(t, 'manual', `${plain}: distribution ${project.distribution} predates BAL_CONFIG_VAR_ variables (${ENV_SINCE}), so ${ELSEWHERE}, or upgrade and use ${kind.env}`, file, line);
  }
  const needs = envOk ? '' : ` (Ballerina ${ENV_SINCE} or later reads it)`;
  if (ctx.param('move-secrets') !== 'true') {
    return report(t, 'manual', `${plain}: supply it as ${kind.env}${needs} instead; --set move-secrets=true removes the line and prints the variable to export`, file, line);
  }
  let edit;
  try {
    edit = removeKey(doc, e);
  } catch (err) {
    return report(t, 'manual', `${plain}: supply it as ${kind.env} and remove the line by hand (${(err as Error).message})`, file, line);
  }
  return fix(
    t,
    file,
    line,
    `${plain}: the line is removed; before the next start run: export ${kind.env}='<the value, not shown here>'${needs}. Without it the program stops if ${name} is required, or silently uses the default written in the code`,
    [edit],
    [{ kind: 'toml-delete', key: e.path }],
  );
}
