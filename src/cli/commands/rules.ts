// `harden rules [HOME]`: every rule harden knows, and with a HOME whether each applies to it.
import { ALL_TRANSFORMS } from '../../../transforms/index.js';
import { notApplicableReason } from '../../engine/plan.js';
import type { ProductInfo, Transform } from '../../engine/types.js';
import { detectHome } from '../../run.js';
import { UsageError } from '../../errors.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';

export interface RulesArgs {
  home?: string;
  format?: string;
}

const MODEL_NAMES: Record<string, string> = {
  xml: 'Carbon 4.4 / XML',
  toml: 'deployment.toml',
  mi: 'Micro Integrator',
  ballerina: 'BI / Ballerina',
  container: 'container image',
};

/** The product generations a rule covers, in words: models, then any kernel bounds. */
export function generations(t: Transform): string {
  const models = t.appliesTo.models.map((m) => MODEL_NAMES[m] ?? m).join(', ');
  const k = t.appliesTo.kernel;
  const bounds = k ? ` (kernel ${[k.from && `≥ ${k.from}`, k.before && `< ${k.before}`].filter(Boolean).join(', ')})` : '';
  return models + bounds;
}

interface RuleRow {
  id: string;
  title: string;
  severity: string;
  fixClass: string;
  generations: string;
  params: string[];
  applies?: boolean;
  reason?: string;
}

function rows(product: ProductInfo | undefined): RuleRow[] {
  return ALL_TRANSFORMS.map((t) => {
    const reason = product && notApplicableReason(t, product);
    return {
      id: t.id,
      title: t.title,
      severity: t.severity,
      fixClass: t.fixClass,
      generations: generations(t),
      params: t.params.map((p) => p.name),
      ...(product ? { applies: !reason, ...(reason ? { reason } : {}) } : {}),
    };
  });
}

export function runRules(args: RulesArgs, out: Output): number {
  if (args.format && args.format !== 'text' && args.format !== 'json') throw new UsageError(`harden rules --format takes text or json, got "${args.format}"`);
  const product = args.home !== undefined ? detectHome(args.home) : undefined;
  const list = rows(product);
  if (args.format === 'json') {
    const head = product ? { home: args.home, product: { id: product.id, name: product.name, version: product.version ?? null, kernel: product.kernel ?? null, model: product.model } } : {};
    out.stdout(`${JSON.stringify({ ...head, rules: list }, null, 2)}\n`);
    return EXIT.clean;
  }
  if (product) out.stdout(`${args.home}: ${product.name}${product.version ? ` ${product.version}` : ''} (${MODEL_NAMES[product.model] ?? product.model})\n\n`);
  const idWidth = Math.max(...list.map((r) => r.id.length));
  for (const r of list) {
    const mark = r.applies === undefined ? '' : r.applies ? 'applies  ' : 'n/a      ';
    out.stdout(`${mark}${r.id.padEnd(idWidth)}  ${r.severity.padEnd(6)}  ${r.fixClass.padEnd(12)}  ${r.generations}\n`);
    out.stdout(`${' '.repeat(mark.length)}${' '.repeat(idWidth + 2)}${r.title}${r.params.length ? `; --set ${r.params.join(', ')}` : ''}${r.reason ? ` [${r.reason}]` : ''}\n`);
  }
  out.stdout(`\n${list.length} rules${product ? `, ${list.filter((r) => r.applies).length} apply to this home` : ''}; harden explain <id> prints one rule's page\n`);
  return EXIT.clean;
}
