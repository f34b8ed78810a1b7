import { describe, expect, it } from 'vitest';
import { ConfigError, type ConfigIssue } from '../errors/config-error';
import { defaultLiveConfig, isFeedUrl } from './live-config';
import { parseSessionConfig } from './parse-config';

function live(liveConfig: unknown, extra: Record<string, unknown> = {}) {
  return { mode: 'live', session_data_config: { symbols: ['AAPL'] }, live_config: liveConfig, ...extra };
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

describe('live_config', () => {
  it('fills every default, and stays absent when not written (the environment may supply the feed)', () => {
    const config = parseSessionConfig(live({ feed_url: 'ws://127.0.0.1:8765' }));
    expect(config.live_config).toEqual({
      provider: 'alpaca',
      feed_url: 'ws://127.0.0.1:8765',
      clock: 'wall',
      stale_after_s: 90,
      connect_timeout_s: 10,
      step_grace_ms: 2000,
      reconnect: { initial_delay_ms: 500, max_delay_ms: 30_000, multiplier: 2, jitter: 0.3, max_attempts: 0 },
    });
    expect(parseSessionConfig(live(undefined)).live_config).toBeUndefined();
    expect(defaultLiveConfig()).toEqual({ ...config.live_config, feed_url: undefined });
  });

  it('keeps a feed clock, speed, end date and credentials as written', () => {
    const config = parseSessionConfig(
      live({
        feed_url: 'wss://stream.data.alpaca.markets/v2/iex',
        key: 'k',
        secret: 's',
        clock: 'feed',
        speed: 60,
        end_date: '2024-01-03',
        reconnect: { initial_delay_ms: 50, max_attempts: 3 },
      }),
    );
    expect(config.live_config).toMatchObject({
      clock: 'feed',
      speed: 60,
      end_date: '2024-01-03',
      key: 'k',
      secret: 's',
      reconnect: { initial_delay_ms: 50, max_delay_ms: 30_000, max_attempts: 3 },
    });
  });

  it('reports every problem with its JSON path', () => {
    const issues = issuesOf(
      live({
        feed_url: 'http://example.com',
        clock: 'exchange',
        speed: 0,
        end_date: '2024-02-30',
        stale_after_s: -1,
        connect_timeout_s: 30,
        reconnect: { initial_delay_ms: 5000, max_delay_ms: 1000, jitter: 2, max_attempts: 1.5, backof: 1 },
        secrett: 'x',
      }),
    );
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'live_config.feed_url',
        'live_config.clock',
        'live_config.speed',
        'live_config.end_date',
        'live_config.stale_after_s',
        'live_config.connect_timeout_s',
        'live_config.reconnect.jitter',
        'live_config.reconnect.max_attempts',
        'live_config.reconnect.backof',
        'live_config.secrett',
      ]),
    );
    expect(issues.find((i) => i.path === 'live_config.feed_url')?.message).toMatch(
      /expected a WebSocket URL .* got "http:\/\/example.com"/,
    );
    expect(issues.find((i) => i.path === 'live_config.clock')?.message).toBe(
      'expected one of "wall", "feed", got "exchange"',
    );
    expect(issues.find((i) => i.path === 'live_config.secrett')?.message).toMatch(/did you mean "secret"/);
    // Cross-field rules need the section's fields valid, so the delay order is checked on its own.
    expect(issuesOf(live({ reconnect: { initial_delay_ms: 5000, max_delay_ms: 1000 } }))).toEqual([
      {
        path: 'live_config.reconnect.initial_delay_ms',
        message: 'initial_delay_ms 5000 is above max_delay_ms 1000',
      },
    ]);
  });

  it('accepts ws and wss URLs with a host only', () => {
    expect(isFeedUrl('ws://127.0.0.1:8765')).toBe(true);
    expect(isFeedUrl('wss://stream.data.alpaca.markets/v2/sip')).toBe(true);
    expect(isFeedUrl('https://stream.data.alpaca.markets')).toBe(false);
    expect(isFeedUrl('ws://')).toBe(false);
    expect(isFeedUrl('127.0.0.1:8765')).toBe(false);
  });
});
