// Shows long text through $PAGER (else less -R) when it would scroll off the terminal, else prints it.
import { spawnSync } from 'node:child_process';
import type { Output } from '../output.js';

export interface Terminal {
  rows: number | undefined;
  pager: string | undefined;
}

export function showPaged(text: string, out: Output, terminal: Terminal = { rows: process.stdout.rows, pager: process.env.PAGER }): void {
  const lines = text.split('\n').length;
  // Leave room for the prompt that follows, so short diffs stay on screen with it.
  if (!terminal.rows || lines <= terminal.rows - 2) {
    out.stdout(text);
    return;
  }
  const command = terminal.pager?.trim() || 'less -R';
  const ran = spawnSync(command, {
    shell: true,
    input: text,
    stdio: ['pipe', 'inherit', 'inherit'],
    // less shows colours only with -R; $PAGER=less gets it the way git does it, through LESS.
    env: { ...process.env, LESS: process.env.LESS ?? 'R' },
  });
  // No pager on this machine: print rather than lose the diff.
  if (ran.error || ran.status === 127) out.stdout(text);
}
