/** OHLC bars of one series in columns, times in epoch ms, ascending; volume optional. */
export interface OhlcColumns {
  time: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  /** When given, an aggregated bar's volume is the sum of its bars'. */
  volume?: number[];
}

/** Bars as drawn: the series itself, or its bars aggregated into buckets of `bucketMs`. */
export interface DownsampledBars extends OhlcColumns {
  /** Length of one aggregated bar in ms; `undefined` when the bars are drawn as they are. */
  bucketMs: number | undefined;
}

/** Bars a chart draws at most before the series is aggregated to a coarser interval. */
export const MAX_CHART_BARS = 5000;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** Coarser intervals tried in turn; past a week, multiples of weeks. */
const BUCKETS = [
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  4 * HOUR,
  DAY,
  WEEK,
  2 * WEEK,
  4 * WEEK,
];

/** Epoch 0 was a Thursday: weeks start on Monday, 4 days later. */
const WEEK_OFFSET = 4 * DAY;

/** Start of the bucket of length `bucketMs` holding `time` (UTC; weekly buckets start on Monday). */
export function bucketStart(time: number, bucketMs: number): number {
  const offset = bucketMs % WEEK === 0 ? WEEK_OFFSET : 0;
  return Math.floor((time - offset) / bucketMs) * bucketMs + offset;
}

function countBuckets(time: readonly number[], bucketMs: number): number {
  let count = 0;
  let last = Number.NaN;
  for (let i = 0; i < time.length; i++) {
    const start = bucketStart(time[i]!, bucketMs);
    if (start !== last) {
      count++;
      last = start;
    }
  }
  return count;
}

/** Smallest gap between two consecutive bars: the series' own interval (0 with fewer than 2 bars). */
function barSpacing(time: readonly number[]): number {
  let spacing = Number.POSITIVE_INFINITY;
  for (let i = 1; i < time.length; i++) {
    const gap = time[i]! - time[i - 1]!;
    if (gap > 0 && gap < spacing) spacing = gap;
  }
  return Number.isFinite(spacing) ? spacing : 0;
}

/** The first bucket length coarser than the bars that leaves at most `maxBars` buckets. */
export function chooseBucket(time: readonly number[], maxBars: number): number {
  const spacing = barSpacing(time);
  for (const bucketMs of BUCKETS) {
    if (bucketMs > spacing && countBuckets(time, bucketMs) <= maxBars) return bucketMs;
  }
  let bucketMs = BUCKETS[BUCKETS.length - 1]!;
  do bucketMs *= 2;
  while (countBuckets(time, bucketMs) > maxBars);
  return bucketMs;
}

/**
 * The bars to draw: the series as it is when it has at most `maxBars` bars, else aggregated to the
 * first coarser interval (1m, 5m, 15m, 30m, 1h, 2h, 4h, 1d, 1w, ...) that leaves at most `maxBars`:
 * each bucket's first open, highest high, lowest low and last close (and summed volume, when the
 * bars have a volume column), at the bucket's start.
 */
export function downsampleBars(bars: OhlcColumns, maxBars: number = MAX_CHART_BARS): DownsampledBars {
  if (bars.time.length <= maxBars) return { ...bars, bucketMs: undefined };
  const bucketMs = chooseBucket(bars.time, maxBars);
  const out: DownsampledBars = { time: [], open: [], high: [], low: [], close: [], bucketMs };
  const volume = bars.volume;
  const outVolume: number[] = [];
  let last = -1;
  for (let i = 0; i < bars.time.length; i++) {
    const start = bucketStart(bars.time[i]!, bucketMs);
    if (last < 0 || start !== out.time[last]) {
      out.time.push(start);
      out.open.push(bars.open[i]!);
      out.high.push(bars.high[i]!);
      out.low.push(bars.low[i]!);
      out.close.push(bars.close[i]!);
      if (volume !== undefined) outVolume.push(volume[i]!);
      last++;
    } else {
      if (bars.high[i]! > out.high[last]!) out.high[last] = bars.high[i]!;
      if (bars.low[i]! < out.low[last]!) out.low[last] = bars.low[i]!;
      out.close[last] = bars.close[i]!;
      if (volume !== undefined) outVolume[last] = outVolume[last]! + volume[i]!;
    }
  }
  if (volume !== undefined) out.volume = outVolume;
  return out;
}

/**
 * A line curve thinned to at most `maxPoints` points when longer: per bucket of the chosen length, the
 * bucket's last value, or its lowest with `keep: 'min'` (so a drawdown's trough stays visible).
 */
export function downsampleLine(
  time: readonly number[],
  value: readonly number[],
  keep: 'last' | 'min',
  maxPoints: number = MAX_CHART_BARS,
): { time: number[]; value: number[] } {
  if (time.length <= maxPoints) return { time: [...time], value: [...value] };
  const bucketMs = chooseBucket(time, maxPoints);
  const out = { time: [] as number[], value: [] as number[] };
  for (let i = 0; i < time.length; i++) {
    const start = bucketStart(time[i]!, bucketMs);
    const last = out.time.length - 1;
    if (last < 0 || start !== out.time[last]) {
      out.time.push(start);
      out.value.push(value[i]!);
    } else if (keep === 'last' || value[i]! < out.value[last]!) {
      out.value[last] = value[i]!;
    }
  }
  return out;
}

/** A bucket length as an interval name: `5m`, `4h`, `1d`, `2w`. */
export function formatBucket(bucketMs: number): string {
  if (bucketMs % WEEK === 0) return `${bucketMs / WEEK}w`;
  if (bucketMs % DAY === 0) return `${bucketMs / DAY}d`;
  if (bucketMs % HOUR === 0) return `${bucketMs / HOUR}h`;
  return `${Math.round(bucketMs / MINUTE)}m`;
}
