import type { SignalSequencer } from '../sequencer/signal-sequencer';
import type { StrategyThread } from '../thread/strategy-thread';
import type { WaitInterruption } from './wait-interruption';

/** A data-driven batch the strategies may still be working on while the next ones are produced. */
interface BatchInFlight {
  /** Time steps in the batch. */
  steps: number;
  /** Close time of its last step: every signal of the batch is stamped at or before it. */
  time: number;
  /** Per thread (same order as the threads), the queue position after the batch. */
  cursors: number[];
}

/**
 * The data-driven hand-over, pipelined: strategies work through the batches handed over while the
 * session produces the next ones. A hand-over waits only for as many of the oldest batches as keep
 * every strategy within half the store's ring guard (so what it sees never changes) and its queue
 * at most half full. A batch is complete once every strategy has processed it and its signals have
 * arrived: then the sequencer releases the signals stamped at or before its last step, so their
 * order stays deterministic however the batches overlap.
 *
 * Once a stop is asked ({@link WaitInterruption}), nothing waits any more and nothing more is
 * released here: the strategies finish what they hold as they stop, and {@link clear} then
 * releases every signal at once, still in order.
 */
export class BatchPipeline {
  readonly #threads: readonly StrategyThread[];
  readonly #sequencer: SignalSequencer;
  readonly #interruption: WaitInterruption;
  /** Batches handed over and not yet known to be done, oldest first. */
  readonly #inFlight: BatchInFlight[] = [];
  #stepsInFlight = 0;
  #largestBatchSteps = 0;
  /**
   * How many steps the store may run ahead of a strategy without changing what it sees: half the
   * smallest ring guard (the strategy's view keeps the other half as margin).
   */
  #maxLeadSteps = Number.POSITIVE_INFINITY;

  /**
   * @param threads the manager's threads (read live: strategies added later count)
   * @param interruption once interrupted, waits give up (a stop was asked)
   */
  constructor(
    threads: readonly StrategyThread[],
    sequencer: SignalSequencer,
    interruption: WaitInterruption,
  ) {
    this.#threads = threads;
    this.#sequencer = sequencer;
    this.#interruption = interruption;
  }

  /** A series with this ring (capacity, window) can be read: the lead is kept within half its guard. */
  limitLead(capacity: number, window: number): void {
    this.#maxLeadSteps = Math.min(this.#maxLeadSteps, (capacity - window) >> 1);
  }

  /**
   * The batch of `steps` time steps up to `time` has been handed over: waits for the oldest
   * batches as far as needed (for everything when a strategy's notifications overflow its ring).
   */
  async handedOver(steps: number, time: number): Promise<void> {
    if (this.#interruption.interrupted) return;
    const threads = this.#threads;
    const cursors: number[] = [];
    for (const thread of threads) {
      const cursor = thread.handedOverCursor();
      if (cursor === undefined) {
        await this.waitForAll();
        return;
      }
      cursors.push(cursor);
    }
    const inFlight = this.#inFlight;
    inFlight.push({ steps, time, cursors });
    this.#stepsInFlight += steps;
    if (steps > this.#largestBatchSteps) this.#largestBatchSteps = steps;
    // Go on producing while the next batch still keeps every strategy within the ring guard and
    // leaves room in its queue; else wait for the oldest batches.
    while (inFlight.length > 0 && this.#mustWaitForOldest()) {
      const oldest = inFlight[0] as BatchInFlight;
      const waits = threads.map((t, i) => t.waitUntilProcessed(oldest.cursors[i] as number));
      if (!(await this.#interruption.race(Promise.all(waits)))) return;
      this.#completeOldest();
    }
    while (inFlight.length > 0 && this.#oldestIsDone()) this.#completeOldest();
  }

  /**
   * Waits until every strategy has handled everything handed over, then releases every held
   * signal (gives up, releasing nothing, when interrupted).
   */
  async waitForAll(): Promise<void> {
    if (!(await this.#interruption.race(Promise.all(this.#threads.map((t) => t.waitUntilReady()))))) return;
    this.clear();
  }

  /** Forgets the batches in flight (the strategies ended) and releases every held signal. */
  clear(): void {
    this.#inFlight.length = 0;
    this.#stepsInFlight = 0;
    this.#sequencer.release(Number.POSITIVE_INFINITY);
  }

  #mustWaitForOldest(): boolean {
    if (this.#stepsInFlight + this.#largestBatchSteps > this.#maxLeadSteps) return true;
    const threads = this.#threads;
    for (let i = 0; i < threads.length; i++) {
      const subscription = (threads[i] as StrategyThread).subscription;
      // An ended strategy's queue keeps what it never processed: it holds nobody up.
      if (subscription.closed) continue;
      const queue = subscription.queue;
      if (queue.size() > queue.capacity >> 1) return true;
    }
    return false;
  }

  #oldestIsDone(): boolean {
    const oldest = this.#inFlight[0] as BatchInFlight;
    const threads = this.#threads;
    for (let i = 0; i < threads.length; i++) {
      if (!(threads[i] as StrategyThread).hasProcessed(oldest.cursors[i] as number)) return false;
    }
    return true;
  }

  #completeOldest(): void {
    const oldest = this.#inFlight.shift() as BatchInFlight;
    this.#stepsInFlight -= oldest.steps;
    this.#sequencer.release(oldest.time);
  }
}
