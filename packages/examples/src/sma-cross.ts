import { type BarSeries, type Interval, Signal, SignalAction, type StrategyConfig } from '@strat/core';
import type { ConfigReader } from './config/config-reader';
import { NO_SIGNALS } from './no-signals';
import { PerSymbolStrategy } from './per-symbol-strategy';

/** Config of {@link SimpleMaCrossStrategy} (the `config` object of its session config entry). */
export interface SimpleMaCrossConfig extends StrategyConfig {
  /** Symbols to trade. Required, non-empty (may be empty only with `follow_added_symbols`). */
  symbols?: readonly string[];
  /** Bar interval to read (default `5m`). */
  interval?: Interval;
  /** Bars in the fast moving average (default 10); must be less than `slow_period`. */
  fast_period?: number;
  /** Bars in the slow moving average (default 20). */
  slow_period?: number;
  /** Skip bars while the series' quality (percent of expected bars received) is below this (default 95). */
  min_quality?: number;
  /** Also trade symbols added mid-session, for example by a scanner (default false). */
  follow_added_symbols?: boolean;
}

/** Defaults of {@link SimpleMaCrossConfig}. */
export const SIMPLE_MA_CROSS_DEFAULTS = {
  interval: '5m',
  fast_period: 10,
  slow_period: 20,
  min_quality: 95,
  follow_added_symbols: false,
} as const satisfies SimpleMaCrossConfig;

/**
 * Moving average crossover: BUY when the fast simple moving average of the closes crosses above
 * the slow one, SELL when it crosses below.
 *
 * On each closed bar of a traded symbol:
 * - skip the bar while the series' quality is below `min_quality`;
 * - wait for `slow_period + 1` bars (the previous bar's averages are needed too);
 * - BUY when `prevFast <= prevSlow` and `fast > slow`; SELL when `prevFast >= prevSlow` and
 *   `fast < slow` (the previous averages end one bar earlier), so touching and parting again
 *   (equal averages) counts as a cross;
 * - never the same action twice in a row for a symbol.
 *
 * Signals carry the close as `price` and `{ fast_ma, slow_ma, interval }` as metadata. The
 * averages are read straight from the shared close column: nothing is copied or allocated per bar.
 *
 * @example
 * ```json
 * { "module": "strategies.examples.simple_ma_cross",
 *   "config": { "symbols": ["AAPL"], "interval": "5m", "fast_period": 10, "slow_period": 20 } }
 * ```
 */
export class SimpleMaCrossStrategy extends PerSymbolStrategy<SimpleMaCrossConfig> {
  protected readonly defaults = SIMPLE_MA_CROSS_DEFAULTS;
  #fastPeriod: number = SIMPLE_MA_CROSS_DEFAULTS.fast_period;
  #slowPeriod: number = SIMPLE_MA_CROSS_DEFAULTS.slow_period;

  protected readSettings(read: ConfigReader): void {
    this.#fastPeriod = read.positiveInteger('fast_period', SIMPLE_MA_CROSS_DEFAULTS.fast_period);
    this.#slowPeriod = read.positiveInteger('slow_period', SIMPLE_MA_CROSS_DEFAULTS.slow_period);
  }

  protected override checkSettings(read: ConfigReader): void {
    const periodsValid = !read.hasProblem('fast_period') && !read.hasProblem('slow_period');
    if (periodsValid && this.#fastPeriod >= this.#slowPeriod) {
      read.problem(
        'fast_period',
        `must be less than slow_period (${this.#slowPeriod}), got ${this.#fastPeriod}`,
      );
    }
  }

  /** Looks for a crossover on the newest bar of `symbol`. */
  protected applyRule(symbol: string, interval: Interval, bars: BarSeries): Signal[] {
    const count = bars.length;
    const fastPeriod = this.#fastPeriod;
    const slowPeriod = this.#slowPeriod;
    if (count < slowPeriod + 1) return NO_SIGNALS;

    const close = bars.close;
    const fast = close.meanOfLast(fastPeriod);
    const slow = close.meanOfLast(slowPeriod);
    const previousFast = close.meanOfLast(fastPeriod, count - 1);
    const previousSlow = close.meanOfLast(slowPeriod, count - 1);

    let action: SignalAction | undefined;
    if (previousFast <= previousSlow && fast > slow) action = SignalAction.BUY;
    else if (previousFast >= previousSlow && fast < slow) action = SignalAction.SELL;
    if (action === undefined || !this.recordAction(symbol, action)) return NO_SIGNALS;

    const direction = action === SignalAction.BUY ? 'above' : 'below';
    return [
      new Signal({
        symbol,
        action,
        price: close.get(count - 1),
        reason: `fast SMA(${fastPeriod}) crossed ${direction} slow SMA(${slowPeriod})`,
        metadata: { fast_ma: fast, slow_ma: slow, interval },
      }),
    ];
  }
}

/**
 * The same class as {@link SimpleMaCrossStrategy}, under the name a strategy loader looks for in
 * the module `@strat/examples/sma-cross` (the subpath's name + `Strategy`), so a session config
 * naming that module runs without a warning about which class it picked.
 */
export const SmaCrossStrategy = SimpleMaCrossStrategy;
