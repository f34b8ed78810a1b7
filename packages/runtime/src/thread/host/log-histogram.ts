// Values below SUB_BUCKETS are counted exactly; above, each power of two is split into SUB_BUCKETS
// buckets, so a bucket's values are within 1/128 (0.8 %) of each other.
const SUB_BITS = 7;
const SUB_BUCKETS = 1 << SUB_BITS;
// Enough powers of two for every integer a double holds exactly.
const BUCKETS = (54 - SUB_BITS + 1) * SUB_BUCKETS;

/**
 * A histogram of non-negative integers (nanoseconds) with log-linear buckets, recorded in plain JS:
 * Node's `createHistogram()` costs a call into C++ per value, on the path of every bar a strategy
 * handles. Percentiles are the highest value of their bucket, never above the largest value
 * recorded.
 */
export class LogHistogram {
  readonly #counts = new Float64Array(BUCKETS);
  #total = 0;
  #max = 0;
  #maxBucket = 0;

  /** Counts `value` (rounded; below 1 counts as 1). */
  record(value: number): void {
    const v = value < 1 ? 1 : Math.round(value);
    const bucket = bucketOf(v);
    this.#counts[bucket] = (this.#counts[bucket] as number) + 1;
    this.#total++;
    if (v > this.#max) {
      this.#max = v;
      this.#maxBucket = bucket;
    }
  }

  /** The smallest bucket's highest value below which `percent` % of the values lie; 0 when empty. */
  percentile(percent: number): number {
    if (this.#total === 0) return 0;
    const wanted = Math.max(1, Math.ceil((this.#total * percent) / 100));
    const counts = this.#counts;
    let seen = 0;
    for (let i = 0; i < this.#maxBucket; i++) {
      seen += counts[i] as number;
      if (seen >= wanted) return Math.min(highestOf(i), this.#max);
    }
    return this.#max;
  }
}

function bucketOf(v: number): number {
  if (v < SUB_BUCKETS) return v;
  const power = v < 0x80000000 ? 31 - Math.clz32(v) : Math.floor(Math.log2(v));
  const shift = power - SUB_BITS;
  const mantissa = Math.floor(v / 2 ** shift);
  return (shift + 1) * SUB_BUCKETS + (mantissa - SUB_BUCKETS);
}

function highestOf(bucket: number): number {
  if (bucket < SUB_BUCKETS) return bucket;
  const shift = Math.floor(bucket / SUB_BUCKETS) - 1;
  const mantissa = (bucket % SUB_BUCKETS) + SUB_BUCKETS;
  return (mantissa + 1) * 2 ** shift - 1;
}
