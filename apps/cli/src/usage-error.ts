import { StratError, type StratErrorOptions } from '@strat/core';

/** A command line that cannot be carried out as written (a bad name, a file that would be overwritten). */
export class UsageError extends StratError {
  constructor(message: string, options: StratErrorOptions = {}) {
    super('USAGE', message, options);
  }
}
