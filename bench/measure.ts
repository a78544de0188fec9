// Runs a command as a child process and measures it. A four-line Python wrapper spawns the command
// and reaps it with wait4(2): wall time (perf_counter around spawn and wait, so the wrapper's own
// start is not counted), CPU time (user + system, including every process the command waited for:
// the node processes of a shell loop, Ansible's module runs) and peak RSS (ru_maxrss: the largest
// single process of that tree). Without python3, only wall time is measured (performance.now()
// around spawnSync) and CPU/RSS read n/a.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PYTHON = ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => existsSync(p));
export const MEASURED_BY = PYTHON
  ? `${PYTHON} wrapper: posix_spawn + wait4 (wall from perf_counter; CPU = ru_utime + ru_stime; peak RSS = ru_maxrss)`
  : 'performance.now() around spawnSync (python3 not found: CPU and RSS n/a)';
const WRAPPER = `import json, os, sys, time
t = time.perf_counter(); pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, ru = os.wait4(pid, 0); code = os.waitstatus_to_exitcode(status)
json.dump({"ms": (time.perf_counter() - t) * 1e3, "cpuMs": (ru.ru_utime + ru.ru_stime) * 1e3, "rssKb": ru.ru_maxrss, "code": code}, open(sys.argv[1], "w")); sys.exit(code if code >= 0 else 1)`;

const scratch = mkdtempSync(join(tmpdir(), 'harden-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

export interface Case {
  name: string;
  cmd: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Exit codes that are not a failure of the measurement (default: any). Others are reported. */
  expect?: number[];
}

export interface Run {
  ms: number;
  cpuMs: number;
  rssMb: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Stats {
  name: string;
  ms: number; // medians
  cpuMs: number;
  rssMb: number;
  codes: string; // distinct exit codes seen
  runs: Run[];
}

export function runOnce(c: Case): Run {
  const out = join(scratch, 'rusage.json');
  const [file, argv] = PYTHON ? [PYTHON, ['-I', '-S', '-c', WRAPPER, out, c.cmd, ...c.args]] : [c.cmd, c.args];
  const t0 = performance.now();
  const r = spawnSync(file, argv, { cwd: c.cwd, env: c.env ?? process.env, encoding: 'utf8', maxBuffer: 256 << 20 });
  const wall = performance.now() - t0;
  if (r.error) throw r.error;
  if (!PYTHON) return { ms: wall, cpuMs: NaN, rssMb: NaN, code: r.status, stdout: r.stdout, stderr: r.stderr };
  const u = JSON.parse(readFileSync(out, 'utf8')) as { ms: number; cpuMs: number; rssKb: number; code: number };
  return { ms: u.ms, cpuMs: u.cpuMs, rssMb: u.rssKb / 1024, code: u.code, stdout: r.stdout, stderr: r.stderr };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs every case `reps` times, round-robin, so drift in machine load hits all cases alike. */
export function measure(cases: Case[], reps: number, warn?: (msg: string) => void): Map<string, Stats> {
  const runs = new Map<string, Run[]>(cases.map((c) => [c.name, []]));
  for (let i = 0; i < reps; i++) {
    for (const c of cases) {
      const r = runOnce(c);
      if (c.expect && !c.expect.includes(r.code ?? -1)) warn?.(`warning: ${c.name} exited ${r.code}: ${r.stderr.trim().split('\n')[0]}`);
      runs.get(c.name)!.push(r);
    }
  }
  return new Map(
    cases.map((c) => {
      const rs = runs.get(c.name)!;
      const codes = [...new Set(rs.map((r) => String(r.code)))].join('/');
      const med = (k: 'ms' | 'cpuMs' | 'rssMb'): number => median(rs.map((r) => r[k]));
      return [c.name, { name: c.name, ms: med('ms'), cpuMs: med('cpuMs'), rssMb: med('rssMb'), codes, runs: rs }];
    }),
  );
}

export const fmtMs = (ms: number): string => (Number.isNaN(ms) ? 'n/a' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
export const fmtMb = (mb: number): string => (Number.isNaN(mb) ? 'n/a' : `${mb.toFixed(0)} MB`);
export const fmtX = (x: number): string => (Number.isNaN(x) ? 'n/a' : `${x.toFixed(x >= 10 ? 0 : 1)}×`);
