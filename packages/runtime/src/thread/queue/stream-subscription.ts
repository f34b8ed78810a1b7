import { NotificationKind, NotificationQueue } from './notification-queue';
import { MAX_TIMER_MS } from './wait-async';

/** Options of {@link StreamSubscription}. */
export interface StreamSubscriptionOptions {
  /** Entries the shared ring holds (default 65,536). More are kept in an overflow list, never dropped. */
  capacity?: number;
  /** Use this queue instead of allocating one. */
  queue?: NotificationQueue;
  /** Called after each {@link StreamSubscription.signalReady} (the inline executor starts its consumer here). */
  onReady?: () => void;
  /** Poll this long for the strategy to finish before sleeping in `waitUntilReady` (default 0: do not poll). */
  spinMicros?: number;
}

const ENTRY_WORDS = 4;
// Compact the overflow list once this many consumed words sit at its head.
const OVERFLOW_COMPACT_AT = 4096;

/**
 * The synchronisation point between the session (the producer of notifications) and one
 * strategy (their consumer), over a {@link NotificationQueue}:
 *
 * - `notify` / `notifyQuality` / `notifyMessage` queue entries; `signalReady()` hands everything
 *   queued since the last call to the strategy as one batch (one wake-up, not one per bar);
 * - `waitUntilReady(timeoutMs?)` resolves true once the strategy has processed everything handed
 *   over so far and every message it posted meanwhile (signals, logs) has arrived here. Without a
 *   timeout it waits as long as it takes (data-driven backtests); with one it resolves false when
 *   the time is up and counts an overrun (clock-driven backtests and live);
 * - nothing is dropped: when the ring is full, entries wait in an overflow list and move into the
 *   ring as the strategy catches up. `backlog` counts all of them.
 *
 * Once the consumer is gone (`close()`), waits resolve true at once: a dead strategy must not stall
 * the session.
 */
export class StreamSubscription {
  /** The shared ring; its buffer goes to the consumer. */
  readonly queue: NotificationQueue;
  readonly #onReady: (() => void) | undefined;
  readonly #spinMicros: number;
  #overflow: number[] = [];
  #overflowHead = 0;
  #overruns = 0;
  #received = 0;
  #closed = false;
  #pumping = false;
  readonly #deliveryWaiters = new Set<() => void>();

  constructor(options: StreamSubscriptionOptions = {}) {
    this.queue =
      options.queue ??
      NotificationQueue.create(options.capacity === undefined ? {} : { capacity: options.capacity });
    this.#onReady = options.onReady;
    this.#spinMicros = options.spinMicros ?? 0;
  }

  /** Queues a bar notification: bar `index` of series `seriesId` closed at `closeTime` (epoch ms). */
  notify(seriesId: number, index: number, closeTime: number): void {
    this.#enqueue(NotificationKind.BAR, seriesId, index, closeTime);
  }

  /** Queues a quality update for series `seriesId`, delivered in order with the bar notifications. */
  notifyQuality(seriesId: number, quality: number): void {
    this.#enqueue(NotificationKind.QUALITY, seriesId, 0, quality);
  }

  /** Queues a marker telling the consumer to take its next control message, in order with the bars. */
  notifyMessage(): void {
    this.#enqueue(NotificationKind.MESSAGE, 0, 0, 0);
  }

  /** Hands every entry queued since the last call to the strategy as one batch. */
  signalReady(): void {
    if (this.#closed) return;
    this.#handOver();
    if (this.#overflowEntries() > 0) void this.#pumpOverflow();
  }

  /**
   * Resolves true once the strategy has processed every entry queued so far (queued but not yet
   * handed over entries are handed over first) and every message it posted meanwhile has been
   * received ({@link acknowledgeMessage}). Without `timeoutMs` waits without limit; with it,
   * resolves false when the time is up and counts an overrun. The strategy keeps its backlog
   * either way.
   */
  async waitUntilReady(timeoutMs?: number): Promise<boolean> {
    if (this.#closed) return true;
    if (this.queue.unpublished > 0 || this.#overflowEntries() > 0) this.signalReady();
    const target = (this.queue.pushCursor + this.#overflowEntries()) | 0;
    const limit = timeoutMs ?? Number.POSITIVE_INFINITY;
    const started = performance.now();
    const isClosed = (): boolean => this.#closed;
    if (!(await this.queue.waitForCommit(target, limit, isClosed, this.#spinMicros))) return this.#overrun();
    while (!this.#closed && ((this.queue.postedCount() - this.#received) | 0) > 0) {
      const remaining = limit - (performance.now() - started);
      if (remaining <= 0) return this.#overrun();
      await this.#nextDelivery(remaining);
    }
    return true;
  }

  /** Records that one message posted by the consumer has been received and handled. */
  acknowledgeMessage(): void {
    this.#received = (this.#received + 1) | 0;
    this.#wakeDeliveryWaiters();
  }

  /** Timed waits that ran out (strategy overruns) since creation or the last {@link reset}. */
  get overrunCount(): number {
    return this.#overruns;
  }

  /** Entries not yet processed by the strategy: in the ring, queued but not handed over, or overflowing. */
  get backlog(): number {
    return this.queue.size() + this.queue.unpublished + this.#overflowEntries();
  }

  /** True once {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Starts a new count of overruns. Queued entries stay: nothing is dropped. */
  reset(): void {
    this.#overruns = 0;
  }

  /**
   * The consumer is gone (stopped or crashed): pending and future waits resolve true at once and
   * new entries are ignored.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#overflow = [];
    this.#overflowHead = 0;
    this.queue.wakeWaiters();
    this.#wakeDeliveryWaiters();
  }

  #overrun(): false {
    this.#overruns++;
    return false;
  }

  #overflowEntries(): number {
    return (this.#overflow.length - this.#overflowHead) / ENTRY_WORDS;
  }

  #enqueue(kind: NotificationKind, seriesId: number, index: number, value: number): void {
    if (this.#closed) return;
    if (this.#overflowHead === this.#overflow.length && this.queue.pushEntry(kind, seriesId, index, value)) {
      return;
    }
    this.#overflow.push(kind, seriesId, index, value);
  }

  #flushOverflow(): void {
    const list = this.#overflow;
    let head = this.#overflowHead;
    while (head < list.length) {
      const pushed = this.queue.pushEntry(
        list[head] as NotificationKind,
        list[head + 1] as number,
        list[head + 2] as number,
        list[head + 3] as number,
      );
      if (!pushed) break;
      head += ENTRY_WORDS;
    }
    if (head === list.length) {
      this.#overflow = [];
      head = 0;
    } else if (head >= OVERFLOW_COMPACT_AT) {
      this.#overflow = list.slice(head);
      head = 0;
    }
    this.#overflowHead = head;
  }

  async #pumpOverflow(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    const isClosed = (): boolean => this.#closed;
    try {
      while (!this.#closed && this.#overflowEntries() > 0) {
        await this.queue.waitForCommit((this.queue.readCursor + 1) | 0, Number.POSITIVE_INFINITY, isClosed);
        if (!this.#closed) this.#handOver();
      }
    } finally {
      this.#pumping = false;
    }
  }

  #handOver(): void {
    this.#flushOverflow();
    this.queue.publish();
    this.#onReady?.();
  }

  #nextDelivery(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#deliveryWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(timeoutMs, MAX_TIMER_MS));
      this.#deliveryWaiters.add(done);
    });
  }

  #wakeDeliveryWaiters(): void {
    for (const wake of [...this.#deliveryWaiters]) wake();
  }
}
