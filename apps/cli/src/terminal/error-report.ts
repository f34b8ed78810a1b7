import { StratError } from '@strat/core';
import type { Colors } from './colors';

/**
 * The text shown for an error that ended a command: the message only (our errors are written to be
 * understood without a stack), or with `verbose` the stack and the chain of causes.
 */
export function formatError(error: unknown, colors: Colors, verbose = false): string {
  const head = colors.red(colors.bold('error:'));
  if (!(error instanceof Error)) return `${head} ${String(error)}`;
  if (!verbose) {
    // An unexpected error's message alone rarely explains it: say how to see more.
    return StratError.isInstance(error)
      ? `${head} ${error.message}`
      : `${head} ${error.name}: ${error.message}\n${colors.dim('(run again with --verbose to see the stack trace)')}`;
  }
  const lines = [`${head} ${error.stack ?? `${error.name}: ${error.message}`}`];
  let cause = error.cause;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    lines.push(
      colors.dim(`caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`),
    );
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return lines.join('\n');
}
