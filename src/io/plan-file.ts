// Saved plan files on disk: read, written atomically (a half-written plan is never left behind), and
// the SHA-256 of the home files a plan read, taken from their bytes as they are now.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PlanFileError, sha256Hex } from '../plan-file.js';
import { writeStateFile } from './state.js';

export function readPlanFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new PlanFileError(`${path}: cannot read the plan file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Written private (0600): a plan holds no secret, but it names a home's layout. */
export function writePlanFile(path: string, text: string): void {
  try {
    writeStateFile(resolve(path), text, 0o600);
  } catch (e) {
    throw new PlanFileError(`${path}: cannot write the plan file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** SHA-256 of the current bytes of each HOME-relative path; a path that cannot be read is left out. */
export function hashHomeFiles(home: string, paths: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of paths) {
    try {
      out.set(p, sha256Hex(readFileSync(join(home, p))));
    } catch {
      // Gone since it was read: the comparison reports it.
    }
  }
  return out;
}

export const absoluteHome = (home: string): string => resolve(home);
