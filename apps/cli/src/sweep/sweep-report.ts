import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { objectiveName, type SweepObjective, type SweepRow, type SweepValue } from '@strat/runtime';
import { escapeHtml } from '../report/html-escape';
import { PAGE_STYLE } from '../report/report-page-style';
import { formatMetric } from './sweep-output';

/** Colour steps of the heatmap, worst to best. */
const STEPS = 9;

const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

const HEAT_STYLE = Array.from({ length: STEPS }, (_, i) => {
  // Red (worst) through pale yellow to green (best).
  const t = i / (STEPS - 1);
  const hue = Math.round(t * 120);
  return `.h${i} { background: hsl(${hue} 70% ${88 - Math.round(Math.abs(t - 0.5) * 20)}%); }`;
}).join('\n');

/** One cell of the heatmap: the best objective over the other parameters at this pair of values. */
export interface HeatCell {
  x: SweepValue;
  y: SweepValue;
  value: number | undefined;
  /** The row the value comes from. */
  row: SweepRow | undefined;
}

/** What a sweep report shows. */
export interface SweepReportInput {
  config: string;
  objective: SweepObjective;
  minimize: boolean;
  /** Swept keys, in order. */
  keys: readonly string[];
  /** The values of each key, in the order they were given. */
  values: Readonly<Record<string, readonly SweepValue[]>>;
  /** Every row, ranked. */
  rows: readonly SweepRow[];
  /** Combinations asked for. */
  combinations: number;
  /** Rows in the top table. */
  top: number;
}

/**
 * The heatmap's grid over keys `x` and `y`: per pair of values, the best objective among the rows with
 * those values (the other parameters free); undefined where no row finished.
 */
export function heatmapCells(input: SweepReportInput, x: string, y: string): HeatCell[][] {
  const better = (a: number, b: number) => (input.minimize ? a < b : a > b);
  return (input.values[y] ?? []).map((yValue) =>
    (input.values[x] ?? []).map((xValue) => {
      let best: SweepRow | undefined;
      for (const row of input.rows) {
        const value = row.stats?.[input.objective];
        if (value === undefined || Number.isNaN(value)) continue;
        if (row.combination[x] !== xValue || row.combination[y] !== yValue) continue;
        if (best === undefined || better(value, best.stats?.[input.objective] as number)) best = row;
      }
      return { x: xValue, y: yValue, value: best?.stats?.[input.objective], row: best };
    }),
  );
}

function renderHeatmap(input: SweepReportInput): string {
  const [x, y] = input.keys.length >= 2 ? [input.keys[0] as string, input.keys[1] as string] : [];
  if (x === undefined || y === undefined) {
    return '<p class="muted">One parameter swept: no heatmap (it needs two).</p>';
  }
  const cells = heatmapCells(input, x, y);
  const values = cells.flat().flatMap((c) => (c.value === undefined ? [] : [c.value]));
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const step = (value: number) => {
    if (hi === lo) return Math.floor(STEPS / 2);
    const t = (value - lo) / (hi - lo);
    return Math.round((input.minimize ? 1 - t : t) * (STEPS - 1));
  };
  const name = objectiveName(input.objective);
  const head = (input.values[x] ?? []).map((v) => `<th>${escapeHtml(String(v))}</th>`).join('');
  const body = cells
    .map((line, i) => {
      const yValue = input.values[y]?.[i];
      const tds = line
        .map((c) =>
          c.value === undefined
            ? '<td class="muted">-</td>'
            : `<td class="h${step(c.value)}" title="${escapeHtml(describe(c.row))}">${escapeHtml(formatMetric(input.objective, c.value))}</td>`,
        )
        .join('');
      return `<tr><th>${escapeHtml(String(yValue))}</th>${tds}</tr>`;
    })
    .join('\n');
  const others = input.keys.length > 2 ? ' (best over the other parameters)' : '';
  return `<p>${escapeHtml(name)} by <b>${escapeHtml(x)}</b> (columns) and <b>${escapeHtml(y)}</b> (rows)${escapeHtml(others)}; ${
    input.minimize ? 'lower' : 'higher'
  } is greener.</p>
<div class="scroll"><table class="heatmap" id="heatmap">
<thead><tr><th>${escapeHtml(y)} \\ ${escapeHtml(x)}</th>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table></div>`;
}

function describe(row: SweepRow | undefined): string {
  if (row === undefined) return '';
  return Object.entries(row.combination)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

const TOP_METRICS: readonly SweepObjective[] = [
  'sharpe',
  'totalReturn',
  'maxDrawdown',
  'calmar',
  'trades',
  'winRate',
  'profitFactor',
];

function renderTop(input: SweepReportInput): string {
  const metrics = [input.objective, ...TOP_METRICS.filter((m) => m !== input.objective)];
  const head = ['#', ...input.keys, ...metrics.map(objectiveName)]
    .map((h) => `<th>${escapeHtml(h)}</th>`)
    .join('');
  const body = input.rows
    .slice(0, input.top)
    .map((row, rank) => {
      const params = input.keys.map((k) => `<td>${escapeHtml(String(row.combination[k]))}</td>`).join('');
      const cells =
        row.stats === undefined
          ? `<td colspan="${metrics.length}" class="muted">failed: ${escapeHtml(row.error ?? '')}</td>`
          : metrics
              .map(
                (m) =>
                  `<td class="num">${escapeHtml(formatMetric(m, (row.stats as NonNullable<SweepRow['stats']>)[m]))}</td>`,
              )
              .join('');
      return `<tr><td class="num">${rank + 1}</td>${params}${cells}</tr>`;
    })
    .join('\n');
  return `<div class="scroll"><table id="top"><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></div>`;
}

/** One self-contained HTML page of a sweep: the heatmap of the objective over the first two parameters and the top combinations. */
export function renderSweepReport(input: SweepReportInput): string {
  const name = objectiveName(input.objective);
  const finished = input.rows.filter((r) => r.stats !== undefined).length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`strat sweep: ${input.keys.join(', ')}`)}</title>
<style>${PAGE_STYLE}
${HEAT_STYLE}
table.heatmap td { text-align: right; min-width: 4.5em; }
</style>
</head>
<body>
<main>
<h1>Sweep of ${escapeHtml(input.keys.join(', '))}</h1>
<p class="muted">${escapeHtml(input.config)}: ${finished} of ${input.combinations} combinations finished, ranked by ${escapeHtml(name)}${
    input.minimize ? ' (lowest first)' : ''
  }</p>
<section>
<h2>Heatmap</h2>
${renderHeatmap(input)}
</section>
<section>
<h2>Top ${Math.min(input.top, input.rows.length)}</h2>
${renderTop(input)}
</section>
</main>
</body>
</html>
`;
}

/** Writes the sweep report to `file` whole (a temporary name, then a rename); returns its absolute path. */
export function writeSweepReport(file: string, input: SweepReportInput): string {
  const target = resolve(file);
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, renderSweepReport(input));
  renameSync(partial, target);
  return target;
}
