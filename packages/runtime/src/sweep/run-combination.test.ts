import { parseSessionConfig } from '@strat/core';
import { BarCache } from '@strat/data';
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

  it('replays bars a BarCache kept from an earlier combination, with the same results', async () => {
    const cache = new BarCache();
    const options = { configDir: process.cwd(), cache };
    const fresh = await runCombination(
      config([SMA]),
      0,
      { 'sma.fast_period': 4 },
      { configDir: process.cwd() },
    );
    const first = await runCombination(config([SMA]), 0, { 'sma.fast_period': 4 }, options);
    const kept = cache.bars;
    expect(kept).toBeGreaterThan(1000);
    const second = await runCombination(config([SMA]), 1, { 'sma.fast_period': 7 }, options);
    const again = await runCombination(config([SMA]), 0, { 'sma.fast_period': 4 }, options);
    // Nothing read twice: the second and third sessions replayed what the first kept.
    expect(cache.bars).toBe(kept);
    expect(first.stats).toEqual(fresh.stats);
    expect(again.stats).toEqual(fresh.stats);
    expect(second.stats).not.toEqual(fresh.stats);
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
