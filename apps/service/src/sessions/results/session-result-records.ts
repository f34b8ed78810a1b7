import {
  type EquitySeries,
  type ExecutionSettings,
  equitySeriesOf,
  type PerformanceStats,
  type SessionResults,
  type TradeRecord,
  tradeRecordsOf,
} from '@strat/runtime';

/** One strategy's paper results as plain records: what the service stores and serves. */
export interface StrategyResultRecords {
  strategy: string;
  settings: ExecutionSettings;
  stats: PerformanceStats;
  /** Signals that could not fill. */
  unfilled: number;
  /** Units per symbol still held at the end. */
  openPositions: Record<string, number>;
  /** Closed trades, in their order. */
  trades: TradeRecord[];
  /** The equity curve, one entry per row. */
  equity: EquitySeries;
}

/** A session's paper results as plain records (no typed arrays): per strategy in config order, and the total's stats. */
export interface SessionResultRecords {
  strategies: StrategyResultRecords[];
  total: PerformanceStats;
}

/** The runtime's columnar results as plain records (trades via `tradeRecordsOf`, equity via `equitySeriesOf`). */
export function resultRecordsOf(results: SessionResults): SessionResultRecords {
  return {
    strategies: results.strategies.map((s) => ({
      strategy: s.strategy,
      settings: s.settings,
      stats: s.stats,
      unfilled: s.unfilled,
      openPositions: s.openPositions,
      trades: tradeRecordsOf(s.strategy, s.trades),
      equity: equitySeriesOf(s.equity),
    })),
    total: results.total,
  };
}
