// The machine-readable outputs of check and fix (--format json|sarif|junit), and the HTML report
// (--format html, also for plan and show): gathers what the pure renderers in src/report/ need that is
// not in the plan — the tool's name and version from package.json, HOME as a file: URI, the rules'
// metadata, the time — and renders.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { HomePlan } from '../run.js';
import type { Format, ReportInput, ReportTool } from '../report/common.js';
import type { HtmlHome, HtmlMode } from '../report/html.js';
import { ALL_TRANSFORMS } from '../../transforms/index.js';

let tool: ReportTool | undefined;

/** harden's own package.json, found upwards from this module (src/cli when run by ts-jest, dist/src/cli when built). */
export function toolInfo(): ReportTool {
  if (tool) return tool;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string; homepage?: string };
      if (pkg.name === 'harden') {
        tool = { name: 'harden', version: pkg.version ?? '0.0.0', ...(pkg.homepage ? { informationUri: pkg.homepage } : {}) };
        return tool;
      }
    }
    if (dirname(dir) === dir) return (tool = { name: 'harden', version: '0.0.0' });
  }
}

/** What the renderers take for one planned home. */
export function reportInput(plan: HomePlan, mode: ReportInput['mode'], written?: string[]): ReportInput {
  const homeUri = plan.homeUri ?? pathToFileURL(resolve(plan.home)).href.replace(/\/?$/, '/');
  return { plan, rules: ALL_TRANSFORMS, tool: toolInfo(), mode, homeUri, ...(written ? { written } : {}) };
}

/** The HTML report over homes already made into its view (htmlHome, htmlHomeFromPlan, htmlHomeError). */
export async function htmlPage(mode: HtmlMode, homes: HtmlHome[], planFile?: string): Promise<string> {
  const { htmlReport } = await import('../report/html.js');
  return htmlReport({ tool: toolInfo(), mode, homes, generated: new Date().toISOString(), ...(planFile !== undefined ? { planFile } : {}) });
}

export async function machineReport(format: Exclude<Format, 'text'>, plan: HomePlan, mode: ReportInput['mode'], written?: string[]): Promise<string> {
  const input = reportInput(plan, mode, written);
  if (format === 'html') return htmlPage(mode, [(await import('../report/html.js')).htmlHome(input)]);
  if (format === 'json') return (await import('../report/json.js')).jsonReport(input);
  if (format === 'sarif') return (await import('../report/sarif.js')).sarifReport(input);
  return (await import('../report/junit.js')).junitReport(input);
}
