import type { EquityColumns, PerformanceStats, StrategyResult } from '../execution/execution-types';
import { computeStats, utcDayOf } from './compute-stats';
import { sumEquity } from './equity-series';
import { tradeColumnsOf, tradeRecordsOf } from './trade-records';

/** The equity curve of the strategies' accounts summed (see {@link sumEquity}). */
export function combinedEquity(strategies: readonly StrategyResult[]): EquityColumns {
  return sumEquity(strategies.map((s) => ({ initialCash: s.settings.initialCash, equity: s.equity })));
}

function meanEquity(equity: EquityColumns): number {
  let sum = 0;
  for (let i = 0; i < equity.count; i++) sum += equity.equity[i] as number;
  return equity.count === 0 ? 0 : sum / equity.count;
}

/**
 * The statistics of the strategies' accounts taken as one: initial cash summed, the equity curve
 * summed at the union of their times (each account's last value carried, its initial cash before
 * its first row), the trades pooled, commissions and notional summed (a strategy's notional is
 * its turnover times its mean equity).
 * @param dayOf - the trading day of a time, as for {@link computeStats}
 * @param riskFreeRate - annual, a fraction; default the first strategy's
 */
export function combineResults(
  strategies: readonly StrategyResult[],
  dayOf: (time: number) => number = utcDayOf,
  riskFreeRate: number = strategies[0]?.settings.riskFreeRate ?? 0,
): PerformanceStats {
  // One account is its own total: its stats as they are (summing would only copy its curve, and
  // re-deriving its notional from turnover could move the last digit).
  const only = strategies.length === 1 ? strategies[0] : undefined;
  if (only !== undefined && riskFreeRate === only.settings.riskFreeRate) return { ...only.stats };
  let initialCash = 0;
  let commissions = 0;
  let notional = 0;
  for (const s of strategies) {
    initialCash += s.settings.initialCash;
    commissions += s.stats.commissions;
    notional += s.stats.turnover * meanEquity(s.equity);
  }
  return computeStats({
    equity: combinedEquity(strategies),
    trades: tradeColumnsOf(strategies.flatMap((s) => tradeRecordsOf(s.strategy, s.trades))),
    commissions,
    notional,
    initialCash,
    riskFreeRate,
    dayOf,
  });
}
