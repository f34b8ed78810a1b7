import { BaseStrategy, type Interval, type Signal, type Subscription } from '@strat/core';

/** Config of {@link NoopStrategy}. */
export interface NoopConfig extends Record<string, unknown> {
  symbols?: readonly string[];
  interval?: Interval;
  /** Changes nothing: the parameter a sweep of this strategy varies (the S2 queue bench). */
  variant?: number;
}

const NO_SIGNALS: Signal[] = Object.freeze([]) as unknown as Signal[];

/** Subscribes to its symbols and does nothing with their bars: what is left is the cost around a session. */
export class NoopStrategy extends BaseStrategy<NoopConfig> {
  getSubscriptions(): ReadonlyArray<Subscription> {
    const interval = this.config.interval ?? '1m';
    return (this.config.symbols ?? []).map((symbol) => [symbol, interval] as const);
  }

  onBars(): Signal[] {
    return NO_SIGNALS;
  }
}
