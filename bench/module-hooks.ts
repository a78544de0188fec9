// A module-resolution hook that logs every URL Node resolves while harden runs, to count the modules
// a command loads:  BENCH_MODULE_LOG=FILE node --no-warnings --experimental-loader ./dist/bench/module-hooks.js ...
// (Node 20 routes ESM imports through it; require() calls inside CommonJS packages, such as xml-js
// loading sax, bypass it.)
import { appendFileSync } from 'node:fs';

type Next = (specifier: string, context: object) => Promise<{ url: string }>;

export async function resolve(specifier: string, context: object, next: Next): Promise<{ url: string }> {
  const result = await next(specifier, context);
  if (process.env.BENCH_MODULE_LOG) appendFileSync(process.env.BENCH_MODULE_LOG, `${result.url}\n`);
  return result;
}
