import type { FeedProvider, Interval } from '@strat/core';
import type { TradingCalendar } from '../../calendar/trading-calendar';
import type { LiveClock } from '../../clock/live-clock';
import { AlpacaBarFeed } from './alpaca/alpaca-bar-feed';
import type { BarFeed } from './bar-feed';
import type { LiveFeedSettings } from './feed-settings';
import type { TradingBarCounter } from './outage-tracker';

/** What a feed needs to know of the session it serves. */
export interface BarFeedContext {
  /** Session hours: a watchdog counts silence only while the market is open; gap minutes are trading minutes. */
  calendar: TradingCalendar;
  /** The session's clock. */
  clock: LiveClock;
}

interface FeedVendor {
  /** The interval of the bars the vendor's feed sends. */
  interval: Interval;
  create(settings: LiveFeedSettings, context: BarFeedContext): BarFeed;
}

/** One entry per vendor: the bars its feed sends and how it is made from the resolved `live_config`. */
const FEED_VENDORS: Readonly<Record<FeedProvider, FeedVendor>> = {
  alpaca: {
    interval: '1m',
    create: (settings, { calendar, clock }) =>
      new AlpacaBarFeed({
        url: settings.url,
        key: settings.credentials.key,
        secret: settings.credentials.secret,
        connectTimeoutMs: settings.connectTimeoutMs,
        staleAfterMs: settings.staleAfterMs,
        reconnect: settings.reconnect,
        isSessionOpen: () => !clock.started || calendar.sessionAt(clock.now()) !== undefined,
        countTradingBars: tradingBarsOf(calendar, 60_000),
      }),
  },
};

/** Counts bar starts of `barMs` in the calendar's sessions within [from, to), session by session. */
export function tradingBarsOf(calendar: TradingCalendar, barMs: number): TradingBarCounter {
  return (from, to) => {
    let count = 0;
    let first = Number.NaN;
    let last = Number.NaN;
    for (const session of calendar.sessionsBetween(from, to)) {
      const lo = Math.max(from, session.open);
      const hi = Math.min(to, session.close);
      const start = session.open + Math.ceil((lo - session.open) / barMs) * barMs;
      if (start >= hi) continue;
      const n = Math.ceil((hi - start) / barMs);
      if (count === 0) first = start;
      count += n;
      last = start + (n - 1) * barMs;
    }
    return count === 0 ? undefined : { count, first, last };
  };
}

/** The interval of the bars `provider`'s feed sends (before any feed is made). */
export function feedBarInterval(provider: FeedProvider): Interval {
  return FEED_VENDORS[provider].interval;
}

/**
 * The live feed `live_config.provider` names, wired to the session's calendar and clock. A new
 * vendor is a folder under `sources/feeds/` implementing {@link BarFeed}, an entry here and a
 * value in core's `FEED_PROVIDERS`.
 */
export function createBarFeed(settings: LiveFeedSettings, context: BarFeedContext): BarFeed {
  return FEED_VENDORS[settings.provider].create(settings, context);
}
