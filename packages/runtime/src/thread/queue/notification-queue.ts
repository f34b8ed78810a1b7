import { waitAsyncKeepingAlive } from './wait-async';

/** What a queue entry asks the consumer to do. */
export const NotificationKind = {
  /** A bar closed: `seriesId`, its absolute `index` and its close time (`value`, epoch ms). */
  BAR: 0,
  /** The bar quality of `seriesId` changed to `value` percent. */
  QUALITY: 1,
  /** Take the next message from the control channel (its payload travels outside the ring, in order). */
  MESSAGE: 2,
} as const;

/** One of {@link NotificationKind}'s values. */
export type NotificationKind = (typeof NotificationKind)[keyof typeof NotificationKind];

/**
 * Indices of the Int32 control words at the start of the queue's buffer. Cursors are free-running
 * 32-bit counters that wrap around; compare them with `((a - b) | 0)`, never with `<`.
 */
export const QUEUE_CONTROL = {
  /** Entries published by the producer (the end of the last batch). */
  WRITE: 0,
  /** Entries the consumer has finished processing. */
  READ: 1,
  /** 1 while the consumer sleeps on WRITE: only then does `publish` pay for a notify. */
  PARKED: 2,
  /** 1 while a producer-side waiter sleeps on READ. */
  WAITING: 3,
  /** The smallest READ value a sleeping waiter needs: the consumer wakes it only then. */
  WAIT_TARGET: 4,
  /** Messages the consumer has posted out of band (signals, logs) before advancing READ. */
  POSTED: 5,
  CAPACITY: 6,
  VERSION: 7,
} as const;

/** Default number of entries a queue holds. */
export const DEFAULT_QUEUE_CAPACITY = 65_536;

const CONTROL_WORDS = 16;
const CONTROL_BYTES = CONTROL_WORDS * 4;
const LAYOUT_VERSION = 0x51_0001;
const MAX_CAPACITY = 1 << 28;
// Float64 value + Int32 series id + Int32 index + Uint8 kind.
const BYTES_PER_ENTRY = 8 + 4 + 4 + 1;

/** Options of {@link NotificationQueue.create}. */
export interface NotificationQueueOptions {
  /** Entries the ring holds, rounded up to a power of two (default 65,536). */
  capacity?: number;
  /** @internal Start both cursors here (tests use it to cross the 32-bit wrap-around). */
  initialCursor?: number;
}

function roundUpToPowerOfTwo(n: number): number {
  let p = 2;
  while (p < n) p *= 2;
  return p;
}

/**
 * A single-producer, single-consumer ring of notifications on a SharedArrayBuffer, so the
 * producer (the session's thread) and the consumer (a strategy's worker thread) exchange
 * `(seriesId, index, closeTime)` triples without copying bars and without a message per bar.
 *
 * Entries live in parallel typed arrays (`kinds`, `seriesIds`, `indices`, `values`). The producer
 * `push`es entries (invisible to the consumer) and `publish`es them as one batch: one atomic store,
 * and a notify only when the consumer is parked. The consumer reads entries in place and `commit`s
 * its progress; it wakes a waiting producer only once the progress that producer waits for is
 * reached. Nothing is ever overwritten: `push` returns false when the ring is full.
 */
export class NotificationQueue {
  /** The shared memory; post it to the consumer's thread and reopen it with {@link NotificationQueue.open}. */
  readonly buffer: SharedArrayBuffer;
  /** Entries the ring holds (a power of two). */
  readonly capacity: number;
  /** `capacity - 1`: `position & mask` is an entry's slot. */
  readonly mask: number;
  /** Control words, see {@link QUEUE_CONTROL}. */
  readonly control: Int32Array;
  /** Entry kind per slot, see {@link NotificationKind}. */
  readonly kinds: Uint8Array;
  /** Series id per slot. */
  readonly seriesIds: Int32Array;
  /** Absolute bar index per slot. */
  readonly indices: Int32Array;
  /** Close time (bars) or quality (quality updates) per slot. */
  readonly values: Float64Array;
  #pending: number;
  #readSeen: number;

  private constructor(buffer: SharedArrayBuffer) {
    const control = new Int32Array(buffer, 0, CONTROL_WORDS);
    if (control[QUEUE_CONTROL.VERSION] !== LAYOUT_VERSION) {
      throw new TypeError('not a @strat notification queue buffer (layout version mismatch)');
    }
    const capacity = control[QUEUE_CONTROL.CAPACITY] as number;
    this.buffer = buffer;
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.control = control;
    let offset = CONTROL_BYTES;
    this.values = new Float64Array(buffer, offset, capacity);
    offset += capacity * 8;
    this.seriesIds = new Int32Array(buffer, offset, capacity);
    offset += capacity * 4;
    this.indices = new Int32Array(buffer, offset, capacity);
    offset += capacity * 4;
    this.kinds = new Uint8Array(buffer, offset, capacity);
    this.#pending = Atomics.load(control, QUEUE_CONTROL.WRITE);
    this.#readSeen = Atomics.load(control, QUEUE_CONTROL.READ);
  }

  /** Allocates an empty queue. */
  static create(options: NotificationQueueOptions = {}): NotificationQueue {
    const requested = options.capacity ?? DEFAULT_QUEUE_CAPACITY;
    if (!Number.isInteger(requested) || requested < 2 || requested > MAX_CAPACITY) {
      throw new RangeError(`queue capacity must be an integer from 2 to ${MAX_CAPACITY}, got ${requested}`);
    }
    const capacity = roundUpToPowerOfTwo(requested);
    const buffer = new SharedArrayBuffer(CONTROL_BYTES + capacity * BYTES_PER_ENTRY);
    const control = new Int32Array(buffer, 0, CONTROL_WORDS);
    const start = (options.initialCursor ?? 0) | 0;
    control[QUEUE_CONTROL.WRITE] = start;
    control[QUEUE_CONTROL.READ] = start;
    control[QUEUE_CONTROL.CAPACITY] = capacity;
    control[QUEUE_CONTROL.VERSION] = LAYOUT_VERSION;
    return new NotificationQueue(buffer);
  }

  /** Reopens a queue from its buffer, for example in the consumer's worker thread. */
  static open(buffer: SharedArrayBuffer): NotificationQueue {
    return new NotificationQueue(buffer);
  }

  // ---- producer side ------------------------------------------------------------------------

  /** Producer: queues a bar notification (not visible until {@link publish}). False when the ring is full. */
  push(seriesId: number, index: number, closeTime: number): boolean {
    return this.pushEntry(NotificationKind.BAR, seriesId, index, closeTime);
  }

  /** Producer: queues an entry of any kind. False when the ring is full: wait, never drop. */
  pushEntry(kind: NotificationKind, seriesId: number, index: number, value: number): boolean {
    const position = this.#pending;
    if (((position - this.#readSeen) | 0) >= this.capacity) {
      this.#readSeen = Atomics.load(this.control, QUEUE_CONTROL.READ);
      if (((position - this.#readSeen) | 0) >= this.capacity) return false;
    }
    const slot = position & this.mask;
    this.kinds[slot] = kind;
    this.seriesIds[slot] = seriesId;
    this.indices[slot] = index;
    this.values[slot] = value;
    this.#pending = (position + 1) | 0;
    return true;
  }

  /** Producer: makes every pushed entry visible to the consumer as one batch, waking it if it is parked. */
  publish(): void {
    const c = this.control;
    if (c[QUEUE_CONTROL.WRITE] === this.#pending) return;
    Atomics.store(c, QUEUE_CONTROL.WRITE, this.#pending);
    if (Atomics.load(c, QUEUE_CONTROL.PARKED) !== 0) Atomics.notify(c, QUEUE_CONTROL.WRITE);
  }

  /** Producer: the cursor after the last pushed entry (published or not). */
  get pushCursor(): number {
    return this.#pending;
  }

  /** Producer: entries pushed but not yet published. */
  get unpublished(): number {
    return (this.#pending - Atomics.load(this.control, QUEUE_CONTROL.WRITE)) | 0;
  }

  /** Producer: entries that can be pushed before the ring is full. */
  freeSlots(): number {
    this.#readSeen = Atomics.load(this.control, QUEUE_CONTROL.READ);
    return this.capacity - ((this.#pending - this.#readSeen) | 0);
  }

  // ---- either side --------------------------------------------------------------------------

  /** Published entries the consumer has not finished yet (the backlog). Safe from any thread. */
  size(): number {
    const c = this.control;
    return (Atomics.load(c, QUEUE_CONTROL.WRITE) - Atomics.load(c, QUEUE_CONTROL.READ)) | 0;
  }

  /** The published write cursor. */
  get writeCursor(): number {
    return Atomics.load(this.control, QUEUE_CONTROL.WRITE);
  }

  /** The consumer's committed read cursor. */
  get readCursor(): number {
    return Atomics.load(this.control, QUEUE_CONTROL.READ);
  }

  // ---- consumer side ------------------------------------------------------------------------

  /**
   * Consumer: marks every entry before `position` as processed. Wakes the producer-side waiter
   * only when it waits for this much progress (one wake-up per wait, not per entry).
   */
  commit(position: number): void {
    const c = this.control;
    Atomics.store(c, QUEUE_CONTROL.READ, position);
    if (
      Atomics.load(c, QUEUE_CONTROL.WAITING) !== 0 &&
      ((position - Atomics.load(c, QUEUE_CONTROL.WAIT_TARGET)) | 0) >= 0
    ) {
      Atomics.store(c, QUEUE_CONTROL.WAITING, 0);
      Atomics.notify(c, QUEUE_CONTROL.READ);
    }
  }

  /** Consumer: counts one message posted out of band; call right after posting it, before {@link commit}. */
  markPosted(): void {
    Atomics.add(this.control, QUEUE_CONTROL.POSTED, 1);
  }

  /** Messages the consumer has posted so far (a wrapping 32-bit count). */
  postedCount(): number {
    return Atomics.load(this.control, QUEUE_CONTROL.POSTED);
  }

  /**
   * Consumer (worker threads only: blocks): waits until entries beyond `position` are published.
   * Polls for `spinMicros` first, because a batch often follows within microseconds and a futex
   * sleep and wake costs more than that, then sleeps at most `parkMs`.
   * @returns true when entries are available, false when `parkMs` passed without any.
   */
  waitForEntries(position: number, spinMicros: number, parkMs: number): boolean {
    const c = this.control;
    if (Atomics.load(c, QUEUE_CONTROL.WRITE) !== position) return true;
    if (spinMicros > 0) {
      const until = performance.now() + spinMicros / 1000;
      do {
        for (let i = 0; i < 64; i++) {
          if (Atomics.load(c, QUEUE_CONTROL.WRITE) !== position) return true;
        }
      } while (performance.now() < until);
    }
    if (parkMs <= 0) return false;
    Atomics.store(c, QUEUE_CONTROL.PARKED, 1);
    if (Atomics.load(c, QUEUE_CONTROL.WRITE) === position) {
      Atomics.wait(c, QUEUE_CONTROL.WRITE, position, parkMs);
    }
    Atomics.store(c, QUEUE_CONTROL.PARKED, 0);
    return Atomics.load(c, QUEUE_CONTROL.WRITE) !== position;
  }

  /**
   * Consumer: like {@link waitForEntries} but sleeps without blocking the thread's event loop (so
   * the strategy's own timers and I/O run while it is idle). Resolves when entries are available
   * or after `timeoutMs`.
   */
  async waitForEntriesAsync(position: number, timeoutMs: number): Promise<boolean> {
    const c = this.control;
    Atomics.store(c, QUEUE_CONTROL.PARKED, 1);
    try {
      if (Atomics.load(c, QUEUE_CONTROL.WRITE) === position) {
        await waitAsyncKeepingAlive(c, QUEUE_CONTROL.WRITE, position, timeoutMs);
      }
    } finally {
      Atomics.store(c, QUEUE_CONTROL.PARKED, 0);
    }
    return Atomics.load(c, QUEUE_CONTROL.WRITE) !== position;
  }

  // ---- producer-side waiting ------------------------------------------------------------------

  /**
   * Producer side: resolves true once the consumer has committed `target` (a cursor value), false
   * after `timeoutMs`, or true as soon as `isClosed()` says the consumer is gone. Polls for
   * `spinMicros` first (blocking, so keep it to microseconds), then sleeps with
   * `Atomics.waitAsync`, which leaves the calling thread's event loop free.
   */
  async waitForCommit(
    target: number,
    timeoutMs = Number.POSITIVE_INFINITY,
    isClosed?: () => boolean,
    spinMicros = 0,
  ): Promise<boolean> {
    const c = this.control;
    const deadline = performance.now() + timeoutMs;
    if (spinMicros > 0 && this.#spinForCommit(target, Math.min(spinMicros / 1000, timeoutMs))) return true;
    for (;;) {
      const read = Atomics.load(c, QUEUE_CONTROL.READ);
      if (((read - target) | 0) >= 0 || isClosed?.() === true) return true;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      // Several waits may be pending on this thread; the consumer must wake at the nearest target.
      if (
        Atomics.load(c, QUEUE_CONTROL.WAITING) === 0 ||
        ((target - Atomics.load(c, QUEUE_CONTROL.WAIT_TARGET)) | 0) < 0
      ) {
        Atomics.store(c, QUEUE_CONTROL.WAIT_TARGET, target);
      }
      Atomics.store(c, QUEUE_CONTROL.WAITING, 1);
      if (Atomics.load(c, QUEUE_CONTROL.READ) !== read) continue;
      await waitAsyncKeepingAlive(c, QUEUE_CONTROL.READ, read, remaining);
    }
  }

  // A small batch is often done within microseconds: polling that long is far cheaper than an
  // event-loop round trip through waitAsync.
  #spinForCommit(target: number, ms: number): boolean {
    const c = this.control;
    const until = performance.now() + ms;
    do {
      for (let i = 0; i < 64; i++) {
        if (((Atomics.load(c, QUEUE_CONTROL.READ) - target) | 0) >= 0) return true;
      }
    } while (performance.now() < until);
    return false;
  }

  /** Wakes every waiter sleeping in {@link waitForCommit} (they re-check; used when the consumer dies). */
  wakeWaiters(): void {
    Atomics.notify(this.control, QUEUE_CONTROL.READ);
  }
}
