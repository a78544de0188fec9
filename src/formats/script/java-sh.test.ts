import { describe, it, expect } from '@jest/globals';
import { applyEdits } from '../text.js';
import { javaArgsSh, parseShJava, setShFlag } from './java-sh.js';
import type { ShJavaBlock } from './java-sh.js';
import { changedOnlyWithin } from './testing.js';

// The kernel's shape, with its quirks: a `$JAVACMD -version` elsewhere, `"…"\` with no space, two spaces before `\`.
const SCRIPT = [
  '#!/bin/sh',
  'java_version=$("$JAVACMD" -version 2>&1)',
  '$JAVACMD -version',
  'while [ "$status" = "$START_EXIT_STATUS" ]',
  'do',
  '    $JAVACMD \\',
  '    -Xbootclasspath/a:"$CARBON_XBOOTCLASSPATH" \\',
  '    $JAVA_OPTS \\',
  '    -Dconf.location="$CARBON_HOME/repository/conf"\\',
  '    -Dcom.sun.jndi.ldap.connect.pool.timeout=3000  \\',
  '    -Dhttpclient.hostnameVerifier="DefaultAndLocalhost" \\',
  '    -DworkerNode=false \\',
  '    org.wso2.carbon.bootstrap.Bootstrap $*',
  '    status=$?',
  'done',
  '',
].join('\n');

const MAIN = '    org.wso2.carbon.bootstrap.Bootstrap $*';

function onlyBlock(text: string): ShJavaBlock {
  const parsed = parseShJava(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  expect(parsed.blocks).toHaveLength(1);
  return parsed.blocks[0] as ShJavaBlock;
}

/** Apply edits, check nothing outside them moved, and check that setting the flag again is a no-op. */
function set(text: string, name: string, value: string): string {
  const edits = setShFlag(text, onlyBlock(text), name, value);
  const after = applyEdits(text, edits);
  expect(changedOnlyWithin(text, after, edits)).toBe(true);
  expect(setShFlag(after, onlyBlock(after), name, value)).toEqual([]);
  return after;
}

describe('parseShJava', () => {
  it('finds the Bootstrap block and ignores other $JAVACMD commands', () => {
    const block = onlyBlock(SCRIPT);
    expect(block.firstLine).toBe(6);
    expect(block.mainLine).toBe(13);
    expect(block.mainLineStart).toBe(SCRIPT.indexOf(MAIN));
    expect(block.indent).toBe('    ');
    expect(block.eol).toBe('\n');
    expect(block.mainClass).toBe('org.wso2.carbon.bootstrap.Bootstrap');
    expect(SCRIPT.slice(block.start, block.end)).toMatch(/^\$JAVACMD \\\n[\s\S]*Bootstrap \$\*$/);
    expect(block.flags.map((f) => f.name)).toEqual([
      'conf.location',
      'com.sun.jndi.ldap.connect.pool.timeout',
      'httpclient.hostnameVerifier',
      'workerNode',
    ]);
  });

  it('splits `"…"\\` at the backslash and reports quoted values by their inner bytes', () => {
    const block = onlyBlock(SCRIPT);
    const conf = block.flags[0];
    expect(conf?.arg.text).toBe('-Dconf.location="$CARBON_HOME/repository/conf"');
    expect(conf?.arg.line).toBe(9);
    expect(conf?.quoted).toBe(true);
    expect(conf?.value).toBe('$CARBON_HOME/repository/conf');
    expect(SCRIPT.slice(conf?.valueStart, conf?.valueEnd)).toBe('$CARBON_HOME/repository/conf');
    const worker = block.flags[3];
    expect(worker?.quoted).toBe(false);
    expect(SCRIPT.slice(worker?.valueStart, worker?.valueEnd)).toBe('false');
  });

  it('reads CRLF lines', () => {
    const block = onlyBlock(SCRIPT.replace(/\n/g, '\r\n'));
    expect(block.eol).toBe('\r\n');
    expect(block.flags.map((f) => f.value)).toEqual(['$CARBON_HOME/repository/conf', '3000', 'DefaultAndLocalhost', 'false']);
  });

  it('reports a chain broken by a missing backslash (wild-6)', () => {
    const broken = SCRIPT.replace('-DworkerNode=false \\', '-Dfelix.felixinstall.dir=/opt/artifacts');
    expect(parseShJava(broken)).toEqual({
      ok: false,
      reason:
        'the java command is broken at line 12: the line has no trailing backslash, so the lines after it run as a separate command',
      line: 12,
    });
    expect(javaArgsSh(broken)).toBeUndefined();
  });

  it('treats a comment inside the chain as a break, as the shell does', () => {
    const broken = SCRIPT.replace('    -DworkerNode=false \\', '    # -DworkerNode=false \\');
    expect(parseShJava(broken)).toMatchObject({ ok: false, line: 12 });
  });

  it('refuses a continuation that glues two words together', () => {
    const glued = SCRIPT.replace('    -Dcom.sun.jndi', '-Dcom.sun.jndi');
    expect(parseShJava(glued)).toMatchObject({ ok: false, line: 9 });
  });

  it('returns no blocks when there is no Bootstrap command', () => {
    expect(parseShJava('#!/bin/sh\n$JAVACMD -version\njava -cp x Main\n')).toEqual({ ok: true, blocks: [] });
    expect(javaArgsSh('#!/bin/sh\n')).toBeUndefined();
  });

  it('returns every Bootstrap block and separates them in the semantic view', () => {
    const two = `${SCRIPT}if [ -n "$X" ]; then\n  $JAVACMD \\\n  -Dy=1 \\\n  org.wso2.micro.integrator.bootstrap.Bootstrap\nfi\n`;
    const parsed = parseShJava(two);
    expect(parsed.ok && parsed.blocks.map((b) => b.mainClass)).toEqual([
      'org.wso2.carbon.bootstrap.Bootstrap',
      'org.wso2.micro.integrator.bootstrap.Bootstrap',
    ]);
    expect(javaArgsSh(two)?.slice(-5)).toEqual(['$*', '--block--', '$JAVACMD', '-Dy=1', 'org.wso2.micro.integrator.bootstrap.Bootstrap']);
  });

  it('does not count -D words after the main class as system properties', () => {
    const block = onlyBlock('$JAVACMD \\\n  -Da=1 \\\n  x.y.Bootstrap -Db=2\n');
    expect(block.flags.map((f) => f.name)).toEqual(['a']);
  });
});

describe('setShFlag', () => {
  it('inserts a new line just before the main-class line (LF)', () => {
    const block = onlyBlock(SCRIPT);
    const edits = setShFlag(SCRIPT, block, 'jdk.tls.ephemeralDHKeySize', '2048');
    expect(edits).toEqual([{ start: block.mainLineStart, end: block.mainLineStart, text: '    -Djdk.tls.ephemeralDHKeySize=2048 \\\n' }]);
    expect(set(SCRIPT, 'jdk.tls.ephemeralDHKeySize', '2048')).toBe(
      SCRIPT.replace(MAIN, `    -Djdk.tls.ephemeralDHKeySize=2048 \\\n${MAIN}`),
    );
  });

  it('inserts with the file\'s CRLF', () => {
    const crlf = SCRIPT.replace(/\n/g, '\r\n');
    expect(set(crlf, 'jdk.tls.ephemeralDHKeySize', '2048')).toBe(
      crlf.replace(MAIN, `    -Djdk.tls.ephemeralDHKeySize=2048 \\\r\n${MAIN}`),
    );
  });

  it('replaces a quoted value inside its quotes', () => {
    const block = onlyBlock(SCRIPT);
    const edits = setShFlag(SCRIPT, block, 'httpclient.hostnameVerifier', 'Strict');
    expect(edits).toHaveLength(1);
    expect(SCRIPT.slice(edits[0]?.start, edits[0]?.end)).toBe('DefaultAndLocalhost');
    expect(set(SCRIPT, 'httpclient.hostnameVerifier', 'Strict')).toBe(
      SCRIPT.replace('"DefaultAndLocalhost"', '"Strict"'),
    );
  });

  it('replaces an unquoted value in place, quoting it only when the shell needs that', () => {
    expect(set(SCRIPT, 'workerNode', 'true')).toBe(SCRIPT.replace('-DworkerNode=false', '-DworkerNode=true'));
    expect(set(SCRIPT, 'workerNode', 'a b')).toBe(SCRIPT.replace('-DworkerNode=false', '-DworkerNode="a b"'));
  });

  it('replaces the value of `"…"\\` and keeps the missing space', () => {
    expect(set(SCRIPT, 'conf.location', '/opt/conf')).toBe(
      SCRIPT.replace('-Dconf.location="$CARBON_HOME/repository/conf"\\', '-Dconf.location="/opt/conf"\\'),
    );
  });

  it('escapes what double quotes would expand, and the value reads back literally', () => {
    const after = set(SCRIPT, 'httpclient.hostnameVerifier', 'a"b$c');
    expect(after).toBe(SCRIPT.replace('"DefaultAndLocalhost"', '"a\\"b\\$c"'));
    expect(onlyBlock(after).flags[2]?.value).toBe('a"b$c');
  });

  it('keeps single quotes and adds a value to a bare -Dname', () => {
    const text = "$JAVACMD \\\n  -Da='x y' \\\n  -Db \\\n  a.Bootstrap\n";
    expect(set(text, 'a', "it's")).toBe("$JAVACMD \\\n  -Da='it'\\''s' \\\n  -Db \\\n  a.Bootstrap\n");
    expect(set(text, 'b', 'on')).toBe("$JAVACMD \\\n  -Da='x y' \\\n  -Db=on \\\n  a.Bootstrap\n");
  });

  it('returns no edits when the value is already set', () => {
    expect(setShFlag(SCRIPT, onlyBlock(SCRIPT), 'workerNode', 'false')).toEqual([]);
    expect(setShFlag(SCRIPT, onlyBlock(SCRIPT), 'conf.location', '$CARBON_HOME/repository/conf')).toEqual([]);
  });

  it('fixes the first duplicate and removes the others (whole line when alone, else the word)', () => {
    const dup = SCRIPT.replace('    -DworkerNode=false \\\n', '    -DworkerNode=false \\\n    -Dx=1 -DworkerNode=true \\\n    -DworkerNode=false \\\n');
    expect(set(dup, 'workerNode', 'true')).toBe(SCRIPT.replace('    -DworkerNode=false \\\n', '    -DworkerNode=true \\\n    -Dx=1 \\\n'));
  });

  it('removes adjacent duplicates on one line without overlapping edits', () => {
    const text = '$JAVACMD \\\n  -Dw=1 \\\n  -Dw=2 -Dw=3 -Dk=1 \\\n  a.Bootstrap\n';
    expect(set(text, 'w', '1')).toBe('$JAVACMD \\\n  -Dw=1 \\\n  -Dk=1 \\\n  a.Bootstrap\n');
  });

  it('edits a file with no final newline (esb-5.0.0)', () => {
    const noEol = SCRIPT.slice(0, -1);
    expect(set(noEol, 'a.b', 'c')).toBe(noEol.replace(MAIN, `    -Da.b=c \\\n${MAIN}`));
    const endsOnMain = `$JAVACMD \\\n    -Dx=1 \\\n${MAIN}`;
    expect(set(endsOnMain, 'a.b', 'c')).toBe(`$JAVACMD \\\n    -Dx=1 \\\n    -Da.b=c \\\n${MAIN}`);
  });

  it('indents a new line after an unindented `"…"\\` so the shell does not glue it on', () => {
    const text = '$JAVACMD \\\n-Dx="a"\\\n    a.Bootstrap\n';
    expect(set(text, 'y', '1')).toBe('$JAVACMD \\\n-Dx="a"\\\n -Dy=1 \\\n    a.Bootstrap\n');
  });

  it('inserts before the main class of a one-line command', () => {
    expect(set('$JAVACMD -Dx=1 a.b.Bootstrap $*\n', 'y', '2')).toBe('$JAVACMD -Dx=1 -Dy=2 a.b.Bootstrap $*\n');
  });

  it('keeps the semantic view equal apart from the flag', () => {
    const before = javaArgsSh(SCRIPT) ?? [];
    const after = javaArgsSh(set(SCRIPT, 'httpclient.hostnameVerifier', 'Strict')) ?? [];
    expect(after).toEqual(before.map((a) => (a === '-Dhttpclient.hostnameVerifier=DefaultAndLocalhost' ? '-Dhttpclient.hostnameVerifier=Strict' : a)));
    expect(before).toContain('-Dconf.location=$CARBON_HOME/repository/conf');
    expect(before[0]).toBe('$JAVACMD');
  });

  it('rejects names the shell would interpret', () => {
    expect(() => setShFlag(SCRIPT, onlyBlock(SCRIPT), 'a b', 'c')).toThrow(RangeError);
  });
});
