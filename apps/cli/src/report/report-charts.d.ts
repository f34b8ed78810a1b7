// Types of report-charts.js for the dashboard (apps/service/web), which imports it.
import type {
  CandlestickData,
  IChartApi,
  ISeriesApi,
  ISeriesMarkersPluginApi,
  LineData,
  SeriesMarker,
  Time,
  UTCTimestamp,
} from 'lightweight-charts';

export type ChartLibrary = typeof import('lightweight-charts');

export interface ChartTheme {
  background: string;
  text: string;
  grid: string;
  border: string;
  /** false: no TradingView logo on the chart (credit it elsewhere on the page). */
  attributionLogo?: boolean;
}

export interface OhlcColumns {
  time: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
}

export interface FillMarkerModel {
  time: number;
  side: 'buy' | 'sell';
  kind: 'entry' | 'exit' | 'reversal';
  color: string;
  text: string;
}

export interface CurveColumns {
  name: string;
  total: boolean;
  color: string;
  time: number[];
  equity: number[];
  drawdown: number[];
}

export const MIN_BAR_SPACING: number;
export const MAX_LABELLED_FILLS: number;
export const UP: string;
export const DOWN: string;
export const LIGHT_THEME: ChartTheme;
export function newChart(lib: ChartLibrary, container: HTMLElement, theme?: ChartTheme): IChartApi;
export function linePoints(time: readonly number[], values: readonly number[]): LineData<UTCTimestamp>[];
export function candleRows(bars: OhlcColumns): CandlestickData<UTCTimestamp>[];
export function fillMarker(m: FillMarkerModel): SeriesMarker<Time>;
export function drawCandles(
  lib: ChartLibrary,
  container: HTMLElement,
  candles: { bars: OhlcColumns; markers: FillMarkerModel[] },
  theme?: ChartTheme,
): { chart: IChartApi; series: ISeriesApi<'Candlestick'>; markers: ISeriesMarkersPluginApi<Time> };
export function drawCurves(
  lib: ChartLibrary,
  container: HTMLElement,
  curves: readonly CurveColumns[],
  key: 'equity' | 'drawdown',
  format: (value: number) => string,
  theme?: ChartTheme,
): { chart: IChartApi; series: Map<string, ISeriesApi<'Line'>> };
