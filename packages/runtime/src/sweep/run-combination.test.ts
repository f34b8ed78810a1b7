import { parseSessionConfig } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { runCombination } from './run-combination';

// Real sessions (inline strategies, generated data): a combination's row is the session's total results.

function config(strategies: unknown[]) {
  return parseSessionConfig({
    mode: 'backtest',
    backtest_config: { start_date: '2024-01-02', end_date: '2024-01-04' },
    session_data_config: { symbols: ['AAPL'], streams: ['1m'], strategies },
    data_config: { source: 'generator', seed: 5 },
    execution: { initial_cash: 10_000 },
  });
}

const SMA = {
  module: '@strat/examples/sma-cross',
  name: 'sma',
  config: { symbols: ['AAPL'], interval: '1m', fast_period: 5, slow_period: 20 },
};

describe('runCombination', () => {
  it('runs the combination and gives its results; other values give other results', async () => {
    const options = { configDir: process.cwd() };
    const a = await runCombination(config([SMA]), 0, { 'sma.fast_period': 3 }, options);
    const b = await runCombination(config([SMA]), 1, { 'sma.fast_period': 10 }, options);
    const again = await runCombination(config([SMA]), 0, { 'sma.fast_period': 3 }, options);
    expect(a.error).toBeUndefined();
    expect(a.stats?.trades).toBeGreaterThan(0);
    expect(a.stats?.initialCash).toBe(10_000);
    expect(b.stats?.trades).not.toBe(a.stats?.trades);
    // Deterministic: the same combination, the same numbers.
    expect(again.stats).toEqual(a.stats);
    expect(again.signals).toBe(a.signals);
  });

  it('fails the row of a combination the strategy refuses, saying why', async () => {
    const row = await runCombination(
      config([SMA]),
      2,
      { 'sma.fast_period': 50 },
      { configDir: process.cwd() },
    );
    expect(row.stats).toBeUndefined();
    expect(row.error).toMatch(/fast_period|slow_period|setup/i);
  });
});
