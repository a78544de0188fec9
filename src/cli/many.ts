// Several homes in one run: `harden check home1 home2 …`, `harden check FLEET` (a folder whose
// subfolders are homes) and the same for `fix --dry-run`. Each home is planned as a single run plans it
// (src/run-many.ts); a home that cannot be planned is reported with its error and the others go on. One
// report covers every home, in every format; the exit code is the worst of the homes' (2 > 3 > 1 > 0).
import { encodeText } from '../engine/encoding.js';
import { changeDiff } from '../engine/diff.js';
import { SEVERITIES, type Finding } from '../engine/types.js';
import { escapeAttr } from '../formats/xml/locate.js';
import { checkConfigRules, parseConfig } from '../config.js';
import { readConfigFile } from '../io/config-file.js';
import { selectTransforms, validateParams, type HomePlan } from '../run.js';
import { pathFromRoot, planHomes, type HomeList, type HomeOutcome } from '../run-many.js';
import { countBy, REPORT_STATUSES, type ReportInput } from '../report/common.js';
import { detectionText, findingsText, openFindings, summaryText, type Style } from '../report/text.js';
import { UsageError } from '../errors.js';
import { ALL_TRANSFORMS } from '../../transforms/index.js';
import { EXIT, withExpiredWaivers } from './exit-codes.js';
import { machineFormat, toRequest, type CommonArgs } from './options.js';
import type { Output } from './output.js';
import { progress } from './progress.js';
import { htmlPage, reportInput, toolInfo } from './machine-report.js';

export type ManyMode = 'check' | 'dry-run';

/** The home positional as yargs gives it for `[home..]`: always a list. */
export function homeArgs(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return value === undefined ? [] : [String(value)];
}

const splitIds = (values: string[] | undefined): string[] => (values ?? []).flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);

/**
 * The flags' own mistakes (an unknown rule id, an unknown or invalid --set, a bad --config file) would be
 * the same for every home: they stop the run once, exit 2, instead of failing each home.
 */
export function checkFlags(args: CommonArgs): void {
  const transforms = selectTransforms(ALL_TRANSFORMS, splitIds(args.only), splitIds(args.skip));
  const params: Record<string, string> = {};
  for (const pair of args.set ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes name=value, got "${pair}"`);
    params[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
  }
  validateParams(transforms, params);
  if (args.config !== undefined) {
    const file = readConfigFile('.', args.config)!;
    checkConfigRules(parseConfig(file.text, file.path), ALL_TRANSFORMS);
  }
}

/** A home's exit code, as the single-home command computes it. */
function homeCode(plan: HomePlan, mode: ManyMode): number {
  const open = openFindings(plan.findings);
  const pending = mode === 'check' ? open.length || plan.changes.length : plan.changes.length || open.filter((f) => f.status !== 'fixable').length;
  return withExpiredWaivers(plan.findings, pending ? EXIT.findings : EXIT.clean);
}

/** Worst first: an error (2), an expired waiver (3), findings (1), clean (0). */
const RANK: readonly number[] = [EXIT.clean, EXIT.findings, EXIT.expiredWaiver, EXIT.error];
export const worstExit = (codes: readonly number[]): number => codes.reduce((w, c) => (RANK.indexOf(c) > RANK.indexOf(w) ? c : w), EXIT.clean);

export async function runMany(mode: ManyMode, args: CommonArgs, list: HomeList, out: Output, style: Style): Promise<number> {
  const format = machineFormat(args) ?? 'text';
  checkFlags(args);
  const bar = progress(out, list.homes.length);
  const outcomes = planHomes(list.homes, (home) => toRequest({ ...args, home }), (home) => bar.step(home));
  bar.done();
  for (const o of outcomes) {
    if (o.plan) for (const n of o.plan.notices) out.stderr(`harden: ${o.home}: ${n}\n`);
    else out.stderr(`harden: ${o.home}: ${o.error}\n`);
  }
  const code = worstExit(outcomes.map((o) => (o.plan ? homeCode(o.plan, mode) : EXIT.error)));
  const inputs = outcomes.map((o) => (o.plan ? reportInput(o.plan, mode) : undefined));
  if (format === 'html') {
    const { htmlHome, htmlHomeError } = await import('../report/html.js');
    out.stdout(await htmlPage(mode, outcomes.map((o, i) => (o.plan ? htmlHome(inputs[i]!) : htmlHomeError(o.home, o.error)))));
  } else if (format === 'json') out.stdout(await manyJson(mode, outcomes, inputs));
  else if (format === 'sarif') out.stdout(await manySarif(outcomes, inputs));
  else if (format === 'junit') out.stdout(await manyJunit(outcomes, inputs));
  else if (mode === 'check') manyCheckText(outcomes, out, style, args.verbose);
  else manyDryRunText(outcomes, list.root, out, style);
  return code;
}

// --- text ----------------------------------------------------------------------------------------

function heading(o: HomeOutcome, i: number, n: number, style: Style): string {
  return style.bold(`=== [${i + 1}/${n}] ${o.home} ===`);
}

const openBySeverity = (findings: readonly Finding[]) => countBy(SEVERITIES, openFindings([...findings]).map((f) => f.severity));

/** The closing table: one line per home with its product and open findings by severity. */
function homesTable(outcomes: readonly HomeOutcome[]): string {
  const failed = outcomes.filter((o) => o.error !== undefined).length;
  const rows = outcomes.map((o) => {
    if (!o.plan) return [o.home, 'error: could not be checked', '', '', '', '', '', ''];
    const p = o.plan.product;
    const open = openBySeverity(o.plan.findings);
    const total = SEVERITIES.reduce((n, s) => n + open[s], 0);
    return [o.home, `${p.name}${p.version ? ` ${p.version}` : ''}`, String(total), ...SEVERITIES.map((s) => String(open[s])), String(o.plan.changes.length)];
  });
  const head = ['HOME', 'PRODUCT', 'OPEN', ...SEVERITIES.map((s) => s.toUpperCase()), 'FILES'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]): string => `  ${r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}`.trimEnd();
  return [`${outcomes.length} home(s)${failed ? `, ${failed} could not be checked` : ''}; open findings by severity, and the files harden fix would change:`, line(head), ...rows.map(line)].join('\n');
}

function manyCheckText(outcomes: readonly HomeOutcome[], out: Output, style: Style, verbose?: boolean): void {
  outcomes.forEach((o, i) => {
    out.stdout(`${heading(o, i, outcomes.length, style)}\n`);
    if (!o.plan) {
      out.stdout(`harden could not check this home: ${o.error}\n\n`);
      return;
    }
    const plan = o.plan;
    out.stdout(`${detectionText(plan, style)}\n\n`);
    const listed = findingsText(plan.findings, style, verbose);
    if (listed) out.stdout(`${listed}\n\n`);
    out.stdout(`${summaryText(plan.findings)}\n`);
    if (plan.changes.length) out.stdout(`harden fix would change ${plan.changes.length} file(s): ${plan.changes.map((c) => c.path).join(', ')}\n`);
    out.stdout('\n');
  });
  out.stdout(`${homesTable(outcomes)}\n`);
}

/**
 * The diffs of every home on stdout, each path named from the root folder the homes share (a/<home>/<path>),
 * so `cd ROOT && patch -p1` applies them all; the rest on stderr, as for one home.
 */
function manyDryRunText(outcomes: readonly HomeOutcome[], root: string, out: Output, style: Style): void {
  const masked: string[] = [];
  let files = 0;
  outcomes.forEach((o, i) => {
    out.stderr(`${heading(o, i, outcomes.length, style)}\n`);
    if (!o.plan) {
      out.stderr(`harden could not check this home: ${o.error}\n\n`);
      return;
    }
    const plan = o.plan;
    const prefix = pathFromRoot(root, o.home);
    out.stderr(`${detectionText(plan, style)}\n\n`);
    for (const c of plan.changes) {
      const path = `${prefix}/${c.path}`;
      const d = changeDiff({ ...c, path });
      if (d.redacted) masked.push(path);
      out.stdout(encodeText(d.text, plan.files.get(c.path)?.encoding ?? 'utf8'));
      files++;
    }
    const remaining = openFindings(plan.findings).filter((f) => f.status !== 'fixable');
    if (remaining.length) out.stderr(`${findingsText(remaining, style)}\n\n`);
    out.stderr(`${summaryText(plan.findings)}\n\n`);
  });
  out.stderr(`${homesTable(outcomes)}\n`);
  out.stderr(
    files
      ? `dry run: ${files} file(s) in ${outcomes.filter((o) => o.plan?.changes.length).length} home(s) would change; nothing was written. The diff names paths from ${root}: cd ${root} && patch -p1 applies it\n`
      : 'dry run: nothing to change\n',
  );
  for (const path of masked) out.stderr(`masked: ${path} (a changed line carries a secret, shown as ********; patch cannot apply that file's diff, harden fix --yes can)\n`);
}

// --- machine formats -----------------------------------------------------------------------------

async function manyJson(mode: ManyMode, outcomes: readonly HomeOutcome[], inputs: readonly (ReportInput | undefined)[]): Promise<string> {
  const { jsonDocument, JSON_SCHEMA_VERSION } = await import('../report/json.js');
  const docs = outcomes.map((o, i) => (inputs[i] ? jsonDocument(inputs[i]!) : { home: o.home, error: o.error! }));
  const findings = docs.flatMap((d) => ('findings' in d ? d.findings : []));
  const tool = toolInfo();
  const doc = {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: tool.name, version: tool.version },
    mode,
    homes: docs,
    summary: {
      homes: docs.length,
      failed: docs.filter((d) => 'error' in d).length,
      total: findings.length,
      byStatus: countBy(REPORT_STATUSES, findings.map((f) => f.status)),
      bySeverity: countBy(SEVERITIES, findings.map((f) => f.severity)),
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** One SARIF log with a run per home; a home that could not be planned is a run whose invocation failed. */
async function manySarif(outcomes: readonly HomeOutcome[], inputs: readonly (ReportInput | undefined)[]): Promise<string> {
  const { sarifReport, SARIF_SCHEMA } = await import('../report/sarif.js');
  const { pathToFileURL } = await import('node:url');
  const { resolve } = await import('node:path');
  const tool = toolInfo();
  const runs = outcomes.flatMap((o, i) => {
    if (inputs[i]) return (JSON.parse(sarifReport(inputs[i]!)) as { runs: unknown[] }).runs;
    return [
      {
        tool: { driver: { name: tool.name, version: tool.version, ...(tool.informationUri ? { informationUri: tool.informationUri } : {}), rules: [] } },
        originalUriBaseIds: { HOME: { uri: pathToFileURL(resolve(o.home)).href.replace(/\/?$/, '/') } },
        invocations: [{ executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', message: { text: o.error } }] }],
        results: [],
      },
    ];
  });
  return `${JSON.stringify({ $schema: SARIF_SCHEMA, version: '2.1.0', runs }, null, 2)}\n`;
}

/** <testsuites> with one <testsuite> per home (package = the home); a home that failed is one <error>. */
async function manyJunit(outcomes: readonly HomeOutcome[], inputs: readonly (ReportInput | undefined)[]): Promise<string> {
  const { junitReport } = await import('../report/junit.js');
  const attr = (v: string | number): string => `"${escapeAttr(String(v), '"')}"`;
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const suites = outcomes.map((o, i) => {
    if (!inputs[i]) {
      totals.tests++;
      totals.errors++;
      return `<testsuite name="harden" package=${attr(o.home)} id=${attr(i)} tests="1" failures="0" errors="1" skipped="0">\n  <testcase classname="harden" name=${attr(o.home)}>\n    <error message=${attr(o.error!)} type="error"/>\n  </testcase>\n</testsuite>`;
    }
    const suite = junitReport(inputs[i]!).replace(/^<\?xml[^>]*\?>\n/, '');
    const head = /^<testsuite name="harden" tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)">/.exec(suite)!;
    totals.tests += Number(head[1]);
    totals.failures += Number(head[2]);
    totals.errors += Number(head[3]);
    totals.skipped += Number(head[4]);
    return suite.replace('<testsuite name="harden" ', `<testsuite name="harden" package=${attr(o.home)} id=${attr(i)} `).trimEnd();
  });
  const head = `<testsuites name="harden" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}">`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}\n${suites.join('\n')}\n</testsuites>\n`;
}
