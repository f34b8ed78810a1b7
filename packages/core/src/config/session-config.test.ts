import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, type ConfigIssue } from '../errors/config-error';
import { parseSessionConfig, parseSessionConfigText } from './parse-config';
import type { SessionConfigInput } from './session-config';

const SESSION_CONFIGS = new URL('../../../../session_configs/', import.meta.url);

function minimal(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    mode: 'backtest',
    backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
    session_data_config: { symbols: ['AAPL'] },
    ...overrides,
  };
}

function withData(data: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  return minimal({ session_data_config: { symbols: ['AAPL'], ...data }, ...overrides });
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

describe('the seed session configs', () => {
  it.each(['test_single_strategy.json', 'test_multiple_strategies.json'])('%s loads unchanged', (name) => {
    const text = readFileSync(new URL(name, SESSION_CONFIGS), 'utf8');
    const config = parseSessionConfigText(text, { file: name });
    expect(config.mode).toBe('backtest');
    expect(config.backtest_config).toEqual({
      start_date: '2024-01-02',
      end_date: '2024-01-02',
      speed_multiplier: 0,
    });
    expect(config.session_data_config.streams).toEqual(['1m', '5m']);
    expect(config.session_data_config.strategies[0]).toEqual({
      module: 'strategies.examples.simple_ma_cross',
      enabled: true,
      config: {
        symbols: config.session_data_config.strategies[0]?.config.symbols,
        interval: '5m',
        fast_period: 10,
        slow_period: 20,
      },
    });
  });

  it('keeps every strategy of the multiple-strategy seed with its own config', () => {
    const text = readFileSync(new URL('test_multiple_strategies.json', SESSION_CONFIGS), 'utf8');
    const config = parseSessionConfigText(text);
    expect(config.session_data_config.symbols).toEqual(['AAPL', 'GOOGL', 'TSLA']);
    expect(config.session_data_config.strategies.map((s) => [s.module, s.config])).toEqual([
      [
        'strategies.examples.simple_ma_cross',
        { symbols: ['AAPL', 'GOOGL'], interval: '5m', fast_period: 10, slow_period: 20 },
      ],
      ['strategies.examples.rsi_strategy', { symbols: ['TSLA'], interval: '1m', rsi_period: 14 }],
    ]);
  });
});

describe('parseSessionConfig defaults', () => {
  it('fills every default of a minimal backtest config', () => {
    expect(parseSessionConfig(minimal())).toEqual({
      mode: 'backtest',
      backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02', speed_multiplier: 0 },
      session_data_config: {
        symbols: ['AAPL'],
        streams: ['1m'],
        streaming: { window: 4096, executor: 'worker', time_budget_ms: 100, notification_limit_ms: 30_000 },
        historical: { enabled: false, warmup_bars: 0 },
        gap_filler: { enabled: false, max_gap_bars: 60 },
        indicators: [],
        calendar: { preset: 'us_equities' },
        scanners: [],
        strategies: [],
      },
      data_config: { source: 'generator', seed: 42, missing_bar_rate: 0, start_price: 100, volatility: 0.3 },
    });
  });

  it('accepts a live config without backtest_config', () => {
    const config = parseSessionConfig({ mode: 'live', session_data_config: { symbols: ['BTC/USD'] } });
    expect(config.backtest_config).toBeUndefined();
    expect(config.mode).toBe('live');
  });

  it('fills strategy and scanner entry defaults', () => {
    const config = parseSessionConfig(
      withData({
        strategies: [{ module: '@strat/examples/rsi' }],
        scanners: [{ module: './scanners/gappers.ts' }],
      }),
    );
    expect(config.session_data_config.strategies).toEqual([
      { module: '@strat/examples/rsi', enabled: true, config: {} },
    ]);
    expect(config.session_data_config.scanners).toEqual([
      { module: './scanners/gappers.ts', enabled: true, schedule: '5m', config: {} },
    ]);
  });

  it('keeps values that are given, including a $schema key', () => {
    const input: SessionConfigInput = {
      $schema: '../packages/core/session-config.schema.json',
      mode: 'backtest',
      backtest_config: { start_date: '2024-02-28', end_date: '2024-02-29', speed_multiplier: 60 },
      session_data_config: {
        symbols: ['AAPL', 'BRK.B', 'ES:CME'],
        streams: ['1m', '5m', '15m', '1h', '1d'],
        streaming: { window: 16, executor: 'inline', time_budget_ms: 2.5, notification_limit_ms: 250 },
        historical: { enabled: true, warmup_bars: 200 },
        gap_filler: { enabled: true, max_gap_bars: 1 },
        indicators: ['sma', { name: 'rsi', params: { period: 14 } }],
        calendar: {
          preset: '24x7',
          timezone: 'Europe/London',
          open: '08:00',
          close: '16:30',
          weekdays: [1, 2],
        },
        scanners: [
          { module: 'a.b', enabled: false, name: 'gap', schedule: '15m', config: { min_gap: 0.02 } },
        ],
        strategies: [
          {
            module: 'a.c',
            enabled: false,
            name: 'x',
            executor: 'inline',
            time_budget_ms: 5,
            notification_limit_ms: 1000,
            config: { k: 1 },
          },
        ],
      },
      data_config: { source: 'generator', seed: -7, missing_bar_rate: 0.5, start_price: 1, volatility: 2 },
    };
    expect(parseSessionConfig(input)).toEqual(input);
  });

  it('fills CSV file defaults', () => {
    const config = parseSessionConfig(
      minimal({ data_config: { source: 'csv', files: [{ path: 'data/aapl.csv', symbol: 'AAPL' }] } }),
    );
    expect(config.data_config).toEqual({
      source: 'csv',
      on_bad_row: 'fail',
      files: [
        {
          path: 'data/aapl.csv',
          symbol: 'AAPL',
          interval: '1m',
          has_header: true,
          delimiter: ',',
          timestamp_format: 'iso',
          date_format: 'YYYY-MM-DD',
          time_label: 'start',
        },
      ],
    });
  });

  it('fills Parquet file defaults', () => {
    const config = parseSessionConfig(
      minimal({ data_config: { source: 'parquet', files: [{ path: 'data/aapl.parquet', symbol: 'AAPL' }] } }),
    );
    expect(config.data_config).toEqual({
      source: 'parquet',
      on_bad_row: 'fail',
      files: [
        {
          path: 'data/aapl.parquet',
          symbol: 'AAPL',
          interval: '1m',
          timestamp_format: 'iso',
          date_format: 'YYYY-MM-DD',
          time_label: 'start',
        },
      ],
    });
  });

  it('reads a catalog data config', () => {
    const config = parseSessionConfig(minimal({ data_config: { source: 'catalog', path: 'data/catalog' } }));
    expect(config.data_config).toEqual({ source: 'catalog', path: 'data/catalog' });
    const withInterval = parseSessionConfig(
      minimal({ data_config: { source: 'catalog', path: 'c', interval: '5m' } }),
    );
    expect(withInterval.data_config).toEqual({ source: 'catalog', path: 'c', interval: '5m' });
  });

  it('does not change its input', () => {
    const input = minimal();
    const before = structuredClone(input);
    parseSessionConfig(input);
    expect(input).toEqual(before);
  });
});

describe('parseSessionConfig problems', () => {
  it('names the JSON path and the allowed values of a bad enum', () => {
    expect(issuesOf(minimal({ mode: 'bactest' }))).toEqual([
      { path: 'mode', message: 'expected one of "backtest", "live", got "bactest"' },
    ]);
  });

  it('reports each unknown key at its own path, with a suggestion when it looks like a typo', () => {
    const issues = issuesOf(
      withData({ strategies: [{ modul: 'a.b', module: 'a.b', fast_perod: 3, zzz: 1 }] }, { extra: true }),
    );
    expect(issues).toEqual([
      {
        path: 'session_data_config.strategies[0].modul',
        message: 'unknown field "modul" (did you mean "module"?)',
      },
      {
        path: 'session_data_config.strategies[0].fast_perod',
        message: expect.stringMatching(/^unknown field "fast_perod" \(allowed: module, enabled, name/),
      },
      {
        path: 'session_data_config.strategies[0].zzz',
        message: expect.stringMatching(/^unknown field "zzz"/),
      },
      { path: 'extra', message: expect.stringMatching(/^unknown field "extra"/) },
    ]);
  });

  it('rejects unknown keys in every nested object', () => {
    const paths = [
      ['backtest_config', { start_date: '2024-01-02', end_date: '2024-01-02', speed: 1 }],
      ['session_data_config', { symbols: ['A'], symbol: 'A' }],
    ] as const;
    for (const [key, value] of paths) {
      expect(issuesOf(minimal({ [key]: value })).map((i) => i.path)).toEqual([
        `${key}.${Object.keys(value).at(-1)}`,
      ]);
    }
    const nested: Array<[Record<string, unknown>, string]> = [
      [{ streaming: { windw: 100 } }, 'session_data_config.streaming.windw'],
      [{ historical: { warmup: 1 } }, 'session_data_config.historical.warmup'],
      [{ gap_filler: { max_gap: 1 } }, 'session_data_config.gap_filler.max_gap'],
      [{ calendar: { tz: 'UTC' } }, 'session_data_config.calendar.tz'],
      [{ indicators: [{ name: 'sma', parms: {} }] }, 'session_data_config.indicators[0].parms'],
      [{ scanners: [{ module: 'a.b', every: '5m' }] }, 'session_data_config.scanners[0].every'],
    ];
    for (const [data, path] of nested) expect(issuesOf(withData(data)).map((i) => i.path)).toEqual([path]);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    [
      'a start date that does not exist',
      { backtest_config: { start_date: '2023-02-29', end_date: '2023-03-01' } },
      'backtest_config.start_date',
      /real calendar date written YYYY-MM-DD, got "2023-02-29"/,
    ],
    [
      'a date in another format',
      { backtest_config: { start_date: '01/02/2024', end_date: '2024-01-02' } },
      'backtest_config.start_date',
      /YYYY-MM-DD/,
    ],
    [
      'a negative speed',
      { backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02', speed_multiplier: -1 } },
      'backtest_config.speed_multiplier',
      /^expected at least 0, got -1$/,
    ],
    [
      'a non-numeric speed',
      { backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02', speed_multiplier: 'fast' } },
      'backtest_config.speed_multiplier',
      /^expected a number, got "fast"$/,
    ],
    [
      'an unknown data source',
      { data_config: { source: 'xml' } },
      'data_config.source',
      /^expected one of "generator", "csv", "parquet", "catalog", got "xml"$/,
    ],
    [
      'a data config without source',
      { data_config: { seed: 1 } },
      'data_config.source',
      /^missing required field \(expected one of "generator", "csv", "parquet", "catalog"\)$/,
    ],
    [
      'a missing bar rate above one half',
      { data_config: { source: 'generator', missing_bar_rate: 0.6 } },
      'data_config.missing_bar_rate',
      /^expected at most 0.5, got 0.6$/,
    ],
    [
      'a zero start price',
      { data_config: { source: 'generator', start_price: 0 } },
      'data_config.start_price',
      /^expected more than 0, got 0$/,
    ],
    [
      'a fractional seed',
      { data_config: { source: 'generator', seed: 1.5 } },
      'data_config.seed',
      /^expected a whole number, got 1.5$/,
    ],
    [
      'CSV without files',
      { data_config: { source: 'csv', files: [] } },
      'data_config.files',
      /^expected at least 1 item, got 0$/,
    ],
    [
      'a Parquet column given as an index',
      {
        data_config: {
          source: 'parquet',
          files: [{ path: 'a.parquet', symbol: 'A', columns: { close: 4 } }],
        },
      },
      'data_config.files[0].columns.close',
      /^expected a string, got 4$/,
    ],
    [
      'a Parquet file with a CSV option',
      { data_config: { source: 'parquet', files: [{ path: 'a.parquet', symbol: 'A', delimiter: ';' }] } },
      'data_config.files[0].delimiter',
      /^unknown field "delimiter"/,
    ],
    [
      'a catalog without a path',
      { data_config: { source: 'catalog' } },
      'data_config.path',
      /^missing required field/,
    ],
    [
      'a bad row policy',
      { data_config: { source: 'csv', on_bad_row: 'ignore', files: [{ path: 'a.csv', symbol: 'A' }] } },
      'data_config.on_bad_row',
      /"fail", "skip", got "ignore"/,
    ],
    [
      'a CSV file with an unknown time zone',
      { data_config: { source: 'csv', files: [{ path: 'a.csv', symbol: 'A', timezone: 'Mars/Olympus' }] } },
      'data_config.files[0].timezone',
      /unknown time zone "Mars\/Olympus"/,
    ],
    [
      'a CSV column given as a negative index',
      { data_config: { source: 'csv', files: [{ path: 'a.csv', symbol: 'A', columns: { close: -1 } }] } },
      'data_config.files[0].columns.close',
      /^expected at least 0, got -1$/,
    ],
    [
      'a CSV column given as neither name nor index',
      { data_config: { source: 'csv', files: [{ path: 'a.csv', symbol: 'A', columns: { close: true } }] } },
      'data_config.files[0].columns.close',
      /^expected a header name or a 0-based column index, got true$/,
    ],
    [
      'a CSV column named in a file without header',
      {
        data_config: {
          source: 'csv',
          files: [{ path: 'a.csv', symbol: 'A', has_header: false, columns: { close: 'Close', open: 1 } }],
        },
      },
      'data_config.files[0].columns.close',
      /has_header is false/,
    ],
    [
      'a CSV file with an empty path',
      { data_config: { source: 'csv', files: [{ path: '', symbol: 'A' }] } },
      'data_config.files[0].path',
      /^expected at least 1 character, got 0$/,
    ],
    [
      'a CSV delimiter that is a quote',
      { data_config: { source: 'csv', files: [{ path: 'a.csv', symbol: 'A', delimiter: '"' }] } },
      'data_config.files[0].delimiter',
      /without quotes/,
    ],
  ])('reports %s', (_what, overrides, path, message) => {
    const issues = issuesOf(minimal(overrides));
    expect(issues.map((i) => i.path)).toEqual([path]);
    expect(issues[0]?.message).toMatch(message);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['no symbols', { symbols: [] }, 'session_data_config.symbols', /^expected at least 1 item, got 0$/],
    ['a symbol with a space', { symbols: ['AA PL'] }, 'session_data_config.symbols[0]', /got "AA PL"/],
    [
      'a symbol that is too long',
      { symbols: ['A'.repeat(33)] },
      'session_data_config.symbols[0]',
      /^expected at most 32 characters, got 33$/,
    ],
    [
      'a symbol that is a number',
      { symbols: [42] },
      'session_data_config.symbols[0]',
      /^expected a string, got 42$/,
    ],
    [
      'a malformed stream',
      { streams: ['1m', '5x'] },
      'session_data_config.streams[1]',
      /interval such as "1m".*got "5x"/,
    ],
    ['a zero-length stream', { streams: ['0m'] }, 'session_data_config.streams[0]', /got "0m"/],
    [
      'an interval too long to count in milliseconds',
      { streams: ['99999999999999999w'] },
      'session_data_config.streams[0]',
      /is too long/,
    ],
    [
      'a window below 16',
      { streaming: { window: 8 } },
      'session_data_config.streaming.window',
      /^expected at least 16, got 8$/,
    ],
    [
      'a window above a million',
      { streaming: { window: 1_000_001 } },
      'session_data_config.streaming.window',
      /^expected at most 1000000, got 1000001$/,
    ],
    [
      'a fractional window',
      { streaming: { window: 100.5 } },
      'session_data_config.streaming.window',
      /whole number/,
    ],
    [
      'an unknown executor',
      { streaming: { executor: 'thread' } },
      'session_data_config.streaming.executor',
      /"worker", "inline", got "thread"/,
    ],
    [
      'a zero time budget',
      { streaming: { time_budget_ms: 0 } },
      'session_data_config.streaming.time_budget_ms',
      /^expected more than 0, got 0$/,
    ],
    [
      'a zero notification limit',
      { streaming: { notification_limit_ms: 0 } },
      'session_data_config.streaming.notification_limit_ms',
      /^expected more than 0, got 0$/,
    ],
    [
      'a negative warm-up',
      { historical: { warmup_bars: -5 } },
      'session_data_config.historical.warmup_bars',
      /at least 0/,
    ],
    [
      'a non-boolean switch',
      { historical: { enabled: 'yes' } },
      'session_data_config.historical.enabled',
      /^expected true or false, got "yes"$/,
    ],
    [
      'a zero gap limit',
      { gap_filler: { max_gap_bars: 0 } },
      'session_data_config.gap_filler.max_gap_bars',
      /at least 1/,
    ],
    [
      'an indicator that is a number',
      { indicators: [5] },
      'session_data_config.indicators[0]',
      /^expected a string or an object, got 5$/,
    ],
    [
      'an indicator object without a name',
      { indicators: [{ params: {} }] },
      'session_data_config.indicators[0].name',
      /missing required field/,
    ],
    [
      'an unknown calendar preset',
      { calendar: { preset: 'nyse' } },
      'session_data_config.calendar.preset',
      /"us_equities", "cme_globex_equity", "24x7", "custom", got "nyse"/,
    ],
    [
      'an unknown time zone',
      { calendar: { timezone: 'America/Nowhere' } },
      'session_data_config.calendar.timezone',
      /unknown time zone "America\/Nowhere"/,
    ],
    [
      'a malformed open time',
      { calendar: { open: '9:30' } },
      'session_data_config.calendar.open',
      /HH:MM.*got "9:30"/,
    ],
    [
      // A close before the open is a session that starts the evening before (issue 15).
      'a close at the open',
      { calendar: { open: '10:00', close: '10:00' } },
      'session_data_config.calendar.close',
      /another time than it opens, and open before 24:00 \(open 10:00, close 10:00\)/,
    ],
    [
      'an open at the preset close',
      { calendar: { open: '16:00' } },
      'session_data_config.calendar.open',
      /open 16:00, close 16:00/,
    ],
    [
      'a weekday out of range',
      { calendar: { weekdays: [1, 7] } },
      'session_data_config.calendar.weekdays[1]',
      /^expected at most 6, got 7$/,
    ],
    [
      'a repeated weekday',
      { calendar: { weekdays: [1, 2, 1] } },
      'session_data_config.calendar.weekdays[2]',
      /listed twice/,
    ],
    [
      'a strategy without module',
      { strategies: [{ config: {} }] },
      'session_data_config.strategies[0].module',
      /^missing required field \(expected a string\)$/,
    ],
    [
      'an absolute strategy module',
      { strategies: [{ module: '/tmp/evil.js' }] },
      'session_data_config.strategies[0].module',
      /must not be absolute/,
    ],
    [
      'a strategy config that is not an object',
      { strategies: [{ module: 'a.b', config: [1] }] },
      'session_data_config.strategies[0].config',
      /^expected an object, got an array$/,
    ],
    [
      'a strategy executor typo',
      { strategies: [{ module: 'a.b', executor: 'inlined' }] },
      'session_data_config.strategies[0].executor',
      /got "inlined"/,
    ],
    [
      'a negative strategy budget',
      { strategies: [{ module: 'a.b', time_budget_ms: -1 }] },
      'session_data_config.strategies[0].time_budget_ms',
      /more than 0/,
    ],
    [
      'a negative strategy notification limit',
      { strategies: [{ module: 'a.b', notification_limit_ms: -5 }] },
      'session_data_config.strategies[0].notification_limit_ms',
      /more than 0/,
    ],
    [
      'an empty strategy name',
      { strategies: [{ module: 'a.b', name: '' }] },
      'session_data_config.strategies[0].name',
      /at least 1 character/,
    ],
    [
      'strategies that are not a list',
      { strategies: { module: 'a.b' } },
      'session_data_config.strategies',
      /^expected an array, got an object$/,
    ],
    [
      'a scanner schedule typo',
      { scanners: [{ module: 'a.b', schedule: '5 min' }] },
      'session_data_config.scanners[0].schedule',
      /got "5 min"/,
    ],
  ])('reports %s', (_what, data, path, message) => {
    const issues = issuesOf(withData(data));
    expect(issues.map((i) => i.path)).toEqual([path]);
    expect(issues[0]?.message).toMatch(message);
  });

  it('reports a missing top level at the root and a non-object document', () => {
    expect(issuesOf({})).toEqual([
      { path: 'mode', message: 'missing required field (expected one of "backtest", "live")' },
      { path: 'session_data_config', message: 'missing required field (expected an object)' },
    ]);
    expect(issuesOf('hello')).toEqual([{ path: '', message: 'expected an object, got "hello"' }]);
    expect(issuesOf(null)).toEqual([{ path: '', message: 'expected an object, got null' }]);
  });
});

describe('cross-field rules', () => {
  it('requires backtest_config in backtest mode', () => {
    expect(issuesOf({ mode: 'backtest', session_data_config: { symbols: ['A'] } })).toEqual([
      { path: 'backtest_config', message: expect.stringMatching(/mode is "backtest", so backtest_config/) },
    ]);
  });

  it('refuses an end date before the start date and accepts equal dates', () => {
    expect(
      issuesOf(minimal({ backtest_config: { start_date: '2024-01-05', end_date: '2024-01-04' } })),
    ).toEqual([
      { path: 'backtest_config.end_date', message: 'end_date 2024-01-04 is before start_date 2024-01-05' },
    ]);
    expect(() => parseSessionConfig(minimal())).not.toThrow();
  });

  it('compares any two real dates in calendar order', () => {
    const day = fc.date({ min: new Date('1990-01-01'), max: new Date('2100-12-31'), noInvalidDate: true });
    fc.assert(
      fc.property(day, day, (a, b) => {
        const [start, end] = [a.toISOString().slice(0, 10), b.toISOString().slice(0, 10)];
        const value = minimal({ backtest_config: { start_date: start, end_date: end } });
        if (end >= start) expect(() => parseSessionConfig(value)).not.toThrow();
        else expect(issuesOf(value).map((i) => i.path)).toEqual(['backtest_config.end_date']);
      }),
    );
  });

  it('loads history only when historical is enabled with a warm-up, and never live', () => {
    expect(issuesOf(withData({ historical: { enabled: true } }))).toEqual([
      { path: 'session_data_config.historical.warmup_bars', message: expect.stringMatching(/loads nothing/) },
    ]);
    expect(issuesOf(withData({ historical: { warmup_bars: 50 } }))).toEqual([
      {
        path: 'session_data_config.historical.enabled',
        message: expect.stringMatching(/warmup_bars is 50 but historical.enabled is false/),
      },
    ]);
    expect(() =>
      parseSessionConfig(withData({ historical: { enabled: true, warmup_bars: 50 } })),
    ).not.toThrow();
    expect(
      issuesOf({
        mode: 'live',
        session_data_config: { symbols: ['A'], historical: { enabled: true, warmup_bars: 50 } },
      }),
    ).toEqual([
      {
        path: 'session_data_config.historical.enabled',
        message: expect.stringMatching(/a live feed has no history/),
      },
    ]);
  });

  it('requires every derived stream to be a whole multiple of the shortest one', () => {
    expect(issuesOf(withData({ streams: ['5m', '7m', '15m', '1h'] }))).toEqual([
      {
        path: 'session_data_config.streams[1]',
        message: '"7m" is not a whole multiple of the base stream "5m" (the shortest stream)',
      },
    ]);
    expect(issuesOf(withData({ streams: ['1h', '90m'] })).map((i) => i.path)).toEqual([
      'session_data_config.streams[1]',
    ]);
    expect(() => parseSessionConfig(withData({ streams: ['1d', '1m', '24h', '30s'] }))).not.toThrow();
  });

  it('refuses streams longer than a day (bars are built within one trading session)', () => {
    const issues = issuesOf(withData({ streams: ['1m', '1d', '1w', '2d', '25h'] }));
    expect(issues.map((i) => i.path)).toEqual([
      'session_data_config.streams[2]',
      'session_data_config.streams[3]',
      'session_data_config.streams[4]',
    ]);
    expect(issues[0]?.message).toBe(
      '"1w" is longer than a day: bars are built within one trading session, so streams go up to "1d" ' +
        '(bars spanning several sessions, such as weekly ones, are not supported yet)',
    );
    // A base stream of weekly bars too: the calendar would spread each over a week of daily sessions.
    expect(issuesOf(withData({ streams: ['1w'] })).map((i) => i.path)).toEqual([
      'session_data_config.streams[0]',
    ]);
  });

  it('decides multiples exactly as interval lengths divide', () => {
    const ms = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
    // Up to a day: longer streams are refused on their own (above).
    const stream = fc
      .tuple(fc.integer({ min: 1, max: 120 }), fc.constantFrom('s', 'm', 'h', 'd'))
      .filter(([n, u]) => n * ms[u] <= ms.d);
    fc.assert(
      fc.property(
        fc.uniqueArray(stream, { minLength: 1, maxLength: 4, selector: ([n, u]) => n * ms[u] }),
        (list) => {
          const streams = list.map(([n, u]) => `${n}${u}`);
          const base = Math.min(...list.map(([n, u]) => n * ms[u]));
          const expected = list.flatMap(([n, u], i) =>
            (n * ms[u]) % base === 0 ? [] : [`session_data_config.streams[${i}]`],
          );
          const value = withData({ streams });
          if (expected.length === 0) expect(() => parseSessionConfig(value)).not.toThrow();
          else expect(issuesOf(value).map((i) => i.path)).toEqual(expected);
        },
      ),
    );
  });

  it('reports repeated symbols, streams and strategy or scanner names at the repeat', () => {
    const issues = issuesOf(
      withData({
        symbols: ['AAPL', 'MSFT', 'AAPL'],
        streams: ['1m', '5m', '1m'],
        strategies: [
          { module: 'a.b', name: 'x' },
          { module: 'a.b' },
          { module: 'a.b' },
          { module: 'a.c', name: 'x' },
        ],
        scanners: [
          { module: 'a.b', name: 's' },
          { module: 'a.c', name: 's' },
        ],
      }),
    );
    expect(issues).toEqual([
      { path: 'session_data_config.symbols[2]', message: 'symbol "AAPL" is listed twice (first at index 0)' },
      { path: 'session_data_config.streams[2]', message: 'stream "1m" is listed twice (first at index 0)' },
      {
        path: 'session_data_config.strategies[3]',
        message: 'strategy name "x" is listed twice (first at index 0)',
      },
      {
        path: 'session_data_config.scanners[1]',
        message: 'scanner name "s" is listed twice (first at index 0)',
      },
    ]);
  });

  it('finds every duplicate of any symbol list', () => {
    const symbol = fc.constantFrom('AAPL', 'MSFT', 'TSLA', 'GOOGL', 'BRK.B');
    fc.assert(
      fc.property(fc.array(symbol, { minLength: 1, maxLength: 8 }), (symbols) => {
        const expected = symbols.flatMap((s, i) =>
          symbols.indexOf(s) === i ? [] : [`session_data_config.symbols[${i}]`],
        );
        const value = withData({ symbols });
        if (expected.length === 0) expect(() => parseSessionConfig(value)).not.toThrow();
        else expect(issuesOf(value).map((i) => i.path)).toEqual(expected);
      }),
    );
  });
});

describe('several problems at once', () => {
  it('lists every problem, in the order they appear in the document', () => {
    const issues = issuesOf({
      mode: 'bactest',
      backtest_config: { start_date: '2024-01-05', end_date: '2024-01-02' },
      session_data_config: {
        symbols: ['AAPL', 'AAPL', 'BAD SYMBOL'],
        streams: ['1m', '7x'],
        calendar: { timezone: 'Mars/Base' },
        strategies: [{ modul: 'x.y' }, { module: 'file:///etc/x.js', time_budget_ms: 0 }],
      },
      data_config: { source: 'csv', files: [{ symbol: 'AAPL' }] },
    });
    expect(issues.map((i) => i.path)).toEqual([
      'mode',
      'backtest_config.end_date',
      'session_data_config.symbols[1]',
      'session_data_config.symbols[2]',
      'session_data_config.streams[1]',
      'session_data_config.calendar.timezone',
      'session_data_config.strategies[0].modul',
      'session_data_config.strategies[0].module',
      'session_data_config.strategies[1].module',
      'session_data_config.strategies[1].time_budget_ms',
      'data_config.files[0].path',
    ]);
  });

  it('puts all of them, with the file name, in the error message', () => {
    let error: unknown;
    try {
      parseSessionConfig(withData({ symbols: [1], streams: ['x'] }, { mode: 'paper' }), { file: 'my.json' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { message, file, code } = error as ConfigError;
    expect(file).toBe('my.json');
    expect(code).toBe('CONFIG_INVALID');
    expect(message).toBe(
      [
        'Invalid session config in my.json:',
        '  - mode: expected one of "backtest", "live", got "paper"',
        '  - session_data_config.symbols[0]: expected a string, got 1',
        '  - session_data_config.streams[0]: expected an interval such as "1m", "5m", "1h" or "1d" (a positive whole count and a unit s, m, h, d or w), got "x"',
      ].join('\n'),
    );
  });
});
