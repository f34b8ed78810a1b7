import type { Interval } from '@strat/core';
import { SERIES_HEADER, type SeriesBuffers } from '@strat/core/internal';
import { type BarRegister, type BarRing, CLOSE_TIME } from '../execution/bar-register';
import type { PaperSignal } from '../execution/execution-types';
import { objectList } from '../execution/object-list';

/** What the feed drives: paper execution's broker (a recorder in tests); `S` is its handle of a series. */
export interface PaperSink<S> {
  series(symbol: string, interval: Interval): S;
  /** Where the feed writes the close time of the bar it hands over, or of the step that ends (`bar[CLOSE_TIME]`). */
  readonly bar: BarRegister;
  /** The bar at `slot` of `ring` (the store's ring of the series) closed in `series`, at `bar[CLOSE_TIME]`. */
  barClosed(series: S, ring: BarRing, slot: number): void;
  /** Every bar of the close time in `bar[CLOSE_TIME]` was handed over. */
  stepEnded(): void;
  onSignal(signal: PaperSignal): void;
}

/**
 * Numbers per entry of the log: a bar's series id (`-2 - id` when its step ends with it), its index
 * in the series, its close time; or {@link STEP_END} and the step's time.
 */
const STRIDE = 3;
/** Slot 0 of a step's end that no bar entry carries (its time in slot 2). */
const STEP_END = -1;

/** A series as the feed knows it: the store's ring (where the numbers are) and the sink's handle. */
interface FeedSeries<S> {
  readonly symbol: string;
  readonly interval: Interval;
  readonly buffers: SeriesBuffers;
  readonly handle: S;
}

/**
 * Feeds paper execution, in the session's thread, in bar-time order from two streams that run at
 * different paces: the bars the processor publishes and the signals the sequencer releases later,
 * once every strategy has handled the bars they may come from.
 *
 * Nothing of a bar is copied when it is published: the feed logs which bar of which series it was
 * (three numbers), and reads its numbers from the store's ring when a release settles it. That is
 * safe because a bar is settled at the latest one hand-over after it was published, and the
 * processor never runs more than the ring's guard (capacity - window) ahead of the strategies, whose
 * window must stay readable; a bar found overwritten all the same fails the session loudly.
 *
 * A bar closing at `t` is handed over only when everything stamped at or before `t` has been
 * released, so the sink always sees, for one close time: the bars (in the processor's delivery
 * order), the signals of that time (they were made from those closes), then the end of the step
 * (the equity row). A signal therefore never sees a bar later than its own, and its order fills at
 * the next bar of its series whatever the batching.
 */
export class PaperFeed<S> {
  readonly #sink: PaperSink<S>;
  readonly #bufferOf: (symbol: string, interval: Interval) => SeriesBuffers;
  /** Bars and step ends published and not settled yet, {@link STRIDE} numbers each, from `#head` to `#tail`. */
  #log = new Float64Array(0);
  #head = 0;
  #tail = 0;
  /** Every series seen, by id. */
  readonly #series: Array<FeedSeries<S>> = objectList();
  /** Series ids by symbol, then interval (no key string per bar). */
  readonly #ids = new Map<string, Map<Interval, number>>();
  /**
   * The two series seen last (a symbol's intervals alternate): no map lookup per bar for them. Empty
   * strings, not undefined, before the first: the comparisons see strings from the start.
   */
  #symbol0 = '';
  #interval0 = '' as Interval;
  #id0 = -1;
  #symbol1 = '';
  #interval1 = '' as Interval;
  #id1 = -1;
  /** Released signals not handed over yet, in release order, from `#nextSignal` on. */
  #signals: PaperSignal[] = objectList();
  #nextSignal = 0;
  /** Close time of the last bar handed over (NaN when a step end consumed it). */
  #lastClose = Number.NaN;

  /**
   * @param sink - what is fed
   * @param bufferOf - the store's ring of a series (asked once per series)
   * @param logEntries - entries the log starts with (it grows as needed; tests start it tiny so that
   *   it grows and compacts all the time)
   */
  constructor(
    sink: PaperSink<S>,
    bufferOf: (symbol: string, interval: Interval) => SeriesBuffers,
    logEntries = 4096,
  ) {
    this.#sink = sink;
    this.#bufferOf = bufferOf;
    // Stored a second time: V8 treats a field written once as a constant, folds it into the code it
    // optimises, and throws that code away when the field first changes, mid-run (the feed's state
    // changes on every release; some fields, like the read position, only now and then).
    this.#log = new Float64Array(STRIDE * Math.max(1, logEntries));
    this.#head = 0;
    this.#tail = 0;
    this.#signals = this.#signals;
    this.#nextSignal = 0;
    this.#lastClose = Number.NaN;
  }

  /** The processor published the bar at `index` of the series (symbol, interval). */
  bar(symbol: string, interval: Interval, index: number, closeTime: number): void {
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
    const at = this.#room();
    const log = this.#log;
    log[at] = id;
    log[at + 1] = index;
    log[at + 2] = closeTime;
  }

  /** Every bar closing at `closeTime` has been published. */
  step(closeTime: number): void {
    const log = this.#log;
    const last = this.#tail - STRIDE;
    if (last >= this.#head && (log[last] as number) >= 0 && log[last + 2] === closeTime) {
      // The common case: the step's last bar is the last entry; it carries the end (one entry fewer).
      log[last] = -2 - (log[last] as number);
      return;
    }
    // The log as it is after `#room()`, which may have grown it into a new array.
    const at = this.#room();
    this.#log[at] = STEP_END;
    this.#log[at + 2] = closeTime;
  }

  /** Signals released, in journal order (`HOLD` does nothing in paper execution). */
  signals(signals: readonly PaperSignal[]): void {
    const held = this.#signals;
    for (let i = 0; i < signals.length; i++) {
      const signal = signals[i] as PaperSignal;
      if (signal.action !== 'HOLD') held.push(signal);
    }
  }

  /** Everything stamped at or before `time` has been released: hands over, in time order, what that settles. */
  released(time: number): void {
    const sink = this.#sink;
    const bar = sink.bar;
    const log = this.#log;
    const series = this.#series;
    // The next signal's time (+Infinity: none), so a bar costs one comparison when no signal is due.
    let due = this.#dueAt();
    let lastClose = this.#lastClose;
    let at = this.#head;
    const tail = this.#tail;
    for (; at < tail; at += STRIDE) {
      let id = log[at] as number;
      const closeTime = log[at + 2] as number;
      if (closeTime > time) break;
      let ends = false;
      if (id <= -2) {
        id = -2 - id;
        ends = true;
      }
      if (id >= 0) {
        // Signals of earlier bars go before this bar; those of this close time after it.
        if (due < closeTime) due = this.#handOverSignals(closeTime, false);
        const s = series[id] as FeedSeries<S>;
        const buffers = s.buffers;
        const index = log[at + 1] as number;
        if ((buffers.header[SERIES_HEADER.COUNT] as number) - index > buffers.capacity)
          this.#overwritten(id, index);
        bar[CLOSE_TIME] = closeTime;
        sink.barClosed(s.handle, buffers, index & buffers.mask);
        lastClose = closeTime;
      }
      if (ends || (id === STEP_END && lastClose === closeTime)) {
        // The step's own signals (made from its closes) go before its equity row: a `close` fill counts in it.
        // A step whose last bar closed earlier (or that had none) ends nothing: nothing new to mark.
        if (due <= closeTime) due = this.#handOverSignals(closeTime, true);
        bar[CLOSE_TIME] = closeTime;
        sink.stepEnded();
        lastClose = Number.NaN;
      }
    }
    // The rest of the released signals: stamped at or before `time`, after every bar settled up to it.
    this.#handOverSignals(time, true);
    const signals = this.#signals;
    const next = this.#nextSignal;
    if (next === signals.length) {
      signals.length = 0;
      this.#nextSignal = 0;
    } else if (next > 1024 && next * 2 > signals.length) {
      this.#signals = signals.slice(next);
      this.#nextSignal = 0;
    }
    this.#lastClose = lastClose;
    if (at === tail) {
      this.#head = 0;
      this.#tail = 0;
    } else {
      this.#head = at;
    }
  }

  /** Bars and step ends waiting. */
  get queued(): number {
    return (this.#tail - this.#head) / STRIDE;
  }

  /**
   * Hands over the released signals stamped before `time` (`orAt`: at or before it), in order.
   * @returns the next signal's time (+Infinity: none left)
   */
  #handOverSignals(time: number, orAt: boolean): number {
    const sink = this.#sink;
    const signals = this.#signals;
    let next = this.#nextSignal;
    for (; next < signals.length; next++) {
      const signal = signals[next] as PaperSignal;
      if (signal.time > time || (signal.time === time && !orAt)) break;
      sink.onSignal(signal);
    }
    this.#nextSignal = next;
    return this.#dueAt();
  }

  /** The time of the next released signal not handed over yet (+Infinity: none). */
  #dueAt(): number {
    const next = this.#nextSignal;
    return next < this.#signals.length ? (this.#signals[next] as PaperSignal).time : Number.POSITIVE_INFINITY;
  }

  #overwritten(id: number, index: number): never {
    const { symbol, interval } = this.#series[id] as FeedSeries<S>;
    throw new Error(
      `paper execution: bar ${index} of ${symbol} ${interval} was overwritten in the store before its signals were released ` +
        '(the processor ran more than a ring ahead of paper execution; this is a bug in @strat/runtime)',
    );
  }

  /** The id of a series, given one when new. */
  #idOf(symbol: string, interval: Interval): number {
    let byInterval = this.#ids.get(symbol);
    if (byInterval === undefined) {
      byInterval = new Map();
      this.#ids.set(symbol, byInterval);
    }
    let id = byInterval.get(interval);
    if (id === undefined) {
      id = this.#series.length;
      this.#series.push({
        symbol,
        interval,
        buffers: this.#bufferOf(symbol, interval),
        handle: this.#sink.series(symbol, interval),
      });
      byInterval.set(interval, id);
    }
    return id;
  }

  /** The index of a new entry: the log is compacted or grown when full. */
  #room(): number {
    let at = this.#tail;
    if (at + STRIDE > this.#log.length) {
      const used = at - this.#head;
      if (used * 2 > this.#log.length) {
        const grown = new Float64Array(this.#log.length * 2);
        grown.set(this.#log.subarray(this.#head, at));
        this.#log = grown;
      } else {
        this.#log.copyWithin(0, this.#head, at);
      }
      this.#head = 0;
      at = used;
    }
    this.#tail = at + STRIDE;
    return at;
  }
}
