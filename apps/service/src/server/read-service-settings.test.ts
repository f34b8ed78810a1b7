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
