import type { Interval } from '../time/interval';
import type { Bar } from './bar';

/**
 * A read-only view of one value column (close prices, volumes, ...) of a {@link BarSeries}.
 * Index 0 is the oldest visible bar, `length - 1` the newest. Reads go straight to the shared
 * typed arrays: no copy, no allocation.
 */
export interface Column extends Iterable<number> {
  /** Number of visible values (same as the series' length). */
  readonly length: number;
  /** Value at `i` (0 = oldest visible). Out of range gives NaN; never throws, never allocates. */
  get(i: number): number;
  /** Like `get`, but negative indices count from the newest (-1 = newest); undefined when out of range. */
  at(i: number): number | undefined;
  /** The newest value, NaN when the series is empty. */
  last(): number;
  /** Sum of values in `[from, to)` (defaults: the whole visible range). */
  sum(from?: number, to?: number): number;
  /** Mean of the newest `n` values; NaN when fewer than `n` are visible. */
  meanOfLast(n: number, endExclusive?: number): number;
  /** A copy of the visible values (allocates; use for debugging and tests, not per bar). */
  toArray(): Float64Array;
}

/**
 * A read-only, zero-copy view of the bars of one (symbol, interval) series as a strategy may see
 * them: bars 0..length-1, oldest first, all closed. The view is bounded: bars published after the
 * notification being handled are not visible (no look-ahead).
 */
export interface BarSeries extends Iterable<Bar> {
  readonly symbol: string;
  readonly interval: Interval;
  /** Number of visible bars. */
  readonly length: number;
  /** Absolute index (since the session started) of the newest visible bar, -1 when empty. */
  readonly lastIndex: number;
  readonly time: Column;
  readonly open: Column;
  readonly high: Column;
  readonly low: Column;
  readonly close: Column;
  readonly volume: Column;
  /** Bar at `i` (negative counts from the newest) as a new object, undefined when out of range. */
  at(i: number): Bar | undefined;
  /** True when the bar at `i` was made up by the gap filler. */
  isFilled(i: number): boolean;
  /** A view of the newest `n` bars (no copy). */
  last(n: number): BarSeries;
  /** Absolute index (since the session started) of visible bar `i`. */
  absoluteIndex(i: number): number;
  /** Copies the visible bars into objects (allocates; for debugging and tests). */
  toArray(): Bar[];
}
