import { formatSourceLocation } from '../thread/source-location-text';
import type { StrategyThreadState } from '../thread/strategy-metrics';
import type { StrategyErrorEvent } from '../thread/strategy-thread-events';

/** A strategy that reported errors during a run: how many, and the first with where it threw. */
export interface StrategyErrorSummary {
  /** The strategy's name. */
  strategy: string;
  /** Where the strategy ended up (`crashed` or `timed_out` when it died). */
  state: StrategyThreadState;
  /** Errors thrown by its hooks (its end, when fatal, is not counted here). */
  errors: number;
  /** The first error it reported: the hook, the message, the bar and `location` in its code. */
  first: StrategyErrorEvent;
}

/** The strategies (in config order) that reported an error, each with its count and first error. */
export function summarizeStrategyErrors(
  threads: ReadonlyArray<{
    readonly firstError: StrategyErrorEvent | undefined;
    getMetrics(): { strategy: string; state: StrategyThreadState; errors: number };
  }>,
): StrategyErrorSummary[] {
  const out: StrategyErrorSummary[] = [];
  for (const thread of threads) {
    const first = thread.firstError;
    if (first === undefined) continue;
    const { strategy, state, errors } = thread.getMetrics();
    out.push({ strategy, state, errors, first });
  }
  return out;
}

/**
 * One error as a line: the hook (or the strategy's end), where in the strategy's code, the bar,
 * the message: `onBars threw at strategies/a.ts:14:42 on AAPL 1m (bar closing ...): x is undefined`.
 * @param cwd - Files inside it are shown relative to it (default: the current directory).
 */
export function describeStrategyError(event: StrategyErrorEvent, cwd?: string): string {
  const at = event.location === undefined ? '' : ` at ${formatSourceLocation(event.location, cwd)}`;
  let bar = '';
  if (event.symbol !== undefined && event.interval !== undefined) {
    const closing = event.time === undefined ? '' : ` (bar closing ${new Date(event.time).toISOString()})`;
    bar = ` on ${event.symbol} ${event.interval}${closing}`;
  }
  const what = !event.fatal
    ? `${event.phase} threw`
    : event.phase === 'crash'
      ? 'strategy crashed'
      : 'strategy timed out';
  return `${what}${at}${bar}: ${event.message}`;
}

/**
 * The strategies that threw, in one sentence (undefined when none did): who, how often, and the
 * first strategy's first error. For a session that completed with errors (the service's `error`).
 */
export function describeStrategyErrors(
  errors: readonly StrategyErrorSummary[],
  cwd?: string,
): string | undefined {
  const threw = errors.filter((entry) => entry.errors > 0);
  const first = threw[0];
  if (first === undefined) return undefined;
  const who =
    threw.length === 1
      ? `strategy ${first.strategy} threw ${countOf(first.errors, 'error')}`
      : `${threw.length} strategies threw errors (${threw.map((e) => `${e.strategy}: ${e.errors}`).join(', ')})`;
  return `${who}; the first: ${describeStrategyError(first.first, cwd)}`;
}

function countOf(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
