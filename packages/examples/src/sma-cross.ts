import { type BarSeries, type Interval, Signal, SignalAction, z } from '@strat/core';
import {
  EVEN_WITH_INVALID_KEYS,
  isPeriod,
  perSymbolFields,
  requireSymbols,
} from './config/per-symbol-config';
import { NO_SIGNALS } from './no-signals';
import { PerSymbolStrategy } from './per-symbol-strategy';

/** Defaults of {@link SimpleMaCrossConfig}. */
export const SIMPLE_MA_CROSS_DEFAULTS = {
  interval: '5m',
  fast_period: 10,
  slow_period: 20,
  min_quality: 95,
  follow_added_symbols: false,
} as const;

/** The schema of {@link SimpleMaCrossStrategy}'s config (the `config` object of its session config entry). */
export const simpleMaCrossConfigSchema = z
  .strictObject({
    ...perSymbolFields(SIMPLE_MA_CROSS_DEFAULTS),
    fast_period: z
      .int()
      .min(1)
      .default(SIMPLE_MA_CROSS_DEFAULTS.fast_period)
      .meta({ description: 'Bars in the fast moving average; must be less than slow_period.' }),
    slow_period: z
      .int()
      .min(1)
      .default(SIMPLE_MA_CROSS_DEFAULTS.slow_period)
      .meta({ description: 'Bars in the slow moving average.' }),
  })
  .superRefine((config, ctx) => {
    requireSymbols(config, ctx);
    // Defaults are in place here; a key that failed its own check is not compared.
    const { fast_period: fast, slow_period: slow } = config;
    if (isPeriod(fast) && isPeriod(slow) && fast >= slow) {
      ctx.addIssue({
        code: 'custom',
        input: fast,
        path: ['fast_period'],
        message: `must be less than slow_period (${slow}), got ${fast}`,
      });
    }
  }, EVEN_WITH_INVALID_KEYS);

/** Config of {@link SimpleMaCrossStrategy} as written (keys with defaults optional). */
export type SimpleMaCrossConfig = z.input<typeof simpleMaCrossConfigSchema>;

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
export class SimpleMaCrossStrategy extends PerSymbolStrategy<typeof simpleMaCrossConfigSchema> {
  static override readonly configSchema = simpleMaCrossConfigSchema;
  #fastPeriod: number = SIMPLE_MA_CROSS_DEFAULTS.fast_period;
  #slowPeriod: number = SIMPLE_MA_CROSS_DEFAULTS.slow_period;

  protected override start(): void {
    this.#fastPeriod = this.config.fast_period;
    this.#slowPeriod = this.config.slow_period;
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
