// Config.toml as the Ballerina runtime reads it: secret-named keys, the BAL_CONFIG_VAR_ name EnvVarProvider
// computes, and which tables are modules (simple variables) and which are records (no environment variable).
import { describe, expect, it } from '@jest/globals';
import { classifyKey, configurablePaths, envVarName, isPlaceholder, isSecretConfigLine, isSecretKey, keyWords, type ProjectInfo } from './config.js';
import { readDependencies, readPackage } from './project.js';

describe('secret-named keys', () => {
  it('judges a key by its last word', () => {
    const secret = ['password', 'dbPassword', 'keyStorePassword', 'keystorePass', 'clientSecret', 'client_secret', 'apiKey', 'api-key', 'secretKey', 'privateKey', 'accessToken', 'sheetsAccessToken', 'githubPAT', 'token', 'pwd', 'passphrase'];
    const not = ['username', 'user', 'tokenUrl', 'tokenEndpoint', 'passwordPolicy', 'keyFile', 'key', 'spreadSheetId', 'enableBasicAuth', 'path', 'bypass', 'tokenType', 'keyAlias'];
    expect(secret.filter((k) => !isSecretKey(k))).toEqual([]);
    expect(not.filter((k) => isSecretKey(k))).toEqual([]);
    expect(keyWords('githubPAT')).toEqual(['github', 'pat']);
    expect(keyWords('HTTPSProxyPassword')).toEqual(['https', 'proxy', 'password']);
  });

  it('finds secret lines of Config.toml, inline tables and quoted keys included, never comments or headers', () => {
    expect(isSecretConfigLine('apiKey = "abc"')).toBe(true);
    expect(isSecretConfigLine('  "githubPAT"="x"')).toBe(true);
    expect(isSecretConfigLine('admin = {username = "admin", password = "p"}')).toBe(true);
    expect(isSecretConfigLine('db.password = "p"')).toBe(true);
    expect(isSecretConfigLine('# password = "p"')).toBe(false);
    expect(isSecretConfigLine('[ballerina.password]')).toBe(false);
    expect(isSecretConfigLine('tokenUrl = "https://idp/token"')).toBe(false);
  });

  it('knows a placeholder from a value', () => {
    expect(isPlaceholder('<GitHub personal access token>')).toBe(true);
    expect(isPlaceholder('[PASSWORD]')).toBe(true);
    expect(isPlaceholder('Test@123')).toBe(false);
    expect(isPlaceholder('<a>b')).toBe(false);
  });
});

describe('BAL_CONFIG_VAR_ names (EnvVarProvider: prefix + org_module_variable | module_variable | variable)', () => {
  it('upper-cases as written, dots become underscores, no camelCase splitting', () => {
    expect(envVarName([], 'dbPassword')).toBe('BAL_CONFIG_VAR_DBPASSWORD');
    expect(envVarName(['sampleorg', 'courses'], 'app_port')).toBe('BAL_CONFIG_VAR_SAMPLEORG_COURSES_APP_PORT');
    expect(envVarName(['orders', 'db'], 'password')).toBe('BAL_CONFIG_VAR_ORDERS_DB_PASSWORD');
    expect(envVarName(['myorg', 'pkg.mod'], 'x')).toBe('BAL_CONFIG_VAR_MYORG_PKG_MOD_X');
    expect(envVarName([], 'my-key')).toBeUndefined();
  });
});

const info = (over: Partial<ProjectInfo> = {}): ProjectInfo => ({
  pkg: readPackage('[package]\norg = "wso2"\nname = "orders"\nversion = "0.1.0"\n'),
  deps: undefined,
  submodules: ['db'],
  ...over,
});
const plainKey = { inline: false, arrayTable: false };

describe('classifyKey', () => {
  it('top-level keys and module tables are variables, with the env name mirroring how Config.toml spells them', () => {
    expect(classifyKey(info(), ['dbPassword'], plainKey)).toEqual({ kind: 'variable', module: [], env: 'BAL_CONFIG_VAR_DBPASSWORD' });
    expect(classifyKey(info(), ['wso2', 'orders', 'apiKey'], plainKey)).toMatchObject({ env: 'BAL_CONFIG_VAR_WSO2_ORDERS_APIKEY' });
    expect(classifyKey(info(), ['orders', 'db', 'password'], plainKey)).toMatchObject({ env: 'BAL_CONFIG_VAR_ORDERS_DB_PASSWORD' });
    expect(classifyKey(info(), ['wso2', 'orders', 'db', 'password'], plainKey)).toMatchObject({ env: 'BAL_CONFIG_VAR_WSO2_ORDERS_DB_PASSWORD' });
  });

  it('inline tables, arrays of tables, dotted keys and record tables are structured', () => {
    expect(classifyKey(info(), ['admin', 'password'], { inline: true, arrayTable: false }).kind).toBe('structured');
    expect(classifyKey(info(), ['ballerina', 'auth', 'users', '0', 'password'], { inline: false, arrayTable: true }).kind).toBe('structured');
    expect(classifyKey(info(), ['db', 'password'], plainKey)).toMatchObject({ kind: 'structured', why: expect.stringContaining('db of the root module') });
    expect(classifyKey(info(), ['wso2', 'orders', 'dbConfig', 'password'], plainKey)).toMatchObject({ kind: 'structured', why: expect.stringContaining('dbConfig of module wso2.orders') });
  });

  it('Dependencies.toml names every module: a library module is a variable, a table under it a record', () => {
    const deps = readDependencies(`[ballerina]
dependencies-toml-version = "2"
distribution-version = "2201.12.0"

[[package]]
org = "ballerinax"
name = "mysql"
version = "1.13.1"
modules = [{org = "ballerinax", packageName = "mysql", moduleName = "mysql"}, {org = "ballerinax", packageName = "mysql", moduleName = "mysql.driver"}]
`);
    expect(classifyKey(info({ deps }), ['ballerinax', 'mysql', 'driver', 'token'], plainKey)).toMatchObject({ kind: 'variable', env: 'BAL_CONFIG_VAR_BALLERINAX_MYSQL_DRIVER_TOKEN' });
    expect(classifyKey(info({ deps }), ['ballerina', 'http', 'defaultListenerConfig', 'secureSocket', 'key', 'password'], plainKey).kind).toBe('structured');
  });

  it('without Ballerina.toml only top-level keys and library default modules are sure', () => {
    const none: ProjectInfo = { pkg: undefined, deps: undefined, submodules: [] };
    expect(classifyKey(none, ['password'], plainKey).kind).toBe('variable');
    expect(classifyKey(none, ['ballerinax', 'foo', 'apiKey'], plainKey)).toMatchObject({ kind: 'variable', env: 'BAL_CONFIG_VAR_BALLERINAX_FOO_APIKEY' });
    expect(classifyKey(none, ['dbConfig', 'password'], plainKey).kind).toBe('unknown');
  });

  it('lists where a configurable may be written, top-level first for the root module', () => {
    expect(configurablePaths(info(), undefined, 'tlsVersions')).toEqual([['tlsVersions'], ['wso2', 'orders', 'tlsVersions'], ['orders', 'tlsVersions']]);
    expect(configurablePaths(info(), 'db', 'password')).toEqual([['wso2', 'orders', 'db', 'password'], ['orders', 'db', 'password']]);
  });
});

describe('diffs of Config.toml never show a secret value', () => {
  it('masks changed secret lines (apiKey, githubPAT) and leaves them out as context', async () => {
    const { unifiedDiff } = await import('../../engine/diff.js');
    const before = 'githubPAT = "ghp_Zq9secret"\napiKey = "k-Zq9secret"\nport = 1\n';
    const context = unifiedDiff('Config.toml', before, before.replace('port = 1', 'port = 2'));
    expect(context.text).toContain('+port = 2');
    expect(context.text).not.toContain('Zq9secret');
    const removed = unifiedDiff('Config.toml', before, before.replace('apiKey = "k-Zq9secret"\n', ''));
    expect(removed).toMatchObject({ redacted: true });
    expect(removed.text).toContain('-apiKey = ********');
    expect(removed.text).not.toContain('Zq9secret');
  });
});
