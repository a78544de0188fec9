// The tolerant .bal reader: strings, comments, templates and nested brackets never confuse it, and it finds
// the imports, declarations and listener arguments that bi-listener-tls needs.
import { describe, expect, it } from '@jest/globals';
import { field, newExpressions, scanBal, stringList, tokenize, type Expr } from './scan.js';
import { httpListeners, resolve, scanProject } from './listeners.js';

const texts = (src: string): string[] => tokenize(src).map((t) => t.text);

describe('tokenize', () => {
  it('skips // comments and # documentation lines, keeps strings whole', () => {
    expect(texts('// new http:Listener(1)\n# Doc with "quote\nint x = 1; // trailing')).toEqual(['int', 'x', '=', '1', ';']);
    expect(tokenize('"a // not a comment # nor this"')[0]!.value).toBe('a // not a comment # nor this');
  });

  it('decodes escapes, and ends an unterminated string at its line', () => {
    expect(tokenize(String.raw`"q\"uote\\ \u{41}\n"`)[0]!.value).toBe('q"uote\\ A\n');
    const t = tokenize('"open\nnext');
    expect(t.map((x) => x.text)).toEqual(['"open', 'next']);
  });

  it('reads a template with interpolations holding braces, strings and backticks as one token', () => {
    const t = tokenize('string s = string `a ${ {x: "}"}.toString() } ${ `inner` } b`; int y = 2;');
    expect(t.map((x) => x.text)).toEqual(['string', 's', '=', 'string', '`a ${ {x: "}"}.toString() } ${ `inner` } b`', ';', 'int', 'y', '=', '2', ';']);
  });

  it("treats ' as a quoted identifier and backslash escapes inside identifiers", () => {
    const t = tokenize("record {| 'type: x; |} port\\$3 = 1;");
    expect(t.filter((x) => x.kind === 'ident').map((x) => [x.text, x.value])).toEqual([
      ['record', 'record'],
      ["'type", 'type'],
      ['x', 'x'],
      ['port\\$3', 'port$3'],
    ]);
  });

  it('keeps multi-character operators apart from = (a declaration is name then =)', () => {
    expect(texts('a == b => c != d = e')).toEqual(['a', '==', 'b', '=>', 'c', '!=', 'd', '=', 'e']);
  });
});

const parse = (src: string) => scanBal(src);
const init = (src: string, name: string): Expr => parse(src).declarations.find((d) => d.name === name)!.init!;

describe('scanBal', () => {
  it('reads imports with their prefixes (explicit, or the last part of the module name)', () => {
    const f = parse('import ballerina/http;\nimport ballerina/http.default;\nimport ballerinax/prometheus as _;\nimport ballerina/log as l;');
    expect(f.imports).toEqual([
      { module: 'ballerina/http', prefix: 'http' },
      { module: 'ballerina/http.default', prefix: 'default' },
      { module: 'ballerinax/prometheus', prefix: '_' },
      { module: 'ballerina/log', prefix: 'l' },
    ]);
  });

  it('reads configurable, listener and local declarations, not named arguments or parameter defaults', () => {
    const f = parse(`
configurable int port = 9443;
configurable string[] tlsVersions = ["TLSv1.2", "TLSv1.3"];
configurable string keyFile = ?;
listener http:Listener ep = new (port, secureSocket = {key: {certFile: "c", keyFile}});
function f(int timeout = 5) returns error? {
    final http:Client c = check new ("https://x", timeout = 3);
}
type T record {| int retries = 2; |};
`);
    expect(f.declarations.map((d) => [d.name, d.type, d.configurable, d.listener, d.required])).toEqual([
      ['port', 'int', true, false, false],
      ['tlsVersions', 'string[]', true, false, false],
      ['keyFile', 'string', true, false, true],
      ['ep', 'http:Listener', false, true, false],
      ['c', 'http:Client', false, false, false],
      ['retries', 'int', false, false, false],
    ]);
    expect(stringList(f.declarations[1]!.init)).toEqual(['TLSv1.2', 'TLSv1.3']);
  });

  it('parses records with shorthand fields, nested lists and qualified references', () => {
    const e = init('var x = {key: {certFile, keyFile: k}, protocol: {name: http:TLS, versions: ["TLSv1.2"]}, "quoted": 1, ...rest};', 'x');
    expect(e.kind).toBe('record');
    expect(field(field(e, 'key'), 'certFile')).toMatchObject({ kind: 'ref', name: 'certFile' });
    expect(field(field(e, 'protocol'), 'name')).toMatchObject({ kind: 'ref', name: 'http:TLS' });
    expect(stringList(field(field(e, 'protocol'), 'versions'))).toEqual(['TLSv1.2']);
    expect(field(e, 'quoted')).toMatchObject({ kind: 'number', text: '1' });
  });

  it('gives up on what it cannot read without losing its place', () => {
    const f = parse('var a = b + c(1, [2, {d: 3}]); var z = {k: "v"};');
    expect(f.declarations.map((d) => [d.name, d.init?.kind])).toEqual([
      ['a', 'other'],
      ['z', 'record'],
    ]);
  });

  it('survives unbalanced brackets and a file cut short', () => {
    expect(() => parse('listener http:Listener ep = new (9090, {secureSocket: {key: ')).not.toThrow();
    expect(() => parse('}}}) ]] = = ; new ( new')).not.toThrow();
    const f = parse('listener http:Listener ep = new (9090, {host: "x"');
    expect(newExpressions(f)).toHaveLength(1);
  });

  it('finds every new expression with the declaration it initializes', () => {
    const f = parse(`
listener http:Listener a = check new (9090);
service /x on new http:Listener(9091, host = "127.0.0.1") {}
http:Client c = new ("http://y");
`);
    const found = newExpressions(f).map((n) => [n.expr.type, n.declaration?.name, n.expr.args.length]);
    expect(found).toEqual([
      [undefined, 'a', 1],
      ['http:Listener', undefined, 2],
      [undefined, 'c', 1],
    ]);
  });
});

describe('httpListeners', () => {
  const project = (files: Record<string, string>) => scanProject(Object.entries(files).map(([path, text]) => ({ path, text })));

  it('finds declared, anonymous and default listeners, following the http import prefix', () => {
    const files = project({
      'main.bal': `import ballerina/http as h;
listener h:Listener ep = new (9090, {host: "0.0.0.0"});
service / on new h:Listener(9091) {}
listener h:Listener d = h:getDefaultListener();
// new h:Listener(1) in a comment
string s = "new h:Listener(2)";`,
      'modules/api/api.bal': 'import ballerina/http.default;\nservice /api on default:httpListener {}',
      'other.bal': 'import ballerina/grpc;\nlistener grpc:Listener g = new (9092);',
      'tests/t.bal': 'import ballerina/http;\nlistener http:Listener t = new (1);',
    });
    const sites = httpListeners(files);
    expect(sites.map((s) => [s.file, s.line, s.label, s.config.kind])).toEqual([
      ['main.bal', 2, 'listener ep', 'fields'],
      ['main.bal', 3, 'anonymous listener at main.bal:3', 'fields'],
      ['main.bal', 4, 'the default listener (http:getDefaultListener())', 'config-path'],
      ['modules/api/api.bal', 2, 'the default listener of ballerina/http.default', 'config-path'],
    ]);
  });

  it('merges a config record with named arguments and follows names to their declarations', () => {
    const files = project({
      'main.bal': `import ballerina/http;
configurable string[] tlsVersions = ["TLSv1.2"];
final http:ListenerSecureSocket ssl = {key: {certFile: "c", keyFile: "k"}, protocol: {name: http:TLS, versions: tlsVersions}};
listener http:Listener ep = new (9443, secureSocket = ssl, host = "localhost");`,
    });
    const [site] = httpListeners(files);
    expect(site!.config.kind).toBe('fields');
    const fields = site!.config.kind === 'fields' ? site!.config.fields : new Map();
    expect(fields.get('host')).toMatchObject({ kind: 'string', value: 'localhost' });
    const ss = resolve(files, undefined, fields.get('secureSocket'));
    expect(ss.kind).toBe('literal');
    const versions = resolve(files, undefined, field(field(ss.kind === 'literal' ? ss.expr : undefined, 'protocol'), 'versions'));
    expect(versions).toMatchObject({ kind: 'configurable', decl: { name: 'tlsVersions' } });
  });

  it('a configurable ListenerConfiguration is a configurable, an unknown name is unknown', () => {
    const files = project({
      'main.bal': 'import ballerina/http;\nconfigurable http:ListenerConfiguration cfg = ?;\nlistener http:Listener a = new (9090, cfg);\nlistener http:Listener b = new (9091, config = other:CFG);',
    });
    expect(httpListeners(files).map((s) => s.config.kind)).toEqual(['configurable', 'unknown']);
  });
});
