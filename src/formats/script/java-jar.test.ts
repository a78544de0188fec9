// `java … -jar` commands in shell scripts: found after exec/env/assignments, flags read before -jar only,
// flags set on one-line and multi-line commands, and the verifier's view (only scripts with one such
// command and no Carbon Bootstrap command).
import { describe, expect, it } from '@jest/globals';
import { applyEdits } from '../text.js';
import { javaJarArgsSh, parseShJar } from './java-jar.js';

describe('parseShJar', () => {
  it('finds the command after exec, nohup and assignments, with the flags before -jar', () => {
    const text = '#!/bin/sh\n# java -jar commented.jar\nJAVA_OPTS="-Xmx1g"\nexec env FOO=1 "$JAVA_HOME/bin/java" -Da=1 $JAVA_OPTS -jar app.jar -Dprogram=arg\n';
    const [cmd, ...more] = parseShJar(text);
    expect(more).toEqual([]);
    expect(cmd!.line).toBe(4);
    expect(cmd!.args.map((a) => a.text)).toEqual(['"$JAVA_HOME/bin/java"', '-Da=1', '$JAVA_OPTS', '-jar', 'app.jar', '-Dprogram=arg']);
    expect(cmd!.flags.map((f) => f.name)).toEqual(['a']);
  });

  it('ignores java without -jar, and java inside an assignment', () => {
    expect(parseShJar('JAVA="$JAVA_HOME/bin/java"\njava -version\n$JAVA -cp x Main\n')).toEqual([]);
  });

  it('sets flags before -jar on a one-line command, and as new lines on a multi-line one', () => {
    const one = 'java -Xmx1g -jar app.jar\n';
    const c1 = parseShJar(one)[0]!;
    expect(applyEdits(one, [...c1.set('jdk.tls.rejectClientInitiatedRenegotiation', 'true'), ...c1.set('jdk.tls.ephemeralDHKeySize', '2048')])).toBe(
      'java -Xmx1g -Djdk.tls.rejectClientInitiatedRenegotiation=true -Djdk.tls.ephemeralDHKeySize=2048 -jar app.jar\n',
    );
    const multi = 'exec java \\\r\n  -Djdk.tls.ephemeralDHKeySize="1024" \\\r\n  -jar app.jar';
    const c2 = parseShJar(multi)[0]!;
    expect(applyEdits(multi, [...c2.set('jdk.tls.ephemeralDHKeySize', '2048'), ...c2.set('jdk.tls.rejectClientInitiatedRenegotiation', 'true')])).toBe(
      'exec java \\\r\n  -Djdk.tls.ephemeralDHKeySize="2048" \\\r\n  -Djdk.tls.rejectClientInitiatedRenegotiation=true \\\r\n  -jar app.jar',
    );
  });

  it('gives the verifier the one command of a script, and nothing for a Carbon script or two commands', () => {
    expect(javaJarArgsSh('java -Da=1 -jar app.jar "$@"\n')).toEqual(['java', '-Da=1', '-jar', 'app.jar', '"$@"']);
    expect(javaJarArgsSh('java -jar a.jar\njava -jar b.jar\n')).toBeUndefined();
    expect(javaJarArgsSh('$JAVACMD \\\n  -Dx=1 \\\n  org.wso2.carbon.bootstrap.Bootstrap $*\njava -jar a.jar\n')).toBeUndefined();
  });
});
