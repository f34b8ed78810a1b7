import type { Interval } from '@strat/core';
import { monotonicNow } from './monotonic-clock';
import { NotificationKind, type NotificationQueue } from './queue/notification-queue';
import { MAX_TIMER_MS } from './queue/wait-async';
import { METRIC_SLOT } from './strategy-metrics';

/** Called once when a notification has run past the limit: it sits at queue `position` and began at `since` ({@link monotonicNow} ms). */
export type StuckNotificationHandler = (position: number, since: number) => void;

/**
 * The session side's guard against a strategy stuck in one notification. The strategy's thread
 * writes when each notification begins, and its queue position, into the shared metrics words (two
 * stores per notification, no message); the notification is over once the queue's read cursor has
 * moved past that position. While the session waits for the strategy without a time limit
 * ({@link watch}), this reads them and calls `onStuck` once a notification has run past `limitMs`.
 *
 * At most one timer per strategy, due when the notification in progress would reach the limit (a
 * full limit ahead between notifications); it is not cleared when a wait ends, only not re-armed
 * when it finds nobody waiting, so short waits cost no timer each.
 */
export class NotificationWatchdog {
  /** The longest a notification may run, in ms. */
  readonly limitMs: number;
  readonly #words: Float64Array;
  readonly #queue: NotificationQueue;
  readonly #onStuck: StuckNotificationHandler;
  #waits = 0;
  #timer: NodeJS.Timeout | undefined;
  #done = false;

  /**
   * @param words the strategy's shared metrics words
   * @param queue its notification queue (the read cursor says which notifications are over)
   */
  constructor(
    words: Float64Array,
    queue: NotificationQueue,
    limitMs: number,
    onStuck: StuckNotificationHandler,
  ) {
    this.#words = words;
    this.#queue = queue;
    this.limitMs = limitMs;
    this.#onStuck = onStuck;
  }

  /** Guards the strategy while the session waits on `wait`; resolves as `wait` does. */
  watch<T>(wait: Promise<T>): Promise<T> {
    if (this.#done) return wait;
    this.#waits++;
    if (this.#timer === undefined) this.#check();
    return wait.finally(() => {
      this.#waits--;
    });
  }

  /** No more checks: the strategy has ended. */
  dispose(): void {
    this.#done = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  readonly #check = (): void => {
    this.#timer = undefined;
    if (this.#done || this.#waits === 0) return;
    const words = this.#words;
    const since = words[METRIC_SLOT.BUSY_SINCE] as number;
    const position = words[METRIC_SLOT.BUSY_AT] as number;
    const running = since !== 0 && ((this.#queue.readCursor - position) | 0) <= 0;
    const now = monotonicNow();
    if (running && now - since >= this.limitMs) {
      this.dispose();
      this.#onStuck(position, since);
      return;
    }
    const due = running ? since + this.limitMs - now : this.limitMs;
    this.#timer = setTimeout(this.#check, Math.min(Math.max(1, Math.ceil(due)), MAX_TIMER_MS));
    // A wait that needs the process alive keeps it alive itself.
    this.#timer.unref();
  };
}

/** A notification named for a message: the hook and, for a bar, its series and close time. */
export interface NotificationDescription {
  /** `onBars on AAPL 1m (bar closing 2024-01-02T14:31:00.000Z)`, `onQualityUpdate on AAPL 1m`, `onSymbolAdded`. */
  what: string;
  symbol?: string;
  interval?: Interval;
  /** A bar's close time (epoch ms). */
  time?: number;
}

/**
 * The notification at queue `position`, named after the hook it runs. Its entry is intact while
 * the strategy has not committed past it (the producer never overwrites an uncommitted entry).
 */
export function describeNotification(
  queue: NotificationQueue,
  position: number,
  series: ReadonlyMap<number, { symbol: string; interval: Interval }>,
): NotificationDescription {
  const slot = position & queue.mask;
  const kind = queue.kinds[slot];
  if (kind === NotificationKind.MESSAGE) return { what: 'onSymbolAdded' };
  const hook = kind === NotificationKind.BAR ? 'onBars' : 'onQualityUpdate';
  const known = series.get(queue.seriesIds[slot] as number);
  if (known === undefined) return { what: hook };
  const { symbol, interval } = known;
  if (kind !== NotificationKind.BAR) return { what: `${hook} on ${symbol} ${interval}`, symbol, interval };
  const time = queue.values[slot] as number;
  return {
    what: `${hook} on ${symbol} ${interval} (bar closing ${new Date(time).toISOString()})`,
    symbol,
    interval,
    time,
  };
}
