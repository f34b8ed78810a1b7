import { type EquityRows, equityRowsOf } from '../execution/equity-rows';
import type { EquityColumns, PerformanceStats, TradeColumns } from '../execution/execution-types';

/** Trading days in a year: daily figures are annualised with it. */
export const TRADING_DAYS_PER_YEAR = 252;

const MS_PER_DAY = 86_400_000;

/** Daily returns no further apart than this count as equal (a rounding residue, not risk). */
const RETURN_TOLERANCE = 1e-12;

/** The default trading day of a time: its UTC date, as days since 1970-01-01. */
export function utcDayOf(time: number): number {
  return Math.floor(time / MS_PER_DAY);
}

/** What {@link computeStats} works from: one paper account's curve and trades, and its costs. */
export interface StatsInput {
  /** The equity curve, one row per step, in time order. */
  equity: EquityColumns;
  /** The closed trades. */
  trades: TradeColumns;
  /** Commissions paid over the run (open trades' entries included). */
  commissions: number;
  /** Sum of `quantity * price` over every fill. */
  notional: number;
  /** The account's starting cash: the equity before the first row. */
  initialCash: number;
  /** Annual risk-free rate as a fraction (default 0). */
  riskFreeRate?: number;
  /**
   * The trading day a time belongs to (rows with the same key are one day), never decreasing as
   * time grows; default {@link utcDayOf}.
   */
  dayOf?: (time: number) => number;
}

/**
 * The account's equity at the last row of each trading day, in time order: the points daily
 * returns are taken between. `dayOf` must not decrease as time grows (a calendar's day does not):
 * the last row of a day is found by galloping and bisection, so a long curve of minute rows asks
 * `dayOf` (a time-zone conversion) about twenty times a day rather than at every row.
 */
export function dailyCloses(equity: EquityColumns, dayOf: (time: number) => number = utcDayOf): number[] {
  return closesOf(equityRowsOf(equity), dayOf);
}

function closesOf(rows: EquityRows, dayOf: (time: number) => number): number[] {
  const closes: number[] = [];
  const n = rows.count;
  let first = 0;
  while (first < n) {
    const day = dayOf(rows.timeAt(first));
    // `last` is on `day`; `after` is past the end or on a later day.
    let last = first;
    let step = 1;
    let after = first + 1;
    while (after < n && dayOf(rows.timeAt(after)) === day) {
      last = after;
      step *= 2;
      after = Math.min(n, last + step);
    }
    while (after - last > 1) {
      const mid = (last + after) >>> 1;
      if (dayOf(rows.timeAt(mid)) === day) last = mid;
      else after = mid;
    }
    closes.push(rows.equityAt(last));
    first = last + 1;
  }
  return closes;
}

/**
 * Daily returns: the first day's against the initial cash, each later day's against the day
 * before. A day that starts at an equity of 0 or less (a ruined account) counts 0.
 */
export function dailyReturns(closes: readonly number[], initialCash: number): number[] {
  const returns: number[] = [];
  let previous = initialCash;
  for (const close of closes) {
    returns.push(previous > 0 ? close / previous - 1 : 0);
    previous = close;
  }
  return returns;
}

/** The deepest fall from a running peak (a fraction) and the longest time from a peak to its recovery, or to the end. */
export interface Drawdown {
  maxDrawdown: number;
  maxDrawdownDurationMs: number;
}

/**
 * The drawdowns of an equity curve that starts at `initialCash` at its first row's time. A peak is
 * recovered at the first row whose equity is at least the peak again; a drawdown never recovered
 * lasts to the last row.
 */
export function drawdown(equity: EquityColumns, initialCash: number): Drawdown {
  const { maxDrawdown, maxDrawdownDurationMs } = scanCurve(equityRowsOf(equity), initialCash);
  return { maxDrawdown, maxDrawdownDurationMs };
}

/** What one pass over a curve's rows finds: its drawdowns, rows exposed and the sum of its equity. */
interface CurveScan extends Drawdown {
  exposedRows: number;
  equitySum: number;
}

function scanCurve(rows: EquityRows, initialCash: number): CurveScan {
  let maxDrawdown = 0;
  let longest = 0;
  let exposedRows = 0;
  let equitySum = 0;
  if (rows.count === 0) return { maxDrawdown, maxDrawdownDurationMs: longest, exposedRows, equitySum };
  let peak = initialCash;
  let peakTime = rows.timeAt(0);
  let under = false;
  let lastTime = peakTime;
  const blocks = rows.blocks();
  for (let length = blocks.next(); length > 0; length = blocks.next()) {
    const { time: times, equity: values, exposure: exposures } = blocks;
    for (let i = 0; i < length; i++) {
      const value = values[i] as number;
      const time = times[i] as number;
      if (value >= peak) {
        if (under) longest = Math.max(longest, time - peakTime);
        under = false;
        peak = value;
        peakTime = time;
      } else {
        under = true;
        if (peak > 0) maxDrawdown = Math.max(maxDrawdown, 1 - value / peak);
      }
      if ((exposures[i] as number) > 0) exposedRows++;
      equitySum += value;
      lastTime = time;
    }
  }
  if (under) longest = Math.max(longest, lastTime - peakTime);
  return { maxDrawdown, maxDrawdownDurationMs: longest, exposedRows, equitySum };
}

/** Daily volatility, Sharpe and Sortino, annualised (all 0 with fewer than 2 days). */
export interface ReturnRatios {
  volatility: number;
  sharpe: number;
  sortino: number;
}

/**
 * Annualised ratios of daily returns: volatility = sd * sqrt(252) (sample sd, n - 1); Sharpe =
 * mean(r - rfDaily) / sd * sqrt(252); Sortino = mean(r - rfDaily) / dd * sqrt(252) with the
 * downside deviation dd = sqrt(mean(min(0, r - rfDaily)^2)) over all days, rfDaily =
 * (1 + rf)^(1/252) - 1. When every return is equal (within 1e-12: a flat curve) sd is 0, and Sharpe and Sortino are 0;
 * otherwise with no day below the risk-free rate Sortino is Infinity.
 */
export function returnRatios(returns: readonly number[], riskFreeRate = 0): ReturnRatios {
  const n = returns.length;
  if (n < 2) return { volatility: 0, sharpe: 0, sortino: 0 };
  const rfDaily = (1 + riskFreeRate) ** (1 / TRADING_DAYS_PER_YEAR) - 1;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const r of returns) {
    sum += r;
    min = Math.min(min, r);
    max = Math.max(max, r);
  }
  const mean = sum / n;
  let squares = 0;
  let downside = 0;
  for (const r of returns) {
    squares += (r - mean) ** 2;
    const below = Math.min(0, r - rfDaily);
    downside += below * below;
  }
  // Equal returns have sd 0; summing them may leave a rounding residue that would blow up the ratios.
  const sd = max - min <= RETURN_TOLERANCE ? 0 : Math.sqrt(squares / (n - 1));
  const downsideDeviation = Math.sqrt(downside / n);
  const excess = mean - rfDaily;
  const annual = Math.sqrt(TRADING_DAYS_PER_YEAR);
  return {
    volatility: sd * annual,
    sharpe: sd === 0 ? 0 : (excess / sd) * annual,
    sortino:
      sd === 0
        ? 0
        : downsideDeviation === 0
          ? Number.POSITIVE_INFINITY
          : (excess / downsideDeviation) * annual,
  };
}

/** Win rate, profit factor, average win and loss, expectancy of closed trades (net of commission). */
export interface TradeStats {
  trades: number;
  winRate: number;
  profitFactor: number;
  averageWin: number;
  averageLoss: number;
  expectancy: number;
}

/**
 * Figures of the closed trades by net P&L: a win is > 0, a loss < 0 (a trade of exactly 0 is
 * neither but counts in `trades` and the expectancy).
 */
export function tradeStats(trades: TradeColumns): TradeStats {
  let wins = 0;
  let losses = 0;
  let won = 0;
  let lost = 0;
  for (let i = 0; i < trades.count; i++) {
    const pnl = trades.netPnl[i] as number;
    if (pnl > 0) {
      wins++;
      won += pnl;
    } else if (pnl < 0) {
      losses++;
      lost += pnl;
    }
  }
  const count = trades.count;
  return {
    trades: count,
    winRate: count === 0 ? 0 : wins / count,
    profitFactor: lost < 0 ? won / -lost : won > 0 ? Number.POSITIVE_INFINITY : 0,
    averageWin: wins === 0 ? 0 : won / wins,
    averageLoss: losses === 0 ? 0 : lost / losses,
    expectancy: count === 0 ? 0 : (won + lost) / count,
  };
}

/**
 * The statistics of one paper account (every formula is in the runtime README, "Results"). Pure:
 * the same input gives the same numbers. Never NaN; `profitFactor` and `sortino` may be Infinity.
 */
export function computeStats(input: StatsInput): PerformanceStats {
  const { initialCash } = input;
  // Compact curves (a session's) are read without working out their columns.
  const rows = equityRowsOf(input.equity);
  const n = rows.count;
  const finalEquity = n === 0 ? initialCash : rows.equityAt(n - 1);
  const closes = closesOf(rows, input.dayOf ?? utcDayOf);
  const tradingDays = closes.length;
  // No account (a total of none) has no cash to grow.
  const growth = initialCash > 0 ? finalEquity / initialCash : 1;
  const cagr = tradingDays < 1 ? 0 : growth <= 0 ? -1 : growth ** (TRADING_DAYS_PER_YEAR / tradingDays) - 1;
  const {
    maxDrawdown,
    maxDrawdownDurationMs,
    exposedRows: exposed,
    equitySum,
  } = scanCurve(rows, initialCash);
  const meanEquity = n === 0 ? 0 : equitySum / n;
  return {
    initialCash,
    finalEquity,
    totalReturn: growth - 1,
    cagr,
    ...returnRatios(dailyReturns(closes, initialCash), input.riskFreeRate ?? 0),
    maxDrawdown,
    maxDrawdownDurationMs,
    calmar: maxDrawdown === 0 ? 0 : cagr / maxDrawdown,
    ...tradeStats(input.trades),
    exposurePct: n === 0 ? 0 : (exposed / n) * 100,
    commissions: input.commissions,
    turnover: meanEquity > 0 ? input.notional / meanEquity : 0,
    tradingDays,
  };
}
