// Shared by the safety suites: whole-tree snapshots that see everything (modes, owners, links,
// directories and HOME/.harden), homes to break, and the compiled CLI run as a real child process.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/corpus.js';
import { builtBin, ensureBuilt } from '../helpers/built-cli.js';
import { tempCopy } from '../helpers/homes.js';

export const example = join(repoRoot, 'examples', 'apim-2.6-home');
export const CATALINA = 'repository/conf/tomcat/catalina-server.xml';
export const CARBON = 'repository/conf/carbon.xml';
export const AXIS2 = 'repository/conf/axis2/axis2.xml';
export const isRoot = process.getuid?.() === 0;

export interface Entry {
  kind: 'file' | 'dir' | 'link' | 'other';
  mode: number;
  uid: number;
  gid: number;
  bytes?: string;
  target?: string;
}

/** Every entry below `dir` (HOME/.harden included): kind, permission bits, owner, bytes or link target. */
export function fullSnapshot(dir: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const visit = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const child = rel ? `${rel}/${name}` : name;
      const abs = join(dir, child);
      const st = lstatSync(abs);
      const base = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
      if (st.isSymbolicLink()) out.set(child, { kind: 'link', ...base, target: readlinkSync(abs) });
      else if (st.isDirectory()) {
        out.set(child, { kind: 'dir', ...base });
        visit(child);
      } else if (st.isFile()) {
        // A mode-000 file is still readable by root; tests that drop privileges snapshot as root.
        out.set(child, { kind: 'file', ...base, bytes: readFileSync(abs).toString('base64') });
      } else out.set(child, { kind: 'other', ...base });
    }
  };
  visit('');
  return out;
}

/** A writable copy of the example API Manager 2.6 home. */
export function exampleHome(): string {
  return tempCopy(example);
}

/** Replaces the first occurrence of `from` in a file (read and written as latin1, so bytes stay bytes). */
export function edit(home: string, rel: string, from: string | RegExp, to: string): void {
  const p = join(home, rel);
  const text = readFileSync(p, 'latin1');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`edit of ${rel}: ${String(from)} not found`);
  writeFileSync(p, next, 'latin1');
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI as a separate process, so a kill is a real kill; `wrap` is a command to run it under. */
export function runBuilt(args: string[], opts: { env?: Record<string, string>; uid?: number; gid?: number; wrap?: string[] } = {}): ChildRun {
  ensureBuilt();
  const [cmd, ...pre] = [...(opts.wrap ?? []), process.execPath];
  const r = spawnSync(cmd!, [...pre, builtBin, ...args], {
    env: { ...process.env, NODE_OPTIONS: '', ...opts.env },
    encoding: 'utf8',
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid ?? opts.uid } : {}),
    timeout: 60_000,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Two or more CLI processes started at the same moment. */
export function runBuiltTogether(argvs: string[][]): Promise<ChildRun[]> {
  ensureBuilt();
  return Promise.all(
    argvs.map(
      (args) =>
        new Promise<ChildRun>((resolve) => {
          const child = spawn(process.execPath, [builtBin, ...args], { env: { ...process.env, NODE_OPTIONS: '' } });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
        }),
    ),
  );
}

const TEMP = /\.harden-[0-9TZ]+-[0-9a-f]+\.tmp/;

/** Product files only (no HOME/.harden, no temp files of a write in progress), base64 by path. */
export function productFiles(home: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [p, e] of fullSnapshot(home)) if (e.kind === 'file' && !p.startsWith('.harden/') && !TEMP.test(p)) out.set(p, e.bytes!);
  return out;
}

/** Temp files harden leaves beside a target only while it writes. */
export function strayTemps(home: string): string[] {
  return [...fullSnapshot(home).keys()].filter((p) => TEMP.test(p));
}

/**
 * How to run the CLI so that a mode-000 file really cannot be read. Not root: as is. Root reads
 * anything (CAP_DAC_OVERRIDE), so: root without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (setpriv),
 * else the user nobody; undefined when neither can be arranged here.
 */
export function withoutReadPrivilege(probeDir: string): { wrap?: string[]; uid?: number; gid?: number; how: string } | undefined {
  if (!isRoot) return { how: 'as a non-root user' };
  const probe = join(probeDir, 'unreadable-probe');
  writeFileSync(probe, 'x');
  chmodSync(probe, 0o000);
  const denied = (r: { status: number | null; stderr: string }): boolean => r.status !== 0 && /Permission denied|EACCES/.test(r.stderr);
  const drop = ['setpriv', '--bounding-set', '-dac_override,-dac_read_search', '--inh-caps', '-dac_override,-dac_read_search'];
  try {
    if (denied(spawnSync(drop[0]!, [...drop.slice(1), 'cat', probe], { encoding: 'utf8' }))) return { wrap: drop, how: 'as root without CAP_DAC_OVERRIDE (setpriv)' };
    ensureBuilt();
    const asNobody = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(builtBin)}); require('fs').readFileSync(${JSON.stringify(probe)})`], { encoding: 'utf8', uid: 65534, gid: 65534 });
    if (denied(asNobody)) return { uid: 65534, gid: 65534, how: 'as the user nobody' };
    return undefined;
  } finally {
    rmSync(probe, { force: true });
  }
}
