import { StratError, type StratErrorOptions } from './strat-error';

/** A strategy or scanner module could not be loaded, has no usable class, or refused to start. */
export class StrategyLoadError extends StratError {
  /** The module specifier as written in the config. */
  readonly module: string;

  constructor(module: string, reason: string, options: StratErrorOptions = {}) {
    super('STRATEGY_LOAD_FAILED', `Cannot load strategy module "${module}": ${reason}`, options);
    this.module = module;
  }
}
