// What the commands that write hand down to the io layer: whether to keep backups, where notices go,
// and the crash hook the safety tests use.
import type { ApplyOptions } from '../run.js';
import type { WriteStep } from '../io/write-files.js';
import type { Output } from './output.js';

/**
 * Test hook: `HARDEN_TEST_CRASH_AFTER=<step>` (lock, journal, backup, temp:N, staged, commit, rename:N,
 * renamed, done) kills this process with SIGKILL right after that step of a write, as a power cut or
 * `kill -9` would. Read here, in src/cli, and passed down as a plain callback.
 */
export const CRASH_ENV = 'HARDEN_TEST_CRASH_AFTER';

export function writeOptions(args: { backup?: boolean }, out: Output): ApplyOptions {
  const crashAfter = process.env[CRASH_ENV];
  const onStep = crashAfter
    ? (step: WriteStep): void => {
        if (step === crashAfter) process.kill(process.pid, 'SIGKILL');
      }
    : undefined;
  return {
    backup: args.backup !== false,
    notify: (message) => out.stderr(`harden: ${message}\n`),
    ...(onStep ? { onStep } : {}),
  };
}
