import { describe, it, expect } from '@jest/globals';
import { applyEdits } from '../text.js';
import type { TextEdit } from '../text.js';
import { setOrAdd } from './add-key.js';
import { locateToml, type TomlDoc } from './locate.js';
import type { TomlWritable } from './render.js';
import { verifyToml } from './semantic.js';
import { setValue } from './set-value.js';

function edit(text: string, f: (doc: TomlDoc) => TextEdit[]): string {
  return applyEdits(text, f(locateToml(text)));
}

/** Sets one key and checks the result against the verifier too. */
function set(text: string, key: string[], value: TomlWritable): string {
  const after = edit(text, (doc) => setValue(doc, key, value));
  expect(verifyToml(text, after, [{ kind: 'toml-set', key, value }])).toBeUndefined();
  return after;
}

const APIM = [
  '[server]',
  'hostname = "localhost"',
  '#offset=0',
  'base_path = "${carbon.protocol}://${carbon.host}:${carbon.management.port}"',
  '',
  '[super_admin]',
  'username = "admin"',
  'password = "admin"   # change me',
  'create_admin_account = true',
  '',
  '[user_store]',
  "connection_password = '$secret{ldap}'",
  'user_name_search_filter = "(&amp;(objectClass=person)(uid=?))"',
  'base_dn = "dc=wso2,dc=org"',
  '',
  '[keystore.internal]',
  'password = "$ref{keystore.primary.password}"',
  'port = 9443',
  '',
].join('\n');

describe('setValue', () => {
  it('replaces a basic string in place, leaving comments, blank lines and other values byte-identical', () => {
    expect(set(APIM, ['super_admin', 'password'], '$secret{admin_password}')).toBe(
      APIM.replace('password = "admin"   # change me', 'password = "$secret{admin_password}"   # change me'),
    );
  });

  it('keeps a literal string literal, and falls back to basic when the value holds a quote', () => {
    expect(set(APIM, ['user_store', 'connection_password'], '$secret{ldap_password}')).toBe(
      APIM.replace("'$secret{ldap}'", "'$secret{ldap_password}'"),
    );
    expect(set(APIM, ['user_store', 'connection_password'], "it's")).toBe(APIM.replace("'$secret{ldap}'", '"it\'s"'));
  });

  it('writes $ref{…}, ${carbon.home} and &amp; verbatim and keeps them elsewhere', () => {
    expect(set(APIM, ['keystore', 'internal', 'password'], '$ref{keystore.tls.password}')).toBe(
      APIM.replace('$ref{keystore.primary.password}', '$ref{keystore.tls.password}'),
    );
    expect(set(APIM, ['user_store', 'base_dn'], '${carbon.home}/x&amp;y')).toBe(
      APIM.replace('"dc=wso2,dc=org"', '"${carbon.home}/x&amp;y"'),
    );
  });

  it('sets a value under a quoted key', () => {
    const text = "[event_listener.properties]\n'header.X-WSO2-KEY-MANAGER' = \"default\"\n";
    expect(set(text, ['event_listener', 'properties', 'header.X-WSO2-KEY-MANAGER'], 'WSO2-IS')).toBe(text.replace('"default"', '"WSO2-IS"'));
  });

  it('escapes backslashes and quotes in basic strings', () => {
    expect(set('p = "a"\n', ['p'], 'C:\\dir "q"\n')).toBe('p = "C:\\\\dir \\"q\\"\\n"\n');
  });

  it('writes numbers and booleans plainly, also over a string', () => {
    expect(set(APIM, ['keystore', 'internal', 'port'], 9444)).toBe(APIM.replace('port = 9443', 'port = 9444'));
    expect(set(APIM, ['super_admin', 'create_admin_account'], false)).toBe(
      APIM.replace('create_admin_account = true', 'create_admin_account = false'),
    );
    expect(set('[a]\nport = "9443"\n', ['a', 'port'], 9443)).toBe('[a]\nport = 9443\n');
  });

  it('writes a string array in the layout of the original one-line array', () => {
    const cors = '[apim.cors]\nallow_methods = ["GET","PUT"]\nx = [ \'a\', \'b\' ]\n';
    expect(set(cors, ['apim', 'cors', 'allow_methods'], ['GET', 'POST', 'OPTIONS'])).toBe(
      '[apim.cors]\nallow_methods = ["GET","POST","OPTIONS"]\nx = [ \'a\', \'b\' ]\n',
    );
    expect(set(cors, ['apim', 'cors', 'x'], ['TLSv1.2', 'TLSv1.3'])).toBe(
      "[apim.cors]\nallow_methods = [\"GET\",\"PUT\"]\nx = [ 'TLSv1.2', 'TLSv1.3' ]\n",
    );
  });

  it('writes a multi-line array, or a former scalar, as one line', () => {
    const multi = 'ciphers = [\n  "A",\n  "B",\n]\n# after\n';
    expect(set(multi, ['ciphers'], ['C', 'D'])).toBe('ciphers = ["C", "D"]\n# after\n');
    expect(set('protocols = "TLSv1"\n', ['protocols'], ['TLSv1.2'])).toBe('protocols = ["TLSv1.2"]\n');
  });

  it('replaces a multi-line string with a one-line basic string', () => {
    expect(set('s = """\nold"""\nt = 1\n', ['s'], 'new')).toBe('s = "new"\nt = 1\n');
  });

  it('sets a key inside an inline table in place, and refuses to replace a whole inline table', () => {
    const text = 'admin = {username = "admin", password = \'password\'}\n';
    expect(set(text, ['admin', 'password'], 's3cret')).toBe("admin = {username = \"admin\", password = 's3cret'}\n");
    expect(() => setValue(locateToml(text), ['admin'], 'x')).toThrow(/inline table/);
  });

  it('sets a key of an array-of-tables element addressed by its index', () => {
    const text = '[[f]]\nname = "a"\n\n[[f]]\nname = "b"\n';
    expect(set(text, ['f', '1', 'name'], 'c')).toBe('[[f]]\nname = "a"\n\n[[f]]\nname = "c"\n');
  });

  it('is idempotent: setting the value it already has gives no edit', () => {
    const once = edit(APIM, (doc) => setOrAdd(doc, ['super_admin', 'password'], 'x&amp;y'));
    expect(setValue(locateToml(once), ['super_admin', 'password'], 'x&amp;y')).toEqual([]);
    expect(setOrAdd(locateToml(once), ['super_admin', 'password'], 'x&amp;y')).toEqual([]);
    expect(setValue(locateToml(APIM), ['keystore', 'internal', 'port'], 9443)).toEqual([]);
    expect(setValue(locateToml(APIM), ['super_admin', 'create_admin_account'], true)).toEqual([]);
    // Same text but another TOML type is a change.
    expect(setValue(locateToml('[a]\nport = "9443"\n'), ['a', 'port'], 9443)).toHaveLength(1);
  });

  it('refuses a key that is not in the file', () => {
    expect(() => setValue(locateToml(APIM), ['server', 'offset'], 1)).toThrow(/not in the file/);
  });

  it('keeps CRLF line endings and a missing final newline', () => {
    const crlf = '[a]\r\nx = "1"\r\ny = 2';
    expect(set(crlf, ['a', 'x'], '2')).toBe('[a]\r\nx = "2"\r\ny = 2');
    expect(set(crlf, ['a', 'y'], 3)).toBe('[a]\r\nx = "1"\r\ny = 3');
  });
});
