// The compiled CLI (dist/), for tests that must run it as a separate process. Rebuilt once when any
// TypeScript source is newer than dist; a lock directory keeps parallel jest workers from building twice.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './corpus.js';

export const builtBin = join(repoRoot, 'dist', 'src', 'cli', 'bin.js');
const lock = join(repoRoot, 'dist', '.build-lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'fixtures' || name === 'node_modules') continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (name.endsWith('.ts')) newest = Math.max(newest, st.mtimeMs);
  }
  return newest;
}

const isStale = (): boolean =>
  !existsSync(builtBin) || Math.max(...['src', 'transforms'].map((d) => newestSource(join(repoRoot, d)))) > statSync(builtBin).mtimeMs;

const sleep = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Makes sure dist/ matches the sources (CI builds it in `npm ci`; local edits may not have). */
export function ensureBuilt(): void {
  if (!isStale()) return;
  mkdirSync(join(repoRoot, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than two minutes belongs to a worker that died.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      sleep(200);
    }
  }
  try {
    // The same build as `npm run build`, which also makes the bin executable (npx harden runs it directly).
    if (isStale()) execFileSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'pipe' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
