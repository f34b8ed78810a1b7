import { createRequire } from 'node:module';
import { ConfigError, DataError, StratError, StrategyLoadError } from '@strat/core';
import { FeedError } from '@strat/data';
import type { SessionSummary, StrategyThreadState } from '@strat/runtime';
import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeFor, exitCodeForSummary } from './exit-codes';
import { UsageError } from './usage-error';

describe('exitCodeFor', () => {
  it('gives 2 for errors in the input and 1 for everything else', () => {
    expect(exitCodeFor(new ConfigError([{ path: 'mode', message: 'bad' }]))).toBe(ExitCode.USAGE);
    expect(exitCodeFor(new StrategyLoadError('x', 'missing'))).toBe(ExitCode.USAGE);
    expect(exitCodeFor(new DataError('bad row', { file: 'a.csv', line: 3 }))).toBe(ExitCode.USAGE);
    expect(exitCodeFor(new UsageError('bad name'))).toBe(ExitCode.USAGE);
    expect(exitCodeFor(new StratError('CONFIG_UNREADABLE', 'no file'))).toBe(ExitCode.USAGE);
    expect(exitCodeFor(new StratError('WORKER_SCRIPT_MISSING', 'boom'))).toBe(ExitCode.RUNTIME_FAILURE);
    expect(exitCodeFor(new FeedError('FEED_AUTH_FAILED', 'refused', { fatal: true }))).toBe(ExitCode.USAGE);
    expect(exitCodeFor(new FeedError('FEED_CONNECT_FAILED', 'unreachable'))).toBe(ExitCode.RUNTIME_FAILURE);
    expect(exitCodeFor(new TypeError('x is undefined'))).toBe(ExitCode.RUNTIME_FAILURE);
    expect(exitCodeFor('thrown string')).toBe(ExitCode.RUNTIME_FAILURE);
  });

  it('gives the same codes for errors made by the CommonJS copy of @strat/core', () => {
    const cjs = createRequire(import.meta.url)('@strat/core') as typeof import('@strat/core');
    const config = new cjs.ConfigError([{ path: 'mode', message: 'bad' }]);
    expect(config).not.toBeInstanceOf(ConfigError);
    expect(exitCodeFor(config)).toBe(ExitCode.USAGE);
    expect(exitCodeFor(new cjs.DataError('bad row', { file: 'a.csv', line: 3 }))).toBe(ExitCode.USAGE);
    expect(exitCodeFor(new cjs.StratError('FEED_AUTH_FAILED', 'refused'))).toBe(ExitCode.USAGE);
    expect(exitCodeFor(new cjs.StratError('WORKER_SCRIPT_MISSING', 'boom'))).toBe(ExitCode.RUNTIME_FAILURE);
  });
});

describe('exitCodeForSummary', () => {
  const withStates = (...states: StrategyThreadState[]) =>
    ({ metrics: { per_strategy: states.map((state) => ({ state })) } }) as unknown as SessionSummary;

  it('gives 1 when a strategy crashed or timed out, whatever the others did, else 0', () => {
    expect(exitCodeForSummary(withStates('stopped', 'stopped'))).toBe(ExitCode.OK);
    expect(exitCodeForSummary(withStates())).toBe(ExitCode.OK);
    expect(exitCodeForSummary(withStates('stopped', 'timed_out'))).toBe(ExitCode.RUNTIME_FAILURE);
    expect(exitCodeForSummary(withStates('crashed', 'stopped'))).toBe(ExitCode.RUNTIME_FAILURE);
  });

  const withErrors = (...errors: number[]) =>
    ({
      metrics: { per_strategy: errors.map((count) => ({ state: 'stopped', errors: count })) },
    }) as unknown as SessionSummary;

  it('gives 1 when a strategy threw, unless errors are allowed; a dead strategy fails either way', () => {
    expect(exitCodeForSummary(withErrors(0, 0))).toBe(ExitCode.OK);
    expect(exitCodeForSummary(withErrors(0, 3))).toBe(ExitCode.RUNTIME_FAILURE);
    expect(exitCodeForSummary(withErrors(0, 3), { allowErrors: true })).toBe(ExitCode.OK);
    expect(exitCodeForSummary(withStates('crashed'), { allowErrors: true })).toBe(ExitCode.RUNTIME_FAILURE);
  });
});
