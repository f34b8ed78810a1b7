import type { PerformanceStats } from '@strat/runtime';

/**
 * What the report is drawn from: a results folder as read back (results.json as an object, each CSV file
 * as its columns). Field names are the file formats' own (results.json keys, CSV headers).
 */

/** A time as the results folder writes it: ISO 8601 UTC (`2024-01-02T14:30:00.000Z`), or epoch ms. */
export type ReportTime = string | number;

/**
 * The statistics of one account in results.json: the fields of `PerformanceStats`; `null` stands for a
 * value JSON cannot hold (an infinite profit factor or Sortino ratio).
 */
export type ReportStats = Omit<PerformanceStats, 'profitFactor' | 'sortino'> & {
  profitFactor: number | null;
  sortino: number | null;
};

/** One strategy's entry in results.json. */
export interface ReportStrategy {
  strategy: string;
  /** Its execution settings, as written. */
  settings: unknown;
  stats: ReportStats;
  /** Signals that could not fill. */
  unfilled: number;
  /** Position per symbol still open at the end. */
  open_positions: Record<string, number>;
}

/** results.json (`"format": "strat-results/1"`). */
export interface ReportResults {
  format: string;
  session: {
    mode: string;
    start: ReportTime;
    end: ReportTime;
    /** The session config the run used. */
    config: unknown;
    /** The data quality summary, when the run had one. */
    quality?: unknown;
  };
  strategies: ReportStrategy[];
  total: ReportStats;
}

/** trades.csv, one array per column, one element per closed trade. */
export interface ReportTrades {
  strategy: readonly string[];
  symbol: readonly string[];
  side: readonly string[];
  quantity: readonly number[];
  entry_time: readonly ReportTime[];
  entry_price: readonly number[];
  exit_time: readonly ReportTime[];
  exit_price: readonly number[];
  gross_pnl: readonly number[];
  commission: readonly number[];
  net_pnl: readonly number[];
  bars_held: readonly number[];
  mae: readonly number[];
  mfe: readonly number[];
}

/** fills.csv, one array per column, one element per fill. */
export interface ReportFills {
  strategy: readonly string[];
  symbol: readonly string[];
  interval: readonly string[];
  time: readonly ReportTime[];
  signal_seq: readonly number[];
  /** `buy` or `sell`. */
  side: readonly string[];
  quantity: readonly number[];
  price: readonly number[];
  /** Empty in the file (here `null`) when the signal had no price. */
  reference_price: readonly (number | null)[];
  commission: readonly number[];
  /** Signed position after the fill. */
  position_after: readonly number[];
}

/** equity.csv, one array per column, one element per marked step of one account. */
export interface ReportEquity {
  strategy: readonly string[];
  time: readonly ReportTime[];
  equity: readonly number[];
  cash: readonly number[];
  exposure: readonly number[];
}

/** bars.csv: the bars of every traded series, one array per column, in time order per series. */
export interface ReportBars {
  symbol: readonly string[];
  interval: readonly string[];
  time: readonly ReportTime[];
  open: readonly number[];
  high: readonly number[];
  low: readonly number[];
  close: readonly number[];
  volume: readonly number[];
}

/** A results folder, read: what {@link renderReport} draws. */
export interface ReportInput {
  results: ReportResults;
  trades: ReportTrades;
  fills: ReportFills;
  equity: ReportEquity;
  bars: ReportBars;
}

/** Epoch ms of a time as the results folder holds it. */
export function reportTimeMs(time: ReportTime): number {
  return typeof time === 'number' ? time : Date.parse(time);
}
