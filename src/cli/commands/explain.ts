// `harden explain <id>`: a rule's docs page (why, what it changes, parameters, when not to apply,
// references), with the metadata the engine holds for it.
import { ALL_TRANSFORMS } from '../../../transforms/index.js';
import { readDocsPage } from '../../io/docs-page.js';
import { UsageError } from '../../errors.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { generations } from './rules.js';

export interface ExplainArgs {
  id: string;
}

/** The closest known ids, for a helpful error on a typo. */
function nearest(id: string): string[] {
  const words = id.split('-');
  return ALL_TRANSFORMS.map((t) => t.id).filter((known) => words.some((w) => w.length > 2 && known.includes(w)));
}

export function runExplain(args: ExplainArgs, out: Output): number {
  const t = ALL_TRANSFORMS.find((r) => r.id === args.id);
  if (!t) {
    const near = nearest(args.id);
    throw new UsageError(`no rule "${args.id}"${near.length ? `; did you mean ${near.join(', ')}?` : ''} (harden rules lists them all)`);
  }
  const page = readDocsPage(t.id);
  out.stdout(`${t.id}  severity ${t.severity}, ${t.fixClass}, ${generations(t)}\n\n`);
  if (page) {
    out.stdout(page.endsWith('\n') ? page : `${page}\n`);
  } else {
    // An installation without docs still says what the rule is.
    out.stdout(`${t.title}\n\n${t.rationale}\n\n`);
    for (const s of t.sources) out.stdout(`- ${s.title}: ${s.url}\n`);
  }
  if (t.params.length) {
    out.stdout('\nParameters (--set name=value or [params] in harden.toml):\n');
    for (const p of t.params) out.stdout(`  ${p.name}${p.default !== undefined ? ` (default ${p.default})` : ' (no default: needed for the fix)'}: ${p.description}\n`);
  }
  return EXIT.clean;
}
