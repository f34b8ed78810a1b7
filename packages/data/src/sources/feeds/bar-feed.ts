import type { Interval } from '@strat/core';
import type { EventEmitter } from 'eventemitter3';
import type { FeedError } from './feed-error';

/** A bar as a live feed delivers it, labelled with its start time. */
export interface FeedBar {
  symbol: string;
  /** Bar start, epoch ms UTC. */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** Number of trades, when the feed sends it. */
  tradeCount?: number;
  /** Volume-weighted average price, when the feed sends it. */
  vwap?: number;
}

/** Where a feed's connection is. `streaming` = connected, authenticated and subscribed: bars flow. */
export type FeedState =
  | 'idle'
  | 'connecting'
  | 'authenticating'
  | 'subscribing'
  | 'streaming'
  | 'reconnecting'
  | 'closed';

/** A connection state change, as the `state` event reports it. */
export interface FeedStateChange {
  state: FeedState;
  previous: FeedState;
  /** Reconnect attempt in a row (0 once streaming again). */
  attempt: number;
  /** `reconnecting`: the wait before the next attempt, ms. */
  delayMs?: number;
  /** Why the connection ended or was retried (never contains credentials). */
  reason?: string;
  /** `reconnecting` and `closed`: the error that ended the connection. */
  error?: FeedError;
}

/**
 * Bars of one symbol that were not received while the connection was down, as one range: a minute
 * without trades has no bar either, so some of them may have been quiet ones.
 */
export interface FeedGap {
  symbol: string;
  /** First missed bar start in trading hours, epoch ms. */
  from: number;
  /** Last missed bar start in trading hours, epoch ms. */
  to: number;
  /** Bar starts in trading hours from `from` to `to`, both included. */
  missed: number;
}

/** Counters of a feed connection's life. */
export interface FeedStats {
  messages: number;
  bars: number;
  badMessages: number;
  reconnects: number;
  staleEvents: number;
  gaps: number;
  missedMinutes: number;
}

/** Events of a {@link BarFeed} (eventemitter3 listener signatures). */
export interface BarFeedEvents {
  /** Bars of one message from the feed, in the order sent. */
  bars: (bars: FeedBar[]) => void;
  state: (change: FeedStateChange) => void;
  /** The feed's full current bar subscription, after each subscribe or unsubscribe. */
  subscription: (symbols: string[]) => void;
  gap: (gap: FeedGap) => void;
  /** The feed was silent during session hours for too long; a reconnect follows. */
  stale: (event: { silentMs: number }) => void;
  /** A problem that does not end the connection: a malformed message or bar, a refused subscribe. */
  problem: (error: FeedError) => void;
  /** The feed ended: `close()` (no error), a fatal error or reconnects given up. */
  closed: (error: FeedError | undefined) => void;
}

/**
 * A live source of bars (push): a vendor's real-time stream behind one interface, so the data
 * processor follows any vendor the same way. Historical sources are the pull kind (`BarSource`).
 *
 * A feed connects once (`connect`), is told which symbols to stream (`subscribe`, before or after
 * connecting), emits `bars` as they arrive (each symbol's bars in time order), retries dropped
 * connections itself (reporting `state` changes and the `gap`s they left), and ends with `closed`.
 * One folder per vendor under `sources/feeds/` implements it; `createBarFeed` picks one by
 * `live_config.provider`.
 */
export interface BarFeed extends EventEmitter<BarFeedEvents> {
  /** The vendor, as named in `live_config.provider` (`alpaca`). */
  readonly provider: string;
  /** The interval of the bars it sends (`1m`). */
  readonly interval: Interval;
  /** Where it connects, without credentials (safe to log). */
  readonly url: string;
  readonly state: FeedState;
  /** Feed ms per wall ms, when the other side announced it (a replay server does); else undefined. */
  readonly announcedSpeed: number | undefined;
  /**
   * Connects, authenticates and subscribes to the symbols asked for so far. Resolves once bars can
   * flow; rejects with a FeedError when this first attempt fails. Later drops are retried.
   */
  connect(): Promise<void>;
  /** Adds symbols; resolves with the feed's full set once it confirmed them (at once before connecting). */
  subscribe(symbols: readonly string[]): Promise<string[]>;
  /** Removes symbols; resolves like {@link BarFeed.subscribe}. */
  unsubscribe(symbols: readonly string[]): Promise<string[]>;
  /** Closes the connection for good (no reconnect). */
  close(): Promise<void>;
  /** Counters so far. */
  stats(): FeedStats;
}
