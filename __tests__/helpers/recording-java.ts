// A JAVA_HOME whose bin/java records its arguments, one per line, in $RECORD_FILE and exits 0 (so a
// start script's restart loop ends): how the tests see exactly what a script passes to the JVM.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How `java -version` (which some scripts check) is answered: a fixed line on stderr, or a real JDK. */
export type VersionAnswer = { versionLine: string } | { exec: string } | undefined;

export function recordingJavaHome(javaHome: string, answer?: VersionAnswer): string {
  const version =
    answer && 'versionLine' in answer
      ? `if [ "$1" = "-version" ]; then echo '${answer.versionLine}' >&2; exit 0; fi\n`
      : answer && 'exec' in answer
        ? `case "$1" in -version|-fullversion) exec '${answer.exec}' "$@" ;; esac\n`
        : '';
  mkdirSync(join(javaHome, 'bin'), { recursive: true });
  writeFileSync(join(javaHome, 'bin', 'java'), `#!/bin/sh\n${version}printf '%s\\n' "$@" > "$RECORD_FILE"\nexit 0\n`);
  chmodSync(join(javaHome, 'bin', 'java'), 0o755);
  return javaHome;
}
