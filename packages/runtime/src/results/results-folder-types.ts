import type { Interval } from '@strat/core';
import type { SeriesQualityRecord } from '@strat/data';
import type { ExecutionSettings, Fill, PerformanceStats, SessionResults } from '../execution/execution-types';
import type { EquitySeries } from './equity-series';
import type { TradeRecord } from './trade-records';

/** The `format` of results.json this version writes and reads. */
export const RESULTS_FORMAT = 'strat-results/1';

/** What the run was: results.json's `session`. */
export interface ResultsSession {
  /** The session config's `mode` (`backtest`, `live`). */
  mode: string;
  /** First and last date of the run (as the session summary gives them: `startDate`, `endDate`). */
  start: string;
  end: string;
  /** The session config as it was run (plain JSON). */
  config: unknown;
  /** Bar quality per series, when known. */
  quality?: SeriesQualityRecord[];
}

/** The bars of one traded series, in columns (bars.csv). `time` is the bar's start, epoch ms. */
export interface SeriesBars<Column extends ArrayLike<number> = ArrayLike<number>> {
  symbol: string;
  interval: Interval;
  time: Column;
  open: Column;
  high: Column;
  low: Column;
  close: Column;
  volume: Column;
}

/** Everything {@link writeResultsFolder} writes. */
export interface ResultsFolderData {
  session: ResultsSession;
  results: SessionResults;
  /** Every fill of every strategy, in the order they happened. */
  fills: readonly Fill[];
  /** The bars of the series that were traded (for charts). */
  bars: readonly SeriesBars[];
}

/** One strategy of a results folder: results.json's entry and its rows of equity.csv. */
export interface ResultsFolderStrategy {
  strategy: string;
  settings: ExecutionSettings;
  stats: PerformanceStats;
  unfilled: number;
  openPositions: Record<string, number>;
  equity: EquitySeries;
}

/**
 * A results folder as {@link readResultsFolder} gives it back: plain objects and arrays of numbers
 * and strings (no classes, no typed arrays), times as epoch ms, `null` stats read as Infinity.
 */
export interface ResultsFolder {
  format: typeof RESULTS_FORMAT;
  session: ResultsSession;
  /** In the order of results.json (the session config's order). */
  strategies: ResultsFolderStrategy[];
  /** The summed accounts: results.json's `total`, and the summed equity curve (worked out on reading). */
  total: { stats: PerformanceStats; equity: EquitySeries };
  /** Every closed trade, strategy by strategy (trades.csv). */
  trades: TradeRecord[];
  /** Every fill (fills.csv). */
  fills: Fill[];
  /** The traded series' bars (bars.csv), one entry per (symbol, interval) in the file's order. */
  bars: SeriesBars<number[]>[];
}
