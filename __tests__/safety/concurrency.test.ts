// Two harden runs on one HOME cannot interleave (HOME/.harden/lock, O_EXCL, with the pid; a lock of a
// dead process is taken over, saying so), and a file that changes between planning and writing aborts
// the whole apply with nothing written.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/capture.js';
import { cleanupTemps } from '../helpers/homes.js';
import { applyPlan, planHome } from '../../src/run.js';
import { WriteError } from '../../src/io/write-files.js';
import { CARBON, CATALINA, edit, exampleHome, fullSnapshot, productFiles, runBuiltTogether, strayTemps } from './helpers.js';

afterAll(cleanupTemps);

function lockWith(home: string, pid: number, host = hostname()): void {
  mkdirSync(join(home, '.harden'), { recursive: true, mode: 0o700 });
  writeFileSync(join(home, '.harden/lock'), `${JSON.stringify({ pid, host, started: '2026-01-01T00:00:00.000Z', command: 'fix' })}\n`);
}

const deadPid = (): number => {
  const r = spawnSync('sh', ['-c', 'echo $$']);
  return Number(r.stdout.toString().trim());
};

const fixedExample = (() => {
  const home = exampleHome();
  applyPlan(planHome({ home }), { backup: false });
  return productFiles(home);
})();

describe('the lock', () => {
  it('a live harden run holding the lock: exit 2, naming its pid, nothing written', async () => {
    const sleeper = spawn('sleep', ['30']);
    try {
      const home = exampleHome();
      lockWith(home, sleeper.pid!);
      const before = fullSnapshot(home);
      const r = await runCli(['fix', home, '--yes']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`another harden run (pid ${sleeper.pid}, fix, since 2026-01-01T00:00:00.000Z) is working on ${home}; wait for it to finish`);
      expect(fullSnapshot(home)).toEqual(before);
      // Rollback waits its turn the same way.
      const rb = await runCli(['rollback', home]);
      expect(rb.code).toBe(2);
      expect(fullSnapshot(home)).toEqual(before);
    } finally {
      sleeper.kill();
    }
  });

  it('a lock left by a dead process is taken over, with a message', async () => {
    const home = exampleHome();
    const pid = deadPid();
    lockWith(home, pid);
    const r = await runCli(['fix', home, '--yes']);
    expect(r.code).toBeLessThan(2);
    expect(r.stderr).toContain(`took over the lock of harden pid ${pid} (fix, since 2026-01-01T00:00:00.000Z), which is no longer running`);
    expect(productFiles(home)).toEqual(fixedExample);
    expect(existsSync(join(home, '.harden/lock'))).toBe(false);
  });

  it('a lock from another host is not guessed at', async () => {
    const home = exampleHome();
    lockWith(home, 1, 'some-other-host');
    const before = fullSnapshot(home);
    const r = await runCli(['fix', home, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is held by harden pid 1 on host some-other-host');
    expect(r.stderr).toContain('harden cannot tell from here whether it still runs. If it does not, remove');
    expect(fullSnapshot(home)).toEqual(before);
  });

  it('runs started at the same moment never interleave: the home ends fixed, whole, and each run either wrote, had nothing to do, or refused', async () => {
    for (let round = 0; round < 3; round++) {
      const home = exampleHome();
      const runs = await runBuiltTogether([0, 1, 2].map(() => ['fix', home, '--yes']));
      for (const r of runs) {
        expect({ code: r.code, signal: r.signal }).toEqual({ code: r.code === 2 ? 2 : 1, signal: null });
        if (r.code === 2) expect(r.stderr).toMatch(/another harden run \(pid \d+|changed since harden read it|is being taken by another harden run|taking the lock/);
      }
      expect(runs.filter((r) => /^wrote /m.test(r.stderr)).length).toBe(1);
      expect(productFiles(home)).toEqual(fixedExample);
      expect(strayTemps(home)).toEqual([]);
      expect(existsSync(join(home, '.harden/lock'))).toBe(false);
    }
  });
});

describe('a file that changes between planning and writing', () => {
  it('after planning: the apply is refused before anything is written', () => {
    const home = exampleHome();
    const plan = planHome({ home });
    edit(home, CATALINA, 'port="9763"', 'port="9764"');
    const before = fullSnapshot(home);
    expect(() => applyPlan(plan)).toThrow(WriteError);
    expect(() => applyPlan(plan)).toThrow(`${CATALINA}: changed since harden read it (another program or person wrote it); nothing was written`);
    expect(fullSnapshot(home)).toEqual(before);
  });

  it('while the temp files are written (hashes are compared again right before the renames)', () => {
    const home = exampleHome();
    const plan = planHome({ home });
    const original = productFiles(home);
    let edited = '';
    const run = (): void =>
      void applyPlan(plan, {
        onStep: (step) => {
          if (step === 'staged') {
            edit(home, CATALINA, 'port="9763"', 'port="9764"');
            edited = productFiles(home).get(CATALINA)!;
          }
        },
      });
    expect(run).toThrow(`${CATALINA}: changed while harden was preparing to write it`);
    const want = new Map(original);
    want.set(CATALINA, edited);
    expect(productFiles(home)).toEqual(want);
    expect(strayTemps(home)).toEqual([]);
    expect(existsSync(join(home, '.harden/journal.json'))).toBe(false);
    expect(existsSync(join(home, '.harden/lock'))).toBe(false);
  });

  it('between two renames: the files already replaced are put back, so nothing is written', () => {
    const home = exampleHome();
    const plan = planHome({ home, params: { 'port-offset': '1' } });
    expect(plan.changes.map((c) => c.path)).toContain(CARBON);
    const original = productFiles(home);
    let edited = '';
    const run = (): void =>
      void applyPlan(plan, {
        onStep: (step) => {
          if (step === 'rename:2') {
            edit(home, CARBON, '<Offset>0</Offset>', '<Offset>7</Offset>');
            edited = productFiles(home).get(CARBON)!;
          }
        },
      });
    expect(run).toThrow(/repository\/conf\/carbon\.xml: changed while harden was writing.*; the 3 file\(s\) already replaced were put back, so nothing was written/);
    // (the run replaces files in path order: the two start scripts and axis2.xml came before carbon.xml)
    const want = new Map(original);
    want.set(CARBON, edited);
    expect(productFiles(home)).toEqual(want);
    expect(strayTemps(home)).toEqual([]);
    expect(existsSync(join(home, '.harden/journal.json'))).toBe(false);
  });
});
