import {
  BaseStrategy,
  type Interval,
  Signal,
  SignalAction,
  type StrategyContext,
  type Subscription,
} from '@strat/core';

/** Config of {@link ChannelBreakoutStrategy}. */
export interface ChannelBreakoutConfig extends Record<string, unknown> {
  symbols?: readonly string[];
  interval?: Interval;
  /** Bars in the channel (default 20). */
  period?: number;
}

const NO_SIGNALS: Signal[] = Object.freeze([]) as unknown as Signal[];

/**
 * Donchian channel breakout, the fifth strategy of the W2 workload: BUY when the close breaks
 * above the highest high of the previous `period` bars, SELL when it breaks below the lowest low;
 * never the same action twice in a row for a symbol. Reads the shared high and low columns in place.
 */
export class ChannelBreakoutStrategy extends BaseStrategy<ChannelBreakoutConfig> {
  #period = 20;
  readonly #lastAction = new Map<string, SignalAction>();

  override setup(ctx: StrategyContext): boolean {
    super.setup(ctx);
    this.#period = this.config.period ?? 20;
    return Number.isInteger(this.#period) && this.#period > 0;
  }

  getSubscriptions(): ReadonlyArray<Subscription> {
    const interval = this.config.interval ?? '1m';
    return (this.config.symbols ?? []).map((symbol) => [symbol, interval] as const);
  }

  onBars(symbol: string, interval: Interval): Signal[] {
    const bars = this.context.getBars(symbol, interval);
    const count = bars.length;
    const period = this.#period;
    if (count <= period) return NO_SIGNALS;
    const high = bars.high;
    const low = bars.low;
    let highest = Number.NEGATIVE_INFINITY;
    let lowest = Number.POSITIVE_INFINITY;
    for (let i = count - 1 - period; i < count - 1; i++) {
      const h = high.get(i);
      const l = low.get(i);
      if (h > highest) highest = h;
      if (l < lowest) lowest = l;
    }
    const close = bars.close.get(count - 1);
    const action = close > highest ? SignalAction.BUY : close < lowest ? SignalAction.SELL : undefined;
    if (action === undefined || this.#lastAction.get(symbol) === action) return NO_SIGNALS;
    this.#lastAction.set(symbol, action);
    return [
      new Signal({
        symbol,
        action,
        price: close,
        reason: `close broke ${action === SignalAction.BUY ? 'above' : 'below'} the ${period}-bar channel`,
        metadata: { highest, lowest, interval },
      }),
    ];
  }
}
