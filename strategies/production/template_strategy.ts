import {
  BaseStrategy,
  type Interval,
  isInterval,
  Signal,
  SignalAction,
  type StrategyConfig,
  type StrategyContext,
  type Subscription,
} from '@strat/core';

/** What the `config` object of this strategy's session config entry may hold. */
export interface TemplateConfig extends StrategyConfig {
  /** Symbols to trade (required, non-empty). */
  symbols?: readonly string[];
  /** Bar interval to read (default `1m`); it must be one of the session's streams. */
  interval?: Interval;
  /** Bars that form the channel (default 20). */
  lookback?: number;
}

/**
 * A channel breakout: BUY when the close rises above the highest high of the `lookback` bars before
 * it; SELL when it falls below their lowest low; never the same action twice in a row for a symbol.
 *
 * A complete strategy to make your own: change `onBars` (and the config checks in `setup`). The
 * class is named after its file (`my_strategy.ts` exports `MyStrategy`): the loader looks for that
 * name. `strat new strategy <name>` writes a copy of this file under that name, with its test.
 *
 * Session config entry:
 * ```json
 * { "module": "strategies.production.template_strategy",
 *   "config": { "symbols": ["AAPL"], "interval": "1m", "lookback": 20 } }
 * ```
 */
export class TemplateStrategy extends BaseStrategy<TemplateConfig> {
  // Settings live in fields filled by `setup`, not the constructor: only `setup` can refuse to
  // start, and the session reports that refusal with the log line written there.
  #symbols: string[] = [];
  #interval: Interval = '1m';
  #lookback = 20;
  // Signals mark changes of mind. Without remembering the last one, a long breakout would repeat
  // BUY on every bar.
  readonly #lastAction = new Map<string, SignalAction>();

  /** Checks the config once, before any bar. */
  override setup(ctx: StrategyContext): boolean {
    // The base class keeps the context and switches `this.logger` to the session's log.
    super.setup(ctx);
    const { symbols, interval = '1m', lookback = 20 } = this.config;
    // Configs are plain JSON written by hand: check every value and report all problems at once.
    const problems: string[] = [];
    if (
      !Array.isArray(symbols) ||
      symbols.length === 0 ||
      !symbols.every((s) => typeof s === 'string' && s !== '')
    ) {
      problems.push('symbols: must be a non-empty list of symbols such as ["AAPL"]');
    }
    if (!isInterval(interval)) {
      problems.push(`interval: must be an interval such as "1m" or "5m", got ${JSON.stringify(interval)}`);
    }
    if (typeof lookback !== 'number' || !Number.isInteger(lookback) || lookback < 1) {
      problems.push(`lookback: must be a whole number of at least 1, got ${JSON.stringify(lookback)}`);
    }
    if (problems.length > 0) {
      this.logger.error(`invalid config: ${problems.join('; ')}`);
      return false;
    }
    this.#symbols = [...(symbols as readonly string[])];
    this.#interval = interval;
    this.#lookback = lookback;
    return true;
  }

  /** The (symbol, interval) series whose closed bars call `onBars`. */
  getSubscriptions(): ReadonlyArray<Subscription> {
    return this.#symbols.map((symbol) => [symbol, this.#interval] as const);
  }

  /** Called once per closed bar of each subscribed series, in time order. */
  onBars(symbol: string, interval: Interval): Signal[] {
    // A view of the bars closed so far (never a later one): read it now, do not keep it.
    const bars = this.context.getBars(symbol, interval);
    const newest = bars.length - 1;
    const lookback = this.#lookback;
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
