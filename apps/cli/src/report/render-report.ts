import { chartLibrarySource } from './chart-library';
import { escapeHtml, jsonForScript } from './html-escape';
import { MAX_LABELLED_FILLS } from './report-charts.js';
import chartsModule from './report-charts.js?raw';
import { formatStat, formatTime } from './report-format';
import { type ReportInput, type ReportTime, reportTimeMs } from './report-input';
import { buildReportModel, type ReportModel } from './report-model';
import pageScript from './report-page.js?raw';
import { PAGE_STYLE } from './report-page-style';
import { renderStatsTable, renderTradesTable } from './report-tables';

/**
 * report-charts.js (shared with the service's dashboard, which imports it as a module) as a classic
 * script: its top-level declarations without `export`, for the page script to call.
 */
const chartsScript = chartsModule.replace(/^export /gm, '');

/** Nothing but the inline script and styles and embedded images: the report never reaches the network. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

function formatSessionTime(time: ReportTime): string {
  const ms = reportTimeMs(time);
  if (Number.isNaN(ms)) return String(time);
  const text = formatTime(ms);
  return text.endsWith(' 00:00') ? text.slice(0, 10) : text;
}

function renderHeader(input: ReportInput): string {
  const { session, strategies, total } = input.results;
  const names = strategies.map((s) => `<li>${escapeHtml(s.strategy)}</li>`).join('');
  const figure = (label: string, value: string, tone = '') =>
    `<div class="figure${tone}"><span>${escapeHtml(label)}</span><strong>${escapeHtml(value)}</strong></div>`;
  const sign = (value: number) => (value > 0 ? ' up' : value < 0 ? ' down' : '');
  return `<header>
<h1>Backtest report</h1>
<p class="run">${escapeHtml(session.mode)} · ${escapeHtml(formatSessionTime(session.start))} to ${escapeHtml(formatSessionTime(session.end))} (UTC)</p>
<ul class="strategies">${names}</ul>
<div class="figures">
${figure('Total return', formatStat('totalReturn', total.totalReturn), sign(total.totalReturn))}
${figure('Final equity', formatStat('finalEquity', total.finalEquity))}
${figure('Sharpe', formatStat('sharpe', total.sharpe))}
${figure('Max drawdown', formatStat('maxDrawdown', total.maxDrawdown), total.maxDrawdown > 0 ? ' down' : '')}
${figure('Trades', formatStat('trades', total.trades))}
${figure('Win rate', formatStat('winRate', total.winRate))}
</div>
</header>`;
}

function renderLegend(model: ReportModel): string {
  const items = model.curves.map(
    (c) => `<li><span class="swatch" style="background:${c.color}"></span>${escapeHtml(c.name)}</li>`,
  );
  return `<ul class="legend">${items.join('')}</ul>`;
}

function renderCurves(model: ReportModel): string {
  if (model.curves.length === 0)
    return '<section><h2>Equity</h2><p class="empty">No equity rows.</p></section>';
  return `<section>
<h2>Equity</h2>${renderLegend(model)}
<div class="chart" id="equity-chart" data-chart="equity"></div>
<h2>Drawdown</h2>
<div class="chart short" id="drawdown-chart" data-chart="drawdown"></div>
</section>`;
}

/** How many fills a price chart shows, and that they are unlabelled when there are too many to label. */
function fillsCaption(fills: number): string {
  const count = `${fills.toLocaleString('en-US')} fill${fills === 1 ? '' : 's'}`;
  return fills > MAX_LABELLED_FILLS
    ? `${count} (unlabelled past ${MAX_LABELLED_FILLS}: see the trades table)`
    : count;
}

function renderCandles(model: ReportModel): string {
  const charts = model.candles.map((c, i) => {
    const bars = c.barCount.toLocaleString('en-US');
    const shown =
      c.shownInterval === undefined
        ? `${bars} bars`
        : `${bars} bars, drawn as ${c.bars.time.length.toLocaleString('en-US')} bars of ${c.shownInterval}`;
    return `<figure>
<figcaption><strong>${escapeHtml(c.symbol)}</strong> ${escapeHtml(c.interval)} <span class="muted">${escapeHtml(shown)}, ${fillsCaption(c.markers.length)}</span></figcaption>
<div class="chart" data-chart="candles" data-index="${i}"></div>
</figure>`;
  });
  if (charts.length === 0) return '';
  return `<section>
<h2>Prices and fills</h2>
<p class="muted">Fills in their strategy's colour (as in the equity legend): ▲ buy, ▼ sell, an arrow opens or reverses a position, a dot closes it.</p>
${charts.join('\n')}
</section>`;
}

function renderJson(title: string, value: unknown): string {
  return `<details open><summary>${escapeHtml(title)}</summary><pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre></details>`;
}

function renderRun(input: ReportInput): string {
  const { session, strategies } = input.results;
  const settings = Object.fromEntries(strategies.map((s) => [s.strategy, s.settings]));
  const parts = [renderJson('Execution settings', settings), renderJson('Session config', session.config)];
  if (session.quality !== undefined) parts.push(renderJson('Data quality', session.quality));
  return `<section><h2>Run</h2>${parts.join('\n')}</section>`;
}

/**
 * One self-contained HTML page of a run's paper results: the run, the stats table (per strategy and the
 * total), equity and drawdown curves, a candlestick chart per traded series with its fills, a sortable
 * trades table, the execution settings, config and data quality. Everything is inline (lightweight-charts'
 * standalone build, styles, script, data as JSON): the page opens from a file, offline.
 */
export function renderReport(input: ReportInput): string {
  const model = buildReportModel(input);
  const title = `strat report: ${input.results.strategies.map((s) => s.strategy).join(', ')}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
${renderHeader(input)}
<section>
<h2>Statistics</h2>
<div class="scroll">${renderStatsTable(input)}</div>
</section>
${renderCurves(model)}
${renderCandles(model)}
<section>
<h2>Trades <span class="muted">${input.trades.strategy.length.toLocaleString('en-US')}, click a column to sort</span></h2>
<div class="scroll">${renderTradesTable(input)}</div>
</section>
${renderRun(input)}
</main>
<script type="application/json" id="report-data">${jsonForScript(model)}</script>
<script>${chartLibrarySource()}</script>
<script>${chartsScript}
${pageScript}</script>
</body>
</html>
`;
}
