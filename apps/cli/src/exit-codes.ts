import { ConfigError, DataError, StratError, type StratErrorCode, StrategyLoadError } from '@strat/core';
import type { SessionSummary } from '@strat/runtime';
import { UsageError } from './usage-error';

/** The exit codes of `strat`. */
export const ExitCode = {
  /** Everything went as asked. */
  OK: 0,
  /**
   * The session or command failed while running; also a run that went on to its end with a
   * strategy that crashed or timed out (a run with a dead strategy is never a success), or with a
   * strategy that threw (unless `strat run --allow-errors`).
   */
  RUNTIME_FAILURE: 1,
  /** A bad command line, config, strategy module or data file: fix the input and run again. */
  USAGE: 2,
  /** Stopped by Ctrl-C (SIGINT), whatever happened to the strategies. */
  INTERRUPTED: 130,
  /** Stopped by SIGTERM. */
  TERMINATED: 143,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

// Every error of these kinds is about the input, whatever its code.
const INPUT_ERROR_KINDS = [ConfigError, StrategyLoadError, DataError, UsageError] as const;

// Codes about the input although raised as plain StratErrors. A feed that refuses the credentials
// is a config to fix, not a failure to retry.
const INPUT_ERROR_CODES: ReadonlySet<StratErrorCode> = new Set<StratErrorCode>([
  'CONFIG_UNREADABLE',
  'FEED_AUTH_FAILED',
  'REPLAY_SPEED_INVALID',
  'STREAMS_EMPTY',
]);

/**
 * The exit code for an error that ended a command: 2 for input errors, 1 for everything else.
 * Errors are recognised by brand, so those made by another copy of @strat/core count too.
 */
export function exitCodeFor(error: unknown): ExitCodeValue {
  if (!StratError.isInstance(error)) return ExitCode.RUNTIME_FAILURE;
  if (INPUT_ERROR_KINDS.some((kind) => kind.isInstance(error)) || INPUT_ERROR_CODES.has(error.code)) {
    return ExitCode.USAGE;
  }
  return ExitCode.RUNTIME_FAILURE;
}

/** Options of {@link exitCodeForSummary}. */
export interface SummaryExitOptions {
  /** Errors thrown by strategy hooks do not fail the run (`strat run --allow-errors`); a dead strategy still does. */
  allowErrors?: boolean;
}

/**
 * The exit code of a run that was not stopped by a signal and did not fail: 1 when some strategy
 * crashed or timed out (the session went on without it), or when some strategy threw (its signals
 * may be wrong) unless `allowErrors`, else 0.
 */
export function exitCodeForSummary(summary: SessionSummary, options: SummaryExitOptions = {}): ExitCodeValue {
  const perStrategy = summary.metrics.per_strategy;
  const dead = perStrategy.some((m) => m.state === 'crashed' || m.state === 'timed_out');
  if (dead) return ExitCode.RUNTIME_FAILURE;
  const threw = perStrategy.some((m) => m.errors > 0);
  return threw && options.allowErrors !== true ? ExitCode.RUNTIME_FAILURE : ExitCode.OK;
}
