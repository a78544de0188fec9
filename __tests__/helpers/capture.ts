// Runs the real CLI entry in-process and captures what it prints.
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';

export interface Ran {
  code: number;
  stdout: string;
  /** stdout as written: diffs carry each file's own encoding. */
  stdoutBytes: Buffer;
  stderr: string;
}

export async function runCli(args: string[], isTTY = false): Promise<Ran> {
  const chunks: Buffer[] = [];
  let stderr = '';
  const out: Output = { stdout: (t) => void chunks.push(Buffer.from(t)), stderr: (t) => void (stderr += t), isTTY };
  const code = await main(args, out);
  const stdoutBytes = Buffer.concat(chunks);
  return { code, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr };
}
