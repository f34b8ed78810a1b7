import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { NotificationKind, NotificationQueue, QUEUE_CONTROL } from './notification-queue';
import { StreamSubscription } from './stream-subscription';

/** A consumer on this thread: takes published entries and commits them, as a strategy host does. */
class ManualConsumer {
  readonly queue: NotificationQueue;
  position: number;
  readonly seen: Array<[kind: number, seriesId: number, index: number, value: number]> = [];

  constructor(subscription: StreamSubscription) {
    this.queue = NotificationQueue.open(subscription.queue.buffer);
    this.position = this.queue.readCursor;
  }

  /** Processes up to `max` published entries and commits them. */
  take(max = Number.POSITIVE_INFINITY): number {
    const end = this.queue.writeCursor;
    let taken = 0;
    while (this.position !== end && taken < max) {
      const slot = this.position & this.queue.mask;
      const q = this.queue;
      this.seen.push([
        q.kinds[slot] as number,
        q.seriesIds[slot] as number,
        q.indices[slot] as number,
        q.values[slot] as number,
      ]);
      this.position = (this.position + 1) | 0;
      taken++;
    }
    this.queue.commit(this.position);
    return taken;
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** The queue position a producer-side waiter sleeps for, or undefined when none sleeps. */
function sleepingFor(queue: NotificationQueue): number | undefined {
  const control = queue.control;
  return Atomics.load(control, QUEUE_CONTROL.WAITING) === 0
    ? undefined
    : Atomics.load(control, QUEUE_CONTROL.WAIT_TARGET);
}

describe('StreamSubscription', () => {
  it('data-driven: waits without limit until the strategy has processed everything', async () => {
    const subscription = new StreamSubscription({ capacity: 64 });
    const consumer = new ManualConsumer(subscription);
    for (let i = 0; i < 5; i++) subscription.notify(0, i, i * 60_000);
    let resolved = false;
    const ready = subscription.waitUntilReady().then((value) => {
      resolved = value;
    });
    // Marker: a timed wait for the same five entries runs out, so time has passed with none processed.
    expect(await subscription.queue.waitForCommit(5, 20)).toBe(false);
    expect(resolved).toBe(false);
    // Marker: the commit of the first two entries wakes a wait for them, and with it the wait for all
    // five, which must check again and go back to sleep for the five.
    const firstTwo = subscription.queue.waitForCommit(2);
    consumer.take(2);
    expect(await firstTwo).toBe(true);
    await vi.waitFor(() => expect(sleepingFor(subscription.queue)).toBe(5), { timeout: 10_000 });
    expect(resolved).toBe(false);
    consumer.take();
    await ready;
    expect(resolved).toBe(true);
    expect(subscription.overrunCount).toBe(0);
    expect(consumer.seen.map((entry) => entry[2])).toEqual([0, 1, 2, 3, 4]);
  });

  it('timed: a late strategy makes the wait return false and count an overrun; a later wait succeeds; nothing is dropped', async () => {
    const subscription = new StreamSubscription({ capacity: 64 });
    const consumer = new ManualConsumer(subscription);
    subscription.notify(1, 0, 60_000);
    subscription.signalReady();
    expect(await subscription.waitUntilReady(15)).toBe(false);
    expect(subscription.overrunCount).toBe(1);
    expect(subscription.backlog).toBe(1);

    subscription.notify(1, 1, 120_000);
    subscription.signalReady();
    expect(subscription.backlog).toBe(2);
    // The strategy catches up while the wait sleeps (it is asleep as soon as the call returns).
    const caughtUp = subscription.waitUntilReady(1000);
    consumer.take();
    expect(await caughtUp).toBe(true);
    expect(subscription.overrunCount).toBe(1);
    expect(subscription.backlog).toBe(0);
    expect(consumer.seen.map((entry) => entry[2])).toEqual([0, 1]);

    subscription.reset();
    expect(subscription.overrunCount).toBe(0);
  });

  it('waits for the messages the strategy posted before it reports ready', async () => {
    const subscription = new StreamSubscription({ capacity: 16 });
    const consumer = new ManualConsumer(subscription);
    subscription.notify(0, 0, 1);
    subscription.signalReady();
    // The strategy posts two messages (say, signal batches), then commits.
    consumer.queue.markPosted();
    consumer.queue.markPosted();
    consumer.take();
    let ready = false;
    const waiting = subscription.waitUntilReady().then(() => {
      ready = true;
    });
    // Marker: a timed wait for the same messages runs out (an overrun), so time has passed without them.
    expect(await subscription.waitUntilReady(5)).toBe(false);
    expect(ready).toBe(false);
    subscription.acknowledgeMessage();
    // Marker: the acknowledgement woke the untimed wait at once; a timed wait started after it still runs out.
    expect(await subscription.waitUntilReady(5)).toBe(false);
    expect(ready).toBe(false);
    subscription.acknowledgeMessage();
    await waiting;
    expect(ready).toBe(true);
    expect(subscription.overrunCount).toBe(2);
    subscription.reset();
    // A timed wait whose messages never arrive is an overrun too.
    subscription.notify(0, 1, 2);
    consumer.queue.markPosted();
    consumer.take();
    subscription.signalReady();
    consumer.take();
    expect(await subscription.waitUntilReady(10)).toBe(false);
    expect(subscription.overrunCount).toBe(1);
  });

  it('never drops entries when the ring is full: they overflow and move in as the strategy catches up', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 7 }),
        async (batches, takePerStep) => {
          const subscription = new StreamSubscription({ capacity: 8 });
          const consumer = new ManualConsumer(subscription);
          let sent = 0;
          for (const size of batches) {
            for (let i = 0; i < size; i++) {
              if (sent % 5 === 4) subscription.notifyQuality(2, sent);
              else subscription.notify(2, sent, sent * 10);
              sent++;
            }
            subscription.signalReady();
            expect(subscription.backlog).toBe(sent - consumer.seen.length);
            consumer.take(takePerStep);
          }
          const ready = subscription.waitUntilReady();
          while (consumer.seen.length < sent) {
            consumer.take(takePerStep);
            await turn();
          }
          expect(await ready).toBe(true);
          expect(subscription.backlog).toBe(0);
          expect(
            consumer.seen.map(([kind, , index, value]) =>
              kind === NotificationKind.QUALITY ? value : index,
            ),
          ).toEqual(Array.from({ length: sent }, (_, i) => i));
          expect(consumer.seen.map((entry) => entry[0])).toEqual(
            Array.from({ length: sent }, (_, i) =>
              i % 5 === 4 ? NotificationKind.QUALITY : NotificationKind.BAR,
            ),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('after close(), pending and new waits resolve true at once and entries are ignored', async () => {
    const subscription = new StreamSubscription({ capacity: 8 });
    subscription.notify(0, 0, 0);
    const pending = subscription.waitUntilReady();
    const pendingTimed = subscription.waitUntilReady(60_000);
    subscription.close();
    expect(await pending).toBe(true);
    expect(await pendingTimed).toBe(true);
    subscription.notify(0, 1, 0);
    expect(await subscription.waitUntilReady(1)).toBe(true);
    expect(subscription.overrunCount).toBe(0);
    expect(subscription.closed).toBe(true);
  });

  it('calls onReady on each hand-over (the inline executor starts its consumer there)', () => {
    let calls = 0;
    const subscription = new StreamSubscription({ capacity: 8, onReady: () => calls++ });
    subscription.notify(0, 0, 0);
    subscription.signalReady();
    subscription.signalReady();
    expect(calls).toBe(2);
    expect(subscription.queue.size()).toBe(1);
  });
});
