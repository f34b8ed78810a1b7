import { describe, expect, it, vi } from 'vitest';
import { monotonicNow } from './monotonic-clock';
import { describeNotification, NotificationWatchdog } from './notification-watchdog';
import { NotificationKind, NotificationQueue } from './queue/notification-queue';
import { createMetricsBuffer, METRIC_SLOT, metricsWords } from './strategy-metrics';

/** A strategy's shared words and queue, as its thread writes them. */
function strategySide(): {
  words: Float64Array;
  queue: NotificationQueue;
  begin: (position: number, since?: number) => void;
  finish: (position: number) => void;
} {
  const words = metricsWords(createMetricsBuffer());
  const queue = NotificationQueue.create({ capacity: 1024 });
  return {
    words,
    queue,
    begin: (position, since = monotonicNow()) => {
      words[METRIC_SLOT.BUSY_AT] = position;
      words[METRIC_SLOT.BUSY_SINCE] = since;
    },
    // A notification is over once the read cursor is past it.
    finish: (position) => queue.commit(position + 1),
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('NotificationWatchdog', () => {
  it('reports a notification that runs past the limit while the session waits, once', async () => {
    const side = strategySide();
    const stuck: Array<[number, number]> = [];
    const watchdog = new NotificationWatchdog(side.words, side.queue, 40, (position, since) =>
      stuck.push([position, since]),
    );
    const since = monotonicNow();
    side.begin(7, since);
    const wait = deferred();
    const watched = watchdog.watch(wait.promise);
    await vi.waitFor(() => expect(stuck).toEqual([[7, since]]), { timeout: 5000, interval: 5 });
    wait.resolve();
    await watched;
    // Disposed after reporting: later waits are not watched.
    side.begin(8, monotonicNow() - 1000);
    await watchdog.watch(Promise.resolve());
    expect(stuck).toEqual([[7, since]]);
  });

  it('reports at once a wait that begins on a notification already past the limit', () => {
    const side = strategySide();
    const stuck: number[] = [];
    const watchdog = new NotificationWatchdog(side.words, side.queue, 1000, (position) =>
      stuck.push(position),
    );
    side.begin(3, monotonicNow() - 1500);
    void watchdog.watch(new Promise(() => {}));
    expect(stuck).toEqual([3]);
  });

  it('leaves a strategy alone whose notifications each stay within the limit, or that is idle, or when nobody waits', async () => {
    const side = strategySide();
    const stuck: number[] = [];
    const watchdog = new NotificationWatchdog(side.words, side.queue, 300, (position) =>
      stuck.push(position),
    );
    // Short notifications (about 5 ms) one after another during a wait longer than the limit.
    const wait = deferred();
    const watched = watchdog.watch(wait.promise);
    const began = monotonicNow();
    let position = 0;
    for (; monotonicNow() - began < 2 * watchdog.limitMs; position++) {
      side.begin(position);
      await new Promise((resolve) => setTimeout(resolve, 5));
      side.finish(position);
    }
    // Idle: its last notification began long ago, and is over.
    side.begin(position, monotonicNow() - 1000);
    side.finish(position);
    await new Promise((resolve) => setTimeout(resolve, 2 * watchdog.limitMs));
    wait.resolve();
    await watched;
    // A long notification while nobody waits is not the session's business.
    side.begin(position + 1, monotonicNow() - 1000);
    await new Promise((resolve) => setTimeout(resolve, 2 * watchdog.limitMs));
    expect(stuck).toEqual([]);
    watchdog.dispose();
  });
});

describe('describeNotification', () => {
  it('names the hook of a queued entry, and the bar for onBars', () => {
    const queue = NotificationQueue.create({ capacity: 8 });
    const close = Date.UTC(2024, 0, 2, 14, 31);
    queue.pushEntry(NotificationKind.BAR, 0, 3, close);
    queue.pushEntry(NotificationKind.QUALITY, 1, 0, 97.5);
    queue.pushEntry(NotificationKind.MESSAGE, 0, 0, 0);
    queue.pushEntry(NotificationKind.BAR, 9, 0, close);
    const series = new Map([
      [0, { symbol: 'AAPL', interval: '1m' as const }],
      [1, { symbol: 'MSFT', interval: '5m' as const }],
    ]);
    expect(describeNotification(queue, 0, series)).toEqual({
      what: 'onBars on AAPL 1m (bar closing 2024-01-02T14:31:00.000Z)',
      symbol: 'AAPL',
      interval: '1m',
      time: close,
    });
    expect(describeNotification(queue, 1, series)).toEqual({
      what: 'onQualityUpdate on MSFT 5m',
      symbol: 'MSFT',
      interval: '5m',
    });
    expect(describeNotification(queue, 2, series)).toEqual({ what: 'onSymbolAdded' });
    expect(describeNotification(queue, 3, series)).toEqual({ what: 'onBars' });
    // Positions wrap around the ring.
    expect(describeNotification(queue, 8, series).what).toMatch(/^onBars on AAPL 1m/);
  });
});
