// Temp copies of homes, byte comparison of trees, and `patch -p1` of a dry-run diff.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listFiles } from './corpus.js';

const made: string[] = [];

/**
 * A writable copy of a home. The shared corpus is read-only (mode 0444), and harden refuses to
 * replace a file whose owner may not write it, so copies get the owner write bit a real home has.
 */
export function tempCopy(src: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'harden-test-'));
  made.push(dir);
  cpSync(src, dir, { recursive: true });
  const ownerWritable = (p: string): void => {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return;
    if ((st.mode & 0o200) === 0) chmodSync(p, (st.mode & 0o7777) | 0o200);
    if (st.isDirectory()) for (const name of readdirSync(p)) ownerWritable(join(p, name));
  };
  ownerWritable(dir);
  return dir;
}

export function cleanupTemps(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/**
 * Every file of a tree as bytes, keyed by relative path; harden's own HOME/.harden (lock, journal,
 * backups) is not part of the product, so it is left out unless asked for.
 */
export function snapshotTree(dir: string, { withHardenState = false } = {}): Map<string, Buffer> {
  const keep = (p: string): boolean => withHardenState || !(p === '.harden' || p.startsWith('.harden/'));
  return new Map(listFiles(dir, keep).map((p) => [p, readFileSync(join(dir, p))]));
}

/** Applies a unified diff (text, or bytes in the files' own encodings) inside `dir` as an operator would. */
export function applyPatch(dir: string, diff: string | Buffer): void {
  const file = join(dir, '..', `${dir.split('/').pop()}.patch`);
  writeFileSync(file, diff);
  execFileSync('patch', ['-p1', '--quiet', '--forward', '--no-backup-if-mismatch', '-i', file], { cwd: dir, stdio: 'pipe' });
  rmSync(file);
}
