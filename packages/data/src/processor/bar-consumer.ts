import type { Interval } from '@strat/core';
import type { TradingSession } from '../calendar/trading-calendar';

/**
 * What the processor feeds. The runtime implements it: `onBar` queues notifications for the
 * subscribed strategies; `onStep` is where it makes the processor wait for them.
 */
export interface BarConsumer {
  /**
   * A bar was published (it is closed and in the store). Called in the documented order: close
   * time, then symbol (in the order symbols joined the session; config order first), then interval
   * (shortest first). Must not allocate per call on hot paths.
   */
  onBar(symbol: string, interval: Interval, index: number, closeTime: number): void;
  /**
   * Every bar closing at or before `time` has been delivered. Return a promise to make the
   * processor wait (data-driven backpressure); return nothing to go on at once.
   */
  onStep?(time: number): void | Promise<void>;
  /** A series' bar quality (percent) changed. Delivered in order with the bars. */
  onQuality?(symbol: string, interval: Interval, quality: number): void;
  /** A trading session begins. */
  onSessionStart?(session: TradingSession): void;
  /** A trading session ended (its last derived bars were published before this call). */
  onSessionEnd?(session: TradingSession): void | Promise<void>;
}
