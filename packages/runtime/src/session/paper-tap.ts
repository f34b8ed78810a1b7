import type { Interval } from '@strat/core';
import { publishedCount, type SeriesBuffers } from '@strat/core/internal';
import { BAR_TIME, type BarRegister, CLOSE, CLOSE_TIME, HIGH, LOW, OPEN } from '../execution/bar-register';
import type { StampedSignal } from '../thread/stamped-signal';

/** What the tap feeds: paper execution's broker (a recorder in tests); `S` is its handle of a series. */
export interface PaperSink<S> {
  series(symbol: string, interval: Interval): S;
  /** Where the tap writes the bar it hands over (slots in `bar-register.ts`). */
  readonly bar: BarRegister;
  /** The bar written in {@link bar} closed in `series`. */
  barClosed(series: S): void;
  /** Every bar of the close time in `bar[CLOSE_TIME]` was handed over. */
  stepEnded(): void;
  onSignal(signal: StampedSignal): void;
}

/** Values per queued entry: series, the bar's index in its series, close time, 1 when the step ends with this bar. */
const STRIDE = 4;

/**
 * Feeds paper execution in bar-time order from two streams that run at different paces: the bars
 * the processor publishes and the signals the sequencer releases later, once every strategy has
 * handled the bars they may come from.
 *
 * A bar closing at `t` is handed over only when everything stamped at or before `t` has been
 * released, so the broker always sees, for one close time: the bars, the signals of that time (they
 * were made from those closes), then the end of the step (the equity row). A signal therefore never
 * sees a bar later than its own, and its order fills at the next bar of its series whatever the
 * batching. What waits here is an index per bar: the bar itself is read from the store's ring when
 * it is handed over, which the pipeline guarantees still holds it (the processor runs at most half a
 * ring guard ahead of the slowest strategy, and a release waits for all of them); a bar the ring no
 * longer holds fails the session rather than fill at a wrong price.
 */
export class PaperTap<S> {
  readonly #sink: PaperSink<S>;
  /** Queued bars and step ends, flat, STRIDE numbers each, from `#head` to `#tail`. */
  #queue = new Float64Array(STRIDE * 1024);
  #head = 0;
  #tail = 0;
  /** The sink's handle of each series, by id. */
  readonly #series: S[] = [];
  /** The store's ring of each series, by id. */
  readonly #buffers: SeriesBuffers[] = [];
  /** Per series id, the oldest bar index its ring holds (worked out at each release). */
  readonly #oldest: number[] = [];
  /** Series ids by symbol, then interval (no key string per bar). */
  readonly #seriesIds = new Map<string, Map<Interval, number>>();
  #lastSymbol: string | undefined;
  #lastByInterval: Map<Interval, number> | undefined;
  readonly #bufferOf: (symbol: string, interval: Interval) => SeriesBuffers;
  /** Released signals not handed over yet (their time is after the last bar queued). */
  #signals: StampedSignal[] = [];

  /** @param bufferOf - the store's ring of a series (asked once per series) */
  constructor(sink: PaperSink<S>, bufferOf: (symbol: string, interval: Interval) => SeriesBuffers) {
    this.#sink = sink;
    this.#bufferOf = bufferOf;
  }

  /** The processor published the bar at `index` of the series (symbol, interval). */
  bar(symbol: string, interval: Interval, index: number, closeTime: number): void {
    // A symbol's bars of one close time come together (shortest interval first): one lookup for them.
    let byInterval = symbol === this.#lastSymbol ? this.#lastByInterval : this.#seriesIds.get(symbol);
    if (byInterval === undefined) {
      byInterval = new Map();
      this.#seriesIds.set(symbol, byInterval);
    }
    this.#lastSymbol = symbol;
    this.#lastByInterval = byInterval;
    let id = byInterval.get(interval);
    if (id === undefined) {
      id = this.#series.length;
      this.#series.push(this.#sink.series(symbol, interval));
      this.#buffers.push(this.#bufferOf(symbol, interval));
      byInterval.set(interval, id);
    }
    const q = this.#tail + STRIDE <= this.#queue.length ? this.#queue : this.#room();
    const at = this.#tail;
    q[at] = id;
    q[at + 1] = index;
    q[at + 2] = closeTime;
    q[at + 3] = 0;
    this.#tail = at + STRIDE;
  }

  /**
   * Every bar closing at `closeTime` has been published: the step ends with its last bar. A step
   * without bars (a live minute the feed sent nothing for) ends nothing: there is nothing new to
   * mark, and a backtest of the same bars has no such step.
   */
  step(closeTime: number): void {
    const last = this.#tail - STRIDE;
    if (last >= this.#head && this.#queue[last + 2] === closeTime) this.#queue[last + 3] = 1;
  }

  /** The queue, full, with room for one more entry: moved to the front, or grown. */
  #room(): Float64Array {
    let q = this.#queue;
    const used = this.#tail - this.#head;
    if (used * 2 > q.length) {
      const grown = new Float64Array(q.length * 2);
      grown.set(q.subarray(this.#head, this.#tail));
      q = grown;
      this.#queue = q;
    } else {
      q.copyWithin(0, this.#head, this.#tail);
    }
    this.#head = 0;
    this.#tail = used;
    return q;
  }

  /** Signals released (journal order); `released` follows with the time they are complete up to. */
  signals(signals: readonly StampedSignal[]): void {
    for (const s of signals) this.#signals.push(s);
  }

  /** Everything stamped at or before `time` has been released: hands over, in time order, what that settles. */
  released(time: number): void {
    const q = this.#queue;
    const sink = this.#sink;
    const bar = sink.bar;
    const signals = this.#signals;
    let next = 0;
    let head = this.#head;
    const tail = this.#tail;
    // The oldest index each ring still holds (read once: the processor does not publish meanwhile).
    const oldest = this.#oldest;
    for (let id = 0; id < this.#buffers.length; id++) {
      const buffers = this.#buffers[id] as SeriesBuffers;
      oldest[id] = publishedCount(buffers) - buffers.capacity;
    }
    while (head < tail) {
      const closeTime = q[head + 2] as number;
      if (closeTime > time) break;
      // Signals of earlier bars go before this bar; those of this close time after it.
      while (next < signals.length && (signals[next] as StampedSignal).time < closeTime) {
        sink.onSignal(signals[next++] as StampedSignal);
      }
      const id = q[head] as number;
      const buffers = this.#buffers[id] as SeriesBuffers;
      const index = q[head + 1] as number;
      if (index < (oldest[id] as number)) throw ringOverrun(index, buffers);
      const slot = index & buffers.mask;
      bar[BAR_TIME] = buffers.time[slot] as number;
      bar[CLOSE_TIME] = closeTime;
      bar[OPEN] = buffers.open[slot] as number;
      bar[HIGH] = buffers.high[slot] as number;
      bar[LOW] = buffers.low[slot] as number;
      bar[CLOSE] = buffers.close[slot] as number;
      sink.barClosed(this.#series[id] as S);
      if (q[head + 3] === 1) {
        // The step's own signals (made from its closes) go before its equity row: a `close` fill counts in it.
        while (next < signals.length && (signals[next] as StampedSignal).time <= closeTime) {
          sink.onSignal(signals[next++] as StampedSignal);
        }
        sink.stepEnded();
      }
      head += STRIDE;
    }
    // The rest of the released signals: stamped at or before `time`, after every bar queued up to it.
    while (next < signals.length && (signals[next] as StampedSignal).time <= time) {
      sink.onSignal(signals[next++] as StampedSignal);
    }
    this.#signals = next === 0 ? signals : signals.slice(next);
    if (head === tail) {
      this.#head = 0;
      this.#tail = 0;
    } else {
      this.#head = head;
    }
  }

  /** Bars waiting. */
  get queued(): number {
    return (this.#tail - this.#head) / STRIDE;
  }
}

function ringOverrun(index: number, buffers: SeriesBuffers): Error {
  return new Error(
    `paper execution fell behind the bar store: bar ${index} is no longer in its ring of ${buffers.capacity} ` +
      `(${publishedCount(buffers)} published); its fills cannot be computed`,
  );
}
