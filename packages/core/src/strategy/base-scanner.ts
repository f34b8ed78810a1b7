import { createLogger, type Logger } from '../logging/logger';
import type { Interval } from '../time/interval';
import {
  type ConfigInput,
  type ConfigOutput,
  configSchemaOf,
  parseConfigWith,
  type StandardSchemaV1,
} from './config-schema';
import type { StrategyContext } from './strategy-context';

/** A scanner's config when its class declares no type for it: whatever `scanners[].config` holds. */
export type ScannerConfig = Record<string, unknown>;

/**
 * The base class of scanners: on a schedule, look at session data and return symbols to add to
 * the session mid-run. Strategies are told through `onSymbolAdded` and may subscribe to them.
 * Like a strategy, a scanner may declare a static `configSchema` and pass its type as `C`.
 */
export abstract class BaseScanner<TConfig extends object = ScannerConfig> {
  /** The schema of the config (any Standard Schema); when declared, the constructor validates the config against it. */
  static readonly configSchema?: StandardSchemaV1 | undefined;
  readonly name: string;
  /** The scanner's config: as given, or as the class's `configSchema` outputs it (defaults applied). */
  readonly config: ConfigOutput<TConfig>;
  /** How often `scan` runs, in simulated time (default every `5m`). */
  readonly schedule: Interval;
  logger: Logger;

  /** @throws ConfigError when the config does not match the class's `configSchema` (paths relative to the config) */
  constructor(name: string, config?: ConfigInput<TConfig>, schedule: Interval = '5m') {
    this.name = name;
    const schema = configSchemaOf(new.target);
    const given: unknown = config ?? {};
    this.config = (
      schema === undefined ? given : parseConfigWith(schema, given, `scanner "${name}"`)
    ) as ConfigOutput<TConfig>;
    this.schedule = schedule;
    this.logger = createLogger(name);
  }

  /** Called once before the first scan. Return false to disable the scanner. */
  setup(ctx: StrategyContext): boolean | Promise<boolean> {
    this.logger = ctx.logger;
    return true;
  }

  /**
   * Symbols the scanner watches: the session streams their bars (without notifying strategies) so
   * `scan` can read them. Default: `config.universe` when it is a list of strings, else none.
   */
  getUniverse(): readonly string[] {
    const universe = (this.config as { universe?: unknown }).universe;
    return Array.isArray(universe) ? universe.filter((s): s is string => typeof s === 'string') : [];
  }

  /** Returns symbols to add; symbols already in the session are ignored. */
  abstract scan(ctx: StrategyContext): string[] | Promise<string[]>;

  /** Called once when the session ends. */
  teardown(_ctx: StrategyContext): void | Promise<void> {}
}

/** A concrete scanner class as loaded from a module. */
export type ScannerClass = (new (
  name: string,
  // biome-ignore lint/suspicious/noExplicitAny: any subclass, whatever its config type
  config?: any,
  schedule?: Interval,
) => BaseScanner<object>) & {
  /** The schema of the config, when the class declares one. */
  readonly configSchema?: StandardSchemaV1 | undefined;
};

/** True when `value` is a class extending {@link BaseScanner}. */
export function isScannerClass(value: unknown): value is ScannerClass {
  if (typeof value !== 'function' || value.prototype === undefined) return false;
  if (value.prototype instanceof BaseScanner) return true;
  const proto = value.prototype as Record<string, unknown>;
  return typeof proto.scan === 'function' && typeof proto.setup === 'function';
}
