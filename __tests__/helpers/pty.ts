// Runs the built CLI in a pseudo-terminal (python3's pty module) and types a script at it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './corpus.js';
import { builtBin } from './built-cli.js';

export interface Step {
  /** Regex the screen (ANSI escapes removed) must show before `send` is typed. */
  wait: string;
  send: string;
}

export interface PtyRun {
  code: number;
  transcript: string;
  /** Which step never saw its text, when one did not. */
  failed: number | null;
  error: string | null;
}

export const KEY = { up: '\u001b[A', down: '\u001b[B', space: ' ', enter: '\r', ctrlC: '\u0003', esc: '\u001b' } as const;

export function runInPty(args: string[], steps: Step[], env: Record<string, string> = {}, rows = 60): PtyRun {
  const spec = {
    argv: [process.execPath, builtBin, ...args],
    cwd: repoRoot,
    // A fixed terminal: no colour surprises from the caller's environment, a pager that only prints.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', TERM: 'xterm-256color', PAGER: 'cat', ...env },
    rows,
    cols: 200,
    steps,
    timeout: 40,
  };
  const ran = spawnSync('python3', [join(repoRoot, '__tests__', 'helpers', 'pty-session.py')], { input: JSON.stringify(spec), encoding: 'utf8', timeout: 50_000 });
  if (ran.status !== 0) throw new Error(`pty-session.py failed: ${ran.stderr}`);
  return JSON.parse(ran.stdout) as PtyRun;
}
