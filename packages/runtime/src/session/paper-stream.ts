import type { Interval } from '@strat/core';
import type { SeriesBuffers } from '@strat/core/internal';
import type { StampedSignal } from '../thread/stamped-signal';

/**
 * What paper execution is told, in the order the session tells it: bars as the processor publishes
 * them (their numbers copied out of the store's ring at once, so nothing read later can have been
 * overwritten), step ends, released signals and release times. Written flat into a Float64Array of
 * {@link STRIDE} numbers per entry and handed over in chunks: to a {@link PaperTap} in the same
 * thread at every release, or to the paper thread (`paper-worker.ts`) a few thousand entries at a
 * time, so paper execution costs the session's main thread one copy per bar.
 */
export interface PaperChunk {
  /** Entries, {@link STRIDE} numbers each; only the first `length` numbers count. */
  entries: Float64Array;
  length: number;
  /** Strings first used in this chunk (strategy names, symbols, intervals of signals), ids counting on from the last chunk's. */
  strings: string[];
  /** Series first seen in this chunk: their id (slot {@link KIND} of a bar entry), symbol and interval. */
  series: Array<{ id: number; symbol: string; interval: Interval }>;
}

/** Numbers per entry. */
export const STRIDE = 8;
/** Slot 0: a bar's series id (>= 0), or one of the marker kinds below. */
export const KIND = 0;
/** A bar entry's slots (a marker's time is in {@link E_CLOSE_TIME}). */
export const E_BAR_TIME = 1;
export const E_CLOSE_TIME = 2;
export const E_OPEN = 3;
export const E_HIGH = 4;
export const E_LOW = 5;
export const E_CLOSE = 6;
/** 1 when the step of the bar's close time ends with it. */
export const E_STEP_END = 7;
/** A signal entry's slots (its kind is its action, see {@link SIGNAL_KINDS}); NaN for no quantity or price. */
export const S_TIME = 1;
export const S_SEQ = 2;
export const S_STRATEGY = 3;
export const S_SYMBOL = 4;
export const S_INTERVAL = 5;
export const S_QUANTITY = 6;
export const S_PRICE = 7;

/** Marker kinds. */
export const RELEASE = -2;
export const STEP = -3;
/** Signal entry kinds by action (`HOLD` does nothing in paper execution: not recorded). */
export const SIGNAL_KINDS = { BUY: -10, SELL: -11, CLOSE: -12 } as const;
/** The action of a signal entry's kind. */
export const SIGNAL_ACTIONS: Readonly<Record<number, 'BUY' | 'SELL' | 'CLOSE'>> = {
  [-10]: 'BUY',
  [-11]: 'SELL',
  [-12]: 'CLOSE',
};

/** Entries per chunk before it is handed over (the paper thread's chunks; in-thread chunks go at every release). */
const CHUNK_ENTRIES = 32_768;

/**
 * The session's side of paper execution: records what the session tells it as {@link PaperChunk}s
 * and hands each to `deliver`: at every release (`eager`: paper execution in the same thread, or a
 * session that is not data-driven, whose fills should show at once), else once a chunk is full or
 * `maxDelayMs` passed since the last one.
 */
export class PaperRecorder {
  #entries: Float64Array;
  #length = 0;
  /** Ids of the strings signals used so far, and those new since the last chunk. */
  readonly #stringIds = new Map<string, number>();
  #newStrings: string[] = [];
  #newSeries: PaperChunk['series'] = [];
  /** The store's ring of each series, by id. */
  readonly #buffers: SeriesBuffers[] = [];
  /** Series ids by symbol, then interval (no key string per bar). */
  readonly #seriesIds = new Map<string, Map<Interval, number>>();
  #symbol0: string | undefined;
  #interval0: Interval | undefined;
  #id0 = -1;
  #symbol1: string | undefined;
  #interval1: Interval | undefined;
  #id1 = -1;
  /** Index of the last bar entry not followed by a marker (-1: none). */
  #lastBar = -1;
  #deliveredAt = 0;
  readonly #bufferOf: (symbol: string, interval: Interval) => SeriesBuffers;
  readonly #deliver: (chunk: PaperChunk) => void;
  readonly #eager: boolean;
  readonly #reuse: boolean;
  readonly #maxDelayMs: number;
  readonly #recycled: (() => Float64Array | undefined) | undefined;

  /**
   * @param bufferOf - the store's ring of a series (asked once per series)
   * @param deliver - takes a chunk; with `reuse`, it must be done with it before returning
   * @param options.eager - deliver at every release
   * @param options.reuse - the chunk's arrays are reused after `deliver` returns (same thread), else handed over for good
   * @param options.maxDelayMs - not eager: a release this long after the last chunk hands over the next (default 250; 0: only full chunks)
   * @param options.chunkEntries - not reused: entries per chunk (default 32,768)
   * @param options.recycled - not reused: an entries array handed over earlier and given back, of the same length (undefined: none)
   */
  constructor(
    bufferOf: (symbol: string, interval: Interval) => SeriesBuffers,
    deliver: (chunk: PaperChunk) => void,
    options: {
      eager: boolean;
      reuse: boolean;
      maxDelayMs?: number;
      chunkEntries?: number;
      recycled?: () => Float64Array | undefined;
    },
  ) {
    this.#bufferOf = bufferOf;
    this.#deliver = deliver;
    this.#eager = options.eager;
    this.#reuse = options.reuse;
    this.#maxDelayMs = options.maxDelayMs ?? 250;
    this.#recycled = options.recycled;
    this.#entries = new Float64Array(
      STRIDE * (options.reuse ? 1024 : (options.chunkEntries ?? CHUNK_ENTRIES)),
    );
  }

  /** The processor published the bar at `index` of the series (symbol, interval). */
  bar(symbol: string, interval: Interval, index: number, closeTime: number): void {
    // The two series seen last (a symbol's intervals alternate): no map lookup per bar for them.
    let id: number;
    if (symbol === this.#symbol0 && interval === this.#interval0) id = this.#id0;
    else if (symbol === this.#symbol1 && interval === this.#interval1) id = this.#id1;
    else {
      id = this.#idOf(symbol, interval);
      this.#symbol1 = this.#symbol0;
      this.#interval1 = this.#interval0;
      this.#id1 = this.#id0;
      this.#symbol0 = symbol;
      this.#interval0 = interval;
      this.#id0 = id;
    }
    const buffers = this.#buffers[id] as SeriesBuffers;
    const slot = index & buffers.mask;
    const at = this.#room();
    const e = this.#entries;
    e[at] = id;
    e[at + E_BAR_TIME] = buffers.time[slot] as number;
    e[at + E_CLOSE_TIME] = closeTime;
    e[at + E_OPEN] = buffers.open[slot] as number;
    e[at + E_HIGH] = buffers.high[slot] as number;
    e[at + E_LOW] = buffers.low[slot] as number;
    e[at + E_CLOSE] = buffers.close[slot] as number;
    e[at + E_STEP_END] = 0;
    this.#lastBar = at;
  }

  /** The id of a series, given one when new. */
  #idOf(symbol: string, interval: Interval): number {
    let byInterval = this.#seriesIds.get(symbol);
    if (byInterval === undefined) {
      byInterval = new Map();
      this.#seriesIds.set(symbol, byInterval);
    }
    let id = byInterval.get(interval);
    if (id === undefined) {
      id = this.#buffers.length;
      this.#buffers.push(this.#bufferOf(symbol, interval));
      this.#newSeries.push({ id, symbol, interval });
      byInterval.set(interval, id);
    }
    return id;
  }

  /** Every bar closing at `closeTime` has been published. */
  step(closeTime: number): void {
    const last = this.#lastBar;
    if (last >= 0 && this.#entries[last + E_CLOSE_TIME] === closeTime) {
      // The common case: the step's last bar was the last thing recorded; its entry carries the end.
      this.#entries[last + E_STEP_END] = 1;
    } else {
      this.#marker(STEP, closeTime);
    }
  }

  /**
   * Signals released (journal order), as numbers: a signal crosses to the paper thread as one entry,
   * not as an object to clone (cloning costs the sending thread microseconds a signal).
   */
  signals(signals: readonly StampedSignal[]): void {
    for (const signal of signals) {
      if (signal.action === 'HOLD') continue;
      const at = this.#room();
      const e = this.#entries;
      e[at] = SIGNAL_KINDS[signal.action];
      e[at + S_TIME] = signal.time;
      e[at + S_SEQ] = signal.seq;
      e[at + S_STRATEGY] = this.#stringId(signal.strategy);
      e[at + S_SYMBOL] = this.#stringId(signal.symbol);
      e[at + S_INTERVAL] = this.#stringId(signal.interval);
      e[at + S_QUANTITY] = signal.quantity ?? Number.NaN;
      e[at + S_PRICE] = signal.price ?? Number.NaN;
      this.#lastBar = -1;
    }
  }

  #stringId(value: string): number {
    let id = this.#stringIds.get(value);
    if (id === undefined) {
      id = this.#stringIds.size;
      this.#stringIds.set(value, id);
      this.#newStrings.push(value);
    }
    return id;
  }

  /** Everything stamped at or before `time` has been released. */
  released(time: number): void {
    this.#marker(RELEASE, time);
    if (this.#eager || this.#length >= this.#entries.length - STRIDE) {
      this.flush();
    } else if (this.#maxDelayMs > 0 && performance.now() - this.#deliveredAt >= this.#maxDelayMs) {
      this.flush();
    }
  }

  /** Hands over what was recorded (nothing when nothing was). */
  flush(): void {
    this.#deliveredAt = performance.now();
    if (this.#length === 0 && this.#newSeries.length === 0) return;
    const chunk: PaperChunk = {
      entries: this.#entries,
      length: this.#length,
      strings: this.#newStrings,
      series: this.#newSeries,
    };
    this.#lastBar = -1;
    this.#length = 0;
    this.#newStrings = [];
    this.#newSeries = [];
    if (!this.#reuse) {
      // A fresh array costs this thread its zeroing and page faults: one given back is reused.
      const length = this.#entries.length;
      const recycled = this.#recycled?.();
      this.#entries =
        recycled !== undefined && recycled.length === length ? recycled : new Float64Array(length);
    }
    this.#deliver(chunk);
  }

  /** Appends a marker entry; returns its index. */
  #marker(kind: number, time: number): number {
    const at = this.#room();
    const e = this.#entries;
    e[at] = kind;
    e[at + E_CLOSE_TIME] = time;
    this.#lastBar = -1;
    return at;
  }

  /** The index of a new entry (the chunk is handed over or grown when full). */
  #room(): number {
    let at = this.#length;
    if (at + STRIDE > this.#entries.length) {
      if (this.#reuse) {
        // Same thread: the chunk goes at the next release; until then it grows.
        const grown = new Float64Array(this.#entries.length * 2);
        grown.set(this.#entries);
        this.#entries = grown;
      } else {
        // Handed over now: the tap replays entries in order across chunks (a step end still to come
        // for the chunk's last bar follows as a STEP entry).
        this.flush();
        at = 0;
      }
    }
    this.#length = at + STRIDE;
    return at;
  }
}
