import {
  BaseStrategy,
  type Interval,
  Signal,
  SignalAction,
  type StrategyConfig,
  type StrategyContext,
  type Subscription,
} from '@strat/core';
import { ConfigReader } from './config/config-reader';
import { NO_SIGNALS } from './no-signals';

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
export class SimpleMaCrossStrategy extends BaseStrategy<SimpleMaCrossConfig> {
  #symbols: string[] = [];
  #interval: Interval = SIMPLE_MA_CROSS_DEFAULTS.interval;
  #fastPeriod: number = SIMPLE_MA_CROSS_DEFAULTS.fast_period;
  #slowPeriod: number = SIMPLE_MA_CROSS_DEFAULTS.slow_period;
  #minQuality: number = SIMPLE_MA_CROSS_DEFAULTS.min_quality;
  #followAddedSymbols: boolean = SIMPLE_MA_CROSS_DEFAULTS.follow_added_symbols;
  readonly #lastAction = new Map<string, SignalAction>();

  /** Checks the config (logging every problem and returning false when there is one). */
  override setup(ctx: StrategyContext): boolean {
    super.setup(ctx);
    const read = new ConfigReader(this.config);
    this.#followAddedSymbols = read.boolean(
      'follow_added_symbols',
      SIMPLE_MA_CROSS_DEFAULTS.follow_added_symbols,
    );
    this.#symbols = read.symbols('symbols', { allowEmpty: this.#followAddedSymbols });
    this.#interval = read.interval('interval', SIMPLE_MA_CROSS_DEFAULTS.interval);
    this.#fastPeriod = read.positiveInteger('fast_period', SIMPLE_MA_CROSS_DEFAULTS.fast_period);
    this.#slowPeriod = read.positiveInteger('slow_period', SIMPLE_MA_CROSS_DEFAULTS.slow_period);
    this.#minQuality = read.number('min_quality', SIMPLE_MA_CROSS_DEFAULTS.min_quality, { min: 0, max: 100 });
    const periodsValid = !read.hasProblem('fast_period') && !read.hasProblem('slow_period');
    if (periodsValid && this.#fastPeriod >= this.#slowPeriod) {
      read.problem(
        'fast_period',
        `must be less than slow_period (${this.#slowPeriod}), got ${this.#fastPeriod}`,
      );
    }
    if (!read.ok) {
      this.logger.error(`invalid config: ${read.describeIssues()}`, { issues: read.issues });
      return false;
    }
    const unknown = read.unknownKeys();
    if (unknown.length > 0) this.logger.warn(`ignoring unknown config keys: ${unknown.join(', ')}`);
    this.#lastAction.clear();
    return true;
  }

  /** One subscription per traded symbol at the configured interval. */
  getSubscriptions(): ReadonlyArray<Subscription> {
    return this.#symbols.map((symbol) => [symbol, this.#interval] as const);
  }

  /** With `follow_added_symbols`, starts trading `symbol` too. */
  override onSymbolAdded(symbol: string): void {
    if (!this.#followAddedSymbols || this.#symbols.includes(symbol)) return;
    this.#symbols.push(symbol);
    this.logger.info(`now trading ${symbol} (added mid-session)`);
  }

  /** Looks for a crossover on the newest bar of `symbol`. */
  onBars(symbol: string, interval: Interval): Signal[] {
    if (interval !== this.#interval) return NO_SIGNALS;
    const ctx = this.context;
    if (ctx.getBarQuality(symbol, interval) < this.#minQuality) return NO_SIGNALS;
    const bars = ctx.getBars(symbol, interval);
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
    if (action === undefined || this.#lastAction.get(symbol) === action) return NO_SIGNALS;
    this.#lastAction.set(symbol, action);

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
