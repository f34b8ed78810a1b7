import { BaseStrategy, type Interval, Signal, SignalAction } from '@strat/core';

interface SessionDateProbeConfig extends Record<string, unknown> {
  /** Series to subscribe to. */
  subscriptions: [string, Interval][];
}

/**
 * A test strategy that reports, for every bar, the session date the context gives for the bar's
 * start time (`date`) and without a time (`current`: the bar being handled).
 */
export class SessionDateProbeStrategy extends BaseStrategy<SessionDateProbeConfig> {
  getSubscriptions() {
    return this.config.subscriptions;
  }

  onBars(symbol: string, interval: Interval): Signal[] {
    const bars = this.context.getBars(symbol, interval);
    const time = bars.time.last();
    return [
      new Signal({
        symbol,
        action: SignalAction.HOLD,
        price: bars.close.last(),
        metadata: {
          interval,
          time,
          date: this.context.sessionDate(time),
          current: this.context.sessionDate(),
        },
      }),
    ];
  }
}
