import { DEFAULT_SERIES_WINDOW, type Interval, StratError } from '@strat/core';
import {
  ColumnarBarSeries,
  createSeriesBuffers,
  openSeriesBuffers,
  type SeriesBuffers,
} from '@strat/core/internal';

/** Identifies one series of the store: a symbol at one interval. */
export interface SeriesKey {
  /** The instrument, as named in the session config. */
  readonly symbol: string;
  /** The bar interval of the series. */
  readonly interval: Interval;
}

/** One series of the store with its storage. */
export interface SeriesEntry extends SeriesKey {
  /** The series storage, shared with every reader. */
  readonly buffers: SeriesBuffers;
}

/**
 * What a worker needs to read a series in place: plain data with a SharedArrayBuffer, so it can be
 * posted with `postMessage` (structured clone shares the buffer, it does not copy it).
 */
export interface SeriesHandle {
  /** The instrument. */
  readonly symbol: string;
  /** The bar interval of the series. */
  readonly interval: Interval;
  /** The whole series (header and columns), reopened with `openSeriesBuffers`. */
  readonly buffer: SharedArrayBuffer;
}

/** Options of {@link SessionData}. */
export interface SessionDataOptions {
  /** Bars visible per series (default 4096, the core's `DEFAULT_SERIES_WINDOW`). */
  window?: number;
  /**
   * Bars a series' ring holds beyond its window (at least; the ring is a power of two): how far the
   * writer may run ahead of a reader. Default the core's: a quarter of the window, at least 64.
   */
  guard?: number;
  /**
   * How many series get `guard`: the first ones `ensureSeries` creates; later ones (a scanner's
   * symbols added mid-session) get the core's default. Default: every series.
   */
  guardedSeries?: number;
  /** Allocate series on SharedArrayBuffer so workers can read them (default true). */
  shared?: boolean;
}

/** Called once for every series added to a {@link SessionData}, by `ensureSeries` or `attach`. */
export type SeriesAddedListener = (series: SeriesEntry) => void;

/**
 * The session's bar store: one columnar ring ({@link SeriesBuffers}) per (symbol, interval).
 *
 * The data processor is the single writer (through `appendBar` on the buffers `ensureSeries`
 * returns); any number of readers, in this thread or in workers, read in place. A worker rebuilds
 * the same store from {@link SessionData.handles} with {@link SessionData.fromHandles}: no bar is
 * copied, and bars appended later are visible to it too.
 */
export class SessionData {
  /** Bars visible per series. */
  readonly window: number;
  /** Bars a ring holds beyond the window, at least (undefined: the core's default). */
  readonly guard: number | undefined;
  /** Series `guard` is still given to (see `SessionDataOptions.guardedSeries`). */
  #guardsLeft: number;
  /** True when series live on SharedArrayBuffer. */
  readonly shared: boolean;
  readonly #bySymbol = new Map<string, Map<Interval, SeriesEntry>>();
  readonly #entries: SeriesEntry[] = [];
  readonly #listeners = new Set<SeriesAddedListener>();

  constructor(options: SessionDataOptions = {}) {
    this.window = options.window ?? DEFAULT_SERIES_WINDOW;
    this.guard = options.guard;
    this.#guardsLeft = options.guardedSeries ?? Number.POSITIVE_INFINITY;
    this.shared = options.shared ?? true;
  }

  /**
   * Rebuilds a store from handles posted by another thread. The series share memory with the
   * original store: same bars, no copy.
   */
  static fromHandles(handles: Iterable<SeriesHandle>): SessionData {
    const data = new SessionData({ shared: true });
    for (const handle of handles) data.attach(handle);
    return data;
  }

  /** Returns the series for (symbol, interval), creating an empty one (and notifying listeners) when missing. */
  ensureSeries(symbol: string, interval: Interval): SeriesBuffers {
    const existing = this.#bySymbol.get(symbol)?.get(interval);
    if (existing) return existing.buffers;
    const guarded = this.guard !== undefined && this.#guardsLeft > 0;
    if (guarded) this.#guardsLeft--;
    const buffers = createSeriesBuffers({
      window: this.window,
      ...(guarded ? { guard: this.guard } : {}),
      shared: this.shared,
    });
    return this.#add({ symbol, interval, buffers }).buffers;
  }

  /**
   * Adds a series received from another thread (the worker side of {@link SessionData.handles}).
   * Attaching the same buffer twice is a no-op.
   * @throws StratError `SERIES_CONFLICT` when the store already holds a different buffer for the series
   */
  attach(handle: SeriesHandle): SeriesBuffers {
    const existing = this.#bySymbol.get(handle.symbol)?.get(handle.interval);
    if (existing) {
      if (existing.buffers.buffer === handle.buffer) return existing.buffers;
      throw new StratError(
        'SERIES_CONFLICT',
        `Cannot attach series ${handle.symbol} ${handle.interval}: the store already holds a different buffer for it`,
      );
    }
    const buffers = openSeriesBuffers(handle.buffer);
    return this.#add({ symbol: handle.symbol, interval: handle.interval, buffers }).buffers;
  }

  /** The series for (symbol, interval), or undefined. */
  getSeries(symbol: string, interval: Interval): SeriesBuffers | undefined {
    return this.#bySymbol.get(symbol)?.get(interval)?.buffers;
  }

  /** True when the store holds a series for (symbol, interval). */
  hasSeries(symbol: string, interval: Interval): boolean {
    return this.#bySymbol.get(symbol)?.has(interval) ?? false;
  }

  /**
   * A zero-copy view of a series' bars up to (not including) absolute index `endExclusive`
   * (default: all bars published now), at most `window` of them. Creates a new view object per
   * call: per-bar code should keep one view and call its `bound` instead.
   * @throws StratError `SERIES_UNKNOWN` when the store holds no such series
   */
  getBars(symbol: string, interval: Interval, endExclusive?: number): ColumnarBarSeries {
    const buffers = this.getSeries(symbol, interval);
    if (!buffers) throw this.#unknownSeries(symbol, interval);
    return new ColumnarBarSeries(buffers, symbol, interval, endExclusive);
  }

  /** Every series key, in the order the series were added. */
  keys(): SeriesKey[] {
    return this.#entries.map(({ symbol, interval }) => ({ symbol, interval }));
  }

  /** Every symbol with at least one series, in the order first seen. */
  symbols(): string[] {
    return [...this.#bySymbol.keys()];
  }

  /**
   * Handles of every series, to post to a worker.
   * @throws StratError `SERIES_NOT_SHARED` when the store was created with `shared: false`
   */
  handles(): SeriesHandle[] {
    return this.#entries.map((entry) => this.#handleOf(entry));
  }

  /**
   * The handle of one series, to post to a worker.
   * @throws StratError `SERIES_UNKNOWN` or `SERIES_NOT_SHARED`
   */
  handle(symbol: string, interval: Interval): SeriesHandle {
    const entry = this.#bySymbol.get(symbol)?.get(interval);
    if (!entry) throw this.#unknownSeries(symbol, interval);
    return this.#handleOf(entry);
  }

  /**
   * Calls `listener` for every series added from now on (so the runtime can forward new series to
   * workers mid-session). Returns a function that removes the listener.
   */
  onSeriesAdded(listener: SeriesAddedListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Bytes of memory per stored bar, headers included: all buffer bytes / all ring slots (0 when empty). */
  bytesPerStoredBar(): number {
    let slots = 0;
    for (const entry of this.#entries) slots += entry.buffers.capacity;
    return slots === 0 ? 0 : this.memoryBytes() / slots;
  }

  /** Total bytes of all series buffers. */
  memoryBytes(): number {
    let bytes = 0;
    for (const entry of this.#entries) bytes += entry.buffers.buffer.byteLength;
    return bytes;
  }

  #add(entry: SeriesEntry): SeriesEntry {
    let byInterval = this.#bySymbol.get(entry.symbol);
    if (!byInterval) {
      byInterval = new Map();
      this.#bySymbol.set(entry.symbol, byInterval);
    }
    byInterval.set(entry.interval, entry);
    this.#entries.push(entry);
    for (const listener of this.#listeners) listener(entry);
    return entry;
  }

  #handleOf(entry: SeriesEntry): SeriesHandle {
    const buffer = entry.buffers.buffer;
    if (!(buffer instanceof SharedArrayBuffer)) {
      throw new StratError(
        'SERIES_NOT_SHARED',
        `Series ${entry.symbol} ${entry.interval} is not on shared memory: create the store with shared: true to hand it to workers`,
      );
    }
    return { symbol: entry.symbol, interval: entry.interval, buffer };
  }

  #unknownSeries(symbol: string, interval: Interval): StratError {
    const known = this.#entries.map((e) => `${e.symbol} ${e.interval}`);
    const available = known.length === 0 ? 'the store holds no series yet' : `available: ${known.join(', ')}`;
    return new StratError('SERIES_UNKNOWN', `No bar series for ${symbol} ${interval} (${available})`);
  }
}
