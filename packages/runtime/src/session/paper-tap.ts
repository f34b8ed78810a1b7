import type { Interval } from '@strat/core';
import type { SeriesBuffers } from '@strat/core/internal';
import type { PaperBroker } from '../execution/paper-broker';
import type { StampedSignal } from '../thread/stamped-signal';

/** What the tap feeds: paper execution's broker (a recorder in tests). */
export type PaperSink = Pick<PaperBroker, 'onBar' | 'endStep' | 'onSignal'>;

/** Values per queued entry: series (or -1 for the end of a step), bar time, close time, open, high, low, close. */
const STRIDE = 7;

/**
 * Feeds paper execution in bar-time order from two streams that run at different paces: the bars
 * the processor emits (copied here at once, as they are published) and the signals the sequencer
 * releases later, once every strategy has handled the bars they may come from.
 *
 * A bar closing at `t` is handed over only when everything stamped at or before `t` has been
 * released, so the broker always sees, for one close time: the bars, the signals of that time (they
 * were made from those closes), then the end of the step (the equity row). A signal therefore never sees a bar
 * later than its own, and its order fills at the next bar of its series whatever the batching.
 * What waits here is bounded by how far the processor runs ahead of the strategies.
 */
export class PaperTap {
  readonly #sink: PaperSink;
  /** Queued bars and step ends, flat, STRIDE numbers each, from `#head` to `#tail`. */
  #queue = new Float64Array(STRIDE * 1024);
  #head = 0;
  #tail = 0;
  readonly #series: Array<{ symbol: string; interval: Interval }> = [];
  /** Series ids by their store buffers (one object per series for the whole session: no key per bar). */
  readonly #seriesIds = new Map<SeriesBuffers, number>();
  /** Released signals not handed over yet (their time is after the last bar queued). */
  #signals: StampedSignal[] = [];

  constructor(sink: PaperSink) {
    this.#sink = sink;
  }

  /** A bar the processor published at `index` of `buffers` (read now: the ring moves on). */
  bar(symbol: string, interval: Interval, buffers: SeriesBuffers, index: number, closeTime: number): void {
    let id = this.#seriesIds.get(buffers);
    if (id === undefined) {
      id = this.#series.length;
      this.#series.push({ symbol, interval });
      this.#seriesIds.set(buffers, id);
    }
    const slot = index & buffers.mask;
    const q = this.#room();
    const at = this.#tail;
    q[at] = id;
    q[at + 1] = buffers.time[slot] as number;
    q[at + 2] = closeTime;
    q[at + 3] = buffers.open[slot] as number;
    q[at + 4] = buffers.high[slot] as number;
    q[at + 5] = buffers.low[slot] as number;
    q[at + 6] = buffers.close[slot] as number;
    this.#tail = at + STRIDE;
  }

  /** Every bar closing at `closeTime` has been published. */
  step(closeTime: number): void {
    const q = this.#room();
    const at = this.#tail;
    q[at] = -1;
    q[at + 1] = closeTime;
    q[at + 2] = closeTime;
    this.#tail = at + STRIDE;
  }

  /** The queue with room for one more entry: moved to the front, or grown, when full. */
  #room(): Float64Array {
    let q = this.#queue;
    if (this.#tail + STRIDE <= q.length) return q;
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
    const signals = this.#signals;
    let next = 0;
    let head = this.#head;
    const tail = this.#tail;
    while (head < tail) {
      const closeTime = q[head + 2] as number;
      if (closeTime > time) break;
      // Signals of earlier bars go before this bar; those of this close time after it.
      while (next < signals.length && (signals[next] as StampedSignal).time < closeTime) {
        sink.onSignal(signals[next++] as StampedSignal);
      }
      const id = q[head] as number;
      if (id < 0) {
        // The step's own signals (made from its closes) go before its equity row: a `close` fill counts in it.
        while (next < signals.length && (signals[next] as StampedSignal).time <= closeTime) {
          sink.onSignal(signals[next++] as StampedSignal);
        }
        sink.endStep(closeTime);
      } else {
        const series = this.#series[id] as { symbol: string; interval: Interval };
        sink.onBar(
          series.symbol,
          series.interval,
          q[head + 1] as number,
          closeTime,
          q[head + 3] as number,
          q[head + 4] as number,
          q[head + 5] as number,
          q[head + 6] as number,
        );
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

  /** Entries waiting (bars and step ends). */
  get queued(): number {
    return (this.#tail - this.#head) / STRIDE;
  }
}
