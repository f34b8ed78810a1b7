import type { Interval } from '../time/interval';
import type { Bar } from './bar';
import type { BarSeries, Column } from './bar-series';
import { BAR_FLAG_FILLED, publishedCount, type SeriesBuffers } from './series-buffers';

class RingColumn implements Column {
  constructor(
    private readonly series: ColumnarBarSeries,
    private readonly data: Float64Array,
  ) {}

  get length(): number {
    return this.series.length;
  }

  get(i: number): number {
    const s = this.series;
    if (i < 0 || i >= s.length) return Number.NaN;
    return this.data[(s.startIndex + i) & s.mask] as number;
  }

  at(i: number): number | undefined {
    const n = this.series.length;
    const k = i < 0 ? n + i : i;
    if (k < 0 || k >= n) return undefined;
    return this.get(k);
  }

  last(): number {
    return this.get(this.series.length - 1);
  }

  sum(from = 0, to: number = this.series.length): number {
    const s = this.series;
    const lo = Math.max(0, from);
    const hi = Math.min(s.length, to);
    const data = this.data;
    const mask = s.mask;
    const base = s.startIndex;
    let total = 0;
    for (let i = lo; i < hi; i++) total += data[(base + i) & mask] as number;
    return total;
  }

  meanOfLast(n: number, endExclusive: number = this.series.length): number {
    if (n <= 0 || endExclusive - n < 0 || endExclusive > this.series.length) return Number.NaN;
    return this.sum(endExclusive - n, endExclusive) / n;
  }

  toArray(): Float64Array {
    const out = new Float64Array(this.series.length);
    for (let i = 0; i < out.length; i++) out[i] = this.get(i);
    return out;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.series.length; i++) yield this.get(i);
  }
}

/**
 * The {@link BarSeries} implementation over {@link SeriesBuffers}. One instance can be re-bounded
 * (`bound`) for each notification, so handling a bar allocates nothing.
 */
export class ColumnarBarSeries implements BarSeries {
  readonly time: Column;
  readonly open: Column;
  readonly high: Column;
  readonly low: Column;
  readonly close: Column;
  readonly volume: Column;
  /** @internal ring mask */
  readonly mask: number;
  /** @internal absolute index of visible bar 0 */
  startIndex = 0;
  #length = 0;

  /**
   * @param buffers the series storage
   * @param endExclusive absolute index one past the newest visible bar; defaults to everything published now
   */
  constructor(
    readonly buffers: SeriesBuffers,
    readonly symbol: string,
    readonly interval: Interval,
    endExclusive?: number,
  ) {
    this.mask = buffers.mask;
    this.time = new RingColumn(this, buffers.time);
    this.open = new RingColumn(this, buffers.open);
    this.high = new RingColumn(this, buffers.high);
    this.low = new RingColumn(this, buffers.low);
    this.close = new RingColumn(this, buffers.close);
    this.volume = new RingColumn(this, buffers.volume);
    this.bound(endExclusive ?? publishedCount(buffers));
  }

  /**
   * Makes bars up to (not including) absolute index `endExclusive` visible, at most `maxLength`
   * of them (default: the series window). Never exposes unpublished bars.
   */
  bound(endExclusive: number, maxLength: number = this.buffers.window): this {
    const end = Math.min(endExclusive, publishedCount(this.buffers));
    const length = Math.max(0, Math.min(end, maxLength, this.buffers.window));
    this.#length = length;
    this.startIndex = end - length;
    return this;
  }

  /** Makes every bar published so far visible (up to the window). */
  refresh(): this {
    return this.bound(publishedCount(this.buffers));
  }

  get length(): number {
    return this.#length;
  }

  get lastIndex(): number {
    return this.#length === 0 ? -1 : this.startIndex + this.#length - 1;
  }

  absoluteIndex(i: number): number {
    return this.startIndex + i;
  }

  at(i: number): Bar | undefined {
    const k = i < 0 ? this.#length + i : i;
    if (k < 0 || k >= this.#length) return undefined;
    const b = this.buffers;
    const slot = (this.startIndex + k) & this.mask;
    return {
      time: b.time[slot] as number,
      open: b.open[slot] as number,
      high: b.high[slot] as number,
      low: b.low[slot] as number,
      close: b.close[slot] as number,
      volume: b.volume[slot] as number,
      filled: ((b.flags[slot] as number) & BAR_FLAG_FILLED) !== 0,
    };
  }

  isFilled(i: number): boolean {
    if (i < 0 || i >= this.#length) return false;
    return ((this.buffers.flags[(this.startIndex + i) & this.mask] as number) & BAR_FLAG_FILLED) !== 0;
  }

  last(n: number): BarSeries {
    const end = this.startIndex + this.#length;
    // Clamped to this view's length: a view of a view must not reach back past what the outer one shows.
    const length = Math.max(0, Math.min(n, this.#length));
    return new ColumnarBarSeries(this.buffers, this.symbol, this.interval, end).bound(end, length);
  }

  toArray(): Bar[] {
    const out: Bar[] = [];
    for (let i = 0; i < this.#length; i++) out.push(this.at(i) as Bar);
    return out;
  }

  *[Symbol.iterator](): Iterator<Bar> {
    for (let i = 0; i < this.#length; i++) yield this.at(i) as Bar;
  }
}
