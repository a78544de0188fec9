// Runs the real CLI entry in-process and captures what it prints.
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], isTTY = false): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const out: Output = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY };
  const code = await main(args, out);
  return { code, stdout, stderr };
}
