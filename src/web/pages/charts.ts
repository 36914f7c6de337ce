// Charts as server-rendered SVG: no script, nothing inline that the CSP forbids (presentation attributes only).
// Each chart is an <svg role="img"> with a <title> and <desc>, and comes with the same numbers as a table (for
// screen readers and for copying), so the picture is never the only way to read the data.
import { esc } from './layout.ts';

/** Colours with at least 3:1 contrast against white (WCAG 1.4.11 for graphics), told apart also by the legend order. */
export const PALETTE = ['#1f5fa8', '#b3261e', '#1b7a3a', '#7a4bb0', '#a0520c', '#00737a', '#5c5c5c', '#a8326e', '#4d6b00', '#004d99'];

export interface Series { name: string; values: number[] }
export interface ChartText { title: string; desc: string; caption?: string }

const W = 640;
const H = 260;
const PAD = { l: 48, r: 12, t: 12, b: 40 };

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function frame(id: string, text: ChartText, inner: string, height = H): string {
  return `<svg class="chart" id="${esc(id)}" viewBox="0 0 ${W} ${height}" width="100%" role="img" aria-labelledby="${esc(id)}-t ${esc(id)}-d" xmlns="http://www.w3.org/2000/svg">
<title id="${esc(id)}-t">${esc(text.title)}</title><desc id="${esc(id)}-d">${esc(text.desc)}</desc>${inner}</svg>`;
}

function axes(labels: string[], max: number): string {
  const ih = H - PAD.t - PAD.b;
  const iw = W - PAD.l - PAD.r;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = PAD.t + ih * (1 - f);
    return `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y}" y2="${y}" stroke="#d0d0d0" stroke-width="1"/><text x="${PAD.l - 6}" y="${y + 4}" text-anchor="end" font-size="11" fill="#333">${Math.round(max * f)}</text>`;
  }).join('');
  const every = Math.max(1, Math.ceil(labels.length / 12));
  const xs = labels.map((l, i) => (i % every ? '' : `<text x="${PAD.l + (iw * (i + 0.5)) / labels.length}" y="${H - PAD.b + 16}" text-anchor="middle" font-size="11" fill="#333">${esc(l)}</text>`)).join('');
  return ticks + xs;
}

function legend(series: Series[]): string {
  return `<ul class="legend">${series.map((s, i) => `<li><span class="swatch swatch-${i % PALETTE.length}" aria-hidden="true"></span>${esc(s.name)}</li>`).join('')}</ul>`;
}

/** The numbers behind a chart as a table (folded under its caption): one row per label, one column per series. */
export function dataTable(caption: string, labelHead: string, labels: string[], series: Series[], summary = caption): string {
  return `<details class="chart-data"><summary>${esc(summary)}</summary><div class="table"><table class="chart-data"><caption>${esc(caption)}</caption><thead><tr><th scope="col">${esc(labelHead)}</th>${series.map((s) => `<th scope="col">${esc(s.name)}</th>`).join('')}</tr></thead>
<tbody>${labels.map((l, i) => `<tr><th scope="row">${esc(l)}</th>${series.map((s) => `<td>${s.values[i] ?? 0}</td>`).join('')}</tr>`).join('')}</tbody></table></div></details>`;
}

/** Lines over labels (e.g. months), one per series. */
export function lineChart(id: string, text: ChartText, labels: string[], series: Series[]): string {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const ih = H - PAD.t - PAD.b;
  const iw = W - PAD.l - PAD.r;
  const x = (i: number) => PAD.l + (iw * (i + 0.5)) / labels.length;
  const y = (v: number) => PAD.t + ih * (1 - v / max);
  const lines = series.map((s, k) => {
    const c = PALETTE[k % PALETTE.length]!;
    const pts = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const dots = s.values.map((v, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${c}"/>`).join('');
    return `<g><polyline points="${pts}" fill="none" stroke="${c}" stroke-width="2"/>${dots}</g>`;
  }).join('');
  return `<figure>${frame(id, text, axes(labels, max) + lines)}${legend(series)}${text.caption ? `<figcaption>${esc(text.caption)}</figcaption>` : ''}</figure>`;
}

/** Grouped bars over labels, one bar per series in each group. */
export function barChart(id: string, text: ChartText, labels: string[], series: Series[]): string {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const ih = H - PAD.t - PAD.b;
  const iw = W - PAD.l - PAD.r;
  const group = iw / Math.max(labels.length, 1);
  const bw = (group * 0.8) / Math.max(series.length, 1);
  const bars = labels.map((_, i) => series.map((s, k) => {
    const v = s.values[i] ?? 0;
    const h = (ih * v) / max;
    return `<rect x="${(PAD.l + group * i + group * 0.1 + bw * k).toFixed(1)}" y="${(PAD.t + ih - h).toFixed(1)}" width="${bw.toFixed(1)}" height="${h.toFixed(1)}" fill="${PALETTE[k % PALETTE.length]}"/>`;
  }).join('')).join('');
  return `<figure>${frame(id, text, axes(labels, max) + bars)}${legend(series)}${text.caption ? `<figcaption>${esc(text.caption)}</figcaption>` : ''}</figure>`;
}

/** Shares of a whole as one horizontal bar per part, with its percentage written beside it. */
export function shareChart(id: string, text: ChartText, parts: { name: string; value: number }[]): string {
  const total = parts.reduce((a, p) => a + p.value, 0);
  const row = 26;
  const height = Math.max(1, parts.length) * row + 8;
  const labelW = 180;
  const barMax = W - labelW - 110; // room for '100.0% (123456)' after the longest bar
  const rows = parts.map((p, i) => {
    const share = total ? p.value / total : 0;
    const y = 4 + i * row;
    return `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end" font-size="12" fill="#222">${esc(p.name.length > 26 ? `${p.name.slice(0, 25)}…` : p.name)}</text>
<rect x="${labelW}" y="${y + 4}" width="${Math.max(share * barMax, share > 0 ? 1 : 0).toFixed(1)}" height="16" fill="${PALETTE[i % PALETTE.length]}"/>
<text x="${labelW + share * barMax + 6}" y="${y + 16}" font-size="12" fill="#222">${percent(share)} (${p.value})</text>`;
  }).join('');
  return `<figure>${frame(id, text, rows, height)}${text.caption ? `<figcaption>${esc(text.caption)}</figcaption>` : ''}</figure>`;
}

export const percent = (share: number): string => `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
