import type { SourceLocation } from './source-location';
import type { StratErrorOptions } from './strat-error';
import { StrategyLoadError } from './strategy-load-error';

/** The step of starting a strategy that threw: its constructor, `setup`, or `getSubscriptions`. */
export type StrategyStartStep = 'constructor' | 'setup' | 'getSubscriptions';

/** Options of {@link StrategySetupError}. */
export interface StrategySetupErrorOptions extends StratErrorOptions {
  /** Where the strategy's own code threw (the first stack frame in user code), when known. */
  location?: SourceLocation;
}

/**
 * A strategy's module loaded, but the strategy threw while it started: in its constructor, its
 * `setup` or its `getSubscriptions`. The message says which step failed and, when known, where in
 * the strategy's code (`setup failed: TypeError: ... at strategies/my_strategy.ts:12:7`); the `cause`
 * is what the strategy threw, with its own stack. Still a {@link StrategyLoadError} (same code
 * `STRATEGY_LOAD_FAILED`): the strategy refused to start.
 */
export class StrategySetupError extends StrategyLoadError {
  /** The kind {@link StratError.isInstance} recognises setup errors by, across copies of the package. */
  static override readonly kind: string = '@strat/core/StrategySetupError';

  /** The strategy's name in the session. */
  readonly strategy: string;
  /** The step that threw. */
  readonly step: StrategyStartStep;
  /** Where the strategy's code threw, when known. */
  readonly location: SourceLocation | undefined;

  /**
   * @param module - The module specifier as written in the config.
   * @param strategy - The strategy's name in the session.
   * @param step - The step that threw.
   * @param reason - What failed, such as `setup failed: TypeError: x is undefined at strategies/a.ts:3:9`.
   * @param options - What the strategy threw (the cause) and where.
   */
  constructor(
    module: string,
    strategy: string,
    step: StrategyStartStep,
    reason: string,
    options: StrategySetupErrorOptions = {},
  ) {
    super(module, reason, options);
    this.message = `Strategy "${strategy}" (${module}): ${reason}`;
    this.strategy = strategy;
    this.step = step;
    this.location = options.location;
  }
}
