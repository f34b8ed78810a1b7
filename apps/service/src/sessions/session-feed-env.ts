import { ConfigError, type ConfigIssue, type SessionConfig } from '@strat/core';

/**
 * The feed settings of the service's environment: its own feed and the credentials for it (a type,
 * not an interface, so that it is an environment `Record` as `SessionOptions.env` takes).
 */
export type ServiceFeedEnv = {
  STRAT_FEED_URL?: string | undefined;
  STRAT_FEED_KEY?: string | undefined;
  STRAT_FEED_SECRET?: string | undefined;
};

/** The feed variables of an environment (empty values are absent). */
export function readServiceFeedEnv(env: Readonly<Record<string, string | undefined>>): ServiceFeedEnv {
  const pick = (name: keyof ServiceFeedEnv) => (env[name] === '' ? undefined : env[name]);
  return {
    STRAT_FEED_URL: pick('STRAT_FEED_URL'),
    STRAT_FEED_KEY: pick('STRAT_FEED_KEY'),
    STRAT_FEED_SECRET: pick('STRAT_FEED_SECRET'),
  };
}

function originOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * The environment a session reads its feed settings from (`SessionOptions.env`). The service's key
 * and secret go only to the service's own feed: a live session whose `feed_url` is absent (the
 * service's `STRAT_FEED_URL` is used) or has that URL's origin gets them; any other session gets
 * none, so a live config naming another feed must bring `live_config.key` and `secret` itself.
 * @throws ConfigError (400) naming `live_config.key` / `live_config.secret` when such a config lacks them
 */
export function sessionFeedEnv(config: SessionConfig, service: ServiceFeedEnv): ServiceFeedEnv {
  if (config.mode !== 'live') return {};
  const live = config.live_config;
  const ownFeed =
    live?.feed_url === undefined ||
    (originOf(live.feed_url) !== undefined && originOf(live.feed_url) === originOf(service.STRAT_FEED_URL));
  if (ownFeed) return { ...service };
  const issues: ConfigIssue[] = [];
  for (const field of ['key', 'secret'] as const) {
    if (live?.[field] === undefined) {
      issues.push({
        path: `live_config.${field}`,
        message:
          `missing: feed_url names another feed than the service's own (STRAT_FEED_URL), and the service ` +
          `sends its credentials only there; give live_config.${field} for this feed, or leave feed_url out`,
      });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues, { summary: 'Live mode cannot start' });
  return {};
}
