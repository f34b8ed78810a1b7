import {
  type BarSeries,
  BaseStrategy,
  type Interval,
  type Signal,
  type SignalAction,
  type StrategyConfig,
  type StrategyContext,
  type Subscription,
} from '@strat/core';
import { ConfigReader } from './config/config-reader';
import { NO_SIGNALS } from './no-signals';

/** Defaults of the keys every {@link PerSymbolStrategy} reads. */
export interface PerSymbolDefaults {
  readonly interval: Interval;
  readonly min_quality: number;
  readonly follow_added_symbols: boolean;
}

/**
 * The skeleton the example strategies share, so that each of them shows only its rule. It reads the
 * common keys (`symbols`, `interval`, `min_quality`, `follow_added_symbols`), logs every config
 * problem on one error line and refuses to start, warns about unknown keys, subscribes each traded
 * symbol at `interval`, follows symbols added mid-session when asked, and calls
 * {@link PerSymbolStrategy.applyRule} for the newest bar of a traded symbol only when the interval
 * matches, the series' quality is at least `min_quality` and there is a bar.
 *
 * Config keys are read in this order, which is the order of the problems in the error line:
 * `follow_added_symbols`, `symbols`, `interval`, the keys of `readSettings`, `min_quality`, those of
 * `checkSettings`. Build your own per-symbol strategy on it: the example strategies show how.
 */
export abstract class PerSymbolStrategy<TConfig extends StrategyConfig> extends BaseStrategy<TConfig> {
  /** Defaults of the common keys (the strategy's `..._DEFAULTS`). */
  protected abstract readonly defaults: PerSymbolDefaults;
  #symbols: string[] = [];
  #interval: Interval | undefined;
  #minQuality = 0;
  #followAddedSymbols = false;
  readonly #lastAction = new Map<string, SignalAction>();

  /** Reads the strategy's own keys (after `interval`, before `min_quality`) into its fields. */
  protected abstract readSettings(read: ConfigReader): void;

  /** Checks that involve several keys, and keys read after `min_quality`. */
  protected checkSettings(_read: ConfigReader): void {}

  /** Called once the config is valid, before any bar: reset the per-symbol state here. */
  protected start(): void {}

  /**
   * The strategy's rule for the newest bar of `symbol` (at least one bar, at the configured
   * interval, of good enough quality): the signals to give, usually {@link NO_SIGNALS}.
   */
  protected abstract applyRule(symbol: string, interval: Interval, bars: BarSeries): Signal[];

  /** Checks the config (logging every problem and returning false when there is one). */
  override setup(ctx: StrategyContext): boolean {
    super.setup(ctx);
    const defaults = this.defaults;
    const read = new ConfigReader(this.config);
    this.#followAddedSymbols = read.boolean('follow_added_symbols', defaults.follow_added_symbols);
    this.#symbols = read.symbols('symbols', { allowEmpty: this.#followAddedSymbols });
    this.#interval = read.interval('interval', defaults.interval);
    this.readSettings(read);
    this.#minQuality = read.number('min_quality', defaults.min_quality, { min: 0, max: 100 });
    this.checkSettings(read);
    if (!read.ok) {
      this.logger.error(`invalid config: ${read.describeIssues()}`, { issues: read.issues });
      return false;
    }
    const unknown = read.unknownKeys();
    if (unknown.length > 0) this.logger.warn(`ignoring unknown config keys: ${unknown.join(', ')}`);
    this.#lastAction.clear();
    this.start();
    return true;
  }

  /** One subscription per traded symbol at the configured interval. */
  getSubscriptions(): ReadonlyArray<Subscription> {
    const interval = this.#interval;
    return interval === undefined ? [] : this.#symbols.map((symbol) => [symbol, interval] as const);
  }

  /** With `follow_added_symbols`, starts trading `symbol` too. */
  override onSymbolAdded(symbol: string): void {
    if (!this.#followAddedSymbols || this.#symbols.includes(symbol)) return;
    this.#symbols.push(symbol);
    this.logger.info(`now trading ${symbol} (added mid-session)`);
  }

  /** Applies the rule to the newest bar of `symbol` when the interval, its quality and its bars allow. */
  onBars(symbol: string, interval: Interval): Signal[] {
    if (interval !== this.#interval) return NO_SIGNALS;
    const ctx = this.context;
    if (ctx.getBarQuality(symbol, interval) < this.#minQuality) return NO_SIGNALS;
    const bars = ctx.getBars(symbol, interval);
    if (bars.length === 0) return NO_SIGNALS;
    return this.applyRule(symbol, interval, bars);
  }

  /**
   * Remembers `action` as the last one given for `symbol` and returns true, or returns false (and
   * remembers nothing) when it already was: the same action is never signalled twice in a row.
   */
  protected recordAction(symbol: string, action: SignalAction): boolean {
    if (this.#lastAction.get(symbol) === action) return false;
    this.#lastAction.set(symbol, action);
    return true;
  }
}
