import { z } from 'zod';
import { isoDateSchema } from './config-fields';

/** True when `text` is an absolute `ws://` or `wss://` URL with a host. */
export function isFeedUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'ws:' || url.protocol === 'wss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const feedUrlSchema = z.string().superRefine((text, ctx) => {
  if (!isFeedUrl(text)) {
    ctx.addIssue({
      code: 'custom',
      input: text,
      message: `expected a WebSocket URL such as "wss://stream.data.alpaca.markets/v2/iex" or "ws://127.0.0.1:8765", got ${JSON.stringify(text)}`,
    });
  }
});

const reconnectConfigSchema = z
  .strictObject({
    initial_delay_ms: z
      .number()
      .min(0)
      .default(500)
      .meta({ description: 'Wait before the first reconnect attempt, ms.' }),
    max_delay_ms: z
      .number()
      .gt(0)
      .default(30_000)
      .meta({ description: 'Longest wait between attempts, ms (the backoff stops growing there).' }),
    multiplier: z
      .number()
      .min(1)
      .default(2)
      .meta({ description: 'Each failed attempt multiplies the wait by this (exponential backoff).' }),
    jitter: z.number().min(0).max(1).default(0.3).meta({
      description: 'Share of each wait taken off at random (0 = none, 1 = anywhere from 0 to the full wait).',
    }),
    max_attempts: z
      .int()
      .min(0)
      .default(0)
      .meta({ description: 'Attempts in a row before the session fails; 0 = keep trying.' }),
  })
  .superRefine((reconnect, ctx) => {
    if (reconnect.initial_delay_ms > reconnect.max_delay_ms) {
      ctx.addIssue({
        code: 'custom',
        input: reconnect.initial_delay_ms,
        path: ['initial_delay_ms'],
        message: `initial_delay_ms ${reconnect.initial_delay_ms} is above max_delay_ms ${reconnect.max_delay_ms}`,
      });
    }
  });

/** The live feed vendors @strat can follow, as named in `live_config.provider`. */
export const FEED_PROVIDERS = ['alpaca'] as const;

/** A live feed vendor: {@link FEED_PROVIDERS}. */
export type FeedProvider = (typeof FEED_PROVIDERS)[number];

/**
 * `live_config`: the real-time feed a live session follows (`provider`: the Alpaca market-data v2
 * stream protocol by default) and how the session treats it. URL, key and secret may come from the environment
 * instead (`STRAT_FEED_URL`, `STRAT_FEED_KEY`, `STRAT_FEED_SECRET`), which keeps secrets out of
 * config files.
 */
export const liveConfigSchema = z.strictObject({
  provider: z.enum(FEED_PROVIDERS).default('alpaca').meta({
    description:
      'The feed vendor and protocol: alpaca (the Alpaca market-data v2 stream, also spoken by strat feed serve).',
  }),
  feed_url: feedUrlSchema.optional().meta({
    description: 'The WebSocket URL of the bar stream (default: the STRAT_FEED_URL environment variable).',
  }),
  key: z.string().min(1).optional().meta({
    description: 'API key id (default: STRAT_FEED_KEY). Prefer the environment: config files get shared.',
  }),
  secret: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'API secret (default: STRAT_FEED_SECRET). Never logged.' }),
  clock: z
    .enum(['wall', 'feed'])
    .default('wall')
    .meta({
      description:
        'wall: the session time is the system clock (a real feed). feed: the time of the newest bar, ' +
        'advanced between bars by wall time x speed (a replay of history such as `strat feed serve`).',
    }),
  speed: z.number().gt(0).optional().meta({
    description: 'Feed clock only: feed ms per wall ms (default: what the replay server announces, else 1).',
  }),
  end_date: isoDateSchema.optional().meta({
    description: 'Stop once the session of this date (YYYY-MM-DD) has closed; default: run until stopped.',
  }),
  stale_after_s: z.number().gt(0).default(90).meta({
    description:
      'Stale-feed watchdog: no message for this many wall seconds during session hours is a warning and a reconnect.',
  }),
  connect_timeout_s: z.number().gt(0).max(10).default(10).meta({
    description: 'Time to connect and authenticate, seconds (the protocol allows at most 10).',
  }),
  step_grace_ms: z
    .number()
    .min(0)
    .default(2000)
    .meta({
      description:
        'A minute is handed to the strategies once every symbol has a bar for it, or this long (session time) ' +
        'after it ended: a minute without trades has no bar.',
    }),
  reconnect: reconnectConfigSchema.prefault({}),
});

/** A parsed `live_config`, defaults applied. */
export type LiveConfig = z.output<typeof liveConfigSchema>;

/** `live_config` as written. */
export type LiveConfigInput = z.input<typeof liveConfigSchema>;

/** The defaults of every `live_config` field (what a live session uses when the section is absent). */
export function defaultLiveConfig(): LiveConfig {
  return liveConfigSchema.parse({});
}
