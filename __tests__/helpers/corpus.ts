// Where ../shared/corpus sits beside the checkout (CI lays it there); suites skip cleanly without it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const corpusRoot = join(repoRoot, '..', 'shared', 'corpus');
export const hasCorpus = existsSync(join(corpusRoot, 'README.md'));

/** Every file below `dir` whose path matches, relative to `dir`. */
export function listFiles(dir: string, match: (rel: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const visit = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel))) {
      const child = rel ? `${rel}/${name}` : name;
      if (statSync(join(dir, child)).isDirectory()) visit(child);
      else if (match(child)) out.push(child);
    }
  };
  if (existsSync(dir)) visit('');
  return out.sort();
}
