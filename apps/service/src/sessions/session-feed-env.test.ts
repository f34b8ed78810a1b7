import { ConfigError, parseSessionConfig } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { readServiceFeedEnv, sessionFeedEnv } from './session-feed-env';

const SERVICE = {
  STRAT_FEED_URL: 'ws://127.0.0.1:8765/v2/iex',
  STRAT_FEED_KEY: 'service-key',
  STRAT_FEED_SECRET: 'service-secret',
};

function live(liveConfig: Record<string, unknown> | undefined) {
  return parseSessionConfig({
    mode: 'live',
    ...(liveConfig === undefined ? {} : { live_config: liveConfig }),
    session_data_config: { symbols: ['AAPL'], strategies: [] },
  });
}

function thrown(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (ConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('sessionFeedEnv', () => {
  it("gives the service's credentials to a live session on the service's own feed, or without feed_url", () => {
    expect(sessionFeedEnv(live(undefined), SERVICE)).toEqual(SERVICE);
    expect(sessionFeedEnv(live({ clock: 'feed' }), SERVICE)).toEqual(SERVICE);
    // Same origin, another path (another data feed of the same server).
    expect(sessionFeedEnv(live({ feed_url: 'ws://127.0.0.1:8765/v2/sip' }), SERVICE)).toEqual(SERVICE);
  });

  it('gives none to a live session on another feed, which must bring its own key and secret', () => {
    for (const feed_url of ['ws://127.0.0.1:9999', 'ws://localhost:8765/v2/iex', 'wss://127.0.0.1:8765']) {
      expect(sessionFeedEnv(live({ feed_url, key: 'own', secret: 'own-secret' }), SERVICE)).toEqual({});
      const error = thrown(() => sessionFeedEnv(live({ feed_url }), SERVICE));
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.issues.map((i) => i.path)).toEqual(['live_config.key', 'live_config.secret']);
      expect(error.message).toMatch(/sends its credentials only there/);
      expect(error.message).not.toContain(SERVICE.STRAT_FEED_SECRET);
    }
    const onlyKey = thrown(() => sessionFeedEnv(live({ feed_url: 'ws://127.0.0.1:1', key: 'own' }), SERVICE));
    expect(onlyKey.issues.map((i) => i.path)).toEqual(['live_config.secret']);
  });

  it('gives none when the service has no feed of its own, and none to a backtest', () => {
    const noFeed = { STRAT_FEED_KEY: 'k', STRAT_FEED_SECRET: 's' };
    expect(() => sessionFeedEnv(live({ feed_url: 'ws://127.0.0.1:8765' }), noFeed)).toThrow(
      /live_config.key/,
    );
    const backtest = parseSessionConfig({
      mode: 'backtest',
      backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
      session_data_config: { symbols: ['AAPL'], strategies: [] },
    });
    expect(sessionFeedEnv(backtest, SERVICE)).toEqual({});
  });

  it('reads only the feed variables of an environment, empty ones as absent', () => {
    expect(
      readServiceFeedEnv({ ...SERVICE, STRAT_API_TOKEN: 'x', HOME: '/root', STRAT_FEED_KEY: '' }),
    ).toEqual({
      STRAT_FEED_URL: SERVICE.STRAT_FEED_URL,
      STRAT_FEED_KEY: undefined,
      STRAT_FEED_SECRET: SERVICE.STRAT_FEED_SECRET,
    });
  });
});
