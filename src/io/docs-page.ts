// Reads a rule's docs page (docs/transforms/<id>.md) from the installed package, for `harden explain`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest directory above this module holding docs/transforms (source or dist layout). */
function packageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'docs', 'transforms'))) return dir;
    dir = dirname(dir);
  }
  return undefined;
}

/** The page's Markdown, or undefined when this installation has no page for the id. */
export function readDocsPage(id: string): string | undefined {
  const root = packageRoot();
  const path = root && join(root, 'docs', 'transforms', `${id}.md`);
  return path && existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}
