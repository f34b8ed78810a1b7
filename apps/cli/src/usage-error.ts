import { StratError, type StratErrorOptions } from '@strat/core';

/** A command line that cannot be carried out as written (a bad name, a file that would be overwritten). */
export class UsageError extends StratError {
  /** The kind {@link StratError.isInstance} recognises usage errors by. */
  static override readonly kind: string = '@strat/cli/UsageError';

  /**
   * @param message - What is wrong with the command line, written for the user.
   * @param options - The cause.
   */
  constructor(message: string, options: StratErrorOptions = {}) {
    super('USAGE', message, options);
  }
}
