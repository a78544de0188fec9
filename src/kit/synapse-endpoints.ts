// HTTPS back-ends named in the Synapse artifacts deployed on disk (APIs, proxies, endpoints, sequences under
// repository/deployment/server/synapse-configs/<tenant-or-default>/), by how they are addressed: what a change
// of the PassThrough sender's hostname verification can break. Artifacts inside .car files, in the registry
// or deployed from API Manager's database are not on disk and are not seen.
import type { TransformContext } from '../engine/types.js';
import { lineOf } from './findings.js';
import { isIpLiteral, isLoopback } from './hostnames.js';

const ROOT = 'repository/deployment/server/synapse-configs';
export const SYNAPSE_ARTIFACTS = [`${ROOT}/*/*.xml`, `${ROOT}/*/*/*.xml`];

export interface Backend {
  file: string;
  line: number;
  /** The host as written (an IPv6 literal with its brackets). */
  host: string;
  kind: 'loopback' | 'ip';
}

export interface BackendScan {
  /** Artifacts read. */
  files: number;
  /** HTTPS URIs addressed by a loopback name or an IP literal. */
  risky: Backend[];
  /** HTTPS URIs whose host is computed at run time ({uri.var.x}, $ctx:, ${...}). */
  dynamic: number;
}

const HTTPS = /https:\/\/(\[[^\]\s]*\]|[^/:?#"'\s<>]+)/gi;

/** Comments blanked (newlines kept, so offsets and lines stay true). */
function withoutComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
}

export function scanBackends(ctx: TransformContext): BackendScan {
  const files = SYNAPSE_ARTIFACTS.flatMap((g) => ctx.files.glob(g));
  const risky: Backend[] = [];
  let dynamic = 0;
  for (const f of files) {
    const text = withoutComments(f.text);
    for (const m of text.matchAll(HTTPS)) {
      const host = m[1]!;
      if (/[{}$]/.test(host)) {
        dynamic++;
        continue;
      }
      const kind = isLoopback(host) ? 'loopback' : isIpLiteral(host) ? 'ip' : undefined;
      if (kind) risky.push({ file: f.path, line: lineOf(f.text, m.index), host, kind });
    }
  }
  return { files: files.length, risky, dynamic };
}

/** "a.xml:3 (localhost), b.xml:9 (10.0.0.5)" for at most `max` back-ends. */
export function listBackends(backends: readonly Backend[], max = 5): string {
  const shown = backends.slice(0, max).map((b) => `${b.file}:${b.line} (${b.host})`);
  return shown.join(', ') + (backends.length > max ? ` and ${backends.length - max} more` : '');
}
