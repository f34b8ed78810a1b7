import type { PerformanceStats, ResultsFolder } from '@strat/runtime';
import type { ReportInput, ReportStats } from './report-input';

/** Stats as results.json holds them: a value JSON cannot hold (Infinity) is null. */
function statsOf(stats: PerformanceStats): ReportStats {
  const out: Record<string, number | null> = {};
  for (const [field, value] of Object.entries(stats)) out[field] = Number.isFinite(value) ? value : null;
  return out as unknown as ReportStats;
}

/** What the report draws, from a results folder as `readResultsFolder` gives it back. */
export function reportInputOf(folder: ResultsFolder): ReportInput {
  const { trades, fills } = folder;
  const equity = {
    strategy: [] as string[],
    time: [] as number[],
    equity: [] as number[],
    cash: [] as number[],
    exposure: [] as number[],
  };
  for (const s of folder.strategies) {
    const rows = s.equity.time.length;
    for (let i = 0; i < rows; i++) {
      equity.strategy.push(s.strategy);
      equity.time.push(s.equity.time[i] as number);
      equity.equity.push(s.equity.equity[i] as number);
      equity.cash.push(s.equity.cash[i] as number);
      equity.exposure.push(s.equity.exposure[i] as number);
    }
  }
  const bars = {
    symbol: [] as string[],
    interval: [] as string[],
    time: [] as number[],
    open: [] as number[],
    high: [] as number[],
    low: [] as number[],
    close: [] as number[],
    volume: [] as number[],
  };
  for (const series of folder.bars) {
    for (let i = 0; i < series.time.length; i++) {
      bars.symbol.push(series.symbol);
      bars.interval.push(series.interval);
      bars.time.push(series.time[i] as number);
      bars.open.push(series.open[i] as number);
      bars.high.push(series.high[i] as number);
      bars.low.push(series.low[i] as number);
      bars.close.push(series.close[i] as number);
      bars.volume.push(series.volume[i] as number);
    }
  }
  return {
    results: {
      format: folder.format,
      session: folder.session,
      strategies: folder.strategies.map((s) => ({
        strategy: s.strategy,
        settings: s.settings,
        stats: statsOf(s.stats),
        unfilled: s.unfilled,
        open_positions: s.openPositions,
      })),
      total: statsOf(folder.total.stats),
    },
    trades: {
      strategy: trades.map((t) => t.strategy),
      symbol: trades.map((t) => t.symbol),
      side: trades.map((t) => t.side),
      quantity: trades.map((t) => t.quantity),
      entry_time: trades.map((t) => t.entryTime),
      entry_price: trades.map((t) => t.entryPrice),
      exit_time: trades.map((t) => t.exitTime),
      exit_price: trades.map((t) => t.exitPrice),
      gross_pnl: trades.map((t) => t.grossPnl),
      commission: trades.map((t) => t.commission),
      net_pnl: trades.map((t) => t.netPnl),
      bars_held: trades.map((t) => t.barsHeld),
      mae: trades.map((t) => t.mae),
      mfe: trades.map((t) => t.mfe),
    },
    fills: {
      strategy: fills.map((f) => f.strategy),
      symbol: fills.map((f) => f.symbol),
      interval: fills.map((f) => f.interval),
      time: fills.map((f) => f.time),
      signal_seq: fills.map((f) => f.signalSeq),
      side: fills.map((f) => f.side),
      quantity: fills.map((f) => f.quantity),
      price: fills.map((f) => f.price),
      reference_price: fills.map((f) => f.referencePrice ?? null),
      commission: fills.map((f) => f.commission),
      position_after: fills.map((f) => f.positionAfter),
    },
    equity,
    bars,
  };
}
