import { describe, it, expect } from '@jest/globals';
import { applyEdits } from '../text.js';
import { addKey, setOrAdd } from './add-key.js';
import { locateToml } from './locate.js';
import type { TomlWritable } from './render.js';
import { verifyToml } from './semantic.js';

/** Adds one key and checks the result against the verifier too. */
function add(text: string, table: string[], key: string, value: TomlWritable): string {
  const after = applyEdits(text, addKey(locateToml(text), table, key, value));
  expect(verifyToml(text, after, [{ kind: 'toml-set', key: [...table, key], value }])).toBeUndefined();
  return after;
}

const refusal = (text: string, table: string[], key: string): (() => unknown) => () => addKey(locateToml(text), table, key, 'v');

describe('addKey into an existing table', () => {
  it('goes right after the last key-value line, before trailing blank and commented-out lines', () => {
    const text = '[keystore.tls]\nfile_name =  "wso2carbon.jks"\npassword =  "wso2carbon"  # tls\n\n#[keystore.internal]\n#password = "x"\n';
    expect(add(text, ['keystore', 'tls'], 'alias', 'wso2carbon')).toBe(
      '[keystore.tls]\nfile_name =  "wso2carbon.jks"\npassword =  "wso2carbon"  # tls\nalias =  "wso2carbon"\n\n#[keystore.internal]\n#password = "x"\n',
    );
  });

  it("copies the table's own `=` spacing and indentation", () => {
    expect(add('[truststore]\nfile_name="t.jks"\ntype="JKS"\n\n[x]\ny = 1\n', ['truststore'], 'password', '$secret{ts}')).toBe(
      '[truststore]\nfile_name="t.jks"\ntype="JKS"\npassword="$secret{ts}"\n\n[x]\ny = 1\n',
    );
    expect(add('[a]\n  b = 1\n  c = 2\n', ['a'], 'd', true)).toBe('[a]\n  b = 1\n  c = 2\n  d = true\n');
  });

  it('quotes a key that needs quotes, literal when the table writes quoted keys that way', () => {
    expect(add('[p]\nname = "n"\n', ['p'], 'header.X-Frame', 'DENY')).toBe('[p]\nname = "n"\n"header.X-Frame" = "DENY"\n');
    expect(add("[p]\n'header.A' = \"a\"\n", ['p'], 'header.B', 'b')).toBe("[p]\n'header.A' = \"a\"\n'header.B' = \"b\"\n");
  });

  it('fills an empty table right under its header', () => {
    expect(add('[a]\n# note\n[b]\nx = 1\n', ['a'], 'k', 'v')).toBe('[a]\nk = "v"\n# note\n[b]\nx = 1\n');
  });

  it('adds a top-level key before the first header', () => {
    expect(add('[a]\nx = 1\n', [], 'top', 1)).toBe('top = 1\n\n[a]\nx = 1\n');
    expect(add('top = 1\n\n[a]\nx = 1\n', [], 'next', 2)).toBe('top = 1\nnext = 2\n\n[a]\nx = 1\n');
  });

  it('adds to an array-of-tables element addressed by index, and refuses the array itself', () => {
    const text = '[[f]]\nname = "a"\n\n[[f]]\nname = "b"\n';
    expect(add(text, ['f', '0'], 'enabled', true)).toBe('[[f]]\nname = "a"\nenabled = true\n\n[[f]]\nname = "b"\n');
    expect(refusal(text, ['f'], 'x')).toThrow(/array of tables/);
    expect(refusal(text, ['f', 'sub'], 'x')).toThrow(/inside the array of tables f/);
  });
});

describe('addKey into a table defined only by dotted keys', () => {
  it('writes a dotted key next to its siblings, spelled like them', () => {
    const text = '[transport.https]\nproperties.port = 9443\nproperties.proxyPort = 443\nsslHostConfig.x = 1\n\n[next]\n';
    expect(add(text, ['transport', 'https', 'properties'], 'server', 'WSO2')).toBe(
      '[transport.https]\nproperties.port = 9443\nproperties.proxyPort = 443\nproperties.server = "WSO2"\nsslHostConfig.x = 1\n\n[next]\n',
    );
    expect(add('a."b.c".d = 1\n', ['a', 'b.c'], 'e', 2)).toBe('a."b.c".d = 1\na."b.c".e = 2\n');
  });

  it('refuses to add into an inline table instead of reformatting it', () => {
    expect(refusal('[s]\nadmin = {username = "admin"}\n', ['s', 'admin'], 'password')).toThrow(/inline table/);
    expect(refusal('[s]\nadmin = {pw = {a = 1}}\n', ['s', 'admin', 'pw'], 'b')).toThrow(/s\.admin \(line 2\) is an inline table/);
  });

  it('refuses a table path through a value, and a key that is already there or is a table', () => {
    expect(refusal('[s]\nhost = "h"\n', ['s', 'host'], 'x')).toThrow(/is a value, not a table/);
    expect(refusal('[s]\nhost = "h"\n', ['s'], 'host')).toThrow(/already set at line 2: use setValue/);
    expect(refusal('[s]\nx = 1\n[s.t]\ny = 1\n', ['s'], 't')).toThrow(/already a table/);
  });
});

describe('addKey into a new table', () => {
  const PROTOCOLS = ['transport', 'https', 'sslHostConfig', 'properties'];

  it('goes before [secrets] (with the comments above it), which stays the last table', () => {
    const text = '[server]\nhostname = "h"\n\n# vault\n[secrets]\nadmin = "[x]"\n';
    expect(add(text, PROTOCOLS, 'protocols', '+TLSv1.2,+TLSv1.3')).toBe(
      '[server]\nhostname = "h"\n\n[transport.https.sslHostConfig.properties]\nprotocols = "+TLSv1.2,+TLSv1.3"\n\n# vault\n[secrets]\nadmin = "[x]"\n',
    );
    expect(add('a = 1\n[secrets]\nb = "c"\n', ['t'], 'k', 'v')).toBe('a = 1\n\n[t]\nk = "v"\n\n[secrets]\nb = "c"\n');
  });

  it('goes at the end, keeping the final-newline state', () => {
    expect(add('[a]\nx = 1\n', ['b'], 'k', 'v')).toBe('[a]\nx = 1\n\n[b]\nk = "v"\n');
    expect(add('[a]\nx = 1\n\n', ['b'], 'k', 'v')).toBe('[a]\nx = 1\n\n[b]\nk = "v"\n');
    expect(add('[a]\nx = 1\n# end', ['b'], 'k', 'v')).toBe('[a]\nx = 1\n# end\n\n[b]\nk = "v"');
    expect(add('', ['b'], 'k', 'v')).toBe('[b]\nk = "v"\n');
  });

  it("uses the file's dominant `=` spacing and quotes header segments that need it", () => {
    expect(add('[a]\nx=1\ny=2\n', ['system', 'parameter.x'], 'k', 'v')).toBe('[a]\nx=1\ny=2\n\n[system."parameter.x"]\nk="v"\n');
  });

  it('may add a table whose parent is defined by dotted keys or by sub-table headers', () => {
    const text = '[transport.https]\nproperties.port = 9443\n[transport.https.properties.x]\ny = 1\n';
    expect(add(text, [...PROTOCOLS], 'protocols', 'TLSv1.2')).toBe(
      `${text}\n[transport.https.sslHostConfig.properties]\nprotocols = "TLSv1.2"\n`,
    );
    expect(add('[a.b]\nx = 1\n', ['a'], 'k', 1)).toBe('[a.b]\nx = 1\n\n[a]\nk = 1\n');
  });
});

describe('line endings', () => {
  it('keeps a CRLF file CRLF, with or without a final newline', () => {
    expect(add('[a]\r\nx = 1\r\n\r\n[secrets]\r\ns = "1"\r\n', ['a'], 'y', 2)).toBe('[a]\r\nx = 1\r\ny = 2\r\n\r\n[secrets]\r\ns = "1"\r\n');
    expect(add('[a]\r\nx = 1\r\n\r\n[secrets]\r\ns = "1"\r\n', ['b'], 'y', 2)).toBe(
      '[a]\r\nx = 1\r\n\r\n[b]\r\ny = 2\r\n\r\n[secrets]\r\ns = "1"\r\n',
    );
    expect(add('[a]\r\nx = 1', ['a'], 'y', 2)).toBe('[a]\r\nx = 1\r\ny = 2');
    expect(add('[a]\r\nx = 1', ['b'], 'y', 2)).toBe('[a]\r\nx = 1\r\n\r\n[b]\r\ny = 2');
  });
});

describe('setOrAdd', () => {
  it('adds when missing, sets when present, and does nothing the second time', () => {
    const text = '[transport.https.sslHostConfig.properties]\nciphers = "A"\n';
    const key = ['transport', 'https', 'sslHostConfig', 'properties', 'protocols'];
    const once = applyEdits(text, setOrAdd(locateToml(text), key, '+TLSv1.2'));
    expect(once).toBe(text.replace('"A"\n', '"A"\nprotocols = "+TLSv1.2"\n'));
    const twice = applyEdits(once, setOrAdd(locateToml(once), key, '+TLSv1.3'));
    expect(twice).toBe(once.replace('+TLSv1.2', '+TLSv1.3'));
    expect(setOrAdd(locateToml(twice), key, '+TLSv1.3')).toEqual([]);
  });
});
