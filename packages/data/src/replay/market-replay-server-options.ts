import type { TradingCalendar, TradingSession } from '../calendar/trading-calendar';
import type { BarSource } from '../sources/bar-source';

/** Options of {@link MarketReplayServer}. */
export interface MarketReplayServerOptions {
  /** Where the bars come from (the generator, CSV files: see `createBarSource`). */
  source: BarSource;
  /** Session hours: the replay runs through each session and jumps over the time between them. */
  calendar: TradingCalendar;
  /** First and last replayed date, `YYYY-MM-DD`, inclusive. */
  startDate: string;
  endDate: string;
  /** Replay ms per wall ms: 60 plays an hour in a minute. */
  speed: number;
  /** Credentials a client must send. */
  key: string;
  secret: string;
  /** Port to listen on (default 0: any free port; see {@link MarketReplayServer.port}). */
  port?: number;
  /** Address to bind (default 127.0.0.1: the replayer is a local tool). */
  host?: string;
  /** Most bars per frame; a minute of many symbols is split over several frames (default 4). */
  maxBarsPerMessage?: number;
  /** A client must authenticate within this many ms (default 10 000, as the real service). */
  authTimeoutMs?: number;
  /** Most authenticated connections at once (406 beyond); 0 = no limit (default). */
  maxConnections?: number;
  /** Most bar symbols per connection (405 beyond); 0 = no limit (default). */
  maxSymbols?: number;
  /** `subscribe` (default): the replay clock starts at the first subscription; `listen`: at once. */
  startOn?: 'subscribe' | 'listen';
}

/** Events of {@link MarketReplayServer}. */
export interface MarketReplayServerEvents {
  /** The replay clock started at the first session's open. */
  started: [];
  /** A client authenticated. */
  authenticated: [event: { connection: number }];
  /** A client's bar subscription changed (its full set). */
  subscribed: [event: { connection: number; symbols: string[] }];
  /** A replayed session began (its bars start flowing). */
  session: [session: TradingSession];
  /** Every bar of the range was sent; connections stay open and silent. */
  finished: [];
  /** A client went away. */
  disconnected: [event: { connection: number }];
  /** Something went wrong reading bars (clients got a 500 error). */
  problem: [error: Error];
}
