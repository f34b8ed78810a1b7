import type { IChartApi, ISeriesApi, ISeriesMarkersPluginApi, Time, UTCTimestamp } from 'lightweight-charts';
import * as lib from 'lightweight-charts';
import {
  type ChartTheme,
  type CurveColumns,
  drawCandles,
  drawCurves,
  type FillMarkerModel,
  fillMarker,
  LIGHT_THEME,
  linePoints,
  MAX_LABELLED_FILLS,
} from '../../../cli/src/report/report-charts.js';
import { formatMoney } from './format';

/** The dashboard draws with the report's code (apps/cli/src/report/report-charts.js): same charts. */

// No logo on the charts (a <style> element the CSP refuses): the page's footer credits TradingView.
const LIGHT: ChartTheme = { ...LIGHT_THEME, attributionLogo: false };
const DARK: ChartTheme = {
  background: '#111827',
  text: '#d1d5db',
  grid: '#1f2937',
  border: '#374151',
  attributionLogo: false,
};

/** The chart colours of the system's scheme (the page follows prefers-color-scheme). */
export function chartTheme(): ChartTheme {
  return matchMedia('(prefers-color-scheme: dark)').matches ? DARK : LIGHT;
}

/** One colour per strategy, as the report's palette. */
const PALETTE = ['#2563eb', '#d97706', '#059669', '#9333ea', '#db2777', '#0891b2', '#65a30d', '#dc2626'];
export const TOTAL_COLOR_LIGHT = '#111827';
export const TOTAL_COLOR_DARK = '#f9fafb';

export class StrategyColors {
  private readonly colors = new Map<string, string>();
  of(strategy: string): string {
    let color = this.colors.get(strategy);
    if (color === undefined) {
      color = PALETTE[this.colors.size % PALETTE.length]!;
      this.colors.set(strategy, color);
    }
    return color;
  }
}

/** A bar as `GET /sessions/:id/bars` answers it (time in epoch seconds, the bar's start). */
export interface Bar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume?: number;
}

/** A paper fill as the event stream sends it. */
export interface Fill {
  strategy: string;
  symbol: string;
  interval: string;
  side: 'buy' | 'sell';
  quantity: number;
  price: number;
  positionAfter: number;
  timeMs: number;
}

/** Index of the last time <= `time` (-1 when every time is later). */
function barAt(times: readonly number[], time: number): number {
  let lo = 0;
  let hi = times.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= time) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** A growing candlestick chart of one symbol with its fills as markers (the report's drawing). */
export class CandleChart {
  readonly chart: IChartApi;
  private readonly series: ISeriesApi<'Candlestick'>;
  private readonly markers: ISeriesMarkersPluginApi<Time>;
  private readonly times: number[] = [];
  private readonly fills: Fill[] = [];

  constructor(
    container: HTMLElement,
    private readonly colors: StrategyColors,
  ) {
    const drawn = drawCandles(
      lib,
      container,
      { bars: { time: [], open: [], high: [], low: [], close: [] }, markers: [] },
      chartTheme(),
    );
    this.chart = drawn.chart;
    this.series = drawn.series;
    this.markers = drawn.markers;
  }

  /** The newest bar's time (epoch s), or undefined. */
  get lastTime(): number | undefined {
    return this.times.at(-1);
  }

  get barCount(): number {
    return this.times.length;
  }

  /** Replaces every bar. */
  setBars(bars: readonly Bar[]): void {
    this.times.length = 0;
    const rows = [];
    for (const bar of bars) {
      if (this.times.length > 0 && bar.time <= this.times.at(-1)!) continue;
      this.times.push(bar.time);
      rows.push({ ...bar, time: bar.time as UTCTimestamp });
    }
    this.series.setData(rows);
    this.drawMarkers();
    this.chart.timeScale().fitContent();
  }

  /** Adds bars after the newest (the newest again replaces it: a bar that was still forming). */
  addBars(bars: readonly Bar[]): void {
    let added = false;
    for (const bar of bars) {
      const last = this.times.at(-1);
      if (last !== undefined && bar.time < last) continue;
      if (last === undefined || bar.time > last) this.times.push(bar.time);
      this.series.update({ ...bar, time: bar.time as UTCTimestamp });
      added = true;
    }
    if (!added) return;
    this.drawMarkers();
    // The whole series stays in view as it grows.
    this.chart.timeScale().fitContent();
  }

  addFill(fill: Fill): void {
    this.fills.push(fill);
    this.drawMarkers();
  }

  private drawMarkers(): void {
    const markers: FillMarkerModel[] = [];
    for (const fill of this.fills) {
      const i = barAt(this.times, Math.floor(fill.timeMs / 1000));
      if (i < 0) continue;
      const before = fill.positionAfter - (fill.side === 'buy' ? fill.quantity : -fill.quantity);
      const kind =
        fill.positionAfter === 0
          ? 'exit'
          : before !== 0 && Math.sign(before) !== Math.sign(fill.positionAfter)
            ? 'reversal'
            : 'entry';
      markers.push({
        time: this.times[i]!,
        side: fill.side,
        kind,
        color: this.colors.of(fill.strategy),
        text: `${kind === 'exit' ? 'exit' : fill.side} ${fill.quantity}`,
      });
    }
    markers.sort((a, b) => a.time - b.time);
    // Past a few dozen fills their labels only overlap: the shapes and colours say enough.
    const labelled = markers.length <= MAX_LABELLED_FILLS;
    this.markers.setMarkers(markers.map((m) => fillMarker(labelled ? m : { ...m, text: '' })));
  }

  remove(): void {
    this.chart.remove();
  }
}

/** An equity row as the service sends it (time in epoch ms). */
export interface EquityRow {
  strategy: string;
  time: number;
  equity: number;
}

/**
 * Equity and drawdown curves of every strategy and their total, in two charts drawn by the report's
 * code; rows may come live (`add`) or whole (`set`).
 */
export class EquityCharts {
  private readonly curves = new Map<string, CurveColumns & { peak: number }>();
  private equity: ReturnType<typeof drawCurves> | undefined;
  private drawdown: ReturnType<typeof drawCurves> | undefined;

  constructor(
    private readonly equityBox: HTMLElement,
    private readonly drawdownBox: HTMLElement,
    private readonly strategies: readonly string[],
    private readonly colors: StrategyColors,
  ) {}

  private curve(name: string, total: boolean): CurveColumns & { peak: number } {
    let curve = this.curves.get(name);
    if (curve === undefined) {
      const color = total
        ? chartTheme() === LIGHT
          ? TOTAL_COLOR_LIGHT
          : TOTAL_COLOR_DARK
        : this.colors.of(name);
      curve = { name, total, color, time: [], equity: [], drawdown: [], peak: Number.NEGATIVE_INFINITY };
      this.curves.set(name, curve);
    }
    return curve;
  }

  private push(curve: CurveColumns & { peak: number }, timeS: number, value: number): boolean {
    const last = curve.time.length - 1;
    if (last >= 0 && timeS < curve.time[last]!) return false;
    if (value > curve.peak) curve.peak = value;
    const dd = curve.peak > 0 ? (value / curve.peak - 1) * 100 : 0;
    if (last >= 0 && timeS === curve.time[last]) {
      curve.equity[last] = value;
      curve.drawdown[last] = dd;
    } else {
      curve.time.push(timeS);
      curve.equity.push(value);
      curve.drawdown.push(dd);
    }
    return true;
  }

  /** The total at each time: every strategy's last value, summed. */
  private addTotal(latest: Map<string, number>, timeS: number): void {
    if (this.strategies.length < 2 || latest.size < this.strategies.length) return;
    let sum = 0;
    for (const value of latest.values()) sum += value;
    this.push(this.curve('total', true), timeS, sum);
  }

  private readonly latest = new Map<string, number>();

  /** Live rows (one per strategy, as the `equity` event sends them). */
  add(rows: readonly EquityRow[]): void {
    for (const row of rows) {
      this.push(this.curve(row.strategy, false), Math.floor(row.time / 1000), row.equity);
      this.latest.set(row.strategy, row.equity);
    }
    if (rows.length > 0) this.addTotal(this.latest, Math.floor(rows.at(-1)!.time / 1000));
    this.draw();
  }

  /** Every row (strategy by strategy, each in time order), replacing what was drawn. */
  set(rows: readonly EquityRow[]): void {
    this.curves.clear();
    this.latest.clear();
    for (const name of this.strategies) this.curve(name, false);
    for (const row of rows)
      this.push(this.curve(row.strategy, false), Math.floor(row.time / 1000), row.equity);
    // The total at each time any account was marked.
    const times = [...new Set(rows.map((r) => Math.floor(r.time / 1000)))].sort((a, b) => a - b);
    const byStrategy = [...this.curves.values()].filter((c) => !c.total);
    if (byStrategy.length > 1 && byStrategy.every((c) => c.time.length > 0)) {
      const cursor = byStrategy.map(() => 0);
      const latest = new Map<string, number>();
      for (const time of times) {
        byStrategy.forEach((c, k) => {
          while (cursor[k]! < c.time.length && c.time[cursor[k]!]! <= time) {
            latest.set(c.name, c.equity[cursor[k]!]!);
            cursor[k]!++;
          }
        });
        this.addTotal(latest, time);
      }
    }
    this.redraw();
  }

  get pointCount(): number {
    let n = 0;
    for (const c of this.curves.values()) n += c.time.length;
    return n;
  }

  private redraw(): void {
    this.equity?.chart.remove();
    this.drawdown?.chart.remove();
    this.equity = undefined;
    this.drawdown = undefined;
    this.draw();
  }

  private draw(): void {
    const curves = [...this.curves.values()].filter((c) => c.time.length > 0);
    if (curves.length === 0) return;
    // A new curve (the total, say) needs a new chart; otherwise update the series in place.
    if (this.equity === undefined || this.equity.series.size !== curves.length) {
      this.equity?.chart.remove();
      this.drawdown?.chart.remove();
      this.equity = drawCurves(lib, this.equityBox, curves, 'equity', formatMoney, chartTheme());
      this.drawdown = drawCurves(
        lib,
        this.drawdownBox,
        curves,
        'drawdown',
        (v) => `${v.toFixed(2)} %`,
        chartTheme(),
      );
    } else {
      for (const curve of curves) {
        this.equity.series.get(curve.name)?.setData(linePoints(curve.time, curve.equity));
        this.drawdown?.series.get(curve.name)?.setData(linePoints(curve.time, curve.drawdown));
      }
    }
    for (const chart of [this.equity.chart, this.drawdown!.chart]) {
      chart.timeScale().fitContent();
    }
  }

  remove(): void {
    this.equity?.chart.remove();
    this.drawdown?.chart.remove();
  }
}
