import { inspect } from 'node:util';
import {
  ConfigError,
  type ConfigIssue,
  defaultLiveConfig,
  type FeedProvider,
  isFeedUrl,
  type LiveConfig,
} from '@strat/core';
import type { ReconnectPolicy } from './reconnect-backoff';

/** The environment variables a live session reads when `live_config` leaves a field out. */
export const FEED_ENV = {
  url: 'STRAT_FEED_URL',
  key: 'STRAT_FEED_KEY',
  secret: 'STRAT_FEED_SECRET',
} as const;

/**
 * A key and secret that do not show when printed, inspected or serialised (`***`): read them
 * through the getters only where they are sent.
 */
export class FeedCredentials {
  readonly #key: string;
  readonly #secret: string;

  constructor(key: string, secret: string) {
    this.#key = key;
    this.#secret = secret;
  }

  /** The API key id. */
  get key(): string {
    return this.#key;
  }

  /** The API secret. */
  get secret(): string {
    return this.#secret;
  }

  /** Redacted. */
  toJSON(): { key: string; secret: string } {
    return { key: '***', secret: '***' };
  }

  /** Redacted. */
  toString(): string {
    return 'FeedCredentials(***)';
  }

  /** Redacted in `console.log` and `util.inspect`. */
  [inspect.custom](): string {
    return this.toString();
  }
}

/** A live session's feed settings, resolved from `live_config` and the environment. */
export interface LiveFeedSettings {
  /** The vendor whose protocol the feed speaks (`live_config.provider`). */
  provider: FeedProvider;
  url: string;
  credentials: FeedCredentials;
  clock: LiveConfig['clock'];
  /** Feed clock speed from the config; undefined = the replay server's announced speed, else 1. */
  speed: number | undefined;
  endDate: string | undefined;
  staleAfterMs: number;
  connectTimeoutMs: number;
  stepGraceMs: number;
  reconnect: ReconnectPolicy;
}

/**
 * Resolves the feed URL, key and secret (config first, then `STRAT_FEED_URL`, `STRAT_FEED_KEY`,
 * `STRAT_FEED_SECRET`) and the other `live_config` fields (defaults when the section is absent).
 * @throws ConfigError naming `live_config.feed_url` / `.key` / `.secret` for each one missing
 */
export function resolveLiveFeedSettings(
  config: LiveConfig | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): LiveFeedSettings {
  const live = config ?? defaultLiveConfig();
  const issues: ConfigIssue[] = [];
  const pick = (field: 'feed_url' | 'key' | 'secret', variable: string, what: string): string => {
    const value = live[field] ?? env[variable];
    if (value === undefined || value === '') {
      issues.push({
        path: `live_config.${field}`,
        message: `missing: live mode needs the feed ${what}; set live_config.${field} or the ${variable} environment variable`,
      });
      return '';
    }
    return value;
  };
  const url = pick('feed_url', FEED_ENV.url, 'URL');
  const key = pick('key', FEED_ENV.key, 'API key');
  const secret = pick('secret', FEED_ENV.secret, 'API secret');
  if (url !== '' && live.feed_url === undefined && !isFeedUrl(url)) {
    issues.push({
      path: 'live_config.feed_url',
      message: `${FEED_ENV.url} is not a WebSocket URL (expected ws://... or wss://...)`,
    });
  }
  if (issues.length > 0) throw new ConfigError(issues, { summary: 'Live mode cannot start' });
  const r = live.reconnect;
  return {
    provider: live.provider,
    url,
    credentials: new FeedCredentials(key, secret),
    clock: live.clock,
    speed: live.speed,
    endDate: live.end_date,
    staleAfterMs: live.stale_after_s * 1000,
    connectTimeoutMs: live.connect_timeout_s * 1000,
    stepGraceMs: live.step_grace_ms,
    reconnect: {
      initialDelayMs: r.initial_delay_ms,
      maxDelayMs: r.max_delay_ms,
      multiplier: r.multiplier,
      jitter: r.jitter,
      maxAttempts: r.max_attempts,
    },
  };
}
