// harden's in-process path: plan several homes in one Node process by calling planHome (what
// `harden check` does per home, minus argv parsing and printing). Prints one JSON line on stdout.
//   node dist/bench/plan-many.js HOME...           timings: process ready, first plan, later plans
//   node dist/bench/plan-many.js --stats HOME...    per home: files read, bytes, xml-js parses
import { planHome } from '../src/run.js';

interface HomeStats {
  home: string;
  ms: number;
  files?: number;
  bytes?: number;
  xmlParses?: number;
  xmlParsedBytes?: number;
  error?: string;
}

const args = process.argv.slice(2);
const stats = args[0] === '--stats';
const homes = stats ? args.slice(1) : args;
const readyMs = performance.now(); // since process start: Node bootstrap + loading harden's modules

// xml-js is CommonJS, so its exports object is shared: counting its parses needs no change to harden.
const parses = { n: 0, bytes: 0 };
if (stats) {
  const xmljs = (await import('xml-js')).default as unknown as { xml2js: (text: string, options?: object) => unknown };
  const original = xmljs.xml2js;
  xmljs.xml2js = (text, options) => {
    parses.n++;
    parses.bytes += text.length;
    return original(text, options);
  };
}

const results: HomeStats[] = [];
for (const home of homes) {
  const before = { ...parses };
  const t0 = performance.now();
  try {
    const plan = planHome({ home });
    const ms = performance.now() - t0;
    const paths = plan.files.paths();
    results.push({
      home,
      ms,
      files: paths.length,
      bytes: paths.reduce((sum, p) => sum + Buffer.byteLength(plan.files.get(p)!.text, plan.files.get(p)!.encoding), 0),
      xmlParses: parses.n - before.n,
      xmlParsedBytes: parses.bytes - before.bytes,
    });
  } catch (e) {
    results.push({ home, ms: performance.now() - t0, error: e instanceof Error ? e.message : String(e) });
  }
}

const later = results.slice(1).map((r) => r.ms);
process.stdout.write(
  `${JSON.stringify({
    readyMs,
    firstPlanMs: results[0]?.ms ?? 0,
    laterPlanMeanMs: later.length ? later.reduce((a, b) => a + b, 0) / later.length : 0,
    homes: stats ? results : results.length,
  })}\n`,
);
