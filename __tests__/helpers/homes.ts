// Temp copies of homes, byte comparison of trees, and `patch -p1` of a dry-run diff.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listFiles } from './corpus.js';

const made: string[] = [];

export function tempCopy(src: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'harden-test-'));
  made.push(dir);
  cpSync(src, dir, { recursive: true });
  return dir;
}

export function cleanupTemps(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Every file of a tree as bytes, keyed by relative path. */
export function snapshotTree(dir: string): Map<string, Buffer> {
  return new Map(listFiles(dir).map((p) => [p, readFileSync(join(dir, p))]));
}

/** Applies a unified diff (text, or bytes in the files' own encodings) inside `dir` as an operator would. */
export function applyPatch(dir: string, diff: string | Buffer): void {
  const file = join(dir, '..', `${dir.split('/').pop()}.patch`);
  writeFileSync(file, diff);
  execFileSync('patch', ['-p1', '--quiet', '--forward', '--no-backup-if-mismatch', '-i', file], { cwd: dir, stdio: 'pipe' });
  rmSync(file);
}
