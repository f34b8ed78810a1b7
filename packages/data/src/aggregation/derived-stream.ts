import type { Interval } from '@strat/core';
import type { SeriesBuffers } from '@strat/core/internal';
import type { SeriesQuality } from '../quality/series-quality';
import type { BarChunk } from '../sources/bar-source';

/**
 * The mutable state of one derived stream (say 5m) of one symbol: the bucket being formed and the
 * session's bucket bookkeeping. Plain numeric fields updated in place, so aggregating a base bar
 * allocates nothing. Internal to {@link SymbolBarAggregator}.
 */
export class DerivedStream {
  /** Base slots in a full bucket. */
  readonly slotsPerBucket: number;
  /** Buckets in the current session (the last one may be clipped at the close). */
  bucketCount = 0;
  /** Buckets of the current session that are over (published or empty), counted from the open. */
  closedBuckets = 0;
  /** True while a bucket has received at least one real base bar and is not published yet. */
  forming = false;
  /** Index of the forming bucket in the session. */
  bucket = -1;
  /** Start of the forming bucket (its label), epoch ms. */
  start = 0;
  /** End of the forming bucket (clipped at the session close), epoch ms. */
  end = 0;
  /** OHLCV of the forming bucket so far. */
  open = 0;
  /** Highest high so far. */
  high = 0;
  /** Lowest low so far. */
  low = 0;
  /** Close of the newest base bar so far. */
  close = 0;
  /** Volume so far. */
  volume = 0;
  /** Real base bars in the forming bucket. */
  realBars = 0;

  constructor(
    readonly interval: Interval,
    readonly bucketMs: number,
    baseMs: number,
    readonly buffers: SeriesBuffers,
    readonly quality: SeriesQuality,
  ) {
    this.slotsPerBucket = bucketMs / baseMs;
  }

  /** Forgets the previous session. */
  beginSession(sessionLength: number): void {
    this.bucketCount = Math.ceil(sessionLength / this.bucketMs);
    this.closedBuckets = 0;
    this.forming = false;
    this.bucket = -1;
  }

  /** Starts the bucket holding the base bar in row `i` of `chunk`, with that bar. */
  startBucketAt(sessionOpen: number, sessionClose: number, chunk: BarChunk, i: number): void {
    const bucket = Math.floor(((chunk.time[i] as number) - sessionOpen) / this.bucketMs);
    this.forming = true;
    this.bucket = bucket;
    this.start = sessionOpen + bucket * this.bucketMs;
    this.end = Math.min(this.start + this.bucketMs, sessionClose);
    this.open = chunk.open[i] as number;
    this.high = chunk.high[i] as number;
    this.low = chunk.low[i] as number;
    this.close = chunk.close[i] as number;
    this.volume = chunk.volume[i] as number;
    this.realBars = 1;
  }

  /** Adds a later base bar of the same bucket. */
  extendBucket(high: number, low: number, close: number, volume: number): void {
    if (high > this.high) this.high = high;
    if (low < this.low) this.low = low;
    this.close = close;
    this.volume += volume;
    this.realBars += 1;
  }
}
