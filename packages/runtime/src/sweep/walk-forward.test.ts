import { ConfigError, parseSessionConfig } from '@strat/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWalkForward, walkForwardWindows, withDates } from './walk-forward';

const days = (n: number) => Array.from({ length: n }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')}`);

describe('walk-forward', () => {
  it('reads TRAIN:TEST in sessions', () => {
    expect(parseWalkForward('60d:20d')).toEqual({ train: 60, test: 20 });
    expect(parseWalkForward('5:2')).toEqual({ train: 5, test: 2 });
    for (const bad of ['60d', '0d:5d', '5d:0d', 'x:y', '60w:20w']) {
      expect(() => parseWalkForward(bad), bad).toThrow(ConfigError);
    }
  });

  it('trains on whole windows and tests on the sessions right after, test windows back to back', () => {
    expect(walkForwardWindows(days(10), { train: 4, test: 2 })).toEqual([
      { trainStart: '2024-01-01', trainEnd: '2024-01-04', testStart: '2024-01-05', testEnd: '2024-01-06' },
      { trainStart: '2024-01-03', trainEnd: '2024-01-06', testStart: '2024-01-07', testEnd: '2024-01-08' },
      { trainStart: '2024-01-05', trainEnd: '2024-01-08', testStart: '2024-01-09', testEnd: '2024-01-10' },
    ]);
    expect(walkForwardWindows(days(5), { train: 4, test: 2 })).toEqual([]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 28 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 10 }),
        (n, train, test) => {
          const sessions = days(n);
          const windows = walkForwardWindows(sessions, { train, test });
          expect(windows.length).toBe(n >= train + test ? Math.floor((n - train - test) / test) + 1 : 0);
          for (const [i, w] of windows.entries()) {
            // No look-ahead: the test starts after the training ends, on the next session.
            expect(sessions.indexOf(w.testStart)).toBe(sessions.indexOf(w.trainEnd) + 1);
            expect(sessions.indexOf(w.trainEnd) - sessions.indexOf(w.trainStart) + 1).toBe(train);
            expect(sessions.indexOf(w.testEnd) - sessions.indexOf(w.testStart) + 1).toBe(test);
            const next = windows[i + 1];
            if (next !== undefined)
              expect(sessions.indexOf(next.testStart)).toBe(sessions.indexOf(w.testEnd) + 1);
          }
        },
      ),
    );
  });

  it('sets the dates on a copy', () => {
    const config = parseSessionConfig({
      mode: 'backtest',
      backtest_config: { start_date: '2024-01-02', end_date: '2024-03-29' },
      session_data_config: { symbols: ['AAPL'], streams: ['1m'], strategies: [] },
      data_config: { source: 'generator' },
    });
    const copy = withDates(config, '2024-02-01', '2024-02-09');
    expect(copy.backtest_config).toEqual({
      start_date: '2024-02-01',
      end_date: '2024-02-09',
      speed_multiplier: 0,
    });
    expect(config.backtest_config?.start_date).toBe('2024-01-02');
  });
});
