import { StrategySetupError, type StrategyStartStep } from '@strat/core';
import { formatSourceLocation } from '../source-location-text';
import { errorMessage } from './error-reporter';
import { firstUserFrame } from './user-frame';

/** `TypeError: message` for errors of a named kind, the message alone for plain errors and other values. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error && error.name !== 'Error' && error.name !== '') {
    return `${error.name}: ${error.message}`;
  }
  return errorMessage(error);
}

/**
 * The error for a strategy that threw in `step` while starting (its module did load): says which
 * step failed, what was thrown and where in the strategy's code, keeping what was thrown as the cause.
 * @param what - How the step is named in the message (`setup`, `constructing MyStrategy`).
 */
export function startFailure(
  step: StrategyStartStep,
  what: string,
  module: string,
  strategy: string,
  error: unknown,
): StrategySetupError {
  const location = firstUserFrame(error instanceof Error ? error.stack : undefined);
  const at = location === undefined ? '' : ` at ${formatSourceLocation(location)}`;
  return new StrategySetupError(module, strategy, step, `${what} failed: ${describeThrown(error)}${at}`, {
    cause: error,
    ...(location === undefined ? {} : { location }),
  });
}
