export {
  decodeBar,
  encodeBar,
  SERVER_ERROR_TEXT,
  type WireBar,
} from '../sources/feeds/alpaca/alpaca-protocol';
export {
  MarketReplayServer,
  type MarketReplayServerEvents,
  type MarketReplayServerOptions,
} from './market-replay-server';
export { type ServeFeedOptions, serveFeedFromConfig, startReplayServer } from './serve-feed';
