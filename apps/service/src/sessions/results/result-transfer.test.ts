import { describe, expect, it } from 'vitest';
import { ResultsAssembler, splitResults } from './result-transfer';
import type { SessionResultRecords, StrategyResultRecords } from './session-result-records';

const STATS = {
  initialCash: 1000,
  finalEquity: 1010,
  totalReturn: 0.01,
  cagr: 0,
  volatility: 0,
  sharpe: 0,
  sortino: 0,
  maxDrawdown: 0,
  maxDrawdownDurationMs: 0,
  calmar: 0,
  trades: 0,
  winRate: 1,
  profitFactor: Number.POSITIVE_INFINITY,
  averageWin: 0,
  averageLoss: 0,
  expectancy: 0,
  exposurePct: 0,
  commissions: 0,
  turnover: 0,
  tradingDays: 1,
};

function strategy(name: string, trades: number, rows: number): StrategyResultRecords {
  return {
    strategy: name,
    settings: {
      initialCash: 1000,
      fill: 'next_open',
      slippageBps: 0,
      commission: { perUnit: 0, percent: 0, minimum: 0 },
      sizing: { kind: 'units', units: 1 },
      allowShort: false,
      riskFreeRate: 0,
    },
    stats: { ...STATS, trades },
    unfilled: 2,
    openPositions: { AAPL: 3 },
    trades: Array.from({ length: trades }, (_, i) => ({
      strategy: name,
      symbol: 'AAPL',
      side: 'long' as const,
      quantity: 1,
      entryTime: i,
      entryPrice: 10 + i,
      exitTime: i + 1,
      exitPrice: 11 + i,
      grossPnl: 1,
      commission: 0,
      netPnl: 1,
      barsHeld: 1,
      mae: 0,
      mfe: 1,
    })),
    equity: {
      time: Array.from({ length: rows }, (_, i) => i * 60_000),
      equity: Array.from({ length: rows }, (_, i) => 1000 + i / 3),
      cash: Array.from({ length: rows }, (_, i) => 1000 - i),
      exposure: Array.from({ length: rows }, (_, i) => i),
    },
  };
}

describe('splitResults and ResultsAssembler', () => {
  it('carry results in bounded parts and put them back together exactly, Infinity included', () => {
    const results: SessionResultRecords = {
      strategies: [strategy('a', 7, 25), strategy('b', 0, 0), strategy('c', 3, 10)],
      total: STATS,
    };
    const { head, parts } = splitResults(results, 4);
    expect(head.strategies.map((s) => [s.trades, s.equityRows])).toEqual([
      [7, 25],
      [0, 0],
      [3, 10],
    ]);
    for (const part of parts) expect(part.trades.length + part.equity.time.length).toBeLessThanOrEqual(4);
    const assembler = new ResultsAssembler(structuredClone(head));
    for (const part of parts) assembler.add(structuredClone(part));
    const back = assembler.complete();
    expect(back).toEqual(results);
    expect(back.total.profitFactor).toBe(Number.POSITIVE_INFINITY);
  });

  it('refuses results with rows missing', () => {
    const results: SessionResultRecords = { strategies: [strategy('a', 2, 9)], total: STATS };
    const { head, parts } = splitResults(results, 4);
    const assembler = new ResultsAssembler(head);
    for (const part of parts.slice(0, -1)) assembler.add(part);
    expect(() => assembler.complete()).toThrow(
      'the results of a are incomplete: 2 of 2 trades, 8 of 9 equity rows',
    );
  });
});
