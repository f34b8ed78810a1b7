import type { FeedProvider } from '@strat/core';
import type { TradingCalendar } from '../../calendar/trading-calendar';
import type { LiveClock } from '../../clock/live-clock';
import { AlpacaBarFeed } from './alpaca/alpaca-bar-feed';
import type { BarFeed } from './bar-feed';
import type { LiveFeedSettings } from './feed-settings';

/** What a feed needs to know of the session it serves. */
export interface BarFeedContext {
  /** Session hours: a watchdog counts silence only while the market is open; gap minutes are trading minutes. */
  calendar: TradingCalendar;
  /** The session's clock. */
  clock: LiveClock;
}

type BarFeedFactory = (settings: LiveFeedSettings, context: BarFeedContext) => BarFeed;

/** One line per vendor: how its feed is made from the resolved `live_config`. */
const FEED_FACTORIES: Readonly<Record<FeedProvider, BarFeedFactory>> = {
  alpaca: (settings, { calendar, clock }) =>
    new AlpacaBarFeed({
      url: settings.url,
      key: settings.credentials.key,
      secret: settings.credentials.secret,
      connectTimeoutMs: settings.connectTimeoutMs,
      staleAfterMs: settings.staleAfterMs,
      reconnect: settings.reconnect,
      isSessionOpen: () => !clock.started || calendar.sessionAt(clock.now()) !== undefined,
      isTradingMinute: (time) => calendar.sessionAt(time) !== undefined,
    }),
};

/**
 * The live feed `live_config.provider` names, wired to the session's calendar and clock. A new
 * vendor is a folder under `sources/feeds/` implementing {@link BarFeed}, a line here and a value
 * in core's `FEED_PROVIDERS`.
 */
export function createBarFeed(settings: LiveFeedSettings, context: BarFeedContext): BarFeed {
  return FEED_FACTORIES[settings.provider](settings, context);
}
