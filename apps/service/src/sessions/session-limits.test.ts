import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSessionConfig } from '@strat/core';
import { readSessionConfigFile } from '@strat/data';
import { findProjectRoot } from '@strat/runtime';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../errors/service-error';
import { assertSessionLimits, DEFAULT_SESSION_LIMITS, sessionLimitIssues } from './session-limits';

const symbols = (n: number, prefix = 'S') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

function config(overrides: {
  symbols?: string[];
  streams?: string[];
  window?: number;
  endDate?: string;
  strategies?: number;
  disabled?: number;
  universes?: unknown[];
}) {
  const strategy = (i: number, enabled: boolean) => ({
    module: 'strategies.examples.simple_ma_cross',
    name: `s${i}`,
    enabled,
  });
  return parseSessionConfig({
    mode: 'backtest',
    backtest_config: { start_date: '2024-01-02', end_date: overrides.endDate ?? '2024-01-02' },
    session_data_config: {
      symbols: overrides.symbols ?? ['AAPL'],
      streams: overrides.streams ?? ['1m'],
      streaming: { window: overrides.window ?? 4096 },
      strategies: [
        ...Array.from({ length: overrides.strategies ?? 1 }, (_, i) => strategy(i, true)),
        ...Array.from({ length: overrides.disabled ?? 0 }, (_, i) => strategy(1000 + i, false)),
      ],
      scanners: (overrides.universes ?? []).map((universe, i) => ({
        module: 'strategies.examples.scanner',
        name: `scan${i}`,
        config: { universe },
      })),
    },
  });
}

const LIMITS = { ...DEFAULT_SESSION_LIMITS };

describe('sessionLimitIssues', () => {
  it('accepts every config in session_configs/ under the defaults', () => {
    const root = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
    const folder = join(root, 'session_configs');
    const files = readdirSync(folder).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(4);
    for (const file of files) {
      expect(sessionLimitIssues(readSessionConfigFile(join(folder, file)), LIMITS), file).toEqual([]);
    }
  });

  it('accepts a session at every limit', () => {
    expect(
      sessionLimitIssues(
        config({
          symbols: symbols(500),
          streams: ['1m', '2m', '3m', '5m', '10m', '15m', '30m', '60m'],
          window: 4096,
          endDate: '2029-01-04',
          strategies: 50,
          disabled: 3,
        }),
        LIMITS,
      ),
    ).toEqual([]);
    expect(sessionLimitIssues(config({ window: 100_000 }), LIMITS)).toEqual([]);
  });

  it('names each limit passed, with its JSON path, its value and its setting', () => {
    const issues = sessionLimitIssues(
      config({
        symbols: symbols(501),
        streams: ['1m', '2m', '3m', '4m', '5m', '6m', '10m', '15m', '30m'],
        window: 100_001,
        endDate: '2029-01-05',
        strategies: 51,
      }),
      LIMITS,
    );
    expect(issues).toEqual([
      {
        path: 'session_data_config.symbols',
        message: expect.stringMatching(/^501 symbols .*limit is 500 \(--max-symbols, STRAT_MAX_SYMBOLS\)/),
      },
      {
        path: 'session_data_config.streams',
        message: expect.stringMatching(/^9 streams: .*limit is 8 \(--max-streams, STRAT_MAX_STREAMS\)/),
      },
      {
        path: 'session_data_config.streaming.window',
        message: expect.stringMatching(/100,001 bars: .*limit is 100,000 \(--max-window, STRAT_MAX_WINDOW\)/),
      },
      {
        path: 'backtest_config.end_date',
        message: expect.stringMatching(/^1,831 days .*limit is 1,830 \(--max-backtest-days/),
      },
      {
        path: 'session_data_config.strategies',
        message: expect.stringMatching(/^51 enabled strategies: .*limit is 50 \(--max-strategies/),
      },
    ]);
  });

  it('counts the symbols scanners watch, naming the universe that goes past the limit', () => {
    const issues = sessionLimitIssues(
      config({
        symbols: symbols(300),
        universes: [symbols(100, 'U'), [...symbols(100), 'X', 7], symbols(101, 'V')],
      }),
      LIMITS,
    );
    expect(issues).toEqual([
      {
        path: 'session_data_config.scanners[2].config.universe',
        message: expect.stringMatching(/^502 symbols \(with the scanners' universes\)/),
      },
    ]);
  });

  it('caps the bars held (symbols x streams x window) when each factor is within its own limit', () => {
    const issues = sessionLimitIssues(
      config({ symbols: symbols(250), streams: ['1m', '5m'], window: 50_000 }),
      LIMITS,
    );
    expect(issues).toEqual([
      {
        path: 'session_data_config.streaming.window',
        message: expect.stringMatching(
          /250 symbols x 2 streams x a window of 50000 keep 25,000,000 bars: .*limit is 20,000,000 \(--max-bars-held/,
        ),
      },
    ]);
  });

  it('holds a session to the limits it is given', () => {
    const small = { ...LIMITS, maxSymbols: 2, maxBacktestDays: 1 };
    expect(sessionLimitIssues(config({ symbols: ['A', 'B'] }), small)).toEqual([]);
    expect(
      sessionLimitIssues(config({ symbols: ['A', 'B', 'C'], endDate: '2024-01-03' }), small).map(
        (i) => i.path,
      ),
    ).toEqual(['session_data_config.symbols', 'backtest_config.end_date']);
  });
});

describe('assertSessionLimits', () => {
  it('refuses with 422 and every issue', () => {
    let error: unknown;
    try {
      assertSessionLimits(config({ strategies: 3 }), { ...LIMITS, maxStrategies: 2 });
    } catch (e) {
      error = e;
    }
    expect(ServiceError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      statusCode: 422,
      issues: [{ path: 'session_data_config.strategies' }],
    });
    expect((error as Error).message).toMatch(/more than this service allows/);
    expect(() => assertSessionLimits(config({}), LIMITS)).not.toThrow();
  });
});
