// Where one configuration file of a home is decided (RULES.md §1.2): the file itself in the XML model; in a
// deployment.toml home the TOML when the product templates the file, else the file itself, unless the last
// start recorded it as generated (then an edit could be overwritten by something harden does not see).
import type { Finding, ProductInfo, TransformContext, TransformMeta } from '../engine/types.js';
import { tomlConfig, tomlFiles, type TomlConfig } from './deployment-toml.js';
import { report } from './findings.js';

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

/** The carbon.xml of a configuration directory. */
export const carbonXml = (dir: string): string => `${dir}/carbon.xml`;

/** The carbon.xml a deployment.toml home renders: its first configuration directory's. */
export const renderedCarbonXml = (product: ProductInfo): string => carbonXml(product.confDirs[0] ?? (product.model === 'mi' ? 'conf' : 'repository/conf'));

/**
 * A carbon.xml rule's plan. XML homes: `xml` on the carbon.xml of every configuration directory that has one.
 * deployment.toml homes: where fileSource sends the rendered carbon.xml — `xml` on the file in place, `toml` on
 * deployment.toml, or a finding saying why neither (a manual one ends with `; ${thenManual}`).
 */
export function planCarbonXml(
  t: TransformMeta,
  ctx: TransformContext,
  thenManual: string,
  xml: (file: string) => Finding[],
  toml: (config: TomlConfig, template: string | undefined, rel: string) => Finding[],
): Finding[] {
  if (ctx.product.model === 'xml') {
    const findings: Finding[] = [];
    for (const dir of ctx.product.confDirs) {
      if (ctx.files.get(carbonXml(dir))) findings.push(...xml(carbonXml(dir)));
    }
    return findings.length ? findings : [report(t, 'not-applicable', `no carbon.xml in ${ctx.product.confDirs.join(', ')}`)];
  }
  const rel = renderedCarbonXml(ctx.product);
  const src = fileSource(ctx, rel);
  if (src.kind === 'none') return [report(t, src.status, src.status === 'manual' ? `${src.why}; ${thenManual}` : src.why)];
  if (src.kind === 'file') return xml(src.path);
  return toml(src.config, src.template, rel);
}
