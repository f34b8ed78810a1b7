import {
  type BarSeries,
  BaseStrategy,
  type Interval,
  type Signal,
  type SignalAction,
  type StandardSchemaV1,
  type StrategyContext,
  type Subscription,
} from '@strat/core';
import type { PerSymbolConfig } from './config/per-symbol-config';
import { NO_SIGNALS } from './no-signals';

/**
 * The skeleton the example strategies share, so that each of them shows only its rule. Its config
 * schema (built with `perSymbolFields`) gives the common keys (`symbols`, `interval`,
 * `min_quality`, `follow_added_symbols`) with the strategy's defaults; the runtime validates it
 * before `setup`. It subscribes each traded symbol at `interval`, follows symbols added mid-session
 * when asked, and calls {@link PerSymbolStrategy.applyRule} for the newest bar of a traded symbol
 * only when the interval matches, the series' quality is at least `min_quality` and there is a bar.
 *
 * Build your own per-symbol strategy on it: the example strategies show how.
 */
export abstract class PerSymbolStrategy<
  TSchema extends StandardSchemaV1<unknown, PerSymbolConfig>,
> extends BaseStrategy<TSchema> {
  #symbols: string[] = [];
  #interval: Interval | undefined;
  #minQuality = 0;
  #followAddedSymbols = false;
  readonly #lastAction = new Map<string, SignalAction>();

  /** Called once before any bar (the config is valid): read settings and reset the per-symbol state here. */
  protected start(): void {}

  /**
   * The strategy's rule for the newest bar of `symbol` (at least one bar, at the configured
   * interval, of good enough quality): the signals to give, usually {@link NO_SIGNALS}.
   */
  protected abstract applyRule(symbol: string, interval: Interval, bars: BarSeries): Signal[];

  /** Takes the common keys of the (validated) config and starts. */
  override setup(ctx: StrategyContext): boolean {
    super.setup(ctx);
    const config = this.config as PerSymbolConfig;
    this.#followAddedSymbols = config.follow_added_symbols;
    this.#symbols = [...(config.symbols ?? [])];
    this.#interval = config.interval;
    this.#minQuality = config.min_quality;
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
