// Where one configuration file of a home is decided (RULES.md §1.2): the file itself in the XML model; in a
// deployment.toml home the TOML when the product templates the file, else the file itself, unless the last
// start recorded it as generated (then an edit could be overwritten by something harden does not see).
import type { ProductInfo, TransformContext } from '../engine/types.js';
import { tomlConfig, tomlFiles, type TomlConfig } from './deployment-toml.js';

export type FileSource =
  /** Edit deployment.toml; `template` is the product's template text (undefined in a copy without templates/). */
  | { kind: 'toml'; config: TomlConfig; template: string | undefined }
  /** Edit the file in place. */
  | { kind: 'file'; path: string }
  /** Neither: why, for a finding. */
  | { kind: 'none'; status: 'not-applicable' | 'manual'; why: string };

/** deployment.toml and its mapping files, the file's template, and the file itself (for products that do not template it). */
export function renderedFiles(product: ProductInfo, rel: string): string[] {
  return product.model === 'xml' ? [rel] : [...tomlFiles(product, [rel]), rel];
}

/** How `rel` (HOME-relative, also its path under templates/) is configured in this home. */
export function fileSource(ctx: TransformContext, rel: string): FileSource {
  if (ctx.product.model === 'xml') {
    return ctx.files.get(rel) ? { kind: 'file', path: rel } : { kind: 'none', status: 'not-applicable', why: `no ${rel}` };
  }
  const config = tomlConfig(ctx);
  if (!config) return { kind: 'none', status: 'not-applicable', why: 'no deployment.toml' };
  const template = config.template(rel);
  if (template !== undefined || !config.hasTemplates) return { kind: 'toml', config, template };
  // The product has templates but none for this file: the file is static, unless the config mapper generated it.
  if (!ctx.files.get(rel)) return { kind: 'none', status: 'not-applicable', why: `no ${rel} and no template for it` };
  if ((ctx.product.generated ?? []).some((g) => g.path === rel)) {
    return {
      kind: 'none',
      status: 'manual',
      why: `metadata_config.properties lists ${rel} as generated at the last start, but this home has no template for it, so an edit may be overwritten; check where it comes from`,
    };
  }
  return { kind: 'file', path: rel };
}

/** Whether the template text reads `needle`; true when there is no template text to check (a copy without templates/). */
export function reads(template: string | undefined, needle: string): boolean {
  return template === undefined || template.includes(needle);
}
