import type { StrategyThreadState } from '../thread/strategy-metrics';
import type { StrategyErrorEvent } from '../thread/strategy-thread-events';

/** A strategy that reported errors during a run: how many, and the first with where it threw. */
export interface StrategyErrorSummary {
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
