export type { TradingCalendar, TradingSession } from '../calendar/trading-calendar';
export type { BarSource } from '../sources/bar-source';
export {
  decodeBar,
  encodeBar,
  SERVER_ERROR_TEXT,
  type WireBar,
} from '../sources/feeds/alpaca/alpaca-protocol';
export type { FeedBar } from '../sources/feeds/bar-feed';
export { MarketReplayServer } from './market-replay-server';
export type { MarketReplayServerEvents, MarketReplayServerOptions } from './market-replay-server-options';
export { type ServeFeedOptions, serveFeedFromConfig, startReplayServer } from './serve-feed';
