import { type Interval, intervalToMs } from '@strat/core';

const KIND_BAR = 0;
const KIND_QUALITY = 1;

/**
 * The bars (and quality changes) published during one time step, kept in reused parallel arrays so
 * a step allocates nothing once the arrays have grown. Delivered in the documented order: close
 * time, then symbol rank (the order symbols joined), then interval length, bars before quality.
 */
export class ClosedBarQueue {
  #length = 0;
  #capacity = 0;
  #kind = new Uint8Array(0);
  #rank = new Int32Array(0);
  #index = new Int32Array(0);
  #intervalMs = new Float64Array(0);
  #time = new Float64Array(0);
  #value = new Float64Array(0);
  #symbols: string[] = [];
  #intervals: Interval[] = [];
  #order = new Int32Array(0);
  #sorted = true;
  #lastTime = Number.NEGATIVE_INFINITY;
  /** Intervals seen and their lengths in ms: a handful, scanned by identity (cheaper than a Map per bar). */
  readonly #knownIntervals: Interval[] = [];
  readonly #knownMs: number[] = [];

  get length(): number {
    return this.#length;
  }

  pushBar(rank: number, symbol: string, interval: Interval, index: number, closeTime: number): void {
    this.#push(KIND_BAR, rank, symbol, interval, index, closeTime, 0);
  }

  /** A quality change, ordered right after the bar that caused it. */
  pushQuality(rank: number, symbol: string, interval: Interval, quality: number, now: number): void {
    const time = this.#length > 0 ? this.#lastTime : now;
    this.#push(KIND_QUALITY, rank, symbol, interval, -1, time, quality);
  }

  #push(
    kind: number,
    rank: number,
    symbol: string,
    interval: Interval,
    index: number,
    time: number,
    value: number,
  ): void {
    if (this.#length === this.#capacity) this.#grow();
    const i = this.#length++;
    const ms = this.#msOf(interval);
    this.#kind[i] = kind;
    this.#rank[i] = rank;
    this.#index[i] = index;
    this.#intervalMs[i] = ms;
    this.#time[i] = time;
    this.#value[i] = value;
    this.#symbols[i] = symbol;
    this.#intervals[i] = interval;
    this.#order[i] = i;
    if (i > 0 && this.#compare(i - 1, i) > 0) this.#sorted = false;
    if (kind === KIND_BAR) this.#lastTime = time;
  }

  #msOf(interval: Interval): number {
    const known = this.#knownIntervals;
    for (let k = 0; k < known.length; k++) if (known[k] === interval) return this.#knownMs[k] as number;
    return this.#learn(interval);
  }

  #learn(interval: Interval): number {
    const ms = intervalToMs(interval);
    this.#knownIntervals.push(interval);
    this.#knownMs.push(ms);
    return ms;
  }

  #grow(): void {
    const cap = Math.max(64, this.#capacity * 2);
    const grow = <T extends Uint8Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.#kind = grow(this.#kind, (n) => new Uint8Array(n));
    this.#rank = grow(this.#rank, (n) => new Int32Array(n));
    this.#index = grow(this.#index, (n) => new Int32Array(n));
    this.#intervalMs = grow(this.#intervalMs, (n) => new Float64Array(n));
    this.#time = grow(this.#time, (n) => new Float64Array(n));
    this.#value = grow(this.#value, (n) => new Float64Array(n));
    this.#order = grow(this.#order, (n) => new Int32Array(n));
    this.#capacity = cap;
  }

  #compare(a: number, b: number): number {
    return (
      (this.#time[a] as number) - (this.#time[b] as number) ||
      (this.#rank[a] as number) - (this.#rank[b] as number) ||
      (this.#intervalMs[a] as number) - (this.#intervalMs[b] as number) ||
      (this.#kind[a] as number) - (this.#kind[b] as number) ||
      a - b
    );
  }

  /** Puts entries in delivery order (insertion sort: entries are nearly always in order already). */
  sortIfNeeded(): void {
    if (this.#sorted) return;
    const order = this.#order;
    for (let i = 1; i < this.#length; i++) {
      const x = order[i] as number;
      let j = i - 1;
      while (j >= 0 && this.#compare(order[j] as number, x) > 0) {
        order[j + 1] = order[j] as number;
        j--;
      }
      order[j + 1] = x;
    }
    this.#sorted = true;
  }

  /** 0 = bar, 1 = quality change, for the i-th entry in delivery order. */
  kind(i: number): number {
    return this.#kind[this.#order[i] as number] as number;
  }
  symbol(i: number): string {
    return this.#symbols[this.#order[i] as number] as string;
  }
  interval(i: number): Interval {
    return this.#intervals[this.#order[i] as number] as Interval;
  }
  index(i: number): number {
    return this.#index[this.#order[i] as number] as number;
  }
  closeTime(i: number): number {
    return this.#time[this.#order[i] as number] as number;
  }
  quality(i: number): number {
    return this.#value[this.#order[i] as number] as number;
  }

  clear(): void {
    this.#length = 0;
    this.#sorted = true;
  }
}
