// Where a home deploys its web applications and Jaggery apps. Carbon keeps them under
// repository/deployment/server/ of the home; EI 6.x profiles keep their own under wso2/<profile>/ (their
// configuration is wso2/<profile>/conf/, product.confDirs).
import type { Finding, ProductInfo, TransformContext, TransformMeta } from '../engine/types.js';
import { JsonSyntaxError, locateJson, type JsonDoc } from '../formats/json/locate.js';
import { report } from './findings.js';

const SERVER = 'repository/deployment/server';

/** HOME-relative prefixes ('' or 'wso2/<profile>/') of every runtime's repository/deployment/server/. */
export function deploymentRoots(product: ProductInfo): string[] {
  const roots = new Set<string>();
  for (const d of product.confDirs) {
    const profile = /^(wso2\/[^/]+)\/conf$/.exec(d);
    roots.add(profile ? `${profile[1]}/` : '');
  }
  return [...roots];
}

/** Globs of every web application's deployment descriptor (exploded webapps only: a .war is not edited). */
export function webappDescriptors(product: ProductInfo): string[] {
  return deploymentRoots(product).map((r) => `${r}${SERVER}/webapps/*/WEB-INF/web.xml`);
}

/** Globs of every Jaggery app's jaggery.conf. */
export function jaggeryConfs(product: ProductInfo): string[] {
  return deploymentRoots(product).map((r) => `${r}${SERVER}/jaggeryapps/*/jaggery.conf`);
}

/** The app a descriptor belongs to, for messages: its directory name, with the EI profile when there is one. */
export function appLabel(path: string): string {
  const m = /^(?:wso2\/([^/]+)\/)?repository\/deployment\/server\/(webapps|jaggeryapps)\/([^/]+)\//.exec(path);
  if (!m) return path;
  const kind = m[2] === 'webapps' ? 'web application' : 'Jaggery app';
  return `${kind} ${m[3]}${m[1] ? ` (${m[1]} profile)` : ''}`;
}

/** The directory name of the app a descriptor belongs to. */
export function appName(path: string): string | undefined {
  return /\/(?:webapps|jaggeryapps)\/([^/]+)\//.exec(path)?.[1];
}

/**
 * A Jaggery app's jaggery.conf located as JSON (with its text and the app's label), or the manual finding saying
 * it is not strict JSON, which Jaggery's reader needs (`then`, when given, is appended: what to do once it is).
 */
export function locateJaggeryConf(
  t: TransformMeta,
  ctx: TransformContext,
  file: string,
  then?: string,
): { doc: JsonDoc; text: string; app: string; invalid?: undefined } | { invalid: Finding } {
  const text = ctx.files.get(file)!.text;
  const app = appLabel(file);
  try {
    return { doc: locateJson(text), text, app };
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    return { invalid: report(t, 'manual', `${app}: jaggery.conf is not strict JSON (${e.reason}), which Jaggery's reader needs${then ? `; ${then}` : ''}`, file, e.line) };
  }
}
