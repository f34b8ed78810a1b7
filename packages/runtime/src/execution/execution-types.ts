import type { Interval } from '@strat/core';

/**
 * The contract between paper execution (`execution/`), the results (`results/`), the session that
 * feeds them and the outputs (CLI table, results folder, report, service). Prices and cash are in
 * the quote currency; times are epoch ms.
 */

/** How a paper account trades: a strategy's `execution` settings, defaults applied. */
export interface ExecutionSettings {
  /** Starting cash of the strategy's own paper account (default 100,000). */
  initialCash: number;
  /** `next_open`: a market order fills at the open of the next bar of the signal's series (default); `close`: at the signal bar's close. */
  fill: 'next_open' | 'close';
  /** Slippage in basis points, always against the trade: a buy fills higher, a sell lower (default 0). */
  slippageBps: number;
  /** Commission of one order: `max(minimum, perUnit * units + percent / 100 * notional)` (all default 0). */
  commission: { perUnit: number; percent: number; minimum: number };
  /** Units a signal without `quantity` targets: fixed units, or a percent of current equity floored to whole lots. */
  sizing: { kind: 'units'; units: number } | { kind: 'percent_equity'; percent: number; lotSize: number };
  /** May `SELL` open a short (default false: `SELL` targets flat). */
  allowShort: boolean;
  /** Annual risk-free rate for Sharpe and Sortino, as a fraction (default 0). */
  riskFreeRate: number;
}

/** One fill of a paper order. */
export interface Fill {
  strategy: string;
  symbol: string;
  interval: Interval;
  /** Time of the fill: the open time of the bar it filled at (`next_open`) or the signal bar's close time (`close`). */
  time: number;
  /** `seq` of the signal that caused it. */
  signalSeq: number;
  side: 'buy' | 'sell';
  /** Units, > 0. */
  quantity: number;
  /** Fill price, slippage included. */
  price: number;
  /** `Signal.price` when the strategy gave one (fill vs reference = slippage seen). */
  referencePrice: number | undefined;
  commission: number;
  /** Signed position after the fill (units; negative = short). */
  positionAfter: number;
}

/**
 * Closed round trips of one account, one row per trade, in columns (no object per trade). A
 * reversal closes one trade and opens the next. `side` is 1 long, -1 short.
 */
export interface TradeColumns {
  count: number;
  /** Index into {@link symbols} per trade. */
  symbol: Int32Array;
  symbols: readonly string[];
  side: Int8Array;
  quantity: Float64Array;
  entryTime: Float64Array;
  entryPrice: Float64Array;
  exitTime: Float64Array;
  exitPrice: Float64Array;
  /** (exit - entry) * quantity * side. */
  grossPnl: Float64Array;
  /** Commissions of the entry (pro rata to the quantity) and the exit. */
  commission: Float64Array;
  /** grossPnl - commission. */
  netPnl: Float64Array;
  /** Bars of the traded series from the entry fill's bar to the exit fill's bar (0 when both in the same bar). */
  barsHeld: Int32Array;
  /** Maximum adverse / favourable excursion, in quote currency (<= 0 / >= 0), from the highs and lows while open. */
  mae: Float64Array;
  mfe: Float64Array;
}

/** The equity curve of one account: one row per step (close time) at which the account was marked, in columns. */
export interface EquityColumns {
  count: number;
  time: Float64Array;
  /** Cash + marked value of every position. */
  equity: Float64Array;
  cash: Float64Array;
  /** Gross exposure: sum of |position| * last close, in quote currency. */
  exposure: Float64Array;
}

/** One row of an equity curve: where an account stood at one step. */
export interface EquityPoint {
  time: number;
  equity: number;
  cash: number;
  exposure: number;
}

/** The statistics of one account (formulas in results/README or the runtime README). */
export interface PerformanceStats {
  initialCash: number;
  finalEquity: number;
  /** finalEquity / initialCash - 1. */
  totalReturn: number;
  /** (finalEquity / initialCash) ^ (252 / tradingDays) - 1; 0 with fewer than 1 day. */
  cagr: number;
  /** Standard deviation of daily returns * sqrt(252). */
  volatility: number;
  sharpe: number;
  sortino: number;
  /** Largest peak-to-trough fall of the equity curve, as a fraction (0.12 = 12 %). */
  maxDrawdown: number;
  /** Longest time from a peak to the recovery of that peak (or the end), in ms. */
  maxDrawdownDurationMs: number;
  /** cagr / maxDrawdown (0 when there was no drawdown). */
  calmar: number;
  trades: number;
  winRate: number;
  /** Gross wins / gross losses of net P&L (Infinity with wins and no loss: written as null in JSON). */
  profitFactor: number;
  averageWin: number;
  averageLoss: number;
  /** Mean net P&L per trade. */
  expectancy: number;
  /** Share of equity rows with a position open. */
  exposurePct: number;
  commissions: number;
  /** Sum of the notional of every fill / mean equity. */
  turnover: number;
  /** Trading days in the equity curve (the daily returns come from the equity at each day's last row). */
  tradingDays: number;
}

/** What one strategy's paper account ended with. */
export interface StrategyResult {
  strategy: string;
  settings: ExecutionSettings;
  stats: PerformanceStats;
  trades: TradeColumns;
  equity: EquityColumns;
  /** Signals that could not fill: the last bar's, a series without bars, a zero size. */
  unfilled: number;
  /** Position per symbol still open at the end (marked at the last close, not closed). */
  openPositions: Record<string, number>;
}

/** The paper results of a session: one per strategy with execution, and the sum of their accounts. */
export interface SessionResults {
  strategies: StrategyResult[];
  /** Stats of the summed accounts (equity summed at every time any account was marked). */
  total: PerformanceStats;
}

/** What paper execution reads of a released signal (a `StampedSignal` has it all). */
export interface PaperSignal {
  seq: number;
  strategy: string;
  /** Close time of the signal's bar. */
  time: number;
  symbol: string;
  interval: Interval;
  action: 'BUY' | 'SELL' | 'CLOSE' | 'HOLD';
  quantity?: number | undefined;
  price?: number | undefined;
}
