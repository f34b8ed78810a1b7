import type { PerformanceStats, SessionResults, StrategyResult } from '@strat/runtime';
import { describe, expect, it } from 'vitest';
import { colorsFor } from '../terminal/colors';
import { formatPercent, formatProfitFactor, renderResultsTable } from './results-table';

const plain = colorsFor({ isTTY: false }, {});
const coloured = colorsFor({ isTTY: false }, { FORCE_COLOR: '1' });

function stats(overrides: Partial<PerformanceStats>): PerformanceStats {
  return {
    initialCash: 100_000,
    finalEquity: 100_000,
    totalReturn: 0,
    cagr: 0,
    volatility: 0,
    sharpe: 0,
    sortino: 0,
    maxDrawdown: 0,
    maxDrawdownDurationMs: 0,
    calmar: 0,
    trades: 0,
    winRate: 0,
    profitFactor: 0,
    averageWin: 0,
    averageLoss: 0,
    expectancy: 0,
    exposurePct: 0,
    commissions: 0,
    turnover: 0,
    tradingDays: 0,
    ...overrides,
  };
}

function strategy(name: string, s: PerformanceStats): StrategyResult {
  return {
    strategy: name,
    settings: {
      initialCash: s.initialCash,
      fill: 'next_open',
      slippageBps: 0,
      commission: { perUnit: 0, percent: 0, minimum: 0 },
      sizing: { kind: 'percent_equity', percent: 100, lotSize: 1 },
      allowShort: false,
      riskFreeRate: 0,
    },
    stats: s,
    trades: {
      count: 0,
      symbol: new Int32Array(0),
      symbols: [],
      side: new Int8Array(0),
      quantity: new Float64Array(0),
      entryTime: new Float64Array(0),
      entryPrice: new Float64Array(0),
      exitTime: new Float64Array(0),
      exitPrice: new Float64Array(0),
      grossPnl: new Float64Array(0),
      commission: new Float64Array(0),
      netPnl: new Float64Array(0),
      barsHeld: new Int32Array(0),
      mae: new Float64Array(0),
      mfe: new Float64Array(0),
    },
    equity: {
      count: 0,
      time: new Float64Array(0),
      equity: new Float64Array(0),
      cash: new Float64Array(0),
      exposure: new Float64Array(0),
    },
    unfilled: 0,
    openPositions: {},
  };
}

const sma = stats({
  trades: 1_204,
  totalReturn: 0.12345,
  sharpe: 1.4567,
  maxDrawdown: 0.0812,
  winRate: 0.4351,
  profitFactor: 1.318,
});
const rsi = stats({
  trades: 3,
  totalReturn: -0.031,
  sharpe: -0.42,
  maxDrawdown: 0.05,
  winRate: 1,
  profitFactor: Number.POSITIVE_INFINITY,
});
const idle = stats({});
const total = stats({
  initialCash: 300_000,
  trades: 1_207,
  totalReturn: 0.030817,
  sharpe: 0.9,
  maxDrawdown: 0.04,
  winRate: 0.4366,
  profitFactor: 1.32,
});

describe('renderResultsTable', () => {
  it('shows each strategy and the total', () => {
    const results: SessionResults = {
      strategies: [strategy('sma_cross', sma), strategy('rsi_strategy', rsi), strategy('idle', idle)],
      total,
    };
    expect(renderResultsTable(results, plain)).toBe(
      [
        '┌──────────────┬────────┬─────────┬────────┬────────┬──────────┬───────────────┐',
        '│ strategy     │ trades │  return │ Sharpe │ max DD │ win rate │ profit factor │',
        '├──────────────┼────────┼─────────┼────────┼────────┼──────────┼───────────────┤',
        '│ sma_cross    │  1,204 │ +12.35% │   1.46 │  8.12% │    43.5% │          1.32 │',
        '│ rsi_strategy │      3 │  -3.10% │  -0.42 │  5.00% │   100.0% │             ∞ │',
        '│ idle         │      0 │   0.00% │   0.00 │  0.00% │        - │             - │',
        '│ total        │  1,207 │  +3.08% │   0.90 │  4.00% │    43.7% │          1.32 │',
        '└──────────────┴────────┴─────────┴────────┴────────┴──────────┴───────────────┘',
      ].join('\n'),
    );
  });

  it('leaves the total out for one strategy, and colours gains and losses', () => {
    const one = renderResultsTable({ strategies: [strategy('sma_cross', sma)], total: sma }, plain);
    expect(one).not.toContain('total');
    expect(one.split('\n')).toHaveLength(5);
    const text = renderResultsTable(
      { strategies: [strategy('a', sma), strategy('b', rsi)], total },
      coloured,
    );
    expect(text).toContain(coloured.green('+12.35%'));
    expect(text).toContain(coloured.red('-3.10%'));
    expect(text).toContain(coloured.bold('total'));
  });

  it('formats percents and profit factors', () => {
    expect([formatPercent(0.1234), formatPercent(0.1234, 1, true), formatPercent(-0.00001, 2, true)]).toEqual(
      ['12.34%', '+12.3%', '0.00%'],
    );
    expect([formatProfitFactor(Number.POSITIVE_INFINITY), formatProfitFactor(0.5)]).toEqual(['∞', '0.50']);
  });
});
