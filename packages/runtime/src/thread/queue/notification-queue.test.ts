import { once } from 'node:events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startTypeScriptWorker } from '../../../test/helpers';
import { NotificationKind, NotificationQueue, QUEUE_CONTROL } from './notification-queue';

type Op = { op: 'push'; count: number } | { op: 'publish' } | { op: 'consume'; count: number };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('push' as const), count: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ op: fc.constant('publish' as const) }),
  fc.record({ op: fc.constant('consume' as const), count: fc.integer({ min: 1, max: 20 }) }),
);

describe('NotificationQueue', () => {
  it('rounds the capacity up to a power of two and rejects nonsense', () => {
    expect(NotificationQueue.create({ capacity: 100 }).capacity).toBe(128);
    expect(NotificationQueue.create().capacity).toBe(65_536);
    expect(() => NotificationQueue.create({ capacity: 1 })).toThrow(RangeError);
    expect(() => NotificationQueue.create({ capacity: 2.5 })).toThrow(RangeError);
  });

  it('reopens from its buffer and refuses a foreign buffer', () => {
    const queue = NotificationQueue.create({ capacity: 8 });
    queue.push(3, 7, 1.5);
    queue.publish();
    const other = NotificationQueue.open(queue.buffer);
    expect(other.size()).toBe(1);
    expect(other.indices[other.readCursor & other.mask]).toBe(7);
    expect(() => NotificationQueue.open(new SharedArrayBuffer(1024))).toThrow(
      /not a @strat notification queue/,
    );
  });

  it('keeps unpublished entries invisible and reports full instead of overwriting', () => {
    const queue = NotificationQueue.create({ capacity: 4 });
    for (let i = 0; i < 4; i++) expect(queue.push(0, i, i)).toBe(true);
    expect(queue.push(0, 4, 4)).toBe(false);
    expect(queue.size()).toBe(0);
    expect(queue.unpublished).toBe(4);
    queue.publish();
    expect(queue.size()).toBe(4);
    expect(queue.unpublished).toBe(0);
    queue.commit((queue.readCursor + 1) | 0);
    expect(queue.freeSlots()).toBe(1);
    expect(queue.push(0, 4, 4)).toBe(true);
    expect(queue.indices[4 & queue.mask]).toBe(4);
  });

  it('delivers every entry once, in order, for any interleaving (also across the 32-bit wrap)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(0, 2 ** 31 - 7, -3),
        fc.array(opArbitrary, { maxLength: 200 }),
        (capacityLog, start, ops) => {
          const capacity = 2 ** capacityLog;
          const queue = NotificationQueue.create({ capacity, initialCursor: start });
          let nextValue = 0;
          let pushedUnpublished = 0;
          let published = 0;
          let consumed = 0;
          let position = queue.readCursor;
          for (const step of ops) {
            if (step.op === 'push') {
              for (let i = 0; i < step.count; i++) {
                const inRing = published - consumed + pushedUnpublished;
                const accepted = queue.pushEntry(
                  NotificationKind.BAR,
                  nextValue % 97,
                  nextValue,
                  nextValue * 0.25,
                );
                expect(accepted).toBe(inRing < capacity);
                if (!accepted) break;
                nextValue++;
                pushedUnpublished++;
              }
            } else if (step.op === 'publish') {
              queue.publish();
              published += pushedUnpublished;
              pushedUnpublished = 0;
            } else {
              const available = queue.size();
              expect(available).toBe(published - consumed);
              const take = Math.min(step.count, available);
              for (let i = 0; i < take; i++) {
                const slot = position & queue.mask;
                expect(queue.kinds[slot]).toBe(NotificationKind.BAR);
                expect(queue.seriesIds[slot]).toBe(consumed % 97);
                expect(queue.indices[slot]).toBe(consumed);
                expect(queue.values[slot]).toBe(consumed * 0.25);
                position = (position + 1) | 0;
                consumed++;
              }
              queue.commit(position);
            }
          }
          expect(queue.size()).toBe(published - consumed);
          expect(queue.unpublished).toBe(pushedUnpublished);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('waitForCommit resolves once the consumer commits the target, and false on timeout', async () => {
    const queue = NotificationQueue.create({ capacity: 16 });
    for (let i = 0; i < 3; i++) queue.push(0, i, 0);
    queue.publish();
    const target = queue.pushCursor;
    expect(await queue.waitForCommit(target, 5)).toBe(false);
    const done = queue.waitForCommit(target);
    setTimeout(() => queue.commit((target - 1) | 0), 1);
    setTimeout(() => queue.commit(target), 5);
    expect(await done).toBe(true);
    expect(Atomics.load(queue.control, QUEUE_CONTROL.WAITING)).toBe(0);
  });

  it('waitForCommit resolves true at once when the consumer is declared gone', async () => {
    const queue = NotificationQueue.create({ capacity: 16 });
    queue.push(0, 0, 0);
    queue.publish();
    let closed = false;
    const waiting = queue.waitForCommit(queue.pushCursor, Number.POSITIVE_INFINITY, () => closed);
    closed = true;
    queue.wakeWaiters();
    expect(await waiting).toBe(true);
  });

  it('passes 200,000 entries to a consumer worker thread without loss or reordering', async () => {
    const total = 200_000;
    const queue = NotificationQueue.create({ capacity: 1024 });
    const worker = startTypeScriptWorker(
      new URL('../../../test/fixtures/queue-consumer.worker.ts', import.meta.url),
      {
        workerData: { buffer: queue.buffer, total, chunk: 300 },
      },
    );
    const result = once(worker, 'message');
    let seed = 7;
    let sent = 0;
    while (sent < total) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const batch = Math.min(total - sent, 1 + (seed % 700));
      for (let i = 0; i < batch; i++) {
        while (!queue.push((sent % 1000) | 0, sent, sent / 2)) {
          queue.publish();
          await queue.waitForCommit((queue.readCursor + 1) | 0, 1000);
        }
        sent++;
      }
      queue.publish();
    }
    const [message] = (await result) as [{ received: number; mismatches: number }];
    expect(message).toEqual({ received: total, mismatches: 0 });
    expect(queue.size()).toBe(0);
    await once(worker, 'exit');
  });
});
