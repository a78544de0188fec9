// Where the CLI writes: injected, so tests can capture both streams.
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
  isTTY: boolean;
}

export const processOutput: Output = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY && process.stdin.isTTY),
};
