import {
  BaseStrategy,
  type Interval,
  intervalSchema,
  Signal,
  SignalAction,
  type Subscription,
  symbolSchema,
  z,
} from '@strat/core';

/**
 * What the `config` object of this strategy's session config entry may hold. The runtime checks
 * every config against it before `setup` and reports each problem with its JSON path
 * (`session_data_config.strategies[0].config.lookback: expected at least 1, got 0`); a key it does
 * not know is an error too (with a "did you mean").
 */
const configSchema = z.strictObject({
  /** Symbols to trade. */
  symbols: z.array(symbolSchema).min(1),
  /** Bar interval to read; it must be one of the session's streams. */
  interval: intervalSchema.default('1m'),
  /** Bars that form the channel. */
  lookback: z.int().min(1).default(20),
});

/** The config as written in a session config (keys with defaults may be left out). */
export type TemplateConfig = z.input<typeof configSchema>;

/**
 * A channel breakout: BUY when the close rises above the highest high of the `lookback` bars before
 * it; SELL when it falls below their lowest low; never the same action twice in a row for a symbol.
 *
 * A complete strategy to make your own: change `onBars` and the config schema above. The class is
 * named after its file (`my_strategy.ts` exports `MyStrategy`): the loader looks for that name.
 * `strat new strategy <name>` writes a copy of this file under that name, with its test.
 *
 * Session config entry:
 * ```json
 * { "module": "strategies.production.template_strategy",
 *   "config": { "symbols": ["AAPL"], "interval": "1m", "lookback": 20 } }
 * ```
 */
export class TemplateStrategy extends BaseStrategy<typeof configSchema> {
  /** Validates the config before `setup`; `this.config` is typed from it, with the defaults filled in. */
  static override readonly configSchema = configSchema;
  /** Lets a session built in code (`{ strategy: TemplateStrategy }`) run this class in a worker thread. */
  static readonly moduleUrl = import.meta.url;
  // Signals mark changes of mind. Without remembering the last one, a long breakout would repeat
  // BUY on every bar.
  readonly #lastAction = new Map<string, SignalAction>();

  /** The (symbol, interval) series whose closed bars call `onBars`. */
  getSubscriptions(): ReadonlyArray<Subscription> {
    return this.config.symbols.map((symbol) => [symbol, this.config.interval] as const);
  }

  /** Called once per closed bar of each subscribed series, in time order. */
  onBars(symbol: string, interval: Interval): Signal[] {
    // A view of the bars closed so far (never a later one): read it now, do not keep it.
    const bars = this.context.getBars(symbol, interval);
    const newest = bars.length - 1;
    const lookback = this.config.lookback;
    if (newest < lookback) return [];

    // Read the columns in place with a plain loop: this runs for every bar of every symbol, so it
    // copies nothing and creates no objects (no `toArray`, no `at`).
    let highest = Number.NEGATIVE_INFINITY;
    let lowest = Number.POSITIVE_INFINITY;
    for (let i = newest - lookback; i < newest; i++) {
      highest = Math.max(highest, bars.high.get(i));
      lowest = Math.min(lowest, bars.low.get(i));
    }
    const close = bars.close.get(newest);
    const action = close > highest ? SignalAction.BUY : close < lowest ? SignalAction.SELL : undefined;
    if (action === undefined || this.#lastAction.get(symbol) === action) return [];
    this.#lastAction.set(symbol, action);

    // The runtime stamps each returned signal with the strategy, the bar time and a sequence
    // number, then journals it; metadata must be plain JSON.
    return [
      new Signal({
        symbol,
        action,
        price: close,
        reason: `close ${action === SignalAction.BUY ? 'broke above' : 'broke below'} the ${lookback}-bar channel`,
        metadata: { channel_high: highest, channel_low: lowest, interval },
      }),
    ];
  }
}
