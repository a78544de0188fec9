// The credential rules (default-admin-credentials, default-keystore, secrets-externalize, secrets-encryption)
// move, re-point and copy passwords, so they are where a leak would come from. A distinctive password is
// planted in every place they read — [super_admin], databases, keystores, the truststore, an [[array]]
// element, [secrets], default.json, user-mgt.xml, master-datasources.xml, carbon.xml, catalina, axis2,
// cipher-text.properties — and every output is scanned for it and for any 6-character piece of it: check
// in every report format, fix --dry-run (text, json, sarif), plan --out (the file itself), show, fix
// --yes, check afterwards. Then the files: in deployment.toml the fixes move the value (never copy it),
// and the only new copies harden ever makes are the Secure Vault input lines of cipher-text.properties.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from './helpers/capture.js';
import { snapshotTree } from './helpers/homes.js';

const SECRET = 'Pw-PLANTED-9x7q-c3rt';
const pieces = Array.from({ length: SECRET.length - 5 }, (_, i) => SECRET.slice(i, i + 6));
const RULES = ['--only', 'default-admin-credentials', '--only', 'default-keystore', '--only', 'secrets-externalize', '--only', 'secrets-encryption'];

const root = mkdtempSync(join(tmpdir(), 'harden-credentials-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let serial = 0;

function home(files: Record<string, string>): string {
  const dir = join(root, `h${++serial}`);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const TOML = `[server]
hostname = "localhost"

[super_admin]
username = "admin"
password = "${SECRET}"

[database.apim_db]
url = "jdbc:mysql://db:3306/apim"
password = "${SECRET}"

[keystore.tls]
file_name = "wso2carbon.jks"
password = "${SECRET}"
key_password = '${SECRET}'

[truststore]
password = "${SECRET}"

[[apim.gateway.environment]]
name = "Default"
password = "${SECRET}"

[secrets]
older = "[${SECRET}]"
`;

const tomlHome = (): string =>
  home({
    'bin/version.txt': 'WSO2 API Manager v4.2.0\n',
    'repository/conf/deployment.toml': TOML,
    'repository/resources/conf/default.json': `{\n  "keystore.primary.password": "${SECRET}",\n  "server.blocking.password": "${SECRET}"\n}\n`,
  });

const xmlHome = (): string =>
  home({
    'bin/version.txt': 'WSO2 API Manager v2.6.0\n',
    'repository/conf/user-mgt.xml': `<UserManager><Realm><Configuration><AdminUser><UserName>admin</UserName><Password>${SECRET}</Password></AdminUser></Configuration></Realm></UserManager>\n`,
    'repository/conf/carbon.xml': `<Server xmlns="http://wso2.org/projects/carbon/carbon.xml">
    <Security>
        <KeyStore>
            <Location>\${carbon.home}/repository/resources/security/node.p12</Location>
            <Password>${SECRET}</Password>
        </KeyStore>
        <TrustStore>
            <Location>\${carbon.home}/repository/resources/security/client-truststore.jks</Location>
            <Password>${SECRET}</Password>
        </TrustStore>
    </Security>
</Server>
`,
    'repository/conf/tomcat/catalina-server.xml': `<Server><Service><Connector port="9443" keystoreFile="\${carbon.home}/repository/resources/security/wso2carbon.jks" keystorePass="${SECRET}"/></Service></Server>\n`,
    'repository/conf/axis2/axis2.xml': `<axisconfig>
    <transportReceiver name="https" class="org.apache.synapse.transport.passthru.PassThroughHttpSSLListener">
        <parameter name="keystore" locked="false">
            <KeyStore>
                <Location>repository/resources/security/node.p12</Location>
                <Password>${SECRET}</Password>
                <KeyPassword>${SECRET}</KeyPassword>
            </KeyStore>
        </parameter>
    </transportReceiver>
</axisconfig>
`,
    'repository/conf/datasources/master-datasources.xml': `<datasources-configuration>
    <datasources>
        <datasource>
            <name>WSO2_CARBON_DB</name>
            <definition type="RDBMS"><configuration><password>${SECRET}</password></configuration></definition>
        </datasource>
        <datasource>
            <name>WSO2AM_DB</name>
            <definition type="RDBMS"><configuration><password>${SECRET}</password></configuration></definition>
        </datasource>
    </datasources>
</datasources-configuration>
`,
    'repository/conf/security/cipher-tool.properties': `UserManager.AdminUser.Password=repository/conf/user-mgt.xml//UserManager/Realm/Configuration/AdminUser/Password,false
Carbon.Security.KeyStore.Password=repository/conf/carbon.xml//Server/Security/KeyStore/Password,false
Datasources.WSO2_CARBON_DB.Configuration.Password=repository/conf/datasources/master-datasources.xml//datasources-configuration/datasources/datasource[name='WSO2_CARBON_DB']/definition[@type='RDBMS']/configuration/password,false
`,
    'repository/conf/security/cipher-text.properties': `Datasources.WSO2_CARBON_DB.Configuration.Password=[${SECRET}]\r\n`,
  });

const PARAMS = [
  ['admin-password-env', 'ADMIN_PW'],
  ['keystore-file', 'node.p12'],
  ['keystore-alias', 'node'],
  ['keystore-password-env', 'KEYSTORE_PW'],
  ['truststore-password-env', 'TRUSTSTORE_PW'],
  ['secret-env', 'apim.gateway.environment.0.password=GATEWAY_PW,server.blocking.password=BLOCKING_PW'],
].flatMap(([k, v]) => ['--set', `${k}=${v}`]);

const count = (text: string): number => text.split(SECRET).length - 1;

/** Every output, labelled; the plan file is read back as one more. */
async function outputs(dir: string, extra: string[]): Promise<{ label: string; text: string }[]> {
  const out: { label: string; text: string }[] = [];
  const run = async (args: string[]): Promise<number> => {
    const r = await runCli([...args, ...RULES, ...extra]);
    out.push({ label: `${args.join(' ')} (stdout)`, text: r.stdout }, { label: `${args.join(' ')} (stderr)`, text: r.stderr });
    return r.code;
  };
  for (const format of ['text', 'json', 'sarif', 'junit', 'html']) await run(['check', dir, '--verbose', '--format', format]);
  for (const format of ['text', 'json', 'sarif']) await run(['fix', dir, '--dry-run', '--format', format]);
  const planFile = join(root, `plan-${serial}.json`);
  await run(['plan', dir, '--out', planFile]);
  out.push({ label: 'plan file', text: readFileSync(planFile, 'utf8') });
  for (const format of ['text', 'html']) {
    const r = await runCli(['show', planFile, '--format', format]);
    out.push({ label: `show ${format}`, text: r.stdout + r.stderr });
  }
  expect(await run(['fix', dir, '--yes'])).toBeLessThan(2);
  await run(['check', dir, '--verbose', '--format', 'json']);
  return out;
}

function expectNoLeak(all: { label: string; text: string }[]): void {
  expect(all.length).toBeGreaterThan(10);
  for (const { label, text } of all) {
    const leaked = pieces.filter((p) => text.includes(p));
    expect({ label, leaked }).toEqual({ label, leaked: [] });
  }
}

describe('credential rules never print a password', () => {
  it.each([
    ['deployment.toml home, only the Secure Vault opt-in (secrets-encryption moves what it owns)', tomlHome, ['--set', 'secure-vault=prepare']],
    ['deployment.toml home, every parameter (admin, keystore, truststore, secret-env)', tomlHome, PARAMS],
    ['Carbon 4.4 XML home (Secure Vault)', xmlHome, ['--set', 'secure-vault=prepare']],
  ])('%s', async (_label, make, extra) => {
    const dir = make();
    const before = snapshotTree(dir);
    const all = await outputs(dir, extra as string[]);
    expectNoLeak(all);
    const after = snapshotTree(dir);
    // The fix did something, so the outputs above were about real edits.
    expect([...after].some(([p, b]) => !before.get(p)?.equals(b))).toBe(true);
    for (const [path, bytes] of after) {
      const was = count(before.get(path)?.toString('utf8') ?? '');
      const now = count(bytes.toString('utf8'));
      // deployment.toml: moved into [secrets] or replaced by a reference, never copied. Secure Vault's input
      // file is the one place a copy is made (the value is already in the XML; the cipher tool encrypts it).
      if (path.endsWith('cipher-text.properties')) expect(now).toBeGreaterThan(was);
      else expect({ path, now }).toEqual({ path, now: Math.min(was, now) });
    }
  });

  it('the plaintext moves into [secrets], which stays the last table, and every key it left reads a reference', async () => {
    const dir = tomlHome();
    expect((await runCli(['fix', dir, '--yes', ...RULES, '--set', 'secure-vault=prepare'])).code).toBeLessThan(2);
    const toml = readFileSync(join(dir, 'repository/conf/deployment.toml'), 'utf8');
    const tables = [...toml.matchAll(/^\[([^\]]+)\]/gm)].map((m) => m[1]);
    expect(tables.at(-1)).toBe('secrets');
    // Outside [secrets], no key holds the password any more except those another rule owns and needs input for.
    const outside = toml.slice(0, toml.indexOf('[secrets]'));
    expect(outside).toContain('password = "$secret{super_admin_password}"');
    expect(outside).toContain('password = "$secret{database_apim_db_password}"');
    expect(toml.slice(toml.indexOf('[secrets]'))).toContain(`super_admin_password = "[${SECRET}]"`);
  });
});
