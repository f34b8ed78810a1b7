import { describe, expect, it } from 'vitest';
import { ConfigError, type ConfigIssue } from '../errors/config-error';
import { defaultExecutionConfig } from './execution-config';
import { parseSessionConfig } from './parse-config';

function session(execution: unknown, strategyExecution?: unknown) {
  const strategy: Record<string, unknown> = { module: 'strategies.examples.simple_ma_cross' };
  if (strategyExecution !== undefined) strategy.execution = strategyExecution;
  const config: Record<string, unknown> = {
    mode: 'live',
    session_data_config: { symbols: ['AAPL'], strategies: [strategy] },
  };
  if (execution !== undefined) config.execution = execution;
  return config;
}

function issuesOf(value: unknown): ConfigIssue[] {
  try {
    parseSessionConfig(value);
  } catch (error) {
    if (ConfigError.isInstance(error)) return error.issues;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

const DEFAULTS = {
  initial_cash: 100_000,
  fill: 'next_open',
  slippage_bps: 0,
  commission: { per_unit: 0, percent: 0, minimum: 0 },
  sizing: { percent_equity: 100, lot_size: 1 },
  allow_short: false,
  risk_free_rate: 0,
};

describe('execution', () => {
  it('is absent unless written, in the session and in each strategy entry', () => {
    const config = parseSessionConfig(session(undefined));
    expect(config.execution).toBeUndefined();
    expect('execution' in config).toBe(false);
    expect('execution' in (config.session_data_config.strategies[0] ?? {})).toBe(false);
  });

  it('fills every default of the session section', () => {
    expect(parseSessionConfig(session({})).execution).toEqual(DEFAULTS);
    expect(defaultExecutionConfig()).toEqual(DEFAULTS);
    // The default sizing is a fresh object each time (a caller may not change another's).
    expect(defaultExecutionConfig().sizing).not.toBe(defaultExecutionConfig().sizing);
  });

  it('keeps what is written and defaults the rest, field by field in commission', () => {
    const config = parseSessionConfig(
      session({
        initial_cash: 50_000,
        fill: 'close',
        slippage_bps: 2.5,
        commission: { per_unit: 0.005, minimum: 1 },
        sizing: { units: 10 },
        allow_short: true,
        risk_free_rate: 0.04,
      }),
    );
    expect(config.execution).toEqual({
      initial_cash: 50_000,
      fill: 'close',
      slippage_bps: 2.5,
      commission: { per_unit: 0.005, percent: 0, minimum: 1 },
      sizing: { units: 10 },
      allow_short: true,
      risk_free_rate: 0.04,
    });
    expect(parseSessionConfig(session({ sizing: { percent_equity: 50 } })).execution?.sizing).toEqual({
      percent_equity: 50,
    });
  });

  it('keeps a strategy override as written, without defaults (they come from the session)', () => {
    const config = parseSessionConfig(
      session(undefined, { commission: { percent: 0.1 }, sizing: { percent_equity: 25, lot_size: 100 } }),
    );
    expect(config.execution).toBeUndefined();
    expect(config.session_data_config.strategies[0]?.execution).toEqual({
      commission: { percent: 0.1 },
      sizing: { percent_equity: 25, lot_size: 100 },
    });
    expect(parseSessionConfig(session({}, {})).session_data_config.strategies[0]?.execution).toEqual({});
  });

  it('reports every bad value of the session section at its JSON path', () => {
    const issues = issuesOf(
      session({
        initial_cash: 0,
        fill: 'open',
        slippage_bps: -1,
        commission: { per_unit: -1, percent: 101, minimumm: 1 },
        sizing: { units: -1 },
        allow_short: 'yes',
        risk_free_rate: 2,
        initial_cahs: 5,
      }),
    );
    expect(issues).toEqual([
      { path: 'execution.initial_cash', message: 'expected more than 0, got 0' },
      { path: 'execution.fill', message: 'expected one of "next_open", "close", got "open"' },
      { path: 'execution.slippage_bps', message: 'expected at least 0, got -1' },
      { path: 'execution.commission.per_unit', message: 'expected at least 0, got -1' },
      { path: 'execution.commission.percent', message: 'expected at most 100, got 101' },
      {
        path: 'execution.commission.minimumm',
        message: 'unknown field "minimumm" (did you mean "minimum"?)',
      },
      { path: 'execution.sizing.units', message: 'expected more than 0, got -1' },
      { path: 'execution.allow_short', message: 'expected true or false, got "yes"' },
      { path: 'execution.risk_free_rate', message: 'expected at most 1, got 2' },
      {
        path: 'execution.initial_cahs',
        message: 'unknown field "initial_cahs" (did you mean "initial_cash"?)',
      },
    ]);
    expect(issuesOf(session(5))).toEqual([{ path: 'execution', message: 'expected an object, got 5' }]);
  });

  it('asks for exactly one form of sizing', () => {
    expect(issuesOf(session({ sizing: { units: 5, percent_equity: 10, lot_size: 2 } }))).toEqual([
      { path: 'execution.sizing.units', message: 'give either units or percent_equity, not both' },
      {
        path: 'execution.sizing.lot_size',
        message: 'lot_size goes with percent_equity; with fixed units it has no meaning',
      },
    ]);
    expect(issuesOf(session({ sizing: {} }))).toEqual([
      {
        path: 'execution.sizing',
        message: 'expected { "percent_equity": number, "lot_size"?: number } or { "units": number }',
      },
    ]);
    expect(issuesOf(session({ sizing: { percent_equity: 0 } }))).toEqual([
      { path: 'execution.sizing.percent_equity', message: 'expected more than 0, got 0' },
    ]);
    expect(issuesOf(session({ sizing: { percent_equity: 150, lot_size: 0 } }))).toEqual([
      { path: 'execution.sizing.percent_equity', message: 'expected at most 100, got 150' },
      { path: 'execution.sizing.lot_size', message: 'expected more than 0, got 0' },
    ]);
  });

  it('reports bad values of a strategy override under its entry', () => {
    expect(issuesOf(session({}, { initial_cash: -5, sizing: { units: 0 }, fil: 'close' }))).toEqual([
      {
        path: 'session_data_config.strategies[0].execution.initial_cash',
        message: 'expected more than 0, got -5',
      },
      {
        path: 'session_data_config.strategies[0].execution.sizing.units',
        message: 'expected more than 0, got 0',
      },
      {
        path: 'session_data_config.strategies[0].execution.fil',
        message: 'unknown field "fil" (did you mean "fill"?)',
      },
    ]);
  });
});
