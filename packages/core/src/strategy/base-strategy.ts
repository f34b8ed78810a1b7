import { StratError } from '../errors/strat-error';
import { createLogger, type Logger } from '../logging/logger';
import type { Interval } from '../time/interval';
import type { Signal } from './signal';
import type { StrategyContext } from './strategy-context';

/** A strategy's config: whatever the session config's `strategies[].config` holds. */
export type StrategyConfig = Record<string, unknown>;

/** One subscription: a symbol and an interval whose closed bars call `onBars`. */
export type Subscription = readonly [symbol: string, interval: Interval];

/** Quality (percent) below which {@link BaseStrategy.onQualityUpdate} warns by default. */
export const DEFAULT_QUALITY_WARNING = 95;

/**
 * The base class of every strategy. Subclass it, declare `getSubscriptions`, and return signals
 * from `onBars`. The same class runs in data-driven and clock-driven backtests and live, in a
 * worker thread or inline.
 *
 * @example
 * ```ts
 * class Breakout extends BaseStrategy<{ symbol: string }> {
 *   getSubscriptions() { return [[this.config.symbol, '5m']] as const; }
 *   onBars(symbol: string, interval: Interval) {
 *     const bars = this.context.getBars(symbol, interval);
 *     if (bars.length < 2) return [];
 *     return bars.close.last() > bars.high.get(bars.length - 2)
 *       ? [new Signal({ symbol, action: SignalAction.BUY, reason: 'breakout' })]
 *       : [];
 *   }
 * }
 * ```
 */
export abstract class BaseStrategy<TConfig extends StrategyConfig = StrategyConfig> {
  /** The strategy's name (unique within a session). */
  readonly name: string;
  /** The strategy's config as given in the session config. */
  readonly config: TConfig;
  /** The strategy's logger; the runtime routes it to the session's log. */
  logger: Logger;
  #context: StrategyContext | undefined;

  constructor(name: string, config: TConfig = {} as TConfig) {
    this.name = name;
    this.config = config;
    this.logger = createLogger(name);
  }

  /** The session context. Available from `setup` on. */
  get context(): StrategyContext {
    if (this.#context === undefined) {
      throw new StratError(
        'STRATEGY_NOT_SET_UP',
        `Strategy "${this.name}" has no context yet: it is set in setup()`,
      );
    }
    return this.#context;
  }

  /** True once the runtime has given this strategy its context. */
  get hasContext(): boolean {
    return this.#context !== undefined;
  }

  /**
   * Called once before any bar. Keep the context, check the config, prepare state. Return false
   * (with a log line saying why) to refuse to start. Overrides must call `super.setup(ctx)` or
   * return its value.
   */
  setup(ctx: StrategyContext): boolean | Promise<boolean> {
    this.#context = ctx;
    this.logger = ctx.logger;
    return true;
  }

  /** The (symbol, interval) series whose closed bars this strategy wants. Asked after `setup` and after each `onSymbolAdded`. */
  abstract getSubscriptions(): ReadonlyArray<Subscription>;

  /**
   * Called for each closed bar of a subscribed series, in time order. Read the bars with
   * `this.context.getBars(symbol, interval)`; return the signals (often none).
   */
  abstract onBars(symbol: string, interval: Interval): Signal[] | Promise<Signal[]>;

  /** Called once when the session ends, also after errors. Release resources here. */
  teardown(_ctx: StrategyContext): void | Promise<void> {}

  /** Called when a symbol is added mid-session (for example by a scanner); subscriptions are asked again afterwards. */
  onSymbolAdded(_symbol: string): void | Promise<void> {}

  /** Called when the bar quality of a subscribed series changes. Warns below {@link DEFAULT_QUALITY_WARNING} by default. */
  onQualityUpdate(symbol: string, interval: Interval, quality: number): void | Promise<void> {
    if (quality < DEFAULT_QUALITY_WARNING) {
      this.logger.warn(`low bar quality for ${symbol} ${interval}: ${quality.toFixed(1)}%`);
    }
  }

  /** Logs a signal at info level (the runtime also journals every returned signal). */
  logSignal(signal: Signal): void {
    this.logger.info(
      `${signal.action} ${signal.symbol}${signal.reason ? `: ${signal.reason}` : ''}`,
      signal.metadata,
    );
  }
}

/** A concrete strategy class as loaded from a module. */
export type StrategyClass = new (name: string, config: StrategyConfig) => BaseStrategy;

/** True when `value` is a class extending {@link BaseStrategy} (checked by prototype chain or, across package copies, by shape). */
export function isStrategyClass(value: unknown): value is StrategyClass {
  if (typeof value !== 'function' || value.prototype === undefined) return false;
  if (value.prototype instanceof BaseStrategy) return true;
  const proto = value.prototype as Record<string, unknown>;
  return (
    typeof proto.onBars === 'function' &&
    typeof proto.getSubscriptions === 'function' &&
    typeof proto.setup === 'function'
  );
}
