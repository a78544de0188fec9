// Where the CLI writes: injected, so tests can capture both streams.
export interface Output {
  /** Bytes are written as they are: a diff of an ISO-8859-1 file is ISO-8859-1. */
  stdout(text: string | Uint8Array): void;
  stderr(text: string): void;
  isTTY: boolean;
}

export const processOutput: Output = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY && process.stdin.isTTY),
};
