import { downsampleBars, downsampleLine, formatBucket, type OhlcColumns } from '@strat/runtime';
import { MAX_LABELLED_FILLS } from './report-charts.js';
import { formatNumber } from './report-format';
import { type ReportInput, reportTimeMs } from './report-input';

/** A fill drawn on its bar: an arrow for an entry or a reversal, a circle for an exit. */
export interface MarkerModel {
  /** Epoch seconds of the drawn bar holding the fill. */
  time: number;
  side: 'buy' | 'sell';
  kind: 'entry' | 'exit' | 'reversal';
  /** The strategy's colour (as its equity curve). */
  color: string;
  text: string;
}

/** One traded series' candlestick chart. */
export interface CandleChartModel {
  symbol: string;
  interval: string;
  /** Bars of the series in the results folder. */
  barCount: number;
  /** The coarser interval drawn when the series was aggregated (`1h`), else `undefined`. */
  shownInterval: string | undefined;
  /** Drawn bars, times in epoch seconds. */
  bars: OhlcColumns;
  markers: MarkerModel[];
}

/** One account's equity and drawdown curves (a strategy's, or the total of every account). */
export interface CurveModel {
  name: string;
  /** The sum of every account (drawn on its own scale). */
  total: boolean;
  color: string;
  /** Epoch seconds. */
  time: number[];
  equity: number[];
  /** Fall from the running peak, in percent (<= 0). */
  drawdown: number[];
}

/** What the page's script draws, embedded as JSON. */
export interface ReportModel {
  candles: CandleChartModel[];
  curves: CurveModel[];
}

const PALETTE = ['#2563eb', '#d97706', '#059669', '#9333ea', '#db2777', '#0891b2', '#65a30d', '#dc2626'];
const TOTAL_COLOR = '#111827';

/** Epoch ms to the epoch seconds lightweight-charts takes. */
const toSeconds = (ms: number): number => Math.floor(ms / 1000);

function seriesKey(symbol: string, interval: string): string {
  return `${symbol}\u0000${interval}`;
}

function collectBars(
  input: ReportInput,
): Map<string, { symbol: string; interval: string; bars: OhlcColumns }> {
  const { bars } = input;
  const series = new Map<string, { symbol: string; interval: string; bars: OhlcColumns }>();
  for (let i = 0; i < bars.time.length; i++) {
    const key = seriesKey(bars.symbol[i]!, bars.interval[i]!);
    let entry = series.get(key);
    if (entry === undefined) {
      entry = {
        symbol: bars.symbol[i]!,
        interval: bars.interval[i]!,
        bars: { time: [], open: [], high: [], low: [], close: [] },
      };
      series.set(key, entry);
    }
    const time = reportTimeMs(bars.time[i]!);
    const columns = entry.bars;
    // A chart takes strictly ascending times: a repeated or earlier bar is left out.
    if (columns.time.length > 0 && time <= columns.time[columns.time.length - 1]!) continue;
    columns.time.push(time);
    columns.open.push(bars.open[i]!);
    columns.high.push(bars.high[i]!);
    columns.low.push(bars.low[i]!);
    columns.close.push(bars.close[i]!);
  }
  return series;
}

/** Index of the last time <= `time` (0 when every time is later). */
function barAt(times: readonly number[], time: number): number {
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid]! <= time) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function markersOf(
  input: ReportInput,
  colors: ReadonlyMap<string, string>,
  symbol: string,
  interval: string,
  drawnMs: readonly number[],
): MarkerModel[] {
  const { fills } = input;
  const markers: { ms: number; marker: MarkerModel }[] = [];
  for (let i = 0; i < fills.time.length; i++) {
    if (fills.symbol[i] !== symbol || fills.interval[i] !== interval || drawnMs.length === 0) continue;
    const side = fills.side[i] === 'sell' ? 'sell' : 'buy';
    const after = fills.position_after[i]!;
    const before = after - (side === 'buy' ? fills.quantity[i]! : -fills.quantity[i]!);
    const kind =
      after === 0 ? 'exit' : before !== 0 && Math.sign(before) !== Math.sign(after) ? 'reversal' : 'entry';
    const text = `${kind === 'exit' ? 'exit' : side} ${formatNumber(fills.quantity[i]!)}`;
    const ms = drawnMs[barAt(drawnMs, reportTimeMs(fills.time[i]!))]!;
    const color = colors.get(fills.strategy[i]!) ?? TOTAL_COLOR;
    markers.push({ ms, marker: { time: toSeconds(ms), side, kind, color, text } });
  }
  // Markers must be in time order; fills of one bar keep their order.
  markers.sort((a, b) => a.ms - b.ms);
  // Past a few dozen, labels overlap into an unreadable band: the arrows stay, the trades table has the rest.
  if (markers.length > MAX_LABELLED_FILLS) for (const m of markers) m.marker.text = '';
  return markers.map((m) => m.marker);
}

function candleCharts(input: ReportInput, colors: ReadonlyMap<string, string>): CandleChartModel[] {
  const charts: CandleChartModel[] = [];
  for (const { symbol, interval, bars } of collectBars(input).values()) {
    const drawn = downsampleBars(bars);
    charts.push({
      symbol,
      interval,
      barCount: bars.time.length,
      shownInterval: drawn.bucketMs === undefined ? undefined : formatBucket(drawn.bucketMs),
      bars: {
        time: drawn.time.map(toSeconds),
        open: drawn.open,
        high: drawn.high,
        low: drawn.low,
        close: drawn.close,
      },
      markers: markersOf(input, colors, symbol, interval, drawn.time),
    });
  }
  return charts;
}

function curveOf(
  name: string,
  total: boolean,
  color: string,
  time: readonly number[],
  equity: readonly number[],
): CurveModel {
  const drawdown: number[] = [];
  let peak = Number.NEGATIVE_INFINITY;
  for (const value of equity) {
    if (value > peak) peak = value;
    drawdown.push(peak > 0 ? (value / peak - 1) * 100 : 0);
  }
  const shownEquity = downsampleLine(time, equity, 'last');
  const shownDrawdown = downsampleLine(time, drawdown, 'min');
  return {
    name,
    total,
    color,
    time: shownEquity.time.map(toSeconds),
    equity: shownEquity.value,
    drawdown: shownDrawdown.value,
  };
}

/** Equity rows per strategy, in results.json's order, times strictly ascending (a repeated time: its last row). */
function equityByStrategy(input: ReportInput): Map<string, { time: number[]; equity: number[] }> {
  const rows = new Map<string, { time: number[]; equity: number[] }>();
  for (const s of input.results.strategies) rows.set(s.strategy, { time: [], equity: [] });
  const { equity } = input;
  for (let i = 0; i < equity.time.length; i++) {
    let curve = rows.get(equity.strategy[i]!);
    if (curve === undefined) {
      curve = { time: [], equity: [] };
      rows.set(equity.strategy[i]!, curve);
    }
    const time = reportTimeMs(equity.time[i]!);
    const last = curve.time.length - 1;
    if (last >= 0 && time <= curve.time[last]!) {
      if (time === curve.time[last]) curve.equity[last] = equity.equity[i]!;
      continue;
    }
    curve.time.push(time);
    curve.equity.push(equity.equity[i]!);
  }
  return rows;
}

/** The sum of every account at each time any was marked, each at its last value (its initial cash before). */
function totalEquity(
  input: ReportInput,
  curves: Map<string, { time: number[]; equity: number[] }>,
): { time: number[]; equity: number[] } {
  const times = [...new Set([...curves.values()].flatMap((c) => c.time))].sort((a, b) => a - b);
  const initial = new Map(input.results.strategies.map((s) => [s.strategy, s.stats.initialCash]));
  const accounts = [...curves.entries()].map(([name, c]) => ({ c, next: 0, value: initial.get(name) ?? 0 }));
  const equity = times.map((time) => {
    let sum = 0;
    for (const account of accounts) {
      while (account.next < account.c.time.length && account.c.time[account.next]! <= time) {
        account.value = account.c.equity[account.next++]!;
      }
      sum += account.value;
    }
    return sum;
  });
  return { time: times, equity };
}

/** The data the page's charts draw: candles with fills per traded series, equity and drawdown curves. */
export function buildReportModel(input: ReportInput): ReportModel {
  const byStrategy = equityByStrategy(input);
  // One colour per strategy, for its curves and its fills: results.json's order, then any other.
  const colors = new Map<string, string>();
  for (const name of [...byStrategy.keys(), ...input.fills.strategy]) {
    if (!colors.has(name)) colors.set(name, PALETTE[colors.size % PALETTE.length]!);
  }
  const curves = [...byStrategy.entries()]
    .filter(([, c]) => c.time.length > 0)
    .map(([name, c]) => curveOf(name, false, colors.get(name)!, c.time, c.equity));
  if (curves.length > 1) {
    const total = totalEquity(input, byStrategy);
    curves.push(curveOf('total', true, TOTAL_COLOR, total.time, total.equity));
  }
  return { candles: candleCharts(input, colors), curves };
}
