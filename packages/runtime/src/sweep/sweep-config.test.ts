import { parseSessionConfig } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { applyCombination, strategyEntryNames, sweepConfigIssues } from './sweep-config';

function config(change: Record<string, unknown> = {}) {
  return parseSessionConfig({
    mode: 'backtest',
    backtest_config: { start_date: '2024-01-02', end_date: '2024-01-05' },
    session_data_config: {
      symbols: ['AAPL'],
      streams: ['1m'],
      strategies: [
        { module: '@strat/examples/sma-cross', name: 'sma', config: { fast_period: 5, slow_period: 20 } },
        { module: '@strat/examples/rsi', config: { rsi_period: 14 } },
        { module: '@strat/examples/rsi', config: { rsi_period: 7 } },
        { module: '@strat/examples/rsi', enabled: false, name: 'off', config: { rsi_period: 7 } },
      ],
    },
    data_config: { source: 'generator', seed: 1 },
    execution: {},
    ...change,
  });
}

describe('sweep configs', () => {
  it('names strategies as the session does', () => {
    expect(strategyEntryNames(config().session_data_config.strategies)).toEqual([
      'sma',
      'rsi',
      'rsi_2',
      undefined,
    ]);
  });

  it('accepts parameters of enabled strategies and keys their config has', () => {
    expect(
      sweepConfigIssues(config(), [
        { strategy: 'sma', key: 'fast_period', values: [5] },
        { strategy: 'rsi_2', key: 'rsi_period', values: [9] },
      ]),
    ).toEqual([]);
  });

  it('refuses unknown strategies and keys, twice-swept keys, configs that do not trade or replay', () => {
    const issues = sweepConfigIssues(
      config({ execution: undefined, mode: 'live', backtest_config: undefined }),
      [
        { strategy: 'smaa', key: 'fast_period', values: [5] },
        { strategy: 'sma', key: 'fast_perod', values: [5] },
        { strategy: 'off', key: 'rsi_period', values: [5] },
        { strategy: 'sma', key: 'fast_perod', values: [6] },
      ],
    );
    expect(issues.map((i) => i.path)).toEqual([
      'mode',
      'execution',
      '--param smaa.fast_period',
      '--param sma.fast_perod',
      '--param off.rsi_period',
      '--param sma.fast_perod',
      '--param sma.fast_perod',
    ]);
    expect(issues[2]?.message).toMatch(/no enabled strategy is named "smaa" \(strategies: sma, rsi, rsi_2\)/);
    expect(issues[3]?.message).toMatch(/has no key "fast_perod" \(keys: fast_period, slow_period\)/);
    expect(issues[5]?.message).toBe('swept twice');
    expect(sweepConfigIssues(config(), [])[0]?.message).toMatch(/nothing to sweep/);
    expect(
      sweepConfigIssues(
        config({
          backtest_config: { start_date: '2024-01-02', end_date: '2024-01-05', speed_multiplier: 2 },
        }),
        [{ strategy: 'sma', key: 'fast_period', values: [5] }],
      )[0]?.path,
    ).toBe('backtest_config.speed_multiplier');
  });

  it('applies a combination to a copy', () => {
    const base = config();
    const applied = applyCombination(base, { 'sma.fast_period': 8, 'rsi_2.rsi_period': 21 });
    expect(applied.session_data_config.strategies.map((s) => s.config)).toEqual([
      { fast_period: 8, slow_period: 20 },
      { rsi_period: 14 },
      { rsi_period: 21 },
      { rsi_period: 7 },
    ]);
    expect(base.session_data_config.strategies[0]?.config).toEqual({ fast_period: 5, slow_period: 20 });
    expect(() => applyCombination(base, { 'nope.x': 1 })).toThrow(/no strategy for parameter nope.x/);
  });
});
