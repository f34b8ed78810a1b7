import { parseSessionConfig } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { checkSweepCombinations, describeCombination } from './sweep-combination-check';
import { sweepIndices } from './sweep-grid';
import { parseSweepParam } from './sweep-params';

// Real strategy setup (the example SMA cross, inline): its config schema refuses fast >= slow.

const config = parseSessionConfig({
  mode: 'backtest',
  backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
  session_data_config: {
    symbols: ['AAPL'],
    streams: ['1m'],
    strategies: [
      {
        module: '@strat/examples/sma-cross',
        name: 'sma',
        config: { symbols: ['AAPL'], interval: '1m', fast_period: 5, slow_period: 20 },
      },
    ],
  },
  data_config: { source: 'generator', seed: 5 },
  execution: { initial_cash: 10_000 },
});

describe('checkSweepCombinations', () => {
  it('names each combination the strategy refuses, with the path inside its config', async () => {
    const params = [parseSweepParam('sma.fast_period=5,20,30'), parseSweepParam('sma.slow_period=20')];
    const problems = await checkSweepCombinations(config, params, sweepIndices(params), {
      configDir: process.cwd(),
    });
    expect(problems.map((p) => p.index)).toEqual([1, 2]);
    expect(problems[0]?.combination).toEqual({ 'sma.fast_period': 20, 'sma.slow_period': 20 });
    expect(problems[0]?.configPath).toMatch(/^session_data_config\.strategies\[0\]\.config/);
    expect(problems[0]?.path).toBe(`sma.fast_period=20 sma.slow_period=20: ${problems[0]?.configPath}`);
  });

  it('finds nothing when every combination sets up', async () => {
    const params = [parseSweepParam('sma.fast_period=2:4')];
    expect(await checkSweepCombinations(config, params, [0, 1, 2], { configDir: process.cwd() })).toEqual([]);
  });

  it('describes a combination as KEY=VALUE pairs', () => {
    expect(describeCombination({ 'a.b': 1, 'c.d': 'x', 'e.f': true })).toBe('a.b=1 c.d="x" e.f=true');
  });
});
