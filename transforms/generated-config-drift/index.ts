// From Carbon 4.5 on, the config mapper regenerates XML files from deployment.toml and records each
// one's MD5 in .metadata. A generated file whose bytes no longer match was edited by hand: the next
// start overwrites it, so any hardening written there is not real.
import { createHash } from 'node:crypto';
import { METADATA_CONFIG } from '../../src/engine/detect.js';
import { encodeFile } from '../../src/engine/encoding.js';
import { report } from '../../src/kit/findings.js';
import type { Finding, Transform } from '../../src/engine/types.js';

/** Inputs of the mapper, not its output: their change triggers a re-render rather than being lost. */
const INPUTS = /(^|\/)deployment\.toml$|\.j2$|\.json$/;

export const generatedConfigDrift: Transform = {
  id: 'generated-config-drift',
  title: 'Generated configuration files have not been edited by hand',
  rationale:
    'Products from Carbon 4.5 on regenerate catalina-server.xml, axis2.xml, carbon.xml and more from deployment.toml at start-up, and overwrite a generated file that was edited by hand. A setting hardened only in such a file is lost at the next restart: it belongs in deployment.toml.',
  severity: 'medium',
  fixClass: 'REPORT',
  sources: [
    { title: 'WSO2 config mapper: generated files tracked in .metadata', url: 'https://github.com/wso2/config-mapper' },
    { title: 'WSO2 API Manager: configuration catalog (deployment.toml)', url: 'https://apim.docs.wso2.com/en/latest/reference/config-catalog/' },
  ],
  appliesTo: { models: ['toml', 'mi'] },
  files: (product) => product.generated.map((g) => g.path).filter((p) => !INPUTS.test(p)),
  params: [],
  plan(ctx) {
    const tracked = ctx.product.generated.filter((g) => !INPUTS.test(g.path));
    if (tracked.length === 0) {
      return [report(this, 'not-applicable', `no ${METADATA_CONFIG}: the server has not started from this home yet, so nothing was generated`)];
    }
    const findings: Finding[] = [];
    let unchanged = 0;
    for (const g of tracked) {
      const file = ctx.files.get(g.path);
      if (!file) continue;
      const md5 = createHash('md5').update(encodeFile(file, file.text)).digest('hex');
      if (md5 === g.md5) {
        unchanged++;
        continue;
      }
      findings.push(
        report(
          this,
          'manual',
          `${g.path} was edited after the server generated it (its MD5 no longer matches ${METADATA_CONFIG}); the next start overwrites it from deployment.toml, so any hardening in it is not real: make the change in deployment.toml`,
          g.path,
        ),
      );
    }
    if (unchanged) findings.push(report(this, 'compliant', `${unchanged} generated file(s) match what the config mapper last wrote`));
    return findings;
  },
};
