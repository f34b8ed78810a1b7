import { parseSessionConfig } from '@strat/core';
import { describe, expect, it } from 'vitest';
import type { ExecutionSettings } from './execution-types';
import { hasPaperExecution, resolveExecutionSettings } from './resolve-execution-settings';

function resolve(session: unknown, entry: unknown): ExecutionSettings | undefined {
  const strategy: Record<string, unknown> = { module: 'strategies.examples.simple_ma_cross' };
  if (entry !== undefined) strategy.execution = entry;
  const config = parseSessionConfig({
    mode: 'live',
    session_data_config: { symbols: ['AAPL'], strategies: [strategy] },
    ...(session === undefined ? {} : { execution: session }),
  });
  return resolveExecutionSettings(config.execution, config.session_data_config.strategies[0]?.execution);
}

const DEFAULTS: ExecutionSettings = {
  initialCash: 100_000,
  fill: 'next_open',
  slippageBps: 0,
  commission: { perUnit: 0, percent: 0, minimum: 0 },
  sizing: { kind: 'percent_equity', percent: 100, lotSize: 1 },
  allowShort: false,
  riskFreeRate: 0,
};

describe('resolveExecutionSettings', () => {
  it('is undefined when neither the session nor the entry has execution', () => {
    expect(resolve(undefined, undefined)).toBeUndefined();
  });

  it('applies the defaults to an empty section, in the session or in the entry', () => {
    expect(resolve({}, undefined)).toEqual(DEFAULTS);
    expect(resolve(undefined, {})).toEqual(DEFAULTS);
  });

  it('takes the session section as is', () => {
    expect(
      resolve(
        {
          initial_cash: 10_000,
          fill: 'close',
          slippage_bps: 5,
          commission: { per_unit: 0.01, percent: 0.1, minimum: 1 },
          sizing: { units: 10 },
          allow_short: true,
          risk_free_rate: 0.03,
        },
        undefined,
      ),
    ).toEqual({
      initialCash: 10_000,
      fill: 'close',
      slippageBps: 5,
      commission: { perUnit: 0.01, percent: 0.1, minimum: 1 },
      sizing: { kind: 'units', units: 10 },
      allowShort: true,
      riskFreeRate: 0.03,
    });
  });

  it('merges the entry over the session: fields replaced, commission per field, sizing whole', () => {
    const session = {
      initial_cash: 10_000,
      slippage_bps: 5,
      commission: { per_unit: 0.01, minimum: 1 },
      sizing: { percent_equity: 50, lot_size: 100 },
    };
    expect(
      resolve(session, { initial_cash: 20_000, commission: { minimum: 2 }, sizing: { percent_equity: 10 } }),
    ).toEqual({
      ...DEFAULTS,
      initialCash: 20_000,
      slippageBps: 5,
      commission: { perUnit: 0.01, percent: 0, minimum: 2 },
      sizing: { kind: 'percent_equity', percent: 10, lotSize: 1 },
    });
    expect(resolve(session, { fill: 'close', allow_short: true, sizing: { units: 3 } })).toEqual({
      ...DEFAULTS,
      initialCash: 10_000,
      fill: 'close',
      slippageBps: 5,
      commission: { perUnit: 0.01, percent: 0, minimum: 1 },
      sizing: { kind: 'units', units: 3 },
      allowShort: true,
    });
  });
});

describe('hasPaperExecution', () => {
  const config = (execution: unknown, entry: Record<string, unknown>) =>
    parseSessionConfig({
      mode: 'backtest',
      backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
      session_data_config: {
        symbols: ['AAPL'],
        streams: ['1m'],
        strategies: [{ module: '@strat/examples/rsi', ...entry }],
      },
      ...(execution === undefined ? {} : { execution }),
    });

  it('is true with a session section or an enabled entry with its own, false otherwise', () => {
    expect(hasPaperExecution(config({}, {}))).toBe(true);
    expect(hasPaperExecution(config(undefined, { execution: { fill: 'close' } }))).toBe(true);
    expect(hasPaperExecution(config(undefined, {}))).toBe(false);
    // A disabled strategy runs nothing: its section trades nothing either.
    expect(hasPaperExecution(config(undefined, { enabled: false, execution: { fill: 'close' } }))).toBe(
      false,
    );
  });
});
