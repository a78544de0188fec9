import { describe, it, expect } from '@jest/globals';
import { applyEdits } from '../text.js';
import { javaArgsBat, parseBatJava, setBatFlag } from './java-bat.js';
import type { BatJava } from './java-bat.js';
import { changedOnlyWithin } from './testing.js';

const RUN_JAVA = [
  ':runJava',
  'echo JAVA_HOME environment variable is set to %JAVA_HOME%',
  '"%JAVA_HOME%\\bin\\java" %CMD_LINE_ARGS% org.wso2.carbon.bootstrap.Bootstrap %CMD%',
  'if "%ERRORLEVEL%"=="121" goto runJava',
  ':end',
];

// Kernel 4.4 / IS / EI / MI shape: one long line (LF here, as in kernel 4.12 and IS 7).
const LONG = [
  'set CARBON_CLASSPATH=.\\lib;%CARBON_CLASSPATH%',
  'set CMD_LINE_ARGS=-Xbootclasspath/a:%CARBON_XBOOTCLASSPATH% -XX:HeapDumpPath="%CARBON_HOME%\\repository\\logs\\heap-dump.hprof"  -classpath %CARBON_CLASSPATH% %JAVA_OPTS% -Dcarbon.home="%CARBON_HOME%" -Dinstance.log="" -Dx="a b" -DworkerNode=false -Dhttpclient.hostnameVerifier="DefaultAndLocalhost"',
  '',
  ...RUN_JAVA,
  '',
].join('\n');

// APIM 3.2+ shape: a first assignment, then appends (CRLF, as shipped).
const APPENDS = [
  'set CMD_LINE_ARGS=-Xbootclasspath/a:%CARBON_XBOOTCLASSPATH% -Xms256m',
  'set CMD_LINE_ARGS=%CMD_LINE_ARGS% -Dcom.sun.management.jmxremote -classpath %CARBON_CLASSPATH% %JAVA_OPTS%',
  'SET CMD_LINE_ARGS=%CMD_LINE_ARGS% -Djava.endorsed.dirs=%JAVA_ENDORSED% -Dhttpclient.hostnameVerifier="DefaultAndLocalhost"',
  '',
  ...RUN_JAVA,
  '',
].join('\r\n');

function javaOf(text: string): BatJava {
  const parsed = parseBatJava(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  if (parsed.java === undefined) throw new Error('no CMD_LINE_ARGS');
  return parsed.java;
}

/** Apply edits, check nothing outside them moved, and check that setting the flag again is a no-op. */
function set(text: string, name: string, value: string): string {
  const edits = setBatFlag(text, javaOf(text), name, value);
  const after = applyEdits(text, edits);
  expect(changedOnlyWithin(text, after, edits)).toBe(true);
  expect(setBatFlag(after, javaOf(after), name, value)).toEqual([]);
  return after;
}

describe('parseBatJava', () => {
  it('reads the long-line shape, one arg per quoted word', () => {
    const java = javaOf(LONG);
    expect(java.lines).toHaveLength(1);
    expect(java.lines[0]?.line).toBe(2);
    expect(java.lines[0]?.appends).toBe(false);
    expect(java.eol).toBe('\n');
    expect(java.runJavaLineStart).toBe(LONG.indexOf(':runJava'));
    expect(java.lines[0]?.args.map((a) => a.text)).toContain('-Dx="a b"');
    expect(java.flags.map((f) => [f.name, f.value, f.quoted])).toEqual([
      ['carbon.home', '%CARBON_HOME%', true],
      ['instance.log', '', true],
      ['x', 'a b', true],
      ['workerNode', 'false', false],
      ['httpclient.hostnameVerifier', 'DefaultAndLocalhost', true],
    ]);
    const line = java.lines[0];
    expect(line && LONG.slice(line.lineStart, line.lineEnd)).toMatch(/^set CMD_LINE_ARGS=.*"DefaultAndLocalhost"$/);
  });

  it('reads the append shape in order, with case-insensitive set and CRLF', () => {
    const java = javaOf(APPENDS);
    expect(java.lines.map((l) => [l.line, l.appends])).toEqual([[1, false], [2, true], [3, true]]);
    expect(java.eol).toBe('\r\n');
    expect(java.lines[1]?.args[0]?.text).toBe('%CMD_LINE_ARGS%');
    expect(javaArgsBat(APPENDS)).toEqual([
      '-Xbootclasspath/a:%CARBON_XBOOTCLASSPATH%',
      '-Xms256m',
      '-Dcom.sun.management.jmxremote',
      '-classpath',
      '%CARBON_CLASSPATH%',
      '%JAVA_OPTS%',
      '-Djava.endorsed.dirs=%JAVA_ENDORSED%',
      '-Dhttpclient.hostnameVerifier=DefaultAndLocalhost',
    ]);
  });

  it('has no java command in a launcher without CMD_LINE_ARGS (wild-2)', () => {
    const launcher = 'if "%JAVA_HOME%"=="" set JAVA_HOME=%~sdp0..\\jdk\\jdk1.8.0_192\r\n%~sdp0wso2server.bat\r\n';
    expect(parseBatJava(launcher)).toEqual({ ok: true, java: undefined });
    expect(javaArgsBat(launcher)).toBeUndefined();
  });

  it('ignores commented-out assignments', () => {
    expect(javaOf(`rem set CMD_LINE_ARGS=-Dx=1\n:: set CMD_LINE_ARGS=-Dy=1\n${LONG}`).lines).toHaveLength(1);
  });

  it('refuses assignments whose effect it cannot tell', () => {
    expect(parseBatJava(`${LONG}if "%A%"=="1" set CMD_LINE_ARGS=%CMD_LINE_ARGS% -Dz=1\n`)).toMatchObject({ ok: false, line: 9 });
    expect(parseBatJava(`${APPENDS}set CMD_LINE_ARGS=-Dz=1\r\n`)).toMatchObject({ ok: false, line: 10 });
  });
});

describe('setBatFlag', () => {
  it('inserts an append line before :runJava (long line, LF)', () => {
    const java = javaOf(LONG);
    const edits = setBatFlag(LONG, java, 'jdk.tls.ephemeralDHKeySize', '2048');
    expect(edits).toEqual([
      { start: java.runJavaLineStart, end: java.runJavaLineStart, text: 'set CMD_LINE_ARGS=%CMD_LINE_ARGS% -Djdk.tls.ephemeralDHKeySize=2048\n' },
    ]);
    expect(set(LONG, 'jdk.tls.ephemeralDHKeySize', '2048')).toBe(
      LONG.replace('\n:runJava', '\nset CMD_LINE_ARGS=%CMD_LINE_ARGS% -Djdk.tls.ephemeralDHKeySize=2048\n:runJava'),
    );
  });

  it('inserts an append line before :runJava (appends, CRLF)', () => {
    expect(set(APPENDS, 'jdk.tls.ephemeralDHKeySize', '2048')).toBe(
      APPENDS.replace('\r\n:runJava', '\r\nset CMD_LINE_ARGS=%CMD_LINE_ARGS% -Djdk.tls.ephemeralDHKeySize=2048\r\n:runJava'),
    );
  });

  it('inserts after the last assignment when there is no :runJava label', () => {
    const bare = 'set CMD_LINE_ARGS=-Dx=1\r\njava %CMD_LINE_ARGS% a.Bootstrap\r\n';
    expect(set(bare, 'y', '2')).toBe('set CMD_LINE_ARGS=-Dx=1\r\nset CMD_LINE_ARGS=%CMD_LINE_ARGS% -Dy=2\r\njava %CMD_LINE_ARGS% a.Bootstrap\r\n');
    expect(set('set CMD_LINE_ARGS=-Dx=1', 'y', '2')).toBe('set CMD_LINE_ARGS=-Dx=1\r\nset CMD_LINE_ARGS=%CMD_LINE_ARGS% -Dy=2');
  });

  it('replaces quoted and unquoted values in place', () => {
    const java = javaOf(APPENDS);
    const [edit] = setBatFlag(APPENDS, java, 'httpclient.hostnameVerifier', 'Strict');
    expect(APPENDS.slice(edit?.start, edit?.end)).toBe('DefaultAndLocalhost');
    expect(set(APPENDS, 'httpclient.hostnameVerifier', 'Strict')).toBe(APPENDS.replace('"DefaultAndLocalhost"', '"Strict"'));
    expect(set(LONG, 'workerNode', 'true')).toBe(LONG.replace('-DworkerNode=false', '-DworkerNode=true'));
    expect(set(LONG, 'instance.log', 'x')).toBe(LONG.replace('-Dinstance.log=""', '-Dinstance.log="x"'));
  });

  it('quotes a new value that cmd would split or interpret, and doubles %', () => {
    expect(set(LONG, 'workerNode', 'a&b')).toBe(LONG.replace('-DworkerNode=false', '-DworkerNode="a&b"'));
    expect(set(LONG, 'workerNode', '100%')).toBe(LONG.replace('-DworkerNode=false', '-DworkerNode=100%%'));
    expect(() => setBatFlag(LONG, javaOf(LONG), 'workerNode', 'a"b')).toThrow(RangeError);
  });

  it('returns no edits when the value is already set', () => {
    expect(setBatFlag(LONG, javaOf(LONG), 'httpclient.hostnameVerifier', 'DefaultAndLocalhost')).toEqual([]);
  });

  it('fixes the first duplicate and removes later ones with one preceding space', () => {
    const dup = `${APPENDS.replace('-Xms256m', '-Xms256m -Dw=1')}`.replace(
      '%JAVA_OPTS%',
      '%JAVA_OPTS% -Dw=2 -Dw=3',
    );
    expect(set(dup, 'w', '9')).toBe(APPENDS.replace('-Xms256m', '-Xms256m -Dw=9'));
  });

  it('keeps the semantic view equal apart from the flag', () => {
    const before = javaArgsBat(LONG) ?? [];
    expect(javaArgsBat(set(LONG, 'a.b', 'c'))).toEqual([...before, '-Da.b=c']);
  });
});
