import { BaseStrategy, type Interval, type Signal } from '@strat/core';

interface StuckConfig extends Record<string, unknown> {
  /** Series to subscribe to. */
  subscriptions: [string, Interval][];
  /** How to get stuck: a synchronous endless loop, or awaiting a promise that never settles. */
  how: 'loop' | 'await';
  /** Get stuck on this call of onBars (0 = the first). */
  at_call: number;
}

/** Handles `at_call` notifications, then never finishes the next one. */
export class StuckStrategy extends BaseStrategy<StuckConfig> {
  #calls = 0;

  getSubscriptions() {
    return this.config.subscriptions;
  }

  onBars(): Signal[] | Promise<Signal[]> {
    if (this.#calls++ < this.config.at_call) return [];
    if (this.config.how === 'await') return new Promise<Signal[]>(() => {});
    for (;;) {
      // stuck on purpose
    }
  }
}
