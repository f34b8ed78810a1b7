import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotificationKind, NotificationQueue } from './notification-queue';
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

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('StreamSubscription', () => {
  it('data-driven: waits without limit until the strategy has processed everything', async () => {
    const subscription = new StreamSubscription({ capacity: 64 });
    const consumer = new ManualConsumer(subscription);
    for (let i = 0; i < 5; i++) subscription.notify(0, i, i * 60_000);
    let resolved = false;
    const ready = subscription.waitUntilReady().then((value) => {
      resolved = value;
    });
    await tick(20);
    expect(resolved).toBe(false);
    consumer.take(2);
    await tick(5);
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
    setTimeout(() => consumer.take(), 5);
    expect(await subscription.waitUntilReady(1000)).toBe(true);
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
    await tick(5);
    expect(ready).toBe(false);
    subscription.acknowledgeMessage();
    await tick(5);
    expect(ready).toBe(false);
    subscription.acknowledgeMessage();
    await waiting;
    expect(ready).toBe(true);
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
