// Product detection from the files of a home (RULES.md §0, corrected by RULES-FACTCHECK B18):
// product and version from bin/version.txt, kernel from bin/wso2carbon-version.txt or the core
// bundle's file name, config model from the layout.
import type { ProductInfo } from './types.js';
import type { SourceFiles } from './source-files.js';
import { projectEvidence, readPackage } from '../formats/ballerina/project.js';

/** Files detection reads (text) or only needs to see listed (jars, directories). */
export const METADATA_CONFIG = 'repository/resources/conf/.metadata/metadata_config.properties';
export const DETECTION_READ = [
  'bin/version.txt',
  'bin/wso2carbon-version.txt',
  'bin/*.sh',
  'Ballerina.toml',
  'Dependencies.toml',
  'repository/conf/carbon.xml',
  'conf/carbon.xml',
  METADATA_CONFIG,
  'repository/resources/conf/default.json',
];

/** Generated files and their MD5s; keys use the separators of the OS the server ran on, escaped as properties. */
export function readMetadata(text: string | undefined): { path: string; md5: string }[] {
  if (!text) return [];
  const out: { path: string; md5: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^([^#!][^=]*)=([0-9a-f]{32})\s*$/i.exec(line);
    if (m) out.push({ path: m[1]!.replace(/\\\\/g, '\\').replace(/\\/g, '/').trim(), md5: m[2]!.toLowerCase() });
  }
  return out;
}
export const DETECTION_LIST = [
  'bin/*',
  'repository/components/plugins/org.wso2.carbon.core_*.jar',
  'repository/conf/*',
  'repository/conf/tomcat/catalina-server.xml',
  'repository/resources/conf/templates/*',
  'conf/*',
  'conf/tomcat/catalina-server.xml',
  'wso2/*/conf/carbon.xml',
  'wso2/*/conf/tomcat/catalina-server.xml',
  'Config.toml',
  'tests/Config.toml',
];

/**
 * Listed only for a home without product markers (src/run.ts probeHome): a folder of container builds,
 * such as a checkout of wso2/docker-apim, is the 'container' model.
 */
export const CONTAINER_LIST = ['**/Dockerfile', '**/*.Dockerfile', '**/Dockerfile.*'];

/** A Dockerfile by name: `Dockerfile`, `Dockerfile.alpine`, `api.Dockerfile` (templates such as Dockerfile.j2 are not). */
export function isDockerfile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return (/^Dockerfile(?:\.[^/]+)?$/.test(name) || /^[^/]+\.Dockerfile$/.test(name)) && !/\.(?:j2|jinja2?|erb|tmpl|tpl|template|orig|bak|rej|sample|md)$/i.test(name);
}

const PRODUCT_NAMES: [RegExp, string, string][] = [
  [/API Manager/i, 'wso2am', 'WSO2 API Manager'],
  [/Identity Server/i, 'wso2is', 'WSO2 Identity Server'],
  [/Enterprise Integrator/i, 'wso2ei', 'WSO2 Enterprise Integrator'],
  [/Enterprise Service Bus|\bESB\b/i, 'wso2esb', 'WSO2 Enterprise Service Bus'],
  [/Micro Integrator/i, 'wso2mi', 'WSO2 Micro Integrator'],
  [/Carbon/i, 'carbon-kernel', 'WSO2 Carbon'],
];

/** Start scripts that name their product when version.txt does not. */
const SCRIPT_PRODUCTS: [string, string, string][] = [
  ['bin/api-manager.sh', 'wso2am', 'WSO2 API Manager'],
  ['bin/micro-integrator.sh', 'wso2mi', 'WSO2 Micro Integrator'],
  ['bin/integrator.sh', 'wso2ei', 'WSO2 Enterprise Integrator'],
  ['bin/wso2esb-samples.sh', 'wso2esb', 'WSO2 Enterprise Service Bus'],
];

/** Product version → kernel (RULES.md §0.1), used only when the home itself does not say. */
const KNOWN_KERNELS: Record<string, string> = {
  'wso2am 2.1.0': '4.4.11', 'wso2am 2.2.0': '4.4.26', 'wso2am 2.5.0': '4.4.32', 'wso2am 2.6.0': '4.4.35',
  'wso2am 3.0.0': '4.5.1', 'wso2am 3.1.0': '4.6.0', 'wso2am 3.2.0': '4.6.0', 'wso2am 4.0.0': '4.6.2',
  'wso2am 4.1.0': '4.6.3', 'wso2am 4.2.0': '4.8.1', 'wso2am 4.3.0': '4.9.26', 'wso2am 4.4.0': '4.9.27',
  'wso2am 4.5.0': '4.9.28', 'wso2am 4.6.0': '4.9.33', 'wso2am 4.7.0': '4.11.18',
  'wso2is 5.5.0': '4.4.26', 'wso2is 5.7.0': '4.4.35', 'wso2is 5.8.0': '4.4.40', 'wso2is 5.9.0': '4.5.1',
  'wso2is 5.10.0': '4.6.0', 'wso2is 5.11.0': '4.6.1', 'wso2is 6.0.0': '4.7.1', 'wso2is 6.1.0': '4.9.0',
  'wso2is 7.0.0': '4.10.9', 'wso2is 7.1.0': '4.10.42', 'wso2is 7.2.0': '4.10.101', 'wso2is 7.3.0': '4.12.34',
  'wso2ei 6.1.0': '4.4.16', 'wso2ei 6.4.0': '4.4.36', 'wso2ei 6.5.0': '4.4.40', 'wso2ei 6.6.0': '4.5.3',
  'wso2esb 5.0.0': '4.4.8',
};

const VERSION = /v?(\d+\.\d+\.\d+)/;

export function detectProduct(files: SourceFiles): ProductInfo {
  const evidence: string[] = [];
  const exists = (p: string): boolean => files.has(p);
  const anyUnder = (dir: string): boolean => files.listing.some((p) => p.startsWith(`${dir}/`));

  let id = 'unknown';
  let name = 'unknown product';
  let version: string | undefined;
  const versionTxt = files.get('bin/version.txt')?.text.trim();
  if (versionTxt && !versionTxt.includes('${')) {
    const hit = PRODUCT_NAMES.find(([re]) => re.test(versionTxt));
    if (hit) [, id, name] = hit;
    version = VERSION.exec(versionTxt)?.[1];
    evidence.push(`bin/version.txt: "${versionTxt.split(/\r?\n/)[0]}"`);
  }
  if (id === 'unknown') {
    // carbon.xml names the product (never the kernel: its <Version> is the product's, RULES §0.2).
    for (const path of ['repository/conf/carbon.xml', 'conf/carbon.xml']) {
      const text = files.get(path)?.text.replace(/<!--[\s\S]*?-->/g, '');
      const productName = text && /<Name>\s*([^<]+?)\s*<\/Name>/.exec(text)?.[1];
      const hit = productName ? PRODUCT_NAMES.find(([re]) => re.test(productName)) : undefined;
      if (hit && productName) {
        [, id, name] = hit;
        const v = /<Version>\s*(\d+\.\d+\.\d+)\s*<\/Version>/.exec(text)?.[1];
        version ??= v;
        evidence.push(`${path}: <Name>${productName}</Name>${v ? ` <Version>${v}</Version>` : ''}`);
        break;
      }
    }
  }
  if (!version) {
    // The product's default.json names it for the Server/User-Agent details (e.g. "WSO2 AM 4.5.0").
    const details = /"server\.serverDetails"\s*:\s*"WSO2 (AM|IS|MI|EI) (\d+\.\d+\.\d+)"/.exec(files.get('repository/resources/conf/default.json')?.text ?? '');
    const ids: Record<string, [string, string]> = { AM: ['wso2am', 'WSO2 API Manager'], IS: ['wso2is', 'WSO2 Identity Server'], MI: ['wso2mi', 'WSO2 Micro Integrator'], EI: ['wso2ei', 'WSO2 Enterprise Integrator'] };
    if (details && (id === 'unknown' || id === ids[details[1]!]![0])) {
      [id, name] = ids[details[1]!]!;
      version = details[2];
      evidence.push(`repository/resources/conf/default.json: server.serverDetails "WSO2 ${details[1]} ${version}"`);
    }
  }
  if (id === 'unknown') {
    const byScript = SCRIPT_PRODUCTS.find(([p]) => exists(p));
    if (byScript) {
      [, id, name] = byScript;
      evidence.push(`start script ${byScript[0]}`);
    }
  }

  let kernel: string | undefined;
  const kernelTxt = files.get('bin/wso2carbon-version.txt')?.text;
  const fromTxt = kernelTxt && !kernelTxt.includes('${') ? VERSION.exec(kernelTxt)?.[1] : undefined;
  if (fromTxt) {
    kernel = fromTxt;
    evidence.push(`bin/wso2carbon-version.txt: kernel ${kernel}`);
  } else {
    const jar = files.listing.find((p) => /repository\/components\/plugins\/org\.wso2\.carbon\.core_(\d+\.\d+\.\d+)/.test(p));
    const fromJar = jar && /core_(\d+\.\d+\.\d+)/.exec(jar)?.[1];
    if (fromJar) {
      kernel = fromJar;
      evidence.push(`${jar}: kernel ${kernel}`);
    } else if (version && KNOWN_KERNELS[`${id} ${version}`]) {
      kernel = KNOWN_KERNELS[`${id} ${version}`];
      evidence.push(`kernel ${kernel} inferred from ${name} ${version} (no version file in the home)`);
    }
  }

  const scripts = files.glob('bin/*.sh');
  const avoidsConfigUpdate = scripts.some((s) => /-DavoidConfigUpdate=true/.test(s.text));
  const confDirs: string[] = [];
  const binDirs = ['bin'];
  let model: ProductInfo['model'] = 'unknown';

  if (exists('Ballerina.toml')) {
    model = 'ballerina';
    id = 'ballerina';
    name = 'WSO2 Integrator: BI / Ballerina project';
    version = readPackage(files.get('Ballerina.toml')?.text)?.version;
    evidence.push(...projectEvidence(files.get('Ballerina.toml')?.text ?? '', files.get('Dependencies.toml')?.text));
  } else if (exists('conf/deployment.toml') && (exists('bin/micro-integrator.sh') || id === 'wso2mi')) {
    model = 'mi';
    confDirs.push('conf');
    if (id === 'unknown') [id, name] = ['wso2mi', 'WSO2 Micro Integrator'];
    evidence.push('conf/deployment.toml with bin/micro-integrator.sh: Micro Integrator');
  } else if (exists('repository/conf/deployment.toml') && !avoidsConfigUpdate) {
    model = 'toml';
    confDirs.push('repository/conf');
    evidence.push(
      anyUnder('repository/resources/conf/templates')
        ? 'repository/conf/deployment.toml with repository/resources/conf/templates/: deployment.toml model'
        : 'repository/conf/deployment.toml (templates not present in this copy): deployment.toml model',
    );
  } else if (exists('conf/carbon.xml') || exists('conf/tomcat/catalina-server.xml')) {
    model = 'xml';
    confDirs.push('conf');
    for (const p of files.listing) {
      const m = /^wso2\/([^/]+)\/conf\/(carbon\.xml|tomcat\/catalina-server\.xml)$/.exec(p);
      if (m && !confDirs.includes(`wso2/${m[1]}/conf`)) {
        confDirs.push(`wso2/${m[1]}/conf`);
        binDirs.push(`wso2/${m[1]}/bin`);
      }
    }
    evidence.push(`conf/ layout${confDirs.length > 1 ? ` with profiles ${confDirs.slice(1).join(', ')}` : ''}${avoidsConfigUpdate ? ', started with -DavoidConfigUpdate=true' : ''}: XML model`);
  } else if (anyUnder('repository/conf') || scripts.some((s) => /\.Bootstrap\b/.test(s.text))) {
    model = 'xml';
    confDirs.push('repository/conf');
    evidence.push(
      avoidsConfigUpdate
        ? 'deployment.toml present but the start script passes -DavoidConfigUpdate=true: XML model'
        : 'repository/conf without deployment.toml templates: XML model (Carbon 4.4 style)',
    );
  }
  if (model === 'unknown' && (exists('Config.toml') || exists('tests/Config.toml'))) {
    // A deployed program's directory (the jar and the Config.toml it reads from its working directory), or a
    // project slice without Ballerina.toml: Config.toml is Ballerina's configuration file name.
    model = 'ballerina';
    id = 'ballerina';
    name = 'WSO2 Integrator: BI / Ballerina program';
    evidence.push(
      exists('Config.toml')
        ? 'Config.toml without Ballerina.toml or a Carbon layout: the configuration of a Ballerina program'
        : 'tests/Config.toml without Ballerina.toml or a Carbon layout: the test configuration of a Ballerina project',
    );
    evidence.push(...projectEvidence(undefined, files.get('Dependencies.toml')?.text));
  }
  if (model === 'unknown') {
    const dockerfiles = files.listing.filter(isDockerfile);
    if (dockerfiles.length) {
      model = 'container';
      id = 'container';
      name = 'Container image builds (Dockerfiles)';
      evidence.push(`no product markers; ${dockerfiles.length} Dockerfile(s), e.g. ${dockerfiles[0]}: container model`);
    }
  }
  if (id === 'unknown' && model === 'xml') name = 'WSO2 Carbon-based product';
  const generated = model === 'toml' || model === 'mi' ? readMetadata(files.get(METADATA_CONFIG)?.text) : [];
  if (generated.length) evidence.push(`${METADATA_CONFIG}: the server has run; ${generated.length} files tracked by the config mapper`);
  return { id, name, version, kernel, model, confDirs, binDirs, evidence, generated };
}
