// Progress is drawn only on a terminal, only for long work, and always cleared.
import { describe, expect, it } from '@jest/globals';
import { progress } from '../src/cli/progress.js';
import type { Output } from '../src/cli/output.js';

function sink(stderrIsTTY: boolean): Output & { err: string } {
  const o = { err: '', isTTY: false, stderrIsTTY, stdout: () => undefined, stderr: (t: string) => void (o.err += t) };
  return o;
}

describe('progress', () => {
  it('draws [n/total] on a terminal once the work is long, then clears the line', () => {
    const out = sink(true);
    let t = 0;
    const p = progress(out, 4, { now: () => t });
    p.step('a'); // too early to bother
    t = 1000;
    p.step('b');
    p.step('c');
    p.done();
    expect(out.err).toBe('\r\x1b[K[2/4] b\r\x1b[K[3/4] c\r\x1b[K');
  });

  it('draws nothing when stderr is not a terminal', () => {
    const out = sink(false);
    const p = progress(out, 100, { now: () => 10_000, delayMs: 0 });
    for (let i = 0; i < 100; i++) p.step(`home${i}`);
    p.done();
    expect(out.err).toBe('');
  });

  it('draws nothing for a short list, nor a clear it never needed', () => {
    const out = sink(true);
    const p = progress(out, 2, { delayMs: 0 });
    p.step('one');
    p.done();
    expect(out.err).toBe('');
  });

  it('cuts long labels so the line never wraps', () => {
    const out = sink(true);
    const p = progress(out, 3, { delayMs: 0 });
    p.step('x'.repeat(200));
    expect(out.err.length).toBeLessThan(80);
  });
});
