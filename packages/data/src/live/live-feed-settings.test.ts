import { inspect } from 'node:util';
import { ConfigError, parseSessionConfig } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { TradingCalendar } from '../calendar/trading-calendar';
import { FeedClock, LiveWallClock } from './live-clock';
import { createLiveClock, createLiveFeed, resolveLiveFeedSettings } from './live-feed-settings';

const liveConfigOf = (live: unknown) =>
  parseSessionConfig({ mode: 'live', session_data_config: { symbols: ['AAPL'] }, live_config: live })
    .live_config;

function issuesOf(action: () => unknown): { path: string; message: string }[] {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
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
    const feed = createLiveFeed(settings, {
      calendar: TradingCalendar.usEquities(),
      clock: createLiveClock(settings),
    });
    expect(inspect(feed, { depth: 5 })).not.toMatch(/the-key|the-secret/);
  });

  it('makes the clock the config names', () => {
    expect(
      createLiveClock(resolveLiveFeedSettings(liveConfigOf({ feed_url: 'ws://h:1', key: 'k', secret: 's' }))),
    ).toBeInstanceOf(LiveWallClock);
    const feedClock = createLiveClock(
      resolveLiveFeedSettings(
        liveConfigOf({ feed_url: 'ws://h:1', key: 'k', secret: 's', clock: 'feed', speed: 30 }),
      ),
    );
    expect(feedClock).toBeInstanceOf(FeedClock);
    expect((feedClock as FeedClock).speed).toBe(30);
  });
});

describe('FeedClock', () => {
  it('reads the newest bar close, runs on at its speed, never goes back', () => {
    let wall = 1000;
    const clock = new FeedClock(60, () => wall);
    expect(clock.started).toBe(false);
    expect(clock.now()).toBeNaN();
    expect(clock.wallMsUntil(5)).toBe(Number.POSITIVE_INFINITY);
    clock.observeBar(600_000);
    expect(clock.now()).toBe(600_000);
    wall += 500;
    expect(clock.now()).toBe(630_000);
    expect(clock.wallMsUntil(660_000)).toBe(500);
    expect(clock.wallMsUntil(1)).toBe(0);
    clock.observeBar(620_000); // older than the running time: ignored
    expect(clock.now()).toBe(630_000);
    clock.observeBar(660_000);
    expect(clock.now()).toBe(660_000);
    clock.setSpeed(0);
    wall += 10_000;
    expect(clock.now()).toBe(660_000);
    expect(clock.wallMsUntil(660_001)).toBe(Number.POSITIVE_INFINITY);
  });

  it('LiveWallClock follows the wall clock', () => {
    let wall = 50;
    const clock = new LiveWallClock(() => wall);
    expect([clock.kind, clock.source, clock.started, clock.now()]).toEqual(['wall', 'wall', true, 50]);
    wall = 80;
    expect(clock.wallMsUntil(100)).toBe(20);
  });
});
