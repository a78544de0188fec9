// `--format html`: one self-contained page (inline CSS and SVG; no script, font, image or any other
// request) for one home or several. Per home: the product detection, a summary (counts by status and
// severity, drawn and tabled), the findings grouped by severity then file with each rule's title,
// rationale and references, the diff of each fixable finding, waivers and guidance, then the whole
// change of each file and the rules that passed or do not apply. Several homes get a table first, one
// row per home linking to its section.
//
// Pure. Secrets: finding messages come scrubbed from planHome, and every diff is engine/diff.ts's
// unifiedDiff (secret lines masked or left out), exactly as in the text and JSON output. Every value
// goes through html`…`, which escapes it.
import { unifiedDiff, type FileDiff } from '../engine/diff.js';
import { applyEdits } from '../formats/text.js';
import type { FileEdit, FixClass, Finding, Source } from '../engine/types.js';
import type { PlanDoc } from '../plan-file.js';
import { jsonDocument } from './json.js';
import { countBy, OPEN_STATUSES, REPORT_STATUSES, ruleMeta, SEVERITIES, sortedFindings, type ReportInput, type ReportStatus, type ReportTool, type Severity } from './common.js';
import { anchor, html, raw, safeHref, type Html } from './html-escape.js';
import { CHART_STATUSES, chartColour, severityStatusChart, STATUS_COLOURS, type Matrix } from './html-chart.js';

export type HtmlMode = 'check' | 'dry-run' | 'apply' | 'plan' | 'show';

export interface HtmlFinding {
  rule: string;
  title: string;
  severity: Severity;
  file: string | null;
  line: number | null;
  status: ReportStatus;
  message: string;
  waiver?: { reason: string; owner: string; expires: string };
  rationale?: string;
  fixClass?: FixClass;
  sources: Source[];
  /** needs-input: the parameters without a default that the rule takes. */
  needs: { name: string; description: string }[];
  /** This finding's own change to each file it edits (masked as in every other output). */
  diffs: FileDiff[];
}

export interface HtmlChange {
  path: string;
  rules: string[];
  diff: string;
  masked: boolean;
  /** fix --yes: whether the file was written. */
  written?: boolean;
  /** A change of the file's permission bits, when there is one (its text may not change at all). */
  mode?: { from: number; to: number };
}

export interface HtmlProduct {
  id: string;
  name?: string;
  version: string | null;
  kernel: string | null;
  model: string;
  confDirs: string[];
  evidence?: string[];
}

export interface HtmlHome {
  /** HOME as given on the command line (a saved plan: as recorded). */
  home: string;
  product?: HtmlProduct;
  tls?: { profile: string; jdk: number };
  /** A saved plan's request (show). */
  request?: { only: string[]; skip: string[]; params: Record<string, string> };
  /** Absent for a saved plan, which records changes, not findings. */
  findings?: HtmlFinding[];
  summary?: { total: number; byStatus: Record<ReportStatus, number>; bySeverity: Record<Severity, number> };
  changes: HtmlChange[];
  /** The home could not be planned: why (scrubbed like every harden error). */
  error?: string;
}

export interface HtmlReport {
  tool: ReportTool;
  mode: HtmlMode;
  homes: HtmlHome[];
  /** plan / show: the plan file. */
  planFile?: string;
  /** When the report was made (ISO 8601), given by the caller so that rendering stays pure. */
  generated?: string;
}

const STATUS_LABELS: Record<ReportStatus, string> = {
  error: 'Refused',
  fixable: 'To fix',
  fixed: 'Fixed',
  'needs-input': 'Needs input',
  manual: 'Manual',
  advisory: 'Advice',
  waived: 'Waived',
  compliant: 'Compliant',
  'not-applicable': 'Not applicable',
};
export const statusLabel = (s: ReportStatus): string => STATUS_LABELS[s];

const FIX_CLASSES: Record<FixClass, string> = {
  AUTO: 'AUTO: applied unattended',
  'AUTO-GUARDED': 'AUTO-GUARDED: applied when its precondition holds',
  'USER-VALUE': 'USER-VALUE: applied with a value you give',
  GUIDED: 'GUIDED: harden prepares the files, you run one command',
  REPORT: 'REPORT: guidance only, harden edits nothing',
};

/** What the message of a finding is, by status. */
const MESSAGE_LABELS: Record<ReportStatus, string> = {
  error: 'Why the fix was refused',
  fixable: 'Found, and what the fix does',
  fixed: 'Found, and what the fix did',
  'needs-input': 'Found, and what the fix needs',
  manual: 'Guidance',
  advisory: 'Guidance',
  waived: 'Found',
  compliant: 'Verdict',
  'not-applicable': 'Why it does not apply',
};

/** The order of findings within a file: what needs doing first. */
const LIST_ORDER: readonly ReportStatus[] = ['error', 'fixable', 'needs-input', 'manual', 'fixed', 'advisory', 'waived', 'compliant', 'not-applicable'];
const PASSED: readonly ReportStatus[] = ['compliant', 'not-applicable'];
const isOpen = (s: ReportStatus): boolean => OPEN_STATUSES.includes(s);

/** Each fixable finding's own edits on the original file, as a masked unified diff per file. */
function findingDiffs(f: Finding, input: ReportInput): FileDiff[] {
  if (f.status !== 'fixable' || !f.edits?.length) return [];
  const byFile = new Map<string, FileEdit[]>();
  for (const e of f.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const out: FileDiff[] = [];
  for (const [path, edits] of [...byFile.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const before = input.plan.changes.find((c) => c.path === path)?.before ?? input.plan.files.get(path)?.text;
    if (before === undefined) continue;
    let after: string;
    try {
      after = applyEdits(before, edits);
    } catch {
      continue; // not composable on its own: the file's whole change (below the findings) shows it
    }
    const d = unifiedDiff(path, before, after);
    if (d.text) out.push(d);
  }
  return out;
}

/** A planned home as the report shows it; the findings, statuses and counts are the JSON report's. */
export function htmlHome(input: ReportInput): HtmlHome {
  const doc = jsonDocument(input);
  const sorted = sortedFindings(input.plan.findings);
  const findings = doc.findings.map((j, i): HtmlFinding => {
    const meta = ruleMeta(input.rules, j.rule);
    return {
      ...j,
      sources: meta?.sources ?? [],
      ...(meta ? { rationale: meta.rationale, fixClass: meta.fixClass } : {}),
      needs: j.status === 'needs-input' ? (meta?.params ?? []).filter((p) => p.default === undefined).map((p) => ({ name: p.name, description: p.description })) : [],
      diffs: findingDiffs(sorted[i]!, input),
    };
  });
  const written = new Set(input.written ?? []);
  const changes = input.plan.changes.map((c): HtmlChange => {
    const d = unifiedDiff(c.path, c.before, c.after);
    const mode = (c as { mode?: { from: number; to: number } }).mode;
    return { path: c.path, rules: [...c.rules], diff: d.text, masked: d.redacted, ...(mode ? { mode } : {}), ...(input.mode === 'apply' ? { written: written.has(c.path) } : {}) };
  });
  return { home: doc.home, product: doc.product, tls: doc.tls, findings, summary: doc.summary, changes };
}

/** A saved plan (harden show): its product, request and masked diffs. */
export function htmlHomeFromPlan(doc: PlanDoc): HtmlHome {
  return {
    home: doc.home,
    product: { ...doc.product },
    tls: { profile: doc.request.profile, jdk: doc.request.jdk },
    request: { only: doc.request.only, skip: doc.request.skip, params: doc.request.params },
    changes: doc.changes.map((c) => ({ path: c.path, rules: [...c.rules], diff: c.diff, masked: c.masked })),
  };
}

/** A home that could not be planned. */
export function htmlHomeError(home: string, message: string): HtmlHome {
  return { home, changes: [], error: message };
}

// ---------------------------------------------------------------------------------------------------

function matrixOf(findings: readonly HtmlFinding[]): Matrix {
  const m = {} as Matrix;
  for (const s of SEVERITIES) m[s] = countBy(REPORT_STATUSES, findings.filter((f) => f.severity === s).map((f) => f.status));
  return m;
}

const openBySeverity = (findings: readonly HtmlFinding[]): Record<Severity, number> =>
  countBy(SEVERITIES, findings.filter((f) => isOpen(f.status)).map((f) => f.severity));

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

const octal = (mode: number): string => mode.toString(8).padStart(4, '0');

function diffBlock(d: { path: string; text: string; masked: boolean; mode?: { from: number; to: number } }, caption: Html, id?: string): Html {
  const perms = d.mode ? html`<p class="perms">Permissions <code>${octal(d.mode.from)}</code> → <code>${octal(d.mode.to)}</code></p>` : '';
  if (!d.text) return html`<figure class="diff" data-path="${d.path}" data-added="0" data-removed="0"${d.mode ? html` data-mode-change="${octal(d.mode.to)}"` : ''}${id ? html` id="${id}"` : ''}><figcaption>${caption}</figcaption>${perms}</figure>`;
  const lines = d.text.replace(/\n$/, '').split('\n');
  const body = lines.map((l) => {
    const kind = l.startsWith('+++ ') || l.startsWith('--- ') ? 'meta' : l.startsWith('@@') ? 'hunk' : l[0] === '+' ? 'add' : l[0] === '-' ? 'del' : l[0] === '\\' ? 'note' : 'ctx';
    return html`<span class="d-${kind}">${l}\n</span>`;
  });
  const added = lines.filter((l) => l[0] === '+' && !l.startsWith('+++ ')).length;
  const removed = lines.filter((l) => l[0] === '-' && !l.startsWith('--- ')).length;
  const masked = d.masked ? html`<p class="masked">A changed line carries a secret: its value is shown as <code>********</code>, so this diff is for reading; harden writes the real change.</p>` : '';
  return html`<figure class="diff" data-path="${d.path}" data-added="${added}" data-removed="${removed}"${d.mode ? html` data-mode-change="${octal(d.mode.to)}"` : ''}${id ? html` id="${id}"` : ''}><figcaption>${caption} <span class="counts">(${plural(added, 'line')} added, ${plural(removed, 'line')} removed)</span></figcaption>${perms}${masked}<pre class="diff" tabindex="0" role="region" aria-label="${`Unified diff of ${d.path}`}"><code>${body}</code></pre></figure>`;
}

/** A path that may wrap after each '/', never inside a name. */
const pathText = (path: string): Html => html`${path.split('/').map((seg, i) => (i ? html`/<wbr>${seg}` : seg))}`;

function sourcesOf(sources: readonly Source[]): Html | '' {
  if (!sources.length) return '';
  const items = sources.map((s) => {
    const href = safeHref(s.url);
    return href ? html`<li><a href="${href}" rel="noreferrer noopener">${s.title}</a></li>` : html`<li>${s.title} (${s.url})</li>`;
  });
  return html`<div class="sources"><span class="label">References</span><ul>${items}</ul></div>`;
}

function findingCard(f: HtmlFinding, index: number, hid: string, changeIds: ReadonlyMap<string, string>): Html {
  const id = anchor(hid, 'f', index);
  const where = f.file ? html`<code>${f.file}${f.line ? `:${f.line}` : ''}</code>` : html`<span>no single file</span>`;
  const waiver = f.waiver
    ? html`<dl class="waiver"><dt>Waiver reason</dt><dd>${f.waiver.reason}</dd><dt>Owner</dt><dd>${f.waiver.owner}</dd><dt>Expires</dt><dd><time datetime="${f.waiver.expires}">${f.waiver.expires}</time></dd></dl>`
    : '';
  const needs = f.needs.length
    ? html`<div class="needs"><span class="label">Give</span><ul>${f.needs.map((p) => html`<li><code>--set ${p.name}=…</code> (or <code>${p.name}</code> in harden.toml [params]): ${p.description}</li>`)}</ul></div>`
    : '';
  const diffs = f.diffs.map((d) => {
    const whole = changeIds.get(d.path);
    const caption = html`${f.status === 'fixed' ? 'Written to' : 'Change to'} <code>${d.path}</code>${whole ? html` · <a href="#${whole}">the file's whole change</a>` : ''}`;
    return diffBlock({ path: d.path, text: d.text, masked: d.redacted }, caption);
  });
  // A fix with no text edit of its own (made together with another finding's edit, as two rules adding
  // to one new TOML table; or a change of permissions only): the file's whole change shows it.
  const whole = f.file ? changeIds.get(f.file) : undefined;
  const shared =
    (f.status === 'fixable' || f.status === 'fixed') && !diffs.length
      ? html`<p class="shared">${whole ? html`Its change is shown with <a href="#${whole}">the file's whole change</a>.` : 'Its change is shown with the changes by file.'}</p>`
      : '';
  return html`<article class="finding" id="${id}" data-finding="${index}" data-rule="${f.rule}" data-status="${f.status}" data-severity="${f.severity}" data-file="${f.file ?? ''}" data-line="${f.line ?? ''}" aria-labelledby="${id}-t">
<h6 id="${id}-t"><span class="badge st-${f.status}">${statusLabel(f.status)}</span> ${f.title}</h6>
<p class="where"><code class="rule">${f.rule}</code> · ${where} · <span class="sev sev-${f.severity}">${f.severity}</span>${f.fixClass ? html` · <abbr title="${FIX_CLASSES[f.fixClass]}">${f.fixClass}</abbr>` : ''}</p>
<div class="message"><span class="label">${MESSAGE_LABELS[f.status]}</span><p>${f.message}</p></div>
${waiver}${needs}${f.rationale ? html`<div class="rationale"><span class="label">Why it matters</span><p>${f.rationale}</p></div>` : ''}${sourcesOf(f.sources)}${diffs}${shared}
</article>`;
}

function productBlock(h: HtmlHome, hid: string): Html {
  const p = h.product!;
  const rows: [string, Html | string][] = [
    ['Product', `${p.name ?? p.id}${p.version ? ` ${p.version}` : ''}`],
    ['Kernel', p.kernel ?? 'unknown'],
    ['Configuration', `${p.model}${p.confDirs.length ? ` (${p.confDirs.join(', ')})` : ''}`],
  ];
  if (h.tls) rows.push(['TLS', `profile ${h.tls.profile}, JDK ${h.tls.jdk}`]);
  if (h.request) {
    rows.push(['Rules', h.request.only.length ? `only ${h.request.only.join(', ')}` : 'all']);
    if (h.request.skip.length) rows.push(['Skipped', h.request.skip.join(', ')]);
    const params = Object.entries(h.request.params);
    if (params.length) rows.push(['Parameters', html`${params.map(([k, v], i) => html`${i ? ', ' : ''}<code>${k}=${v}</code>`)}`]);
  }
  const evidence = p.evidence?.length ? html`<p class="label">Evidence</p><ul class="evidence">${p.evidence.map((e) => html`<li>${e}</li>`)}</ul>` : '';
  return html`<section id="${hid}-product" aria-labelledby="${hid}-product-t"><h3 id="${hid}-product-t">Product</h3><dl class="product">${rows.map(([k, v]) => html`<dt>${k}</dt><dd data-field="${k.toLowerCase()}">${v}</dd>`)}</dl>${evidence}</section>`;
}

function countTable(caption: string, kind: 'status' | 'severity', keys: readonly string[], counts: Record<string, number>, labels: (k: string) => string): Html {
  return html`<table class="counts-table" data-summary="${kind}"><caption>${caption}</caption><thead><tr><th scope="col">${kind === 'status' ? 'Status' : 'Severity'}</th><th scope="col" class="num">Findings</th></tr></thead><tbody>${keys.map(
    (k) => html`<tr${counts[k] ? '' : html` class="zero"`}><th scope="row">${kind === 'status' ? html`<span class="swatch st-${k}" aria-hidden="true"></span>` : ''}${labels(k)}</th><td class="num" data-key="${k}" data-count="${counts[k] ?? 0}">${counts[k] ?? 0}</td></tr>`,
  )}</tbody></table>`;
}

function summaryBlock(h: HtmlHome, hid: string, mode: HtmlMode): Html {
  if (!h.findings || !h.summary) {
    return html`<section id="${hid}-summary" aria-labelledby="${hid}-summary-t"><h3 id="${hid}-summary-t">Summary</h3><p class="lede">${plural(h.changes.length, 'file')} would change. A saved plan records changes, not findings: <code>harden check</code> lists those.</p></section>`;
  }
  const s = h.summary;
  const open = h.findings.filter((f) => isOpen(f.status)).length;
  const parts = [
    `${s.byStatus.fixable} to fix`,
    `${s.byStatus['needs-input']} need${s.byStatus['needs-input'] === 1 ? 's' : ''} input`,
    `${s.byStatus.manual} manual`,
    `${s.byStatus.error} refused`,
    `${s.byStatus.advisory} advisory`,
    `${s.byStatus.waived} waived`,
  ];
  if (s.byStatus.fixed) parts.unshift(`${s.byStatus.fixed} fixed`);
  const chart = severityStatusChart(matrixOf(h.findings), { id: `${hid}-chart`, title: 'Findings by severity and status', severities: SEVERITIES, statusLabel });
  return html`<section id="${hid}-summary" class="summary" aria-labelledby="${hid}-summary-t"><h3 id="${hid}-summary-t">Summary</h3>
<p class="lede"><strong data-open="${open}">${plural(open, 'open finding')}</strong> of ${s.total}: ${parts.join(', ')}; ${plural(h.changes.length, 'file')} ${mode === 'apply' ? 'changed' : 'would change'}.</p>
<div class="summary-grid">${chart}<div class="tables">${countTable('By status', 'status', CHART_STATUSES, s.byStatus, (k) => statusLabel(k as ReportStatus))}${countTable('By severity', 'severity', SEVERITIES, s.bySeverity, (k) => k)}</div></div></section>`;
}


function findingsBlock(h: HtmlHome, hid: string, changeIds: ReadonlyMap<string, string>): Html {
  const all = h.findings!.map((f, i) => ({ f, i }));
  const shown = all.filter(({ f }) => !PASSED.includes(f.status));
  const bySeverity = SEVERITIES.map((sev) => {
    const mine = shown.filter(({ f }) => f.severity === sev);
    if (!mine.length) return '';
    const files = [...new Set(mine.map(({ f }) => f.file))].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
    const groups = files.map((file) => {
      const items = mine
        .filter(({ f }) => f.file === file)
        .sort((a, b) => LIST_ORDER.indexOf(a.f.status) - LIST_ORDER.indexOf(b.f.status) || a.i - b.i);
      return html`<section class="file-group"><h5>${file === null ? 'About no single file' : html`<code>${file}</code>`} <span class="n">(${items.length})</span></h5>${items.map(({ f, i }) => findingCard(f, i, hid, changeIds))}</section>`;
    });
    return html`<section class="severity-group" data-severity="${sev}" aria-labelledby="${hid}-sev-${sev}"><h4 id="${hid}-sev-${sev}"><span class="sev sev-${sev}">${sev}</span> severity <span class="n">(${mine.length})</span></h4>${groups}</section>`;
  });
  const body = shown.length ? bySeverity : html`<p>Nothing to fix, decide or note: every selected rule passed or does not apply.</p>`;
  return html`<section id="${hid}-findings" aria-labelledby="${hid}-findings-t"><h3 id="${hid}-findings-t">Findings <span class="n">(${shown.length})</span></h3>
<p class="hint">Grouped by severity, then by file; open ones (to fix, needs input, manual, refused) first, then advice and waived findings.</p>${body}</section>`;
}

function passedBlock(h: HtmlHome, hid: string): Html | '' {
  const rows = h.findings!.map((f, i) => ({ f, i })).filter(({ f }) => PASSED.includes(f.status));
  if (!rows.length) return '';
  return html`<section id="${hid}-passed" aria-labelledby="${hid}-passed-t"><h3 id="${hid}-passed-t">Passed and not applicable <span class="n">(${rows.length})</span></h3>
<table class="passed"><thead><tr><th scope="col">Status</th><th scope="col">Rule</th><th scope="col">File</th><th scope="col">Verdict</th></tr></thead><tbody>${rows.map(
    ({ f, i }) =>
      html`<tr class="finding-row" id="${anchor(hid, 'f', i)}" data-finding="${i}" data-rule="${f.rule}" data-status="${f.status}" data-severity="${f.severity}" data-file="${f.file ?? ''}" data-line="${f.line ?? ''}"><td><span class="badge st-${f.status}">${statusLabel(f.status)}</span></td><td><strong>${f.title}</strong><br><code>${f.rule}</code> · <span class="sev sev-${f.severity}">${f.severity}</span></td><td>${f.file ? html`<code>${pathText(f.file)}${f.line ? `:${f.line}` : ''}</code>` : '—'}</td><td>${f.message}</td></tr>`,
  )}</tbody></table></section>`;
}

function changesBlock(h: HtmlHome, hid: string, changeIds: ReadonlyMap<string, string>, mode: HtmlMode): Html {
  const title = mode === 'apply' ? 'Changes written' : 'Changes by file';
  const intro =
    mode === 'apply'
      ? 'What harden fix --yes wrote, file by file.'
      : "What harden would write, file by file: together, these are the diff harden fix --dry-run prints (apply with patch -p1 inside the home, unless a secret was masked).";
  const body = h.changes.length
    ? h.changes.map((c) => {
        const rules = html`${c.rules.map((r, i) => html`${i ? ', ' : ''}<code>${r}</code>`)}`;
        const state = c.written === undefined ? '' : c.written ? ' (written)' : ' (not written)';
        return diffBlock({ path: c.path, text: c.diff, masked: c.masked, ...(c.mode ? { mode: c.mode } : {}) }, html`<code>${c.path}</code>${state}: ${rules}`, changeIds.get(c.path));
      })
    : html`<p>No file would change.</p>`;
  return html`<section id="${hid}-changes" aria-labelledby="${hid}-changes-t"><h3 id="${hid}-changes-t">${title} <span class="n">(${h.changes.length})</span></h3><p class="hint">${intro}</p>${body}</section>`;
}

function homeSection(h: HtmlHome, n: number, many: boolean, mode: HtmlMode): Html {
  const hid = anchor('home', n);
  const back = many ? html`<p class="back"><a href="#homes">Back to the homes table</a></p>` : '';
  if (h.error !== undefined) {
    return html`<section class="home" id="${hid}" data-home="${h.home}" data-error="true" aria-labelledby="${hid}-t"><h2 id="${hid}-t" class="home-title"><span class="kicker">Home</span> <code>${h.home}</code></h2>${back}
<div class="error-box"><p class="label">harden could not check this home</p><p>${h.error}</p></div></section>`;
  }
  const changeIds = new Map(h.changes.map((c, i) => [c.path, anchor(hid, 'change', i)]));
  const passedCount = h.findings?.filter((f) => PASSED.includes(f.status)).length ?? 0;
  const shownCount = h.findings ? h.findings.length - passedCount : 0;
  const toc = [
    html`<li><a href="#${hid}-product">Product</a></li>`,
    html`<li><a href="#${hid}-summary">Summary</a></li>`,
    h.findings ? html`<li><a href="#${hid}-findings">Findings (${shownCount})</a></li>` : '',
    html`<li><a href="#${hid}-changes">Changes (${h.changes.length})</a></li>`,
    passedCount ? html`<li><a href="#${hid}-passed">Passed and not applicable (${passedCount})</a></li>` : '',
  ];
  const title = h.product ? `${h.product.name ?? h.product.id}${h.product.version ? ` ${h.product.version}` : ''}` : '';
  return html`<section class="home" id="${hid}" data-home="${h.home}" aria-labelledby="${hid}-t"><h2 id="${hid}-t" class="home-title"><span class="kicker">${title}</span> <code>${h.home}</code></h2>${back}
<nav class="toc" aria-label="${`Sections of ${h.home}`}"><ul>${toc}</ul></nav>
${productBlock(h, hid)}${summaryBlock(h, hid, mode)}${h.findings ? findingsBlock(h, hid, changeIds) : ''}${changesBlock(h, hid, changeIds, mode)}${h.findings ? passedBlock(h, hid) : ''}</section>`;
}

function homesTable(homes: readonly HtmlHome[]): Html {
  const rows = homes.map((h, i) => {
    const hid = anchor('home', i + 1);
    const link = html`<a href="#${hid}"><code>${pathText(h.home)}</code></a>`;
    if (h.error !== undefined) {
      return html`<tr data-home-row="${i + 1}" data-state="error"><th scope="row">${link}</th><td colspan="2">—</td>${SEVERITIES.map(() => html`<td class="num">—</td>`)}<td class="num">—</td><td class="num">—</td><td><span class="badge st-error">Error</span></td></tr>`;
    }
    const p = h.product;
    const open = h.findings ? openBySeverity(h.findings) : undefined;
    const total = open ? SEVERITIES.reduce((n, s) => n + open[s], 0) : undefined;
    const expired = h.findings?.some((f) => f.rule === 'harden.waiver');
    const state = !h.findings ? (h.changes.length ? 'changes' : 'clean') : expired ? 'expired-waiver' : total || h.changes.length ? 'open' : 'clean';
    const badge =
      state === 'expired-waiver'
        ? html`<span class="badge st-manual">Expired waiver</span>`
        : state === 'open'
          ? html`<span class="badge st-fixable">Open</span>`
          : state === 'changes'
            ? html`<span class="badge st-fixable">Changes</span>`
            : html`<span class="badge st-compliant">Clean</span>`;
    return html`<tr data-home-row="${i + 1}" data-state="${state}"><th scope="row">${link}</th><td>${p?.name ?? p?.id ?? ''}</td><td>${p?.version ?? 'unknown'}</td>${SEVERITIES.map(
      (s) => html`<td class="num${open && open[s] ? ' hot' : ''}" data-severity="${s}" data-count="${open ? open[s] : ''}">${open ? open[s] : '—'}</td>`,
    )}<td class="num" data-open="${total ?? ''}">${total ?? '—'}</td><td class="num">${h.changes.length}</td><td>${badge}</td></tr>`;
  });
  const planned = homes.filter((h) => h.findings);
  const all = planned.flatMap((h) => h.findings!);
  const failed = homes.filter((h) => h.error !== undefined).length;
  const chart = all.length
    ? severityStatusChart(matrixOf(all), { id: 'homes-chart', title: `Findings of all ${planned.length} checked homes by severity and status`, severities: SEVERITIES, statusLabel })
    : '';
  const open = openBySeverity(all);
  return html`<section id="homes" aria-labelledby="homes-t"><h2 id="homes-t">Homes <span class="n">(${homes.length})</span></h2>
<p class="lede">${plural(homes.length, 'home')}${failed ? html`, <strong>${failed} could not be checked</strong>` : ''}; open findings: ${SEVERITIES.map((s, i) => `${i ? ', ' : ''}${open[s]} ${s}`).join('')}.</p>
<div class="table-wrap" tabindex="0" role="region" aria-labelledby="homes-caption"><table class="homes"><caption id="homes-caption">Open findings (to fix, needs input, manual, refused) by severity, per home</caption><thead><tr><th scope="col">Home</th><th scope="col">Product</th><th scope="col">Version</th>${SEVERITIES.map((s) => html`<th scope="col" class="num">${s}</th>`)}<th scope="col" class="num">Open</th><th scope="col" class="num">Files to change</th><th scope="col">State</th></tr></thead><tbody>${rows}</tbody></table></div>${chart}</section>`;
}

function css(): string {
  const statusRules = CHART_STATUSES.map((s) => `.st-${s}{background:${STATUS_COLOURS[s]};color:#fff}.swatch.st-${s}{background:${chartColour(s)}}.finding[data-status="${s}"]{border-left-color:${STATUS_COLOURS[s]}}`).join('');
  return `:root{--fg:#1d2125;--muted:#57606a;--line:#d0d7de;--panel:#f6f8fa;--accent:#0b5cad}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:#fff}
.skip{position:absolute;left:-10000px;top:0}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem 1rem;z-index:10}
header.report,main,footer.report{max-width:76rem;margin:0 auto;padding:0 1.25rem}
header.report{padding-top:1.25rem;border-bottom:1px solid var(--line)}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.35rem}h3{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}h4{font-size:1.05rem;margin:1.5rem 0 .5rem}h5{font-size:.95rem;margin:1rem 0 .25rem;font-weight:600}h6{font-size:1rem;margin:0 0 .25rem}
a{color:var(--accent)}
a:focus-visible,[tabindex]:focus-visible{outline:3px solid #e8590c;outline-offset:2px}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.88em}
p code,li code,h5 code,h2 code,dd code{overflow-wrap:anywhere}
td code{overflow-wrap:break-word}
table.passed{width:100%}
.meta{color:var(--muted);margin:.2rem 0 1rem}
.mode{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.5rem .8rem}
.kicker{display:block;font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
h2.home-title{border-top:4px solid var(--fg);padding-top:.75rem;margin-top:2.5rem}
.n{color:var(--muted);font-weight:400}
.label{display:block;font-size:.78rem;font-weight:600;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);margin:.4rem 0 .1rem}
.hint,.lede{color:var(--muted)}.lede strong{color:var(--fg)}
nav.toc ul{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
dl.product{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0}dl.product dt{font-weight:600}dl.product dd{margin:0}
ul.evidence{margin:.2rem 0;color:var(--muted);font-size:.9em}
.badge{display:inline-block;padding:0 .45em;border-radius:3px;font-size:.78em;font-weight:600;letter-spacing:.02em;vertical-align:.1em;white-space:nowrap}
.sev{display:inline-block;padding:0 .4em;border:1px solid currentColor;border-radius:3px;font-size:.78em;font-weight:600;text-transform:uppercase;letter-spacing:.04em}
.sev-high{color:#a61e4d}.sev-medium{color:#b4440e}.sev-low{color:#7a5b00}.sev-info{color:#1864ab}
${statusRules}
.summary-grid{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.5rem;align-items:start}
@media (max-width:52rem){.summary-grid{grid-template-columns:1fr}}
.tables{display:flex;gap:1.5rem;flex-wrap:wrap;align-items:flex-start}
figure{margin:.75rem 0}
figure.chart svg{max-width:100%;height:auto;display:block}
.chart-label{font:600 13px system-ui,sans-serif;fill:#1d2125}.chart-total{font:13px system-ui,sans-serif;fill:#1d2125}
figure.chart figcaption{font-size:.9em;color:var(--muted)}
ul.legend{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.2rem 1rem;color:var(--fg)}
.swatch{display:inline-block;width:.85em;height:.85em;border-radius:2px;margin-right:.35em;vertical-align:-.05em}
table{border-collapse:collapse;margin:.5rem 0}
caption{text-align:left;font-weight:600;padding:.2rem 0}
th,td{border-bottom:1px solid var(--line);padding:.3rem .6rem;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid var(--fg);font-size:.9em}
.num{text-align:right;font-variant-numeric:tabular-nums}
tr.zero td,tr.zero th{color:var(--muted)}
td.hot{font-weight:700}
.table-wrap{overflow-x:auto}
table.passed td:last-child{color:var(--muted)}
.finding{border:1px solid var(--line);border-left:6px solid var(--line);border-radius:4px;padding:.7rem 1rem;margin:.6rem 0;background:#fff}
.finding p{margin:.1rem 0}
.where{color:var(--muted);font-size:.92em}
.message p{margin:0}
dl.waiver{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;background:#f3f0ff;border-radius:4px;padding:.4rem .7rem;margin:.5rem 0}dl.waiver dt{font-weight:600}dl.waiver dd{margin:0}
.needs ul,.sources ul{margin:.1rem 0;padding-left:1.2rem}
.error-box{border:2px solid #a61e4d;border-radius:6px;padding:.5rem 1rem;background:#fff5f5}
figure.diff figcaption{font-size:.92em;margin-bottom:.25rem}.counts{color:var(--muted)}
.masked{font-size:.88em;color:#7a5b00;margin:.2rem 0}
pre.diff{margin:0;background:var(--panel);border:1px solid var(--line);border-radius:4px;padding:.4rem 0;overflow-x:auto;line-height:1.45}
pre.diff code{font-size:.85rem}
pre.diff span{display:block;padding:0 .75rem;white-space:pre;min-height:1.45em}
.d-add{background:#dafbe1;color:#0f5323}.d-del{background:#ffebe9;color:#82071e}.d-hunk{background:#ddf4ff;color:#0550ae}.d-meta{color:var(--muted);font-weight:600}.d-note{color:var(--muted);font-style:italic}
.back{margin:.25rem 0}
footer.report{border-top:1px solid var(--line);margin-top:3rem;padding-top:.75rem;padding-bottom:2rem;color:var(--muted);font-size:.9em}
@media print{
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-size:10pt}
.skip,nav.toc,.back{display:none!important}
header.report,main,footer.report{max-width:none;padding:0}
pre.diff{overflow:visible}pre.diff span{white-space:pre-wrap;overflow-wrap:anywhere}
.table-wrap{overflow:visible}
.finding,figure.chart,tr,dl.waiver{break-inside:avoid}
h2,h3,h4,h5,h6,figcaption{break-after:avoid}
section.home{break-before:page}
a{color:inherit;text-decoration:none}
a[href^="http"]::after{content:" <" attr(href) ">";font-size:.85em;color:var(--muted);overflow-wrap:anywhere}
}`;
}

const MODE_TEXT: Record<HtmlMode, (r: HtmlReport) => string> = {
  check: () => 'harden check: nothing was written. Each diff shows what harden fix would change.',
  'dry-run': () => 'harden fix --dry-run: nothing was written. Each diff shows what harden fix --yes would change.',
  apply: () => 'harden fix --yes: the changes shown were written. Restart the server for them to take effect; harden rollback puts the original files back.',
  plan: (r) => `harden plan: saved to ${r.planFile ?? 'the plan file'}; nothing was written to the home. harden apply ${r.planFile ?? 'PLAN'} writes exactly these changes.`,
  show: (r) => `A saved plan${r.planFile ? ` (${r.planFile})` : ''}: the changes harden apply would write. Nothing was written.`,
};

const MODE_TITLE: Record<HtmlMode, string> = { check: 'check', 'dry-run': 'fix --dry-run', apply: 'fix --yes', plan: 'plan', show: 'saved plan' };

export function htmlReport(r: HtmlReport): string {
  const many = r.homes.length > 1;
  const one = r.homes[0];
  const subject = many
    ? `${r.homes.length} homes`
    : one?.product
      ? `${one.product.name ?? one.product.id}${one.product.version ? ` ${one.product.version}` : ''} at ${one.home}`
      : (one?.home ?? 'no home');
  const openTotal = r.homes.flatMap((h) => h.findings ?? []).filter((f) => isOpen(f.status)).length;
  const title = `harden ${MODE_TITLE[r.mode]}: ${subject}${r.homes.some((h) => h.findings) ? ` (${plural(openTotal, 'open finding')})` : ''}`;
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${`${r.tool.name} ${r.tool.version}`}">
<title>${title}</title>
<style>${raw(css())}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the report</a>
<header class="report"><h1>${title}</h1>
<p class="meta">${r.tool.name} ${r.tool.version}${r.generated ? html` · <time datetime="${r.generated}">${r.generated}</time>` : ''}</p>
<p class="mode" data-mode="${r.mode}">${MODE_TEXT[r.mode](r)}</p></header>
<main id="main" tabindex="-1">
${many ? homesTable(r.homes) : ''}${r.homes.map((h, i) => homeSection(h, i + 1, many, r.mode))}
</main>
<footer class="report"><p>Secret values never appear in this report: a changed line that carries a password, key or token shows <code>********</code>, context lines that carry one are left out, and values found under such names are scrubbed from messages. The page loads nothing: no script, font, image or style from anywhere.</p></footer>
</body>
</html>
`;
  return page.text;
}
