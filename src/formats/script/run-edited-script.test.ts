// Runs edited corpus start-up scripts with bash against a stub `java` that records its arguments, to prove the
// shell really passes each -D flag once (a splice the parser accepts could still break the continuation chain).

import { describe, it, expect, afterAll } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyEdits } from '../text.js';
import { parseShJava, setShFlag } from './java-sh.js';
import type { ShJavaBlock } from './java-sh.js';
import { recordingJavaHome } from '../../../__tests__/helpers/recording-java.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus', import.meta.url));
const SCRIPTS = ['carbon-kernel-4.4.x/bin/wso2server.sh', 'apim-4.5.0/bin/api-manager.sh', 'mi-4.3.0/bin/micro-integrator.sh'];
const FLAGS: Array<[string, string]> = [
  ['jdk.tls.ephemeralDHKeySize', '2048'],
  ['httpclient.hostnameVerifier', 'Strict'],
];


const hasBash = spawnSync('bash', ['-c', 'exit 0']).status === 0;
const describeRun = existsSync(CORPUS) && hasBash ? describe : describe.skip;

describeRun('edited start-up scripts run under bash', () => {
  const root = mkdtempSync(join(tmpdir(), 'harden-sh-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each(SCRIPTS)('%s passes every -D flag exactly once', (path) => {
    const text = readFileSync(join(CORPUS, path), 'utf8');
    const parsed = parseShJava(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    const block = parsed.blocks[0] as ShJavaBlock;
    const edited = applyEdits(text, FLAGS.flatMap(([name, value]) => setShFlag(text, block, name, value)));

    const run = join(root, path.split('/')[0] ?? 'home');
    // `-version` is answered like a JDK 17: the scripts parse it.
    const javaHome = recordingJavaHome(join(run, 'jdk'), { versionLine: 'openjdk version "17.0.2" 2022-01-18' });
    const carbonHome = join(run, 'home');
    // The directories the scripts look into or start helpers from before they run java.
    for (const dir of ['bin', 'lib', 'tmp', 'repository/logs', 'diagnostics-tool/bin']) mkdirSync(join(carbonHome, dir), { recursive: true });
    writeFileSync(join(carbonHome, 'diagnostics-tool/bin/diagnostics.sh'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(carbonHome, 'diagnostics-tool/bin/diagnostics.sh'), 0o755);
    const script = join(carbonHome, 'bin', basename(path));
    writeFileSync(script, edited);
    const record = join(run, 'args.txt');

    const result = spawnSync('bash', [script], {
      cwd: carbonHome,
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: run, JAVA_HOME: javaHome, CARBON_HOME: carbonHome, RECORD_FILE: record },
    });
    expect({ status: result.status, recorded: existsSync(record) }).toEqual({ status: 0, recorded: true });

    const args = readFileSync(record, 'utf8').split('\n').slice(0, -1);
    const edBlock = (parseShJava(edited) as { ok: true; blocks: ShJavaBlock[] }).blocks[0] as ShJavaBlock;
    for (const flag of edBlock.flags) {
      expect([flag.name, args.filter((a) => a === `-D${flag.name}` || a.startsWith(`-D${flag.name}=`)).length]).toEqual([flag.name, 1]);
    }
    for (const [name, value] of FLAGS) expect(args).toContain(`-D${name}=${value}`);
    expect(args).toContain(block.mainClass);
  });
});
