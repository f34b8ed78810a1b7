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

  /** Replays a chunk: its bars, step ends, signals and releases, in order. */
  apply(chunk: PaperChunk): void {
    for (const { id, symbol, interval } of chunk.series)
      this.#series[id] = this.#sink.series(symbol, interval);
    const strings = this.#strings;
    for (const value of chunk.strings) strings.push(value);
    const e = chunk.entries;
    const length = chunk.length;
    for (let at = 0; at < length; at += STRIDE) {
      const kind = e[at] as number;
      if (kind >= 0) {
        const q = this.#tail + STRIDE <= this.#queue.length ? this.#queue : this.#room();
        const to = this.#tail;
        for (let k = 0; k < STRIDE; k++) q[to + k] = e[at + k] as number;
        this.#tail = to + STRIDE;
      } else if (kind === STEP) {
        this.#step(e[at + E_CLOSE_TIME] as number);
      } else if (kind === RELEASE) {
        this.released(e[at + E_CLOSE_TIME] as number);
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
    const q = this.#queue;
    const sink = this.#sink;
    const bar = sink.bar;
    const signals = this.#signals;
    let next = 0;
    let head = this.#head;
    const tail = this.#tail;
    while (head < tail) {
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
      sink.barClosed(this.#series[q[head] as number] as S);
      if (q[head + E_STEP_END] === 1) {
        // The step's own signals (made from its closes) go before its equity row: a `close` fill counts in it.
        while (next < signals.length && (signals[next] as PaperSignal).time <= closeTime) {
          sink.onSignal(signals[next++] as PaperSignal);
        }
        sink.stepEnded();
      }
      head += STRIDE;
    }
    // The rest of the released signals: stamped at or before `time`, after every bar queued up to it.
    while (next < signals.length && (signals[next] as PaperSignal).time <= time) {
      sink.onSignal(signals[next++] as PaperSignal);
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
