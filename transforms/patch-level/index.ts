// No configuration setting replaces security updates. This rule cannot see WSO2's update server, so it
// says what the home is (product, version, kernel, update level where the home records one) and where to
// check: WSO2 Updates 2.0 for Carbon products and MI, the Ballerina distribution for BI, the base images
// and product version for container builds.
import type { ConfigModel, Finding, Transform } from '../../src/engine/types.js';
import { report } from '../../src/kit/findings.js';
import { dockerfileGlobs, dockerfiles, expandGlobal, WSO2_IMAGE } from '../../src/kit/dockerfiles.js';
import { scopeAt } from '../../src/formats/dockerfile/parse.js';

const MODELS: ConfigModel[] = ['xml', 'toml', 'mi', 'ballerina', 'container'];
const U2 = 'https://updates.docs.wso2.com/en/latest/';

/** `update-level` of WSO2 Updates 2.0's updates/config.json, when the tool has run here. */
function updateLevel(text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const level = (JSON.parse(text) as Record<string, unknown>)['update-level'];
    return typeof level === 'number' || typeof level === 'string' ? String(level) : undefined;
  } catch {
    return undefined;
  }
}

export const patchLevel: Transform = {
  id: 'patch-level',
  title: 'The product runs with its latest security updates',
  rationale:
    'WSO2 ships security fixes as updates on top of a released version (WSO2 Updates 2.0 for Carbon products and Micro Integrator, patch releases of the Ballerina distribution for BI). A home without them keeps every vulnerability fixed since its release, however well it is configured. harden cannot ask the update server, so it reports what it sees and where to check.',
  severity: 'info',
  fixClass: 'REPORT',
  sources: [
    { title: 'WSO2 Updates 2.0 documentation', url: U2 },
    { title: 'WSO2 security advisories', url: 'https://security.docs.wso2.com/en/latest/security-announcements/security-advisories/' },
    { title: 'WSO2 Integrator: BI runtime security (apply patches)', url: 'https://bi.docs.wso2.com/deploy/deployment-best-practices/runtime-security/' },
  ],
  appliesTo: { models: MODELS },
  files: (product) => (product.model === 'container' ? dockerfileGlobs(product) : product.model === 'ballerina' ? ['Ballerina.toml'] : ['updates/config.json']),
  stats: (product) => (product.model === 'container' || product.model === 'ballerina' ? [] : ['updates/*', 'updates/wum/*', 'bin/wso2update_*']),
  params: [],
  plan(ctx) {
    const p = ctx.product;
    if (p.model === 'ballerina') {
      const toml = ctx.files.get('Ballerina.toml')?.text ?? '';
      const dist = /^\s*distribution\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
      return [
        report(
          this,
          'advisory',
          `${p.name}: ${dist ? `built with Ballerina distribution ${dist} (Ballerina.toml)` : 'Ballerina.toml names no distribution'}; check that it is the latest patch release of its Swan Lake update (bal dist list, bal dist update), rebuild, and update the Ballerina and connector packages in Dependencies.toml (bal build --sticky=false)`,
          'Ballerina.toml',
        ),
      ];
    }
    if (p.model === 'container') {
      const findings: Finding[] = [];
      for (const d of dockerfiles(ctx)) {
        if ('error' in d) continue;
        const stage = d.file.stages[d.file.stages.length - 1]!;
        const scope = scopeAt(d.file, stage, stage.instructions.length);
        const bases = d.file.stages.map((s) => expandGlobal(d.file, s.image)).filter((img, k, all) => img.toLowerCase() !== 'scratch' && !d.file.stages.some((s) => s.name === img.toLowerCase()) && all.indexOf(img) === k);
        const name = scope.get('WSO2_SERVER_NAME');
        const version = scope.get('WSO2_SERVER_VERSION');
        const url = scope.get('WSO2_SERVER_DIST_URL');
        if (bases.length === 0 && !name) continue;
        const product = name && version ? `it installs ${name} ${version}${url && /github\.com|bintray\.com/.test(url) ? ' from the public GA release, which carries no WSO2 updates' : ''}; ` : '';
        const wso2 = bases.filter((b) => WSO2_IMAGE.test(b));
        findings.push(
          report(
            this,
            'advisory',
            `${product}base image${bases.length === 1 ? '' : 's'} ${bases.join(', ')}: rebuild regularly from patched base images${
              name || wso2.length ? ', and build WSO2 products from an updated pack (WSO2 Updates 2.0, or the updated images of docker.wso2.com)' : ''
            }`,
            d.path,
            stage.instructions[0]!.line,
          ),
        );
      }
      return findings.length ? findings : [report(this, 'not-applicable', 'no Dockerfile here starts from a base image or installs a product (FROM scratch only)')];
    }
    const what = `${p.name}${p.version ? ` ${p.version}` : ' (version unknown)'}${p.kernel ? `, Carbon kernel ${p.kernel}` : ''}`;
    const level = updateLevel(ctx.files.get('updates/config.json')?.text);
    const listed = (q: string): boolean => ctx.files.has(q) || ctx.files.listing.some((x) => x.startsWith(`${q}/`));
    const tool = ctx.files.listing.find((x) => /^bin\/wso2update_/.test(x));
    let state: string;
    if (level !== undefined && level !== '-1') state = `WSO2 Updates 2.0 update level ${level} (updates/config.json)`;
    else if (level === '-1') state = 'WSO2 Updates 2.0 is set up but no update was applied (update-level -1 in updates/config.json)';
    else if (listed('updates/config.yaml')) state = 'updated with the retired in-place update tool (updates/config.yaml): move to WSO2 Updates 2.0';
    else if (listed('updates/wum')) state = 'updated with the retired WUM (updates/wum/): move to WSO2 Updates 2.0';
    else state = `no update metadata in updates/${tool ? ` (the update tool ${tool} is present)` : ''}: it looks like the GA release`;
    return [
      report(
        this,
        'advisory',
        `${what}: ${state}; check for newer updates with ${tool ?? 'bin/wso2update_linux'} check (WSO2 Updates 2.0, ${U2}) and the WSO2 security advisories`,
        level !== undefined ? 'updates/config.json' : undefined,
      ),
    ];
  },
};
