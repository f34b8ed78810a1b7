import { ConfigError, parseSessionConfig } from '@strat/core';
import { describe, expect, it } from 'vitest';
import type { SweepRow } from './sweep-ranking';
import { runWalkForward, walkForwardWindowsOf } from './walk-forward-run';

const config = parseSessionConfig({
  mode: 'backtest',
  backtest_config: { start_date: '2024-01-02', end_date: '2024-01-12' },
  session_data_config: { symbols: ['AAPL'], streams: ['1m'], strategies: [] },
  data_config: { source: 'generator', seed: 5 },
});

const stats = (sharpe: number) => ({ sharpe }) as unknown as NonNullable<SweepRow['stats']>;

describe('walk-forward runs', () => {
  it('lays windows over the calendar sessions of the backtest', () => {
    // 2024-01-02..12 holds 9 NYSE sessions: 3 + 2 fits three times.
    const windows = walkForwardWindowsOf(config, { train: 3, test: 2 });
    expect(windows[0]).toEqual({
      trainStart: '2024-01-02',
      trainEnd: '2024-01-04',
      testStart: '2024-01-05',
      testEnd: '2024-01-08',
    });
    expect(windows).toHaveLength(3);
    expect(() => walkForwardWindowsOf(config, { train: 8, test: 2 })).toThrow(ConfigError);
  });

  it('trains each window, tests its best combination on the sessions after it, and stops when aborted', async () => {
    const windows = walkForwardWindowsOf(config, { train: 3, test: 2 });
    const calls: string[] = [];
    const abort = new AbortController();
    const steps = await runWalkForward({
      config,
      windows,
      indices: [0, 1],
      objective: 'sharpe',
      signal: abort.signal,
      runGrid: async (windowConfig, indices, window, phase) => {
        const bt = windowConfig.backtest_config;
        calls.push(`${window} ${phase} ${bt?.start_date}..${bt?.end_date} [${indices.join(',')}]`);
        if (window === 1 && phase === 'train') {
          return new Map([[0, { index: 0, combination: {}, error: 'boom' }]]);
        }
        if (window === 2) abort.abort();
        return new Map(indices.map((i) => [i, { index: i, combination: { k: i }, stats: stats(i) }]));
      },
    });
    expect(calls).toEqual([
      '0 train 2024-01-02..2024-01-04 [0,1]',
      '0 test 2024-01-05..2024-01-08 [1]',
      '1 train 2024-01-04..2024-01-08 [0,1]',
      '2 train 2024-01-08..2024-01-10 [0,1]',
    ]);
    expect(steps.map((s) => s.error)).toEqual([undefined, 'boom', 'no combination finished']);
    expect(steps[0]?.best?.index).toBe(1);
    expect(steps[0]?.test?.stats?.sharpe).toBe(1);
  });
});
