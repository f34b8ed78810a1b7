import { StratError, type StratErrorOptions } from './strat-error';

/** A strategy or scanner module could not be loaded, has no usable class, or refused to start. */
export class StrategyLoadError extends StratError {
  /** The kind {@link StratError.isInstance} recognises strategy load errors by, across copies of the package. */
  static override readonly kind: string = '@strat/core/StrategyLoadError';

  /** The module specifier as written in the config. */
  readonly module: string;
  /** Why the module could not be used, without the `Cannot load strategy module "..."` head of the message. */
  readonly reason: string;

  /**
   * @param module - The module specifier as written in the config.
   * @param reason - Why it cannot be used (file not found, no strategy class, `setup` threw ...).
   * @param options - The cause.
   */
  constructor(module: string, reason: string, options: StratErrorOptions = {}) {
    super('STRATEGY_LOAD_FAILED', `Cannot load strategy module "${module}": ${reason}`, options);
    this.module = module;
    this.reason = reason;
  }
}
