// removeKey and setKeys: byte-minimal, and what verifyToml accepts as exactly the intended change.
import { describe, expect, it } from '@jest/globals';
import { applyEdits } from '../text.js';
import { find, locateToml } from './locate.js';
import { removeKey } from './remove-key.js';
import { setKeys } from './set-keys.js';
import { verifyToml } from './semantic.js';

const remove = (text: string, path: string[]): string => {
  const doc = locateToml(text);
  const out = applyEdits(text, [removeKey(doc, find(doc, path)!)]);
  expect(verifyToml(text, out, [{ kind: 'toml-delete', key: path }])).toBeUndefined();
  return out;
};

describe('removeKey', () => {
  it('removes the whole line with its own line ending, leaving the comments around it', () => {
    expect(remove('# db\npassword = "x"\nhost = "h"\n', ['password'])).toBe('# db\nhost = "h"\n');
    expect(remove('[a]\r\n\tk = 1\r\n\tsecret = "s"\r\n[b]\r\n', ['a', 'secret'])).toBe('[a]\r\n\tk = 1\r\n[b]\r\n');
  });

  it('keeps a comment that follows the value on its line', () => {
    expect(remove('token = "t"  # from the vault\nx = 1\n', ['token'])).toBe('# from the vault\nx = 1\n');
  });

  it('removes a multi-line value whole, and a last line without a final newline', () => {
    expect(remove('a = 1\nkey = """\nline\n"""\nb = 2\n', ['key'])).toBe('a = 1\nb = 2\n');
    expect(remove('a = 1\r\npassword = "x"', ['password'])).toBe('a = 1');
    expect(remove('password = "x"', ['password'])).toBe('');
  });

  it('refuses keys inside inline tables', () => {
    const doc = locateToml('admin = {user = "a", password = "p"}\n');
    expect(() => removeKey(doc, find(doc, ['admin', 'password'])!)).toThrow(/inline table/);
  });

  it('the verifier refuses a removal that was not declared, and a declared one that did not happen', () => {
    expect(verifyToml('a = 1\nb = 2\n', 'a = 1\n', [])).toMatch(/b is missing/);
    expect(verifyToml('a = 1\nb = 2\n', 'a = 1\nb = 2\n', [{ kind: 'toml-delete', key: ['b'] }])).toMatch(/b was added/);
    expect(verifyToml('[t]\nx = 1\n', '', [{ kind: 'toml-delete', key: ['t'] }])).toMatch(/only values are removed/);
  });
});

describe('setKeys', () => {
  const set = (text: string, table: string[], pairs: [string, string | string[]][]): string => {
    const out = applyEdits(text, setKeys(locateToml(text), table, pairs));
    expect(verifyToml(text, out, pairs.map(([k, v]) => ({ kind: 'toml-set', key: [...table, k], value: v })))).toBeUndefined();
    return out;
  };

  it('writes a missing table as one section holding every key', () => {
    expect(set('[x.secureSocket.key]\ncertFile = "c"\n', ['x', 'secureSocket', 'protocol'], [['name', 'TLS'], ['versions', ['TLSv1.2', 'TLSv1.3']]])).toBe(
      '[x.secureSocket.key]\ncertFile = "c"\n\n[x.secureSocket.protocol]\nname = "TLS"\nversions = ["TLSv1.2", "TLSv1.3"]\n',
    );
  });

  it('sets existing keys in place and appends missing ones in the given order', () => {
    expect(set('[p]\nversions = ["TLSv1.1"] # old\nx = 1\n', ['p'], [['name', 'TLS'], ['versions', ['TLSv1.2']]])).toBe('[p]\nversions = ["TLSv1.2"] # old\nx = 1\nname = "TLS"\n');
  });

  it('top-level keys go before the first header', () => {
    expect(set('# c\n[ballerina.log]\nlevel = "INFO"\n', [], [['tlsVersions', ['TLSv1.2']]])).toBe('tlsVersions = ["TLSv1.2"]\n\n# c\n[ballerina.log]\nlevel = "INFO"\n');
  });
});
