import type { Interval } from '@strat/core';
import { appendBar, createSeriesBuffers } from '@strat/core/internal';
import { describe, expect, it } from 'vitest';
import { BAR_TIME, CLOSE, CLOSE_TIME, createBarRegister, OPEN } from '../execution/bar-register';
import type { StampedSignal } from '../thread/stamped-signal';
import { type PaperSink, PaperTap } from './paper-tap';

const MIN = 60_000;

type Series = { symbol: string; interval: Interval };

function recorder(): { sink: PaperSink<Series>; seen: string[] } {
  const seen: string[] = [];
  const bar = createBarRegister();
  return {
    seen,
    sink: {
      series: (symbol, interval) => ({ symbol, interval }),
      bar,
      barClosed: ({ symbol, interval }) =>
        seen.push(
          `bar ${symbol} ${interval} ${(bar[BAR_TIME] as number) / MIN}-${(bar[CLOSE_TIME] as number) / MIN} ${bar[OPEN]}/${bar[CLOSE]}`,
        ),
      stepEnded: () => seen.push(`end ${(bar[CLOSE_TIME] as number) / MIN}`),
      onSignal: (signal) => seen.push(`signal ${signal.strategy}#${signal.seq} @${signal.time / MIN}`),
    },
  };
}

function signal(
  strategy: string,
  seq: number,
  closeMinute: number,
  interval: Interval = '1m',
): StampedSignal {
  return {
    seq,
    strategy,
    time: closeMinute * MIN,
    barTime: (closeMinute - 1) * MIN,
    interval,
    symbol: 'AAPL',
    action: 'BUY',
    reason: '',
    metadata: {},
  };
}

describe('PaperTap', () => {
  it('hands bars, step ends and signals over in bar-time order, whenever the signals are released', () => {
    const { sink, seen } = recorder();
    const buffers = createSeriesBuffers({ window: 16 });
    const tap = new PaperTap(sink, () => buffers);
    // Three steps published before any release (the processor runs ahead of the strategies).
    for (let minute = 1; minute <= 3; minute++) {
      const index = appendBar(buffers, (minute - 1) * MIN, minute, minute + 1, minute - 1, minute + 0.5, 10);
      tap.bar('AAPL', '1m', index, minute * MIN);
      tap.step(minute * MIN);
    }
    // One entry per bar; a step end rides on its last bar.
    expect(tap.queued).toBe(3);
    // Nothing is released up to minute 1 yet: nothing moves.
    tap.released(0);
    expect(seen).toEqual([]);
    // Signals of minutes 1 and 2 released together up to minute 2.
    tap.signals([signal('a', 1, 1), signal('b', 1, 1), signal('a', 2, 2)]);
    tap.released(2 * MIN);
    expect(seen).toEqual([
      'bar AAPL 1m 0-1 1/1.5',
      'signal a#1 @1',
      'signal b#1 @1',
      'end 1',
      'bar AAPL 1m 1-2 2/2.5',
      'signal a#2 @2',
      'end 2',
    ]);
    expect(tap.queued).toBe(1);
    // The last release settles the rest, signals or not.
    tap.released(Number.POSITIVE_INFINITY);
    expect(seen.slice(7)).toEqual(['bar AAPL 1m 2-3 3/3.5', 'end 3']);
    expect(tap.queued).toBe(0);
  });

  it('reads a waiting bar from the ring, and fails loudly once the ring no longer holds it', () => {
    const { sink, seen } = recorder();
    const buffers = createSeriesBuffers({ window: 16 });
    const tap = new PaperTap(sink, () => buffers);
    const capacity = buffers.capacity;
    // A whole ring's worth waits: still readable.
    for (let i = 0; i < capacity; i++) {
      const index = appendBar(buffers, i * MIN, i, i, i, i, 1);
      tap.bar('MSFT', '1m', index, (i + 1) * MIN);
      tap.step((i + 1) * MIN);
    }
    tap.released(capacity * MIN);
    const bars = seen.filter((line) => line.startsWith('bar'));
    expect(bars.length).toBe(capacity);
    expect(bars[capacity - 1]).toBe(
      `bar MSFT 1m ${capacity - 1}-${capacity} ${capacity - 1}/${capacity - 1}`,
    );
    // One bar more than the ring holds waits: the oldest is gone, no fill may use its slot.
    for (let i = capacity; i < capacity * 2 + 1; i++) {
      const index = appendBar(buffers, i * MIN, i, i, i, i, 1);
      tap.bar('MSFT', '1m', index, (i + 1) * MIN);
      tap.step((i + 1) * MIN);
    }
    expect(() => tap.released(Number.POSITIVE_INFINITY)).toThrow(
      `paper execution fell behind the bar store: bar ${capacity} is no longer in its ring of ${capacity}`,
    );
  });

  it('keeps the order through many partial releases (the queue moves and grows as it goes)', () => {
    const { sink, seen } = recorder();
    const buffers = createSeriesBuffers({ window: 4096 });
    const tap = new PaperTap(sink, () => buffers);
    let published = 0;
    let releasedUpTo = 0;
    // Publish in bursts of 1 to 3000 steps, release about half of what waits each time (never more
    // waiting than the ring holds, as the pipeline guarantees).
    expect(buffers.capacity).toBeGreaterThan(4500);
    for (let round = 0; round < 40; round++) {
      const burst = 1 + ((round * 7919) % 3000);
      for (let k = 0; k < burst; k++) {
        published++;
        const index = appendBar(
          buffers,
          (published - 1) * MIN,
          published,
          published,
          published,
          published,
          1,
        );
        tap.bar('AAPL', '1m', index, published * MIN);
        tap.step(published * MIN);
      }
      releasedUpTo = Math.max(releasedUpTo, published - Math.floor(burst / 2));
      tap.released(releasedUpTo * MIN);
      expect(tap.queued).toBe(published - releasedUpTo);
    }
    tap.released(Number.POSITIVE_INFINITY);
    const closes = seen.filter((l) => l.startsWith('bar')).map((l) => Number(l.split(' ')[4]?.split('/')[1]));
    expect(closes).toEqual(Array.from({ length: published }, (_, i) => i + 1));
    expect(seen.filter((l) => l.startsWith('end')).length).toBe(published);
  });

  it('ends nothing for a step without bars (no equity row where nothing was published)', () => {
    const { sink, seen } = recorder();
    const buffers = createSeriesBuffers({ window: 16 });
    const tap = new PaperTap(sink, () => buffers);
    tap.step(MIN);
    const index = appendBar(buffers, MIN, 5, 6, 4, 5.5, 1);
    tap.bar('AAPL', '1m', index, 2 * MIN);
    tap.step(2 * MIN);
    tap.released(2 * MIN);
    tap.step(3 * MIN);
    expect(tap.queued).toBe(0);
    tap.released(3 * MIN);
    expect(seen).toEqual(['bar AAPL 1m 1-2 5/5.5', 'end 2']);
  });
});
