// performance.now() counts from each thread's own start, and performance.timeOrigin is the wall
// clock read at that start (a clock step between two threads' starts would skew them): the
// process-wide monotonic clock of process.hrtime is the one base every thread shares.
const [seconds, nanos] = process.hrtime();
const ORIGIN_MS = seconds * 1e3 + nanos / 1e6 - performance.now();

/**
 * Add to this thread's `performance.now()` to get the process-wide monotonic time in ms
 * (comparable across worker threads, unlike `performance.now()` itself).
 */
export const MONOTONIC_ORIGIN_MS: number = ORIGIN_MS;

/** The process-wide monotonic time in ms, the same clock in every thread. */
export function monotonicNow(): number {
  return ORIGIN_MS + performance.now();
}
