// Secrets are never printed. A distinctive secret is planted in every configuration file of a home —
// keystorePass/truststorePass, <Password>/<KeyPassword>, <parameter name="…Password">, -D…Password=
// flags in the start scripts, deployment.toml password = "…" and every [secrets] entry, the product's
// default.json — next to the lines harden changes, and every output of every command is scanned for it
// (and for any 6-character piece of it): check, fix --dry-run, fix --yes, history, rollback, and the
// error paths (a parser failing right at the secret).
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type Ran } from '../helpers/capture.js';
import { cleanupTemps } from '../helpers/homes.js';
import { AXIS2, CARBON, CATALINA, edit, exampleHome, runBuilt } from './helpers.js';

afterAll(cleanupTemps);

const SECRET = 'Zq9-PLANTED-s3cr3t';
const pieces = Array.from({ length: SECRET.length - 5 }, (_, i) => SECRET.slice(i, i + 6));

/** Every output a run produced, labelled, for a readable failure. */
const outputs: { label: string; text: string }[] = [];
function collect(label: string, r: Ran | { stdout: string; stderr: string }): void {
  outputs.push({ label: `${label} (stdout)`, text: r.stdout }, { label: `${label} (stderr)`, text: r.stderr });
}
function expectNoSecret(): void {
  expect(outputs.length).toBeGreaterThan(0);
  for (const { label, text } of outputs.splice(0)) {
    const leaked = pieces.filter((p) => text.includes(p));
    expect({ label, leaked }).toEqual({ label, leaked: [] });
  }
}

/** The example API Manager 2.6 home with the secret next to every line a fix changes. */
function xmlHomeWithSecrets(): string {
  const home = exampleHome();
  edit(home, CATALINA, 'keystorePass="wso2carbon"', `keystorePass="${SECRET}"`);
  edit(home, CATALINA, 'sslEnabledProtocols="TLSv1,TLSv1.1,TLSv1.2"', `truststorePass="${SECRET}" sslEnabledProtocols="TLSv1,TLSv1.1,TLSv1.2"`);
  edit(home, CATALINA, /(\n\s+)server="WSO2 Carbon Server"/, `$1certificateKeystorePassword='${SECRET}'$1server="WSO2 Carbon Server"`);
  edit(home, CARBON, '<Password>wso2carbon</Password>', `<Password>${SECRET}</Password>`);
  edit(home, CARBON, '<KeyPassword>wso2carbon</KeyPassword>', `<KeyPassword>${SECRET}</KeyPassword>`);
  edit(home, CARBON, '<Offset>0</Offset>', `<Offset>0</Offset><!-- <Password>${SECRET}</Password> -->`);
  for (let i = 0; i < 4; i++) edit(home, AXIS2, '<Password>wso2carbon</Password>', `<Password>${SECRET}</Password>`);
  edit(home, AXIS2, /<\/TrustStore>\n(\s+)<\/parameter>/, `</TrustStore>\n$1</parameter>\n$1<parameter name="truststorePassword">${SECRET}</parameter>`);
  edit(home, 'bin/wso2server.sh', '    -Dfile.encoding=UTF8 \\', `    -Dfile.encoding=UTF8 \\\n    -Djavax.net.ssl.trustStorePassword=${SECRET} \\`);
  edit(home, 'bin/wso2server.bat', '-Dhttpclient.hostnameVerifier=AllowAll', `-Dhttpclient.hostnameVerifier=AllowAll -Djavax.net.ssl.keyStorePassword="${SECRET}"`);
  edit(home, 'repository/conf/tomcat/carbon/WEB-INF/web.xml', '<param-name>hstsEnabled</param-name>', `<param-name>hstsEnabled</param-name><!-- token=${SECRET} -->`);
  return home;
}

const TOML = `[server]
hostname = "localhost"
offset = 0

[secrets]
admin_password = "[${SECRET}]"
database = "[${SECRET}]"
[super_admin]
username = "admin"
password = "${SECRET}"

[transport.https.properties]
server = "WSO2 Carbon Server"
keystorePass = "${SECRET}"

[keystore.primary]
file_name = "wso2carbon.jks"
password = "${SECRET}"
key_password = '${SECRET}'

[transport.passthru_https.sender.parameters]
HttpsProtocols = "TLSv1,TLSv1.1,TLSv1.2"
[apim.key_manager]
client_secret = "${SECRET}"
`;

/** An API Manager 4.2 deployment.toml home with the secret next to every line a fix changes. */
function tomlHomeWithSecrets(toml = TOML): string {
  const home = exampleHome();
  rmSync(join(home, 'repository'), { recursive: true });
  mkdirSync(join(home, 'repository/conf'), { recursive: true });
  mkdirSync(join(home, 'repository/resources/conf'), { recursive: true });
  writeFileSync(join(home, 'bin/version.txt'), 'WSO2 API Manager v4.2.0\n');
  writeFileSync(join(home, 'bin/wso2carbon-version.txt'), 'WSO2 Carbon Framework v4.8.1\n');
  writeFileSync(join(home, 'repository/conf/deployment.toml'), toml);
  writeFileSync(join(home, 'repository/resources/conf/default.json'), `{\n  "keystore.primary.password": "${SECRET}",\n  "server.offset": "0"\n}\n`);
  return home;
}

describe('a planted secret appears in no output', () => {
  it.each([
    ['XML-model home', xmlHomeWithSecrets],
    ['deployment.toml home', (): string => tomlHomeWithSecrets()],
  ])('%s: check, fix --dry-run, fix --yes, history, rollback (refused, then forced)', async (_label, make) => {
    const home = make();
    for (const args of [['check', home], ['check', home, '--verbose'], ['fix', home, '--dry-run'], ['fix', home, '--dry-run', '--set', 'port-offset=1']]) {
      const r = await runCli(args);
      expect(r.code).toBe(1);
      collect(args.join(' '), r);
    }
    if (make === xmlHomeWithSecrets) {
      // The .bat's one long java line carries a secret and changes: the diff shows the change, masked.
      const dry = await runCli(['fix', home, '--dry-run', '--set', 'port-offset=1']);
      expect(dry.stdout).toContain('-Djavax.net.ssl.keyStorePassword=********');
      expect(dry.stderr).toContain('masked: bin/wso2server.bat');
    }
    const fix = await runCli(['fix', home, '--yes', '--set', 'port-offset=1']);
    expect(fix.code).toBeLessThan(2);
    collect('fix --yes', fix);
    collect('check after the fix', await runCli(['check', home, '--verbose']));
    collect('history', await runCli(['history', home]));
    // Someone edits a secret line after the fix: rollback refuses, naming the file, not the line.
    const [file, from] = make === xmlHomeWithSecrets ? [CATALINA, 'keystorePass="'] : ['repository/conf/deployment.toml', 'keystorePass = "'];
    edit(home, file, from, `${from}x`);
    const refused = await runCli(['rollback', home]);
    expect(refused.code).toBe(2);
    collect('rollback (refused)', refused);
    const forced = await runCli(['rollback', home, '--force']);
    expect(forced.code).toBe(0);
    collect('rollback --force', forced);
    collect('history after rollback', await runCli(['history', home]));
    expectNoSecret();
  });

  it('the interrupted-run notices and stale-lock messages', async () => {
    const home = xmlHomeWithSecrets();
    const killed = runBuilt(['fix', home, '--yes'], { env: { HARDEN_TEST_CRASH_AFTER: 'rename:1' } });
    expect(killed.signal).toBe('SIGKILL');
    collect('killed run', killed);
    collect('recovering run', await runCli(['fix', home, '--yes']));
    expectNoSecret();
  });

  describe('error paths: a parser fails right at the secret', () => {
    it.each([
      ['an unterminated attribute value', (h: string) => edit(h, CATALINA, `keystorePass="${SECRET}"`, `keystorePass="${SECRET}`)],
      ['an unquoted attribute value', (h: string) => edit(h, CATALINA, `keystorePass="${SECRET}"`, `keystorePass=${SECRET}`)],
      ['a secret in an entity-like name', (h: string) => edit(h, CARBON, `<Password>${SECRET}</Password>`, `<Password>&${SECRET};</Password>`)],
      ['a secret with a bare ampersand', (h: string) => edit(h, CARBON, `<Password>${SECRET}</Password>`, `<Password>a&${SECRET}</Password>`)],
      ['a secret closing the wrong element', (h: string) => edit(h, CARBON, `<Password>${SECRET}</Password>`, `<Password>${SECRET}</${SECRET}>`)],
      ['text after the root element', (h: string) => writeFileSync(join(h, AXIS2), `<axisconfig/>\n${SECRET}\n`)],
      ['a secret in a malformed start script line', (h: string) => edit(h, 'bin/wso2server.sh', '    -Dfile.encoding=UTF8 \\', `    -Dfile.encoding=UTF8 \\\n    "-Dx.password=${SECRET}`)],
    ])('XML home: %s', async (_what, breakIt) => {
      const home = xmlHomeWithSecrets();
      breakIt(home);
      for (const args of [['check', home], ['fix', home, '--dry-run'], ['fix', home, '--yes']]) collect(`${_what}: ${args[0]}`, await runCli(args));
      expectNoSecret();
    });

    it.each([
      ['an unterminated string', TOML.replace(`password = "${SECRET}"`, `password = "${SECRET}`)],
      ['an invalid escape', TOML.replace(`password = "${SECRET}"`, `password = "${SECRET.slice(0, 5)}\\q${SECRET.slice(5)}"`)],
      ['an unquoted value', TOML.replace(`password = "${SECRET}"`, `password = ${SECRET}`)],
      ['a secret as a table name defined twice', `${TOML}\n[${SECRET}]\na = 1\n[${SECRET}]\nb = 2\n`],
      ['a [secrets] table defined twice', `${TOML}\n[secrets]\nother = "[${SECRET}]"\n`],
    ])('deployment.toml home: %s', async (_what, toml) => {
      const home = tomlHomeWithSecrets(toml);
      for (const args of [['check', home], ['fix', home, '--yes']]) {
        const r = await runCli(args);
        expect(r.code).toBe(2);
        collect(`${_what}: ${args[0]}`, r);
      }
      expectNoSecret();
    });

    it("the product's default.json does not parse (V8 quotes JSON it cannot parse)", async () => {
      const home = tomlHomeWithSecrets();
      writeFileSync(join(home, 'repository/resources/conf/default.json'), `{"keystore.primary.password": ${SECRET}}`);
      const r = await runCli(['fix', home, '--yes']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('repository/resources/conf/default.json: is not valid JSON');
      collect('default.json', r);
      expectNoSecret();
    });
  });
});
