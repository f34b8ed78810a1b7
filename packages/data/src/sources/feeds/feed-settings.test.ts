import { inspect } from 'node:util';
import { ConfigError, parseSessionConfig } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { TradingCalendar } from '../../calendar/trading-calendar';
import { createLiveClock } from '../../clock/live-clock';
import { createBarFeed } from './create-bar-feed';
import { resolveLiveFeedSettings } from './feed-settings';

const liveConfigOf = (live: unknown) =>
  parseSessionConfig({ mode: 'live', session_data_config: { symbols: ['AAPL'] }, live_config: live })
    .live_config;

function issuesOf(action: () => unknown): { path: string; message: string }[] {
  try {
    action();
  } catch (error) {
    if (ConfigError.isInstance(error)) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveLiveFeedSettings', () => {
  it('takes the config first, then STRAT_FEED_URL / STRAT_FEED_KEY / STRAT_FEED_SECRET', () => {
    const env = {
      STRAT_FEED_URL: 'ws://127.0.0.1:9',
      STRAT_FEED_KEY: 'env-key',
      STRAT_FEED_SECRET: 'env-secret',
    };
    const fromEnv = resolveLiveFeedSettings(undefined, env);
    expect(fromEnv).toMatchObject({
      provider: 'alpaca',
      url: 'ws://127.0.0.1:9',
      clock: 'wall',
      staleAfterMs: 90_000,
      stepGraceMs: 2000,
    });
    expect([fromEnv.credentials.key, fromEnv.credentials.secret]).toEqual(['env-key', 'env-secret']);
    const mixed = resolveLiveFeedSettings(
      liveConfigOf({ feed_url: 'wss://feed.example/v2/iex', secret: 'cfg-secret', clock: 'feed', speed: 60 }),
      env,
    );
    expect(mixed).toMatchObject({ url: 'wss://feed.example/v2/iex', clock: 'feed', speed: 60 });
    expect([mixed.credentials.key, mixed.credentials.secret]).toEqual(['env-key', 'cfg-secret']);
    expect(mixed.reconnect).toEqual({
      initialDelayMs: 500,
      maxDelayMs: 30_000,
      multiplier: 2,
      jitter: 0.3,
      maxAttempts: 0,
    });
  });

  it('names every missing field with its JSON path and the variable to set', () => {
    expect(issuesOf(() => resolveLiveFeedSettings(undefined, {}))).toEqual([
      {
        path: 'live_config.feed_url',
        message:
          'missing: live mode needs the feed URL; set live_config.feed_url or the STRAT_FEED_URL environment variable',
      },
      { path: 'live_config.key', message: expect.stringContaining('STRAT_FEED_KEY') },
      { path: 'live_config.secret', message: expect.stringContaining('STRAT_FEED_SECRET') },
    ]);
    expect(
      issuesOf(() =>
        resolveLiveFeedSettings(undefined, {
          STRAT_FEED_URL: 'http://x',
          STRAT_FEED_KEY: 'k',
          STRAT_FEED_SECRET: 's',
        }),
      ),
    ).toEqual([
      {
        path: 'live_config.feed_url',
        message: expect.stringMatching(/STRAT_FEED_URL is not a WebSocket URL/),
      },
    ]);
  });

  it('never shows the credentials when printed, inspected or serialised', () => {
    const settings = resolveLiveFeedSettings(
      liveConfigOf({ feed_url: 'ws://h:1', key: 'the-key', secret: 'the-secret' }),
    );
    const shown = [
      JSON.stringify(settings),
      inspect(settings, { depth: 5 }),
      String(settings.credentials),
    ].join(' ');
    expect(shown).not.toMatch(/the-key|the-secret/);
    expect(shown).toContain('***');
    const feed = createBarFeed(settings, {
      calendar: TradingCalendar.usEquities(),
      clock: createLiveClock(settings),
    });
    expect(inspect(feed, { depth: 5 })).not.toMatch(/the-key|the-secret/);
  });
});
