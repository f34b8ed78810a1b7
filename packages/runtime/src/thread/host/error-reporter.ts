import type { Logger } from '@strat/core';
import type { HostMessage, StrategyErrorPhase, StrategyErrorReport } from '../host-protocol';
import { formatSourceLocation } from '../source-location-text';
import type { BoundedContext } from './bounded-context';
import type { ProcessingMetrics } from './processing-metrics';
import { firstUserFrame } from './user-frame';

// A strategy failing on every bar must not flood the log: the first few in full, then a sample.
const ERRORS_LOGGED_IN_FULL = 10;
const ERRORS_LOGGED_EVERY = 1000;

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Counts, logs and reports the errors of a strategy's hooks (a strategy that throws goes on).
 * Every error is counted; the first {@link ERRORS_LOGGED_IN_FULL} are logged and reported in full,
 * then one in {@link ERRORS_LOGGED_EVERY}. A report names the bar being handled, if any, and where
 * the strategy's own code threw (its first stack frame outside the runtime, source-mapped).
 */
export class ErrorReporter {
  readonly #logger: Logger;
  readonly #post: (message: HostMessage) => void;
  readonly #metrics: ProcessingMetrics;
  readonly #bounds: BoundedContext;
  #errorCount = 0;

  constructor(
    logger: Logger,
    post: (message: HostMessage) => void,
    metrics: ProcessingMetrics,
    bounds: BoundedContext,
  ) {
    this.#logger = logger;
    this.#post = post;
    this.#metrics = metrics;
    this.#bounds = bounds;
  }

  /** Counts `error`, thrown in `phase`, and logs and reports it unless thinned out. */
  report(phase: StrategyErrorPhase, error: unknown): void {
    this.#metrics.countError();
    const count = ++this.#errorCount;
    if (count > ERRORS_LOGGED_IN_FULL && count % ERRORS_LOGGED_EVERY !== 0) return;
    const message = errorMessage(error);
    const stack = error instanceof Error ? error.stack : undefined;
    const report: StrategyErrorReport = { phase, message, errorCount: count };
    if (stack !== undefined) report.stack = stack;
    const location = firstUserFrame(stack);
    if (location !== undefined) report.location = location;
    const slot = this.#bounds.current;
    let where = '';
    if (slot !== undefined) {
      const time = this.#bounds.currentTime;
      report.symbol = slot.symbol;
      report.interval = slot.interval;
      report.time = time;
      where = ` on ${slot.symbol} ${slot.interval} (bar closing ${new Date(time).toISOString()})`;
    }
    this.#logger.error(
      `${phase} threw${where}: ${message}${location === undefined ? '' : ` at ${formatSourceLocation(location)}`}${thinningNote(count)}`,
      stack === undefined ? undefined : { stack },
    );
    this.#post({ type: 'error', report });
  }
}

function thinningNote(count: number): string {
  if (count === ERRORS_LOGGED_IN_FULL) return `; further errors are logged once every ${ERRORS_LOGGED_EVERY}`;
  return count > ERRORS_LOGGED_IN_FULL ? ` (${count} errors so far)` : '';
}
