import { EventEmitter } from 'eventemitter3';
import type { StampedSignal } from '../thread/stamped-signal';

/** Events of a {@link SignalSequencer}. */
export interface SignalSequencerEvents {
  /** Signals released, in journal order. */
  signal: (signals: StampedSignal[]) => void;
  /**
   * Every release, after its `signal` event: every signal stamped at or before `time` has now been
   * emitted (paper execution may settle every bar up to `time`).
   */
  released: (time: number) => void;
}

/**
 * The one place that decides the order of a session's signals (the journal, the `signal` events,
 * what paper execution sees): by the close time of the bar that produced them, then by strategy
 * in config order, then by the strategy's own sequence.
 *
 * Strategies' threads deliver signals whenever they get to them; the sequencer holds them until
 * the session knows that nothing earlier can still come (`release(time)`: every strategy has
 * handled every bar closing at or before `time`) and emits them then, sorted. Releases with
 * growing times therefore give one deterministic order however the work was split into batches.
 */
export class SignalSequencer extends EventEmitter<SignalSequencerEvents> {
  #order = new Map<string, number>();
  #held: StampedSignal[] = [];

  /** The strategies in config order (a strategy not named sorts first). */
  setStrategyOrder(names: readonly string[]): void {
    this.#order = new Map(names.map((name, i) => [name, i]));
  }

  /** Signals held, waiting for their release. */
  get held(): number {
    return this.#held.length;
  }

  /** Holds signals as a strategy delivered them. */
  add(signals: readonly StampedSignal[]): void {
    for (const s of signals) this.#held.push(s);
  }

  /** Emits, in journal order, every held signal stamped at or before `time` (+Infinity: all of them). */
  release(time: number): void {
    this.#emitHeld(time);
    this.emit('released', time);
  }

  #emitHeld(time: number): void {
    const held = this.#held;
    if (held.length === 0) return;
    let released: StampedSignal[];
    if (time === Number.POSITIVE_INFINITY) {
      released = held;
      this.#held = [];
    } else {
      released = [];
      const kept: StampedSignal[] = [];
      for (const s of held) (s.time <= time ? released : kept).push(s);
      this.#held = kept;
      if (released.length === 0) return;
    }
    const order = this.#order;
    released.sort(
      (a, b) =>
        a.time - b.time || (order.get(a.strategy) ?? 0) - (order.get(b.strategy) ?? 0) || a.seq - b.seq,
    );
    this.emit('signal', released);
  }
}
