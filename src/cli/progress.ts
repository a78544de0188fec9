// A one-line progress counter on stderr for long work (many homes, a large archive). Drawn only on a
// terminal, and only once the work is long enough to be worth watching: pipes, CI logs and --quiet get
// nothing, so stdout and stderr stay clean for scripts.
import type { Output } from './output.js';

export interface Progress {
  /** Starts the next item: "[3/20] label". */
  step(label: string): void;
  /** Clears the line. */
  done(): void;
}

export interface ProgressOptions {
  /** Fewer items than this draw nothing (default 3). */
  minItems?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Work shorter than this (ms) since start draws nothing yet (default 300). */
  delayMs?: number;
}

const SILENT: Progress = { step: () => undefined, done: () => undefined };

export function progress(out: Output, total: number, options: ProgressOptions = {}): Progress {
  if (!out.stderrIsTTY || total < (options.minItems ?? 3)) return SILENT;
  const now = options.now ?? Date.now;
  const started = now();
  // HARDEN_PROGRESS_DELAY_MS lets a test see the line without waiting for slow work.
  const delay = options.delayMs ?? Number(process.env.HARDEN_PROGRESS_DELAY_MS ?? 300);
  let n = 0;
  let drawn = false;
  return {
    step(label) {
      n += 1;
      if (now() - started < delay) return;
      drawn = true;
      // \r and erase-line keep it to one line; the label is cut so it never wraps.
      out.stderr(`\r\x1b[K[${n}/${total}] ${label.length > 60 ? `…${label.slice(-59)}` : label}`);
    },
    done() {
      if (drawn) out.stderr('\r\x1b[K');
    },
  };
}
