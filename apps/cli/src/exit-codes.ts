import { ConfigError, DataError, StratError, StrategyLoadError } from '@strat/core';

/** The exit codes of `strat`. */
export const ExitCode = {
  /** Everything went as asked. */
  OK: 0,
  /** The session or command failed while running. */
  RUNTIME_FAILURE: 1,
  /** A bad command line, config, strategy module or data file: fix the input and run again. */
  USAGE: 2,
  /** Stopped by Ctrl-C (SIGINT). */
  INTERRUPTED: 130,
  /** Stopped by SIGTERM. */
  TERMINATED: 143,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

// StratError codes that mean "the input is wrong" even though they are not ConfigError/DataError instances:
// a feed that refuses the credentials is a config to fix, not a failure to retry.
const USAGE_ERROR_CODES = new Set([
  'CONFIG_UNREADABLE',
  'FEED_AUTH_FAILED',
  'LIVE_NOT_AVAILABLE',
  'REPLAY_SPEED_INVALID',
  'STREAMS_EMPTY',
  'USAGE',
]);

/** The exit code for an error that ended a command: 2 for input errors, 1 for everything else. */
export function exitCodeFor(error: unknown): ExitCodeValue {
  if (error instanceof ConfigError || error instanceof StrategyLoadError || error instanceof DataError) {
    return ExitCode.USAGE;
  }
  if (error instanceof StratError && USAGE_ERROR_CODES.has(error.code)) return ExitCode.USAGE;
  return ExitCode.RUNTIME_FAILURE;
}
