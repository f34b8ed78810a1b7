/**
 * The memory layout of one bar series (one symbol at one interval), shared by the writer (the data
 * processor) and every reader (strategies, possibly on other threads).
 *
 * One buffer holds a small Int32 header and seven columns: time, open, high, low, close, volume as
 * Float64 and a Uint8 flag column: 49 bytes per stored bar. Bars form a ring of `capacity` slots
 * (a power of two). Readers see at most `window` bars (`window < capacity`): the slots between the
 * two are a guard, so a writer may run up to `capacity - window` bars ahead of a reader without
 * overwriting anything that reader can see.
 *
 * Publication: the writer fills a slot, then `Atomics.store`s the new count in the header. A reader
 * `Atomics.load`s the count first and reads only slots below it, so it never sees a half-written bar.
 */
export interface SeriesBuffers {
  /** The underlying buffer (a SharedArrayBuffer when the series is shared with workers). */
  readonly buffer: ArrayBufferLike;
  /** Header words, see {@link SERIES_HEADER}. */
  readonly header: Int32Array;
  readonly capacity: number;
  /** capacity - 1, for ring indexing. */
  readonly mask: number;
  /** How many of the most recent bars a reader may see. */
  readonly window: number;
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** Bit flags per bar, see {@link BAR_FLAG_FILLED}. */
  readonly flags: Uint8Array;
}

/** Indices of the Int32 header words. */
export const SERIES_HEADER = {
  /** Total bars ever published to this series (the next bar's absolute index). */
  COUNT: 0,
  CAPACITY: 1,
  WINDOW: 2,
  /** Bars received in the current session (quality numerator). */
  QUALITY_RECEIVED: 3,
  /** Bars expected so far in the current session (quality denominator). */
  QUALITY_EXPECTED: 4,
  /** Bars made up by the gap filler in the current session. */
  QUALITY_FILLED: 5,
  /** Layout version, checked when a buffer is reopened. */
  VERSION: 6,
} as const;

/** Flag bit: the bar was forward-filled by the gap filler. */
export const BAR_FLAG_FILLED = 1;

const HEADER_WORDS = 16;
const HEADER_BYTES = HEADER_WORDS * 4;
const LAYOUT_VERSION = 1;
/** Bytes of column storage per stored bar (6 Float64 columns and one Uint8 flag). */
export const BYTES_PER_BAR = 6 * 8 + 1;

/** Options for {@link createSeriesBuffers}. */
export interface SeriesBufferOptions {
  /** How many recent bars readers may see (default 4096). */
  window?: number;
  /** Extra ring slots beyond `window` that a writer may run ahead into (default window / 4, at least 64). */
  guard?: number;
  /** Allocate on SharedArrayBuffer so worker threads can read in place (default true). */
  shared?: boolean;
}

/** Default number of recent bars a reader sees per series. */
export const DEFAULT_SERIES_WINDOW = 4096;

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** The guard a series gets when none is asked for: a quarter of its window, at least 64 slots. */
export function defaultSeriesGuard(window: number): number {
  return Math.max(64, Math.floor(window / 4));
}

/** Slots of a series' ring: `window + guard` rounded up to a power of two. */
export function seriesCapacity(window: number, guard: number = defaultSeriesGuard(window)): number {
  return nextPowerOfTwo(window + guard);
}

function view(buffer: ArrayBufferLike, capacity: number): SeriesBuffers {
  const header = new Int32Array(buffer, 0, HEADER_WORDS);
  const col = (i: number) => new Float64Array(buffer, HEADER_BYTES + i * 8 * capacity, capacity);
  return {
    buffer,
    header,
    capacity,
    mask: capacity - 1,
    window: header[SERIES_HEADER.WINDOW] ?? 0,
    time: col(0),
    open: col(1),
    high: col(2),
    low: col(3),
    close: col(4),
    volume: col(5),
    flags: new Uint8Array(buffer, HEADER_BYTES + 6 * 8 * capacity, capacity),
  };
}

/** Allocates an empty series. */
export function createSeriesBuffers(options: SeriesBufferOptions = {}): SeriesBuffers {
  const window = options.window ?? DEFAULT_SERIES_WINDOW;
  if (!Number.isInteger(window) || window < 1) {
    throw new RangeError(`series window must be a positive integer, got ${window}`);
  }
  const capacity = seriesCapacity(window, options.guard);
  const bytes = HEADER_BYTES + capacity * BYTES_PER_BAR;
  const buffer = options.shared === false ? new ArrayBuffer(bytes) : new SharedArrayBuffer(bytes);
  const header = new Int32Array(buffer, 0, HEADER_WORDS);
  header[SERIES_HEADER.CAPACITY] = capacity;
  header[SERIES_HEADER.WINDOW] = window;
  header[SERIES_HEADER.VERSION] = LAYOUT_VERSION;
  return view(buffer, capacity);
}

/** Reopens a series from its buffer (for example in a worker that received the SharedArrayBuffer). */
export function openSeriesBuffers(buffer: ArrayBufferLike): SeriesBuffers {
  const header = new Int32Array(buffer, 0, HEADER_WORDS);
  if (header[SERIES_HEADER.VERSION] !== LAYOUT_VERSION) {
    throw new TypeError('not a @strat series buffer (layout version mismatch)');
  }
  return view(buffer, header[SERIES_HEADER.CAPACITY] ?? 0);
}

/** Number of bars published so far (the absolute index of the next bar). Safe across threads. */
export function publishedCount(series: SeriesBuffers): number {
  return Atomics.load(series.header, SERIES_HEADER.COUNT);
}

/**
 * Appends one bar and publishes it. Single writer only. Returns the bar's absolute index.
 * Values are trusted: validation happens where data enters (sources), not here.
 */
export function appendBar(
  series: SeriesBuffers,
  time: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
  flags = 0,
): number {
  const index = series.header[SERIES_HEADER.COUNT] as number;
  const slot = index & series.mask;
  series.time[slot] = time;
  series.open[slot] = open;
  series.high[slot] = high;
  series.low[slot] = low;
  series.close[slot] = close;
  series.volume[slot] = volume;
  series.flags[slot] = flags;
  Atomics.store(series.header, SERIES_HEADER.COUNT, index + 1);
  return index;
}

/** Columns of bars to append with {@link appendBars}, such as a source's chunk. */
export interface BarColumns {
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/**
 * Appends bars `from` to `to` (exclusive) of `columns` with typed-array copies (one per column, two
 * where the ring wraps) instead of a write per value, and publishes them in steps of at most the
 * ring's slots beyond its window, so a reader never sees a slot of its window overwritten, as with
 * {@link appendBar}. Single writer only; values trusted. Returns the absolute index of the first bar.
 */
export function appendBars(series: SeriesBuffers, columns: BarColumns, from: number, to: number): number {
  const first = series.header[SERIES_HEADER.COUNT] as number;
  const step = Math.max(1, series.capacity - series.window);
  let index = first;
  for (let at = from; at < to; ) {
    const slot = index & series.mask;
    const run = Math.min(to - at, series.capacity - slot, step);
    const end = at + run;
    series.time.set(columns.time.subarray(at, end), slot);
    series.open.set(columns.open.subarray(at, end), slot);
    series.high.set(columns.high.subarray(at, end), slot);
    series.low.set(columns.low.subarray(at, end), slot);
    series.close.set(columns.close.subarray(at, end), slot);
    series.volume.set(columns.volume.subarray(at, end), slot);
    series.flags.fill(0, slot, slot + run);
    index += run;
    at = end;
    Atomics.store(series.header, SERIES_HEADER.COUNT, index);
  }
  return first;
}

/** Percent (0-100) of expected bars received in the current session; 100 before any bar is expected. */
export function readQuality(series: SeriesBuffers): number {
  const expected = Atomics.load(series.header, SERIES_HEADER.QUALITY_EXPECTED);
  if (expected <= 0) return 100;
  const received = Atomics.load(series.header, SERIES_HEADER.QUALITY_RECEIVED);
  return Math.min(100, (received / expected) * 100);
}
