import { MONOTONIC_ORIGIN_MS } from '../monotonic-clock';
import { METRIC_SLOT, metricsWords } from '../strategy-metrics';
import { LogHistogram } from './log-histogram';

// The p99 is refreshed at least this often while busy (in bars, or in ms), and when idle at most
// once per P99_IDLE_REFRESH_MS.
const P99_REFRESH_EVERY = 4096;
const P99_REFRESH_MS = 100;
const P99_IDLE_REFRESH_MS = 10;

/**
 * The strategy side of its metrics: counts and processing times written straight into the shared
 * words the session reads (no messages), and a histogram of `onBars` times whose p99 is written
 * there now and then (a percentile is too costly to compute per bar).
 */
export class ProcessingMetrics {
  readonly #words: Float64Array;
  readonly #histogram = new LogHistogram();
  readonly #clockOrigin = MONOTONIC_ORIGIN_MS;
  #p99At = 0;
  #p99Time = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.#words = metricsWords(buffer);
  }

  /**
   * The notification at queue `position` begins, at `startedMs` (this thread's `performance.now()`):
   * two plain stores, read by the session side's watchdog. Its end needs no store: the queue's read
   * cursor moving past `position` (the commit after it) says it.
   */
  beginNotification(position: number, startedMs: number): void {
    const m = this.#words;
    m[METRIC_SLOT.BUSY_AT] = position;
    m[METRIC_SLOT.BUSY_SINCE] = this.#clockOrigin + startedMs;
  }

  /** Counts one handled bar notification whose `onBars` took `micros`. */
  recordBar(micros: number): void {
    const m = this.#words;
    m[METRIC_SLOT.PROCESSED] = (m[METRIC_SLOT.PROCESSED] as number) + 1;
    m[METRIC_SLOT.TOTAL_US] = (m[METRIC_SLOT.TOTAL_US] as number) + micros;
    if (micros > (m[METRIC_SLOT.MAX_US] as number)) m[METRIC_SLOT.MAX_US] = micros;
    this.#histogram.record(micros * 1000);
  }

  /** Counts one emitted signal. */
  countSignal(): void {
    this.#words[METRIC_SLOT.SIGNALS] = (this.#words[METRIC_SLOT.SIGNALS] as number) + 1;
  }

  /** Counts one error of the strategy. */
  countError(): void {
    this.#words[METRIC_SLOT.ERRORS] = (this.#words[METRIC_SLOT.ERRORS] as number) + 1;
  }

  /** After a commit while busy: {@link flush} when enough bars or time have passed since the last one. */
  flushIfDue(): void {
    const processed = this.#words[METRIC_SLOT.PROCESSED] as number;
    if (processed - this.#p99At >= P99_REFRESH_EVERY || performance.now() - this.#p99Time >= P99_REFRESH_MS) {
      this.flush();
    }
  }

  /**
   * {@link flush}, unless it ran within the last few milliseconds: a strategy idling between
   * frequent small batches (a bar per millisecond, live) should not pay for a percentile each time.
   */
  refresh(): void {
    if (performance.now() - this.#p99Time >= P99_IDLE_REFRESH_MS) this.flush();
  }

  /** Writes the p99 processing time to the shared metrics (when bars were handled since the last time). */
  flush(): void {
    const processed = this.#words[METRIC_SLOT.PROCESSED] as number;
    if (processed === this.#p99At) return;
    this.#p99At = processed;
    this.#p99Time = performance.now();
    this.#words[METRIC_SLOT.P99_US] = this.#histogram.percentile(99) / 1000;
  }
}
