import { createLogger, type Logger } from '../logging/logger';
import type { Interval } from '../time/interval';
import type { StrategyContext } from './strategy-context';

/** A scanner's config: whatever the session config's `scanners[].config` holds. */
export type ScannerConfig = Record<string, unknown>;

/**
 * The base class of scanners: on a schedule, look at session data and return symbols to add to
 * the session mid-run. Strategies are told through `onSymbolAdded` and may subscribe to them.
 */
export abstract class BaseScanner<TConfig extends ScannerConfig = ScannerConfig> {
  readonly name: string;
  readonly config: TConfig;
  /** How often `scan` runs, in simulated time (default every `5m`). */
  readonly schedule: Interval;
  logger: Logger;

  constructor(name: string, config: TConfig = {} as TConfig, schedule: Interval = '5m') {
    this.name = name;
    this.config = config;
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
export type ScannerClass = new (name: string, config: ScannerConfig, schedule?: Interval) => BaseScanner;

/** True when `value` is a class extending {@link BaseScanner}. */
export function isScannerClass(value: unknown): value is ScannerClass {
  if (typeof value !== 'function' || value.prototype === undefined) return false;
  if (value.prototype instanceof BaseScanner) return true;
  const proto = value.prototype as Record<string, unknown>;
  return typeof proto.scan === 'function' && typeof proto.setup === 'function';
}
