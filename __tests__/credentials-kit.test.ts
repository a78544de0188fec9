// The pieces the credential rules share: which rule owns a password key (src/kit/secrets.ts), how several
// deployment.toml settings become minimal edits (src/kit/toml-batch.ts), how Secure Vault's cipher-tool
// lines are read and their XPaths evaluated (src/kit/secure-vault.ts, checked against every shipped
// cipher-tool.properties of the corpus), and how diffs mask Secure Vault's files (src/engine/diff.ts).
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SourceFiles } from '../src/engine/source-files.js';
import { detectProduct, DETECTION_LIST, DETECTION_READ } from '../src/engine/detect.js';
import { readHome } from '../src/io/read-home.js';
import { unifiedDiff } from '../src/engine/diff.js';
import { redact, secretValues } from '../src/run.js';
import { applyEdits } from '../src/formats/text.js';
import { locateToml } from '../src/formats/toml/locate.js';
import { tomlMeaning } from '../src/formats/toml/semantic.js';
import { verifyToml, type TomlIntent } from '../src/formats/toml/semantic.js';
import { tomlConfig } from '../src/kit/deployment-toml.js';
import { aliasFor, isReference, isSecretKey, ownerOf, parseSecretEnv, plaintextPasswords } from '../src/kit/secrets.js';
import { writeSettings } from '../src/kit/toml-batch.js';
import { bracketed, cipherToolPath, parseXPath, profileRoot, splitToolValue, targetsOf, toolLines } from '../src/kit/secure-vault.js';
import { vaultXmlFiles } from '../transforms/secrets-encryption/xml.js';
import type { ProductInfo, TransformContext } from '../src/engine/types.js';
import { corpusRoot, hasCorpus } from './helpers/corpus.js';

const TOML_PRODUCT: ProductInfo = { id: 'wso2am', name: 'WSO2 API Manager', version: '4.2.0', kernel: '4.8.1', model: 'toml', confDirs: ['repository/conf'], binDirs: ['bin'], evidence: [], generated: [] };

function ctxFor(toml: string, params: Record<string, string> = {}, defaults = '{}'): TransformContext {
  const files = new SourceFiles([
    { path: 'repository/conf/deployment.toml', text: toml, encoding: 'utf8', bom: false },
    { path: 'repository/resources/conf/default.json', text: defaults, encoding: 'utf8', bom: false },
  ]);
  const options = { policy: undefined as never, params };
  return { product: TOML_PRODUCT, files, options, param: (n) => params[n] };
}

describe('which credential rule owns a password key', () => {
  const TOML = `[super_admin]\npassword = "admin"\n[keystore.primary]\nfile_name = "wso2carbon.jks"\npassword = "wso2carbon"\n[truststore]\npassword = "wso2carbon"\n[database.shared_db]\npassword = "x1"\n`;
  const owner = (key: string, value: string, params: Record<string, string> = {}, toml = TOML): string => {
    const ctx = ctxFor(toml, params);
    return ownerOf(ctx, tomlConfig(ctx)!, key, value);
  };

  it('gives shipped defaults to the default-credential rules and everything else to encryption', () => {
    expect(owner('super_admin.password', 'admin')).toBe('default-admin-credentials');
    expect(owner('keystore.primary.password', 'wso2carbon')).toBe('default-keystore');
    expect(owner('keystore.tls.key_password', 'anything')).toBe('default-keystore'); // tls follows primary, still the shipped file
    expect(owner('truststore.password', 'wso2carbon')).toBe('default-keystore');
    expect(owner('database.shared_db.password', 'x1')).toBe('secrets-encryption');
    expect(owner('super_admin.password', 'Sp3cial')).toBe('secrets-encryption');
  });

  it('lets an explicit parameter decide, except for a keystore that is still the shipped one', () => {
    expect(owner('super_admin.password', 'Sp3cial', { 'admin-password-env': 'A' })).toBe('default-admin-credentials');
    expect(owner('super_admin.password', 'admin', { 'secret-env': 'super_admin.password=A' })).toBe('secrets-externalize');
    expect(owner('super_admin.password', 'admin', { 'secret-env': 'super_admin.password=A', 'admin-password-env': 'B' })).toBe('default-admin-credentials');
    expect(owner('keystore.primary.password', 'wso2carbon', { 'secret-env': 'keystore.primary.password=K' })).toBe('default-keystore');
    expect(owner('truststore.password', 'wso2carbon', { 'secret-env': 'truststore.password=T' })).toBe('secrets-externalize');
    expect(owner('truststore.password', 'Own', { 'truststore-password-env': 'T' })).toBe('default-keystore');
    const own = TOML.replace('file_name = "wso2carbon.jks"', 'file_name = "node.p12"');
    expect(owner('keystore.primary.password', 'wso2carbon', {}, own)).toBe('secrets-encryption');
    expect(owner('keystore.internal.password', 'x', {}, own)).toBe('secrets-encryption');
  });
});

describe('password keys, references and aliases', () => {
  it('reads password-named keys and leaves references, [secrets] and [runtime_secrets] alone', () => {
    const doc = locateToml(
      `a.password = "p1"\nb.key_password = '$env{K}'\nc.client_secret = "p2"\nd.keystorePass = "\${admin.password}"\ne.bypass = "x"\nf.password = ""\n[runtime_secrets]\nenable = "true"\n[secrets]\nx_password = "[p3]"\n`,
    );
    expect(plaintextPasswords(doc).map((s) => s.key)).toEqual(['a.password', 'c.client_secret']);
    expect(['password', 'key_password', 'ConnectionPassword', 'client_secret', 'keystorePass', 'passwd'].every(isSecretKey)).toBe(true);
    expect(['bypass', 'password_policy', 'hash', 'secret_key'].some(isSecretKey)).toBe(false);
    for (const ref of ['$secret{a}', '$env{A_B}', '$sys{a.b}', '$ref{a.b}', '${admin.password}', '{{ .Values.pw }}', '<%= @pw %>']) expect(isReference(ref)).toBe(true);
    expect(isReference('wso2carbon')).toBe(false);
  });

  it('parses --set secret-env and refuses passwords where variable names belong', () => {
    expect(parseSecretEnv("super_admin.password=ADMIN_PW, 'a.b'.c.password=X")).toEqual(new Map([['super_admin.password', 'ADMIN_PW'], ["'a.b'.c.password", 'X']]));
    expect(parseSecretEnv('super_admin.password=hunter 2')).toMatch(/environment variable name/);
    expect(parseSecretEnv('super_admin.password')).toMatch(/not key=ENV_NAME/);
    expect(parseSecretEnv('a.password=X,a.password=Y')).toMatch(/twice/);
  });

  it('makes bare, unique aliases from key paths', () => {
    expect(aliasFor(['database', 'shared_db', 'password'], new Set())).toBe('database_shared_db_password');
    expect(aliasFor(['internal_apis', 'users', '0', 'user', 'password'], new Set())).toBe('internal_apis_users_0_user_password');
    expect(aliasFor(['a.b', 'password'], new Set(['a_b_password']))).toBe('a_b_password_2');
  });
});

describe('writeSettings', () => {
  const toml = `[server]\nhostname = "localhost"\n\n[keystore.tls]\nfile_name = "wso2carbon.jks"\npassword = "wso2carbon"\n\n[secrets]\nold = "[kept]"\n`;
  const ctx = ctxFor(toml);
  const config = tomlConfig(ctx)!;
  const w = writeSettings(config, [
    { canonical: 'keystore.tls.file_name', writeAs: ['keystore', 'tls', 'file_name'], value: 'n.p12' },
    { canonical: 'keystore.primary.file_name', writeAs: ['keystore', 'primary', 'file_name'], value: 'n.p12' },
    { canonical: 'keystore.primary.alias', writeAs: ['keystore', 'primary', 'alias'], value: 'n' },
    { path: ['server', 'offset'], value: 1 },
  ]);
  const after = applyEdits(toml, w.edits);

  it('puts keys bound for the same new table under one header, before [secrets]', () => {
    expect(after).toBe(
      `[server]\nhostname = "localhost"\noffset = 1\n\n[keystore.tls]\nfile_name = "n.p12"\npassword = "wso2carbon"\n\n[keystore.primary]\nfile_name = "n.p12"\nalias = "n"\n\n[secrets]\nold = "[kept]"\n`,
    );
    expect(verifyToml(toml, after, w.intents as TomlIntent[])).toBeUndefined();
  });

  it('never spans text it does not change (so no report repeats an untouched [secrets] line)', () => {
    for (const e of w.edits) expect(toml.slice(e.start, e.end)).not.toContain('\n');
    expect(w.edits.some((e) => e.text.includes('[kept]'))).toBe(false);
  });

  it('puts a new [secrets] after every other new table', () => {
    const bare = `[server]\nhostname = "localhost"\n`;
    const c = tomlConfig(ctxFor(bare))!;
    const out = applyEdits(bare, writeSettings(c, [{ path: ['secrets', 'a_password'], value: '[p]' }, { path: ['database', 'x', 'password'], value: '$secret{a_password}' }]).edits);
    expect(out).toBe(`${bare}\n[database.x]\npassword = "$secret{a_password}"\n\n[secrets]\na_password = "[p]"\n`);
    expect(tomlMeaning(out)).toEqual({ server: { hostname: 'localhost' }, secrets: { a_password: '[p]' }, database: { x: { password: '$secret{a_password}' } } });
  });
});

describe('Secure Vault files', () => {
  it('splits cipher-tool values the way CipherTool does', () => {
    expect(splitToolValue('repository/conf/tomcat/catalina-server.xml//Server/Service/Connector[@keystorePass],true')).toEqual({
      file: 'repository/conf/tomcat/catalina-server.xml',
      xpath: '//Server/Service/Connector[@keystorePass]',
      attribute: 'keystorePass',
    });
    expect(splitToolValue("conf/x.xml//a/b[name='N']/c,false")).toEqual({ file: 'conf/x.xml', xpath: "//a/b[name='N']/c", attribute: undefined });
    expect(parseXPath('//a/b[@x]/c[@y="1"]/d[n=\'v\']')).toHaveLength(4);
    expect(parseXPath('//a/b[position()=1]')).toBeUndefined();
    expect(bracketed('[a]b]')).toBe('a');
    expect(bracketed('ciphertext==')).toBeUndefined();
    expect(['repository/conf', 'conf', 'wso2/broker/conf'].map(profileRoot)).toEqual(['', '', 'wso2/broker']);
  });

  (hasCorpus ? it : it.skip)('every active alias of every shipped cipher-tool.properties points at its element when harden reads the file', () => {
    let resolved = 0;
    for (const label of ['apim-2.6.0', 'esb-5.0.0', 'ei-6.6.0', 'is-5.4.1']) {
      const home = join(corpusRoot, label);
      const probe = readHome(home, DETECTION_READ, DETECTION_LIST);
      const product = detectProduct(probe);
      const files = readHome(home, product.confDirs.flatMap((d) => [cipherToolPath(d), ...vaultXmlFiles(d)]), [], probe);
      const ctx = { product, files, options: { params: {} }, param: () => undefined } as unknown as TransformContext;
      for (const dir of product.confDirs) {
        const tool = files.get(cipherToolPath(dir));
        if (!tool) continue;
        for (const line of toolLines(tool.text).filter((l) => l.entry)) {
          const hit = targetsOf(ctx, profileRoot(dir), line);
          if (!hit) continue; // a file harden does not read (broker.xml) or has no copy of
          expect({ label, alias: line.alias, found: hit.targets.length }).toEqual({ label, alias: line.alias, found: 1 });
          resolved++;
        }
      }
    }
    expect(resolved).toBeGreaterThanOrEqual(30);
  });

  it('diffs mask every cipher-text.properties entry (CRLF kept) and no cipher-tool.properties line', () => {
    const text = 'Plain.Alias=[old]\r\nOther=[keep]\r\n';
    const d = unifiedDiff('repository/conf/security/cipher-text.properties', text, `${text}New.Alias=[Zq-fresh-value]\r\n`);
    expect(d.text).not.toMatch(/old|keep|Zq-fresh/);
    expect(d.text).toContain('+New.Alias=********\r');
    expect(d.redacted).toBe(true);
    const tool = "A.Password=repository/conf/carbon.xml//Server/Security/KeyStore/Password,false\n";
    const t = unifiedDiff('repository/conf/security/cipher-tool.properties', tool, `${tool}B.Password=conf/x.xml//a/b,false\n`);
    expect(t.text).toContain('+B.Password=conf/x.xml//a/b,false');
    expect(t.redacted).toBe(false);
    const toml = '[secrets]\r\nold = "[kept-value]"\r\n';
    const s = unifiedDiff('repository/conf/deployment.toml', toml, `${toml}plain = "[new-value]"\r\n`);
    expect(s.text).not.toMatch(/kept-value|new-value/);
    expect(s.text).toContain('+plain = ********\r');
  });

  (hasCorpus ? it : it.skip)('the wild-2 cipher-text.properties (a custom keystore password) is masked whole in a diff', () => {
    const path = join(corpusRoot, 'wild-2/repository/conf/security/cipher-text.properties');
    if (!existsSync(path)) return;
    const text = readFileSync(path, 'utf8');
    const d = unifiedDiff('repository/conf/security/cipher-text.properties', text, text.replace('Carbon.Security.KeyStore.Password=', 'Carbon.Security.KeyStore.Password=x'));
    expect(d.text).not.toContain('Devops2019');
  });

  it('messages are scrubbed of the password inside "[…]", in [secrets] and in cipher-text.properties whatever the alias', () => {
    const files = new SourceFiles([
      { path: 'repository/conf/security/cipher-text.properties', text: 'Odd.Alias=[Zq-vault-inner]\r\n', encoding: 'utf8', bom: false },
      { path: 'repository/conf/deployment.toml', text: '[secrets]\nplain = "[Zq-toml-inner]"\n', encoding: 'utf8', bom: false },
    ]);
    const secrets = secretValues(files);
    expect(secrets).toEqual(expect.arrayContaining(['Zq-vault-inner', 'Zq-toml-inner']));
    expect(redact('quoted Zq-vault-inner and Zq-toml-inner', secrets, false)).toBe('quoted ******** and ********');
  });
});
