// The summary chart of the HTML report: an inline SVG with one horizontal bar per severity, split by
// status, and the count written at the end of each bar. No script, no external resource; the same numbers
// are in the summary tables beside it, so nothing is only in the picture (or only in a tooltip). Pure.
import { html, type Html } from './html-escape.js';
import type { ReportStatus, Severity } from './common.js';

/** Fill colour of each status (the legend and the badges use the same; text never relies on colour alone). */
export const STATUS_COLOURS: Record<ReportStatus, string> = {
  // Each at least 4.5:1 against white, so white badge text on it stays readable (WCAG AA).
  error: '#a61e4d',
  fixable: '#c2410c',
  fixed: '#087f5b',
  'needs-input': '#9a5b00',
  manual: '#862e9c',
  advisory: '#1864ab',
  waived: '#5f3dc4',
  compliant: '#2b7a3b',
  'not-applicable': '#5c6670',
};

/** The chart's fill: as the badges, but not-applicable lighter, so that it does not draw the eye. */
export const chartColour = (s: ReportStatus): string => (s === 'not-applicable' ? '#ced4da' : STATUS_COLOURS[s]);

/** The order in which statuses are stacked in a bar and listed in the legend: open ones first. */
export const CHART_STATUSES: readonly ReportStatus[] = ['error', 'fixable', 'needs-input', 'manual', 'advisory', 'waived', 'fixed', 'compliant', 'not-applicable'];

export type Matrix = Record<Severity, Record<ReportStatus, number>>;

export interface ChartOptions {
  /** A unique id prefix (the chart's <title> and <desc> are referenced by id). */
  id: string;
  title: string;
  severities: readonly Severity[];
  statusLabel: (s: ReportStatus) => string;
}

const W = 640;
const LABEL = 80;
const BAR = 22;
const GAP = 12;
const NUM = 48;

export function severityStatusChart(m: Matrix, o: ChartOptions): Html {
  const rows = o.severities;
  const totals = rows.map((s) => CHART_STATUSES.reduce((n, st) => n + m[s][st], 0));
  const max = Math.max(1, ...totals);
  const span = W - LABEL - NUM;
  const height = rows.length * (BAR + GAP) + GAP;
  const desc = rows
    .map((s, i) => {
      const parts = CHART_STATUSES.filter((st) => m[s][st] > 0).map((st) => `${m[s][st]} ${o.statusLabel(st).toLowerCase()}`);
      return `${s}: ${totals[i]} finding(s)${parts.length ? ` (${parts.join(', ')})` : ''}`;
    })
    .join('; ');
  const bars = rows.map((s, i) => {
    const y = GAP + i * (BAR + GAP);
    let x = LABEL;
    const segments = CHART_STATUSES.filter((st) => m[s][st] > 0).map((st) => {
      const w = (m[s][st] / max) * span;
      const rect = html`<rect x="${x.toFixed(2)}" y="${y}" width="${Math.max(w, 1).toFixed(2)}" height="${BAR}" fill="${chartColour(st)}" data-status="${st}" data-count="${m[s][st]}"><title>${s}, ${o.statusLabel(st)}: ${m[s][st]}</title></rect>`;
      x += w;
      return rect;
    });
    return html`<g data-severity="${s}"><text x="${LABEL - 8}" y="${y + BAR / 2}" text-anchor="end" dominant-baseline="central" class="chart-label">${s}</text>${segments}<text x="${(x + 6).toFixed(2)}" y="${y + BAR / 2}" dominant-baseline="central" class="chart-total">${totals[i]!}</text></g>`;
  });
  const used = CHART_STATUSES.filter((st) => rows.some((s) => m[s][st] > 0));
  const legend = used.length
    ? html`<ul class="legend">${used.map((st) => html`<li><span class="swatch st-${st}" aria-hidden="true"></span>${o.statusLabel(st)}</li>`)}</ul>`
    : html`<p class="legend">No findings.</p>`;
  return html`<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="100%" role="img" aria-labelledby="${o.id}-title ${o.id}-desc" focusable="false"><title id="${o.id}-title">${o.title}</title><desc id="${o.id}-desc">${desc}</desc>${bars}</svg><figcaption>${o.title}${legend}</figcaption></figure>`;
}
