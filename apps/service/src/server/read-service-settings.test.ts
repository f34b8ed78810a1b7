import { describe, expect, it } from 'vitest';
import { readServiceSettings } from './read-service-settings';

describe('readServiceSettings', () => {
  it('defaults to 127.0.0.1:8787 and ./.strat-data', () => {
    const settings = readServiceSettings([], {});
    expect(settings).toMatchObject({ host: '127.0.0.1', port: 8787, logLevel: 'info', verbose: false });
    expect(settings?.options).toMatchObject({
      host: '127.0.0.1',
      dataDir: './.strat-data',
      apiToken: undefined,
    });
  });

  it('reads the environment, and flags win over it', () => {
    const env = {
      HOST: '0.0.0.0',
      PORT: '9000',
      STRAT_DATA_DIR: '/var/strat',
      STRAT_API_TOKEN: 'abc',
      STRAT_PROJECT_ROOT: '/p',
    };
    expect(readServiceSettings([], env)).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      options: { dataDir: '/var/strat', apiToken: 'abc', projectRoot: '/p' },
    });
    expect(
      readServiceSettings(['--port', '0', '--host', '::1', '--data-dir', 'd', '--max-sessions', '2'], env),
    ).toMatchObject({
      host: '::1',
      port: 0,
      options: { host: '::1', dataDir: 'd', maxRunningSessions: 2 },
    });
    expect(readServiceSettings([], {})?.options.sweepLimits).toBeUndefined();
    expect(readServiceSettings([], { STRAT_MAX_SWEEPS: '3' })?.options.sweepLimits).toEqual({
      maxRunningSweeps: 3,
    });
    expect(
      readServiceSettings(['--max-sweeps', '2'], { STRAT_MAX_SWEEPS: '3' })?.options.sweepLimits,
    ).toEqual({
      maxRunningSweeps: 2,
    });
    expect(() => readServiceSettings(['--max-sweeps', '0'], {})).toThrow(/max-sweeps/);
  });

  it('reads the limits of one session from flags and the environment (flags win)', () => {
    expect(readServiceSettings([], {})?.options.limits).toEqual({});
    const env = { STRAT_MAX_SYMBOLS: '2000', STRAT_MAX_STREAMS: '3', STRAT_MAX_BACKTEST_DAYS: '' };
    expect(
      readServiceSettings(
        [
          '--max-symbols',
          '50',
          '--max-window',
          '5000',
          '--max-bars-held',
          '1000000',
          '--max-strategies',
          '5',
        ],
        env,
      )?.options.limits,
    ).toEqual({ maxSymbols: 50, maxStreams: 3, maxWindow: 5000, maxBarsHeld: 1_000_000, maxStrategies: 5 });
    expect(readServiceSettings(['--max-backtest-days', '365'], {})?.options.limits).toEqual({
      maxBacktestDays: 365,
    });
    expect(() => readServiceSettings(['--max-symbols', '0'], {})).toThrow(
      /max-symbols must be a whole number from 1/,
    );
    expect(() => readServiceSettings([], { STRAT_MAX_WINDOW: 'lots' })).toThrow(
      /max-window must be a whole number/,
    );
  });

  it('names a bad option', () => {
    expect(() => readServiceSettings(['--port', 'eighty'], {})).toThrow(
      /port must be a whole number from 0 to 65535/,
    );
    expect(() => readServiceSettings(['--token', 'x'], {})).toThrow(/Unknown option '--token'/);
    expect(() => readServiceSettings([], { STRAT_LOG_LEVEL: 'loud' })).toThrow(/log level/);
  });

  it('returns undefined for --help', () => {
    expect(readServiceSettings(['--help'], {})).toBeUndefined();
  });
});
