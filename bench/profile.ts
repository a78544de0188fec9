// Summarises a V8 .cpuprofile (node --cpu-prof): self time per package / harden folder, and the
// functions with the most self time.
import { readFileSync } from 'node:fs';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number; // sampled time without (idle)
  groups: [string, number][];
  functions: [string, number][];
}

function groupOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : fn.startsWith('RegExp:') ? 'RegExp execution' : `native ${fn}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:internal/modules') || url.startsWith('node:internal/bootstrap')) return 'Node module loader';
  if (url.startsWith('node:')) return url; // e.g. node:internal/util/comparisons is isDeepStrictEqual
  const own = /\/dist\/((?:src|transforms|bench)(?:\/[^/]+)?)/.exec(url); // src/formats, src/run.js, transforms/<id>
  return own ? `harden ${own[1]}` : url;
}

export function summarizeProfile(path: string, root: string, top = 12): ProfileSummary {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const selfUs = new Map<number, number>();
  p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalMs = 0;
  for (const n of p.nodes) {
    const ms = (selfUs.get(n.id) ?? 0) / 1000;
    const { functionName, url, lineNumber } = n.callFrame;
    if (ms === 0 || functionName === '(idle)') continue;
    totalMs += ms;
    const g = groupOf(url, functionName);
    groups.set(g, (groups.get(g) ?? 0) + ms);
    const where = url ? ` ${url.replace(`file://${root}/`, '').replace(/^.*node_modules\//, '')}:${lineNumber + 1}` : '';
    const f = `${(functionName || '(top level)').slice(0, 60)}${where}`;
    functions.set(f, (functions.get(f) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>): [string, number][] => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { totalMs, groups: sorted(groups), functions: sorted(functions) };
}
