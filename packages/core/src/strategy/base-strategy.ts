import { StratError } from '../errors/strat-error';
import { createLogger, type Logger } from '../logging/logger';
import type { Interval } from '../time/interval';
import {
  type ConfigInput,
  type ConfigOutput,
  configSchemaOf,
  parseConfigWith,
  type StandardSchemaV1,
} from './config-schema';
import type { Signal } from './signal';
import type { StrategyContext } from './strategy-context';

/** A strategy's config when its class declares no type for it: whatever `strategies[].config` holds. */
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
 * Declare the config's schema as a static `configSchema` (zod, valibot, arktype: any Standard
 * Schema) and pass its type as `C`: the config is validated (defaults applied) when the strategy
 * is constructed, before `setup`, and a session reports each problem with its JSON path
 * (`session_data_config.strategies[1].config.lookback: expected at least 1, got 0`). `C` may also
 * be a plain config type (no validation then), or be left out (`Record<string, unknown>`).
 *
 * @example
 * ```ts
 * const config = z.object({ symbol: z.string(), period: z.int().min(1).default(20) });
 *
 * class AboveMean extends BaseStrategy<typeof config> {
 *   static readonly configSchema = config;
 *   getSubscriptions() { return [[this.config.symbol, '5m']] as const; }
 *   onBars(symbol: string, interval: Interval) {
 *     const close = this.context.getBars(symbol, interval).close;
 *     return close.last() > close.meanOfLast(this.config.period)
 *       ? [new Signal({ symbol, action: SignalAction.BUY, reason: 'above its mean' })]
 *       : [];
 *   }
 * }
 * ```
 */
export abstract class BaseStrategy<TConfig extends object = StrategyConfig> {
  /**
   * The schema of the config (a zod, valibot or arktype schema: any Standard Schema). When a
   * subclass declares one, the constructor validates the config against it (defaults applied) and
   * throws a `ConfigError` with every problem's path; the runtime does so before `setup`.
   */
  static readonly configSchema?: StandardSchemaV1 | undefined;
  /** The strategy's name (unique within a session). */
  readonly name: string;
  /** The strategy's config: as given, or as the class's `configSchema` outputs it (defaults applied). */
  readonly config: ConfigOutput<TConfig>;
  /** The strategy's logger; the runtime routes it to the session's log. */
  logger: Logger;
  #context: StrategyContext | undefined;
  /** Series (`symbol interval`) whose quality is below the warning threshold, warned about once. */
  readonly #lowQuality = new Set<string>();

  /**
   * @param config - The config as written; validated against the class's `configSchema` when it declares one.
   * @throws ConfigError when the config does not match the class's `configSchema` (paths relative to the config)
   */
  constructor(name: string, config?: ConfigInput<TConfig>) {
    this.name = name;
    const schema = configSchemaOf(new.target);
    const given: unknown = config ?? {};
    this.config = (
      schema === undefined ? given : parseConfigWith(schema, given, `strategy "${name}"`)
    ) as ConfigOutput<TConfig>;
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

  /**
   * Called when the bar quality of a subscribed series changes. By default it warns once when a
   * series' quality falls below {@link DEFAULT_QUALITY_WARNING}, says at info level when it is back
   * at or above it, and is quiet while it stays on one side (quality moves with every gap: real data
   * with thin hours would otherwise warn dozens of times a session).
   */
  onQualityUpdate(symbol: string, interval: Interval, quality: number): void | Promise<void> {
    const low = this.#lowQuality;
    // Most updates are of good series with none low: no key string for them.
    if (quality >= DEFAULT_QUALITY_WARNING && low.size === 0) return;
    const key = `${symbol} ${interval}`;
    if (quality < DEFAULT_QUALITY_WARNING) {
      if (low.has(key)) return;
      low.add(key);
      this.logger.warn(
        `low bar quality for ${key}: ${quality.toFixed(1)}% (below ${DEFAULT_QUALITY_WARNING}%; not repeated until it recovers)`,
      );
    } else if (low.delete(key)) {
      this.logger.info(`bar quality for ${key} recovered: ${quality.toFixed(1)}%`);
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

/** A concrete strategy class as loaded from a module or named in a config built in code. */
export type StrategyClass = (new (
  name: string,
  // biome-ignore lint/suspicious/noExplicitAny: any subclass, whatever its config type
  config?: any,
) => BaseStrategy<object>) & {
  /** The schema of the config, when the class declares one. */
  readonly configSchema?: StandardSchemaV1 | undefined;
  /**
   * The URL of the module that defines the class (`static readonly moduleUrl = import.meta.url`):
   * lets a session built in code run the class in a worker thread.
   */
  readonly moduleUrl?: string | undefined;
};

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
