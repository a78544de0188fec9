// Where the CLI writes: injected, so tests can capture both streams.
export interface Output {
  /** Bytes are written as they are: a diff of an ISO-8859-1 file is ISO-8859-1. */
  stdout(text: string | Uint8Array): void;
  stderr(text: string): void;
  isTTY: boolean;
  /** Whether stderr is a terminal: progress lines are drawn only there. */
  stderrIsTTY?: boolean;
}

export const processOutput: Output = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY && process.stdin.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
};

/** An Output for --quiet, and how to let its held-back stderr out when the command failed. */
export interface Quiet {
  out: Output;
  /** Writes what stderr held back: called only when the run ended in an error, so its reason is seen. */
  release(): void;
}

/**
 * What --quiet leaves: stdout only when it carries what was asked for (a diff, a machine report); stderr
 * is held back and dropped unless the command fails, so a usage error still explains itself.
 */
export function quieted(out: Output, keepStdout: boolean): Quiet {
  const held: string[] = [];
  return {
    out: { stdout: keepStdout ? out.stdout : () => undefined, stderr: (t) => void held.push(t), isTTY: out.isTTY },
    release: () => held.forEach((t) => out.stderr(t)),
  };
}
