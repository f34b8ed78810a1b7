import type { monotonicNow } from './monotonic-clock';

/**
 * Where a strategy is in its life. `failed`: it did not start (load or setup). `crashed`: its thread
 * died under it. `timed_out`: it was terminated because one notification ran past its
 * `notification_limit_ms`, or because it did not stop within the stop timeout (its teardown did not
 * run). `stopped`: it ended normally, teardown included.
 */
export type StrategyThreadState = 'starting' | 'running' | 'stopped' | 'failed' | 'crashed' | 'timed_out';

/** Where a strategy runs: its own worker thread, or the session's thread (for debugging). */
export type StrategyExecutor = 'worker' | 'inline';

/** One strategy's metrics, named as in the seed. Times are in microseconds. */
export interface StrategyMetrics {
  /** The strategy's name. */
  strategy: string;
  executor: StrategyExecutor;
  state: StrategyThreadState;
  /** Bar notifications handled (including those whose `onBars` threw). */
  notifications_processed: number;
  /** Signals returned by `onBars` and emitted. */
  signals_generated: number;
  /** Exceptions thrown by the strategy's hooks (and invalid results), counted not hidden. */
  errors: number;
  /** Notifications and control entries not processed yet: the backlog. */
  queue_size: number;
  /** Mean time per `onBars` call. */
  avg_processing_time_us: number;
  /** Longest `onBars` call. */
  max_processing_time_us: number;
  /** 99th percentile of `onBars` time (refreshed at least every 100 ms while busy, and when idle). */
  p99_processing_time_us: number;
  /** Timed waits the strategy did not finish in time. */
  overruns: number;
}

/** Slots of the shared Float64 metrics words written by the strategy's thread and read by the session's. */
export const METRIC_SLOT = {
  PROCESSED: 0,
  SIGNALS: 1,
  ERRORS: 2,
  TOTAL_US: 3,
  MAX_US: 4,
  P99_US: 5,
  /**
   * When the notification begun last began ({@link monotonicNow} ms, the same clock in every
   * thread; 0 before the first). The session side's watchdog reads it.
   */
  BUSY_SINCE: 6,
  /**
   * The queue position of the notification begun last: it is still running while the queue's read
   * cursor has not moved past it.
   */
  BUSY_AT: 7,
} as const;

const METRIC_SLOTS = 8;

/** Allocates the shared metrics words of one strategy. */
export function createMetricsBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(METRIC_SLOTS * 8);
}

/** Views a metrics buffer. */
export function metricsWords(buffer: SharedArrayBuffer): Float64Array {
  return new Float64Array(buffer, 0, METRIC_SLOTS);
}

/** Builds a {@link StrategyMetrics} from the shared words and the session-side counters. */
export function readStrategyMetrics(
  words: Float64Array,
  side: {
    strategy: string;
    executor: StrategyExecutor;
    state: StrategyThreadState;
    queueSize: number;
    overruns: number;
  },
): StrategyMetrics {
  const processed = words[METRIC_SLOT.PROCESSED] ?? 0;
  const total = words[METRIC_SLOT.TOTAL_US] ?? 0;
  return {
    strategy: side.strategy,
    executor: side.executor,
    state: side.state,
    notifications_processed: processed,
    signals_generated: words[METRIC_SLOT.SIGNALS] ?? 0,
    errors: words[METRIC_SLOT.ERRORS] ?? 0,
    queue_size: side.queueSize,
    avg_processing_time_us: processed === 0 ? 0 : total / processed,
    max_processing_time_us: words[METRIC_SLOT.MAX_US] ?? 0,
    p99_processing_time_us: words[METRIC_SLOT.P99_US] ?? 0,
    overruns: side.overruns,
  };
}
