import { describe, expect, it } from 'vitest';
import type { ExecutionSettings, StrategyResult } from '../execution/execution-types';
import { combinedEquity, combineResults } from './combine-results';
import { computeStats } from './compute-stats';
import { equityColumnsOf, equitySeriesOf } from './equity-series';
import { type TradeRecord, tradeColumnsOf } from './trade-records';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T1 = Date.UTC(2024, 0, 2, 15);
const T2 = T1 + HOUR;
const T3 = T1 + DAY;

function settings(initialCash: number, riskFreeRate = 0): ExecutionSettings {
  return {
    initialCash,
    fill: 'next_open',
    slippageBps: 0,
    commission: { perUnit: 0, percent: 0, minimum: 0 },
    sizing: { kind: 'percent_equity', percent: 100, lotSize: 1 },
    allowShort: false,
    riskFreeRate,
  };
}

function trade(symbol: string, netPnl: number): TradeRecord {
  return {
    strategy: '',
    symbol,
    side: 'long',
    quantity: 1,
    entryTime: T1,
    entryPrice: 10,
    exitTime: T2,
    exitPrice: 10 + netPnl,
    grossPnl: netPnl,
    commission: 0,
    netPnl,
    barsHeld: 1,
    mae: 0,
    mfe: 0,
  };
}

function account(
  strategy: string,
  initialCash: number,
  rows: [number, number, number][],
  pnl: [string, number][],
  costs: { commissions: number; notional: number },
): StrategyResult {
  const equity = equityColumnsOf({
    time: rows.map((r) => r[0]),
    equity: rows.map((r) => r[1]),
    cash: rows.map((r) => r[1] - r[2]),
    exposure: rows.map((r) => r[2]),
  });
  const trades = tradeColumnsOf(pnl.map(([symbol, p]) => trade(symbol, p)));
  return {
    strategy,
    settings: settings(initialCash),
    stats: computeStats({ equity, trades, initialCash, ...costs }),
    trades,
    equity,
    unfilled: 0,
    openPositions: {},
  };
}

const a = account(
  'a',
  100,
  [
    [T1, 110, 110],
    [T3, 120, 0],
  ],
  [['AAPL', 10]],
  { commissions: 1, notional: 230 },
);
const b = account(
  'b',
  50,
  [
    [T2, 45, 40],
    [T3, 60, 60],
  ],
  [
    ['MSFT', -5],
    ['AAPL', 5],
  ],
  { commissions: 2, notional: 90 },
);

describe('combineResults', () => {
  it('sums the accounts at the union of their times, each carrying its last value', () => {
    // B has no row at T1: it adds its initial cash (50) there.
    expect(equitySeriesOf(combinedEquity([a, b]))).toEqual({
      time: [T1, T2, T3],
      equity: [160, 155, 180],
      cash: [50, 5, 120],
      exposure: [110, 150, 60],
    });
  });

  it('gives the stats of the summed account and the pooled trades', () => {
    const total = combineResults([a, b]);
    expect(total.initialCash).toBe(150);
    expect(total.finalEquity).toBe(180);
    expect(total.totalReturn).toBeCloseTo(0.2, 12);
    expect(total.tradingDays).toBe(2);
    // Peak 160 at T1, 155 at T2, back above it at T3.
    expect(total.maxDrawdown).toBeCloseTo(1 - 155 / 160, 12);
    expect(total.maxDrawdownDurationMs).toBe(T3 - T1);
    expect(total.trades).toBe(3);
    expect(total.winRate).toBeCloseTo(2 / 3, 12);
    expect(total.profitFactor).toBe(3);
    expect(total.expectancy).toBeCloseTo(10 / 3, 12);
    expect(total.commissions).toBe(3);
    expect(total.exposurePct).toBe(100);
    // Notional 230 + 90 over the summed curve's mean equity (160 + 155 + 180) / 3.
    expect(total.turnover).toBeCloseTo(320 / 165, 10);
    // Daily returns 155/150 - 1 and 180/155 - 1.
    const [r1, r2] = [155 / 150 - 1, 180 / 155 - 1];
    const mean = (r1 + r2) / 2;
    const sd = Math.abs(r1 - r2) / Math.SQRT2;
    expect(total.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(252), 10);
  });

  it('gives one strategy its own stats and no strategy an empty account', () => {
    // Exactly its own (not re-derived, which could move a last digit), and a copy.
    const alone = combineResults([a]);
    expect(alone).toEqual(a.stats);
    expect(alone).not.toBe(a.stats);
    // Another risk-free rate than the account's: computed again, the same but for the ratios.
    const atFivePercent = combineResults([a], undefined, 0.05);
    for (const [key, value] of Object.entries(a.stats)) {
      if (key !== 'sharpe' && key !== 'sortino') {
        expect(atFivePercent[key as keyof typeof atFivePercent]).toBeCloseTo(value, 9);
      }
    }
    const none = combineResults([]);
    expect(none).toMatchObject({ initialCash: 0, finalEquity: 0, totalReturn: 0, trades: 0, tradingDays: 0 });
    expect(Object.values(none).every(Number.isFinite)).toBe(true);
  });
});
