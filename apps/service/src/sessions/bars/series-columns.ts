/** The bars of one series in columns: `time` is each bar's start, epoch ms, ascending. */
export interface SeriesColumns {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/** Columns that grow as bars are pushed (48 bytes a bar), then handed out trimmed. */
export class GrowingColumns {
  #count = 0;
  #columns: Float64Array[] = COLUMNS.map(() => new Float64Array(1024));

  /** Bars pushed so far. */
  get length(): number {
    return this.#count;
  }

  push(time: number, open: number, high: number, low: number, close: number, volume: number): void {
    if (this.#count === (this.#columns[0] as Float64Array).length) {
      this.#columns = this.#columns.map((column) => {
        const grown = new Float64Array(column.length * 2);
        grown.set(column);
        return grown;
      });
    }
    const at = this.#count++;
    const [t, o, h, l, c, v] = this.#columns as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    t[at] = time;
    o[at] = open;
    h[at] = high;
    l[at] = low;
    c[at] = close;
    v[at] = volume;
  }

  /** The bars pushed, in columns of their own length. */
  columns(): SeriesColumns {
    const [time, open, high, low, close, volume] = this.#columns.map((c) => c.slice(0, this.#count)) as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    return { time, open, high, low, close, volume };
  }
}

/** The first index whose time is at least `time` (binary search over ascending times). */
export function lowerBound(time: Float64Array, value: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((time[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
