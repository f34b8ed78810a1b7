import type { Interval } from '@strat/core';
import { BAR_TIME, type BarRegister, CLOSE, CLOSE_TIME, HIGH, LOW, OPEN } from '../execution/bar-register';
import type { PaperSignal } from '../execution/execution-types';
import {
  E_BAR_TIME,
  E_CLOSE,
  E_CLOSE_TIME,
  E_HIGH,
  E_LOW,
  E_OPEN,
  E_STEP_END,
  type PaperChunk,
  type PaperRecorder,
  RELEASE,
  S_INTERVAL,
  S_PRICE,
  S_QUANTITY,
  S_SEQ,
  S_STRATEGY,
  S_SYMBOL,
  S_TIME,
  SIGNAL_ACTIONS,
  STEP,
  STRIDE,
} from './paper-stream';

/** What the tap feeds: paper execution's broker (a recorder in tests); `S` is its handle of a series. */
export interface PaperSink<S> {
  series(symbol: string, interval: Interval): S;
  /** Where the tap writes the bar it hands over (slots in `bar-register.ts`). */
  readonly bar: BarRegister;
  /** The bar written in {@link bar} closed in `series`. */
  barClosed(series: S): void;
  /** Every bar of the close time in `bar[CLOSE_TIME]` was handed over. */
  stepEnded(): void;
  onSignal(signal: PaperSignal): void;
}

/**
 * Feeds paper execution in bar-time order from two streams that run at different paces: the bars
 * the processor publishes and the signals the sequencer releases later, once every strategy has
 * handled the bars they may come from. It replays, in order, the {@link PaperChunk}s a
 * {@link PaperRecorder} made of what the session told it (in the session's thread or in the paper
 * thread: the same entries, the same order, the same result).
 *
 * A bar closing at `t` is handed over only when everything stamped at or before `t` has been
 * released, so the broker always sees, for one close time: the bars, the signals of that time (they
 * were made from those closes), then the end of the step (the equity row). A signal therefore never
 * sees a bar later than its own, and its order fills at the next bar of its series whatever the
 * batching. The bars waiting are kept as the recorder copied them out of the store when they were
 * published, so how far the processor runs ahead does not matter here.
 */
export class PaperTap<S> {
  readonly #sink: PaperSink<S>;
  /** Queued bars, flat, STRIDE numbers each (a chunk's bar entries), from `#head` to `#tail`. */
  #queue = new Float64Array(STRIDE * 1024);
  #head = 0;
  #tail = 0;
  /** The sink's handle of each series, by id. */
  readonly #series: S[] = [];
  /** Released signals not handed over yet (their time is after the last bar queued). */
  #signals: PaperSignal[] = [];
  /** The strings signal entries name, by id. */
  readonly #strings: string[] = [];

  constructor(sink: PaperSink<S>) {
    this.#sink = sink;
  }

  /**
   * Replays a chunk: its bars, step ends, signals and releases, in order. Bars released within the
   * chunk are handed over straight from its entries; only those still waiting at its end are copied
   * into the queue (the chunk is not kept).
   */
  apply(chunk: PaperChunk): void {
    for (const { id, symbol, interval } of chunk.series)
      this.#series[id] = this.#sink.series(symbol, interval);
    const strings = this.#strings;
    for (const value of chunk.strings) strings.push(value);
    const e = chunk.entries;
    const length = chunk.length;
    /** The chunk's first bar not handed over (after every queued bar), -1: none; its last bar entry. */
    let pending = -1;
    let lastBar = -1;
    for (let at = 0; at < length; at += STRIDE) {
      const kind = e[at] as number;
      if (kind >= 0) {
        if (pending < 0) pending = at;
        lastBar = at;
      } else if (kind === STEP) {
        const closeTime = e[at + E_CLOSE_TIME] as number;
        if (pending >= 0) {
          // The last bar recorded is the chunk's (waiting, as `pending` is before it).
          if (e[lastBar + E_CLOSE_TIME] === closeTime) e[lastBar + E_STEP_END] = 1;
        } else {
          this.#step(closeTime);
        }
      } else if (kind === RELEASE) {
        const time = e[at + E_CLOSE_TIME] as number;
        this.#released(time, e, pending, at);
        pending = this.#pending;
      } else {
        const action = SIGNAL_ACTIONS[kind];
        if (action === undefined) throw new Error(`paper execution: unknown entry kind ${kind}`);
        const quantity = e[at + S_QUANTITY] as number;
        const price = e[at + S_PRICE] as number;
        this.#signals.push({
          seq: e[at + S_SEQ] as number,
          strategy: strings[e[at + S_STRATEGY] as number] as string,
          time: e[at + S_TIME] as number,
          symbol: strings[e[at + S_SYMBOL] as number] as string,
          interval: strings[e[at + S_INTERVAL] as number] as Interval,
          action,
          quantity: Number.isNaN(quantity) ? undefined : quantity,
          price: Number.isNaN(price) ? undefined : price,
        });
      }
    }
    // Bars still waiting join the queue (after those already there).
    if (pending >= 0) {
      for (let at = pending; at < length; at += STRIDE) {
        if ((e[at] as number) < 0) continue;
        const q = this.#tail + STRIDE <= this.#queue.length ? this.#queue : this.#room();
        const to = this.#tail;
        for (let k = 0; k < STRIDE; k++) q[to + k] = e[at + k] as number;
        this.#tail = to + STRIDE;
      }
    }
  }

  /**
   * A step without its own bar entry ended (its last bar came in an earlier chunk, or it had no
   * bars: a live minute the feed sent nothing for ends nothing, there is nothing new to mark, and a
   * backtest of the same bars has no such step).
   */
  #step(closeTime: number): void {
    const last = this.#tail - STRIDE;
    if (last >= this.#head && this.#queue[last + E_CLOSE_TIME] === closeTime)
      this.#queue[last + E_STEP_END] = 1;
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

  /** Everything stamped at or before `time` has been released: hands over, in time order, what that settles. */
  released(time: number): void {
    this.#released(time, this.#queue, -1, 0);
  }

  /** Where {@link #released} left the chunk's waiting bars (-1: none). */
  #pending = -1;
  /** Released signals handed over so far by the current {@link #released}. */
  #next = 0;

  /**
   * {@link released}, the bars waiting being the queue's, then those of `chunk` from `from` (-1:
   * none) to `to` (bar entries among other entries); sets {@link #pending}.
   */
  #released(time: number, chunk: Float64Array, from: number, to: number): void {
    const signals = this.#signals;
    this.#next = 0;
    const head = this.#handOver(this.#queue, this.#head, this.#tail, time, true);
    let pending = from;
    if (head === this.#tail) {
      this.#head = 0;
      this.#tail = 0;
      if (from >= 0) {
        const stop = this.#handOver(chunk, from, to, time, false);
        pending = stop < to ? stop : -1;
      }
    } else {
      this.#head = head;
    }
    this.#pending = pending;
    // The rest of the released signals: stamped at or before `time`, after every bar waiting up to it.
    let next = this.#next;
    while (next < signals.length && (signals[next] as PaperSignal).time <= time) {
      this.#sink.onSignal(signals[next++] as PaperSignal);
    }
    this.#signals = next === 0 ? signals : signals.slice(next);
  }

  /**
   * Hands over, in order, the bar entries of `q` from `head` to `tail` closing at or before `time`
   * (with the signals due before each, from {@link #next} on); skips other entries unless `barsOnly`.
   * @returns where it stopped: the first bar closing after `time`, or `tail`
   */
  #handOver(q: Float64Array, head: number, tail: number, time: number, barsOnly: boolean): number {
    const sink = this.#sink;
    const bar = sink.bar;
    const signals = this.#signals;
    const series = this.#series;
    let next = this.#next;
    for (; head < tail; head += STRIDE) {
      const id = q[head] as number;
      if (!barsOnly && id < 0) continue;
      const closeTime = q[head + E_CLOSE_TIME] as number;
      if (closeTime > time) break;
      // Signals of earlier bars go before this bar; those of this close time after it.
      while (next < signals.length && (signals[next] as PaperSignal).time < closeTime) {
        sink.onSignal(signals[next++] as PaperSignal);
      }
      bar[BAR_TIME] = q[head + E_BAR_TIME] as number;
      bar[CLOSE_TIME] = closeTime;
      bar[OPEN] = q[head + E_OPEN] as number;
      bar[HIGH] = q[head + E_HIGH] as number;
      bar[LOW] = q[head + E_LOW] as number;
      bar[CLOSE] = q[head + E_CLOSE] as number;
      sink.barClosed(series[id] as S);
      if (q[head + E_STEP_END] === 1) {
        // The step's own signals (made from its closes) go before its equity row: a `close` fill counts in it.
        while (next < signals.length && (signals[next] as PaperSignal).time <= closeTime) {
          sink.onSignal(signals[next++] as PaperSignal);
        }
        sink.stepEnded();
      }
    }
    this.#next = next;
    return head;
  }

  /** Bars waiting. */
  get queued(): number {
    return (this.#tail - this.#head) / STRIDE;
  }
}
