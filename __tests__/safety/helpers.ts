// Shared by the safety suites: whole-tree snapshots that see everything (modes, owners, links,
// directories and HOME/.harden), homes to break, and the compiled CLI run as a real child process.
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
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

/** Runs the compiled CLI as a separate process, so a kill is a real kill. */
export function runBuilt(args: string[], opts: { env?: Record<string, string>; uid?: number; gid?: number } = {}): ChildRun {
  ensureBuilt();
  const r = spawnSync(process.execPath, [builtBin, ...args], {
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
