import { ConfigError } from '@strat/core';
import { describe, expect, it } from 'vitest';
import type { PerformanceStats } from '../execution/execution-types';
import {
  objectiveName,
  PERFORMANCE_METRICS,
  parseObjective,
  rankRows,
  type SweepRow,
  sweepCsv,
} from './sweep-ranking';

function stats(change: Partial<PerformanceStats>): PerformanceStats {
  const zero = Object.fromEntries(PERFORMANCE_METRICS.map((k) => [k, 0])) as unknown as PerformanceStats;
  return { ...zero, ...change };
}

const rows: SweepRow[] = [
  { index: 0, combination: { 's.k': 1 }, stats: stats({ sharpe: 0.5, maxDrawdown: 0.2 }), signals: 3 },
  { index: 1, combination: { 's.k': 2 }, error: 'strategies threw 2 times' },
  { index: 2, combination: { 's.k': 3 }, stats: stats({ sharpe: 1.5, maxDrawdown: 0.3 }), signals: 4 },
  { index: 3, combination: { 's.k': 4 }, stats: stats({ sharpe: 0.5, maxDrawdown: 0.1 }), signals: 5 },
  { index: 4, combination: { 's.k': 5 }, stats: stats({ sharpe: Number.NaN }), signals: 0 },
];

describe('sweep ranking', () => {
  it('knows metrics by any spelling, and refuses others with the list', () => {
    expect(parseObjective('sharpe')).toBe('sharpe');
    expect(parseObjective('total_return')).toBe('totalReturn');
    expect(parseObjective('maxDrawdown')).toBe('maxDrawdown');
    expect(objectiveName('profitFactor')).toBe('profit_factor');
    let error: unknown;
    try {
      parseObjective('shrp');
    } catch (e) {
      error = e;
    }
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/unknown metric "shrp" \(one of: sharpe, sortino, total_return/);
  });

  it('ranks best first, ties in grid order, failed and NaN rows last', () => {
    expect(rankRows(rows, 'sharpe').map((r) => r.index)).toEqual([2, 0, 3, 1, 4]);
    // Row 4's drawdown is 0 (only its Sharpe is NaN): the least, so first when minimising.
    expect(rankRows(rows, 'maxDrawdown', true).map((r) => r.index)).toEqual([4, 3, 0, 2, 1]);
  });

  it('writes every row as CSV with the parameters and metrics', () => {
    const csv = sweepCsv(rankRows(rows, 'sharpe'), ['s.k']).trim().split('\n');
    expect(csv[0]).toBe(
      'rank,index,s.k,sharpe,sortino,total_return,cagr,volatility,max_drawdown,max_drawdown_duration_ms,calmar,trades,' +
        'win_rate,profit_factor,average_win,average_loss,expectancy,exposure_pct,commissions,turnover,initial_cash,' +
        'final_equity,trading_days,signals,error',
    );
    expect(csv[1]).toBe('1,2,3,1.5,0,0,0,0,0.3,0,0,0,0,0,0,0,0,0,0,0,0,0,0,4,');
    expect(csv[4]).toBe(`4,1,2,${','.repeat(20)},strategies threw 2 times`);
    expect(csv).toHaveLength(6);
  });
});
