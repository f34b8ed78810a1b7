import { createSeriesBuffers, readQuality, SERIES_HEADER } from '@strat/core/internal';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeriesQuality } from './series-quality';

function tracked() {
  const buffers = createSeriesBuffers({ window: 16 });
  const calls: number[] = [];
  const quality = new SeriesQuality('SPY', '1m', buffers, (_symbol, _interval, percent) =>
    calls.push(percent),
  );
  return { buffers, calls, quality };
}

describe('SeriesQuality', () => {
  it('mirrors its counters into the series header for readQuality in any thread', () => {
    const { buffers, quality } = tracked();
    quality.update(4, 3, 1);
    expect(Atomics.load(buffers.header, SERIES_HEADER.QUALITY_EXPECTED)).toBe(4);
    expect(Atomics.load(buffers.header, SERIES_HEADER.QUALITY_RECEIVED)).toBe(3);
    expect(Atomics.load(buffers.header, SERIES_HEADER.QUALITY_FILLED)).toBe(1);
    expect(readQuality(buffers)).toBe(75);
    expect(quality.snapshot()).toEqual({
      symbol: 'SPY',
      interval: '1m',
      expected: 4,
      received: 3,
      filled: 1,
      percent: 75,
      baseInterval: '1m',
      expectedBars: 4,
      receivedBars: 3,
      partialBars: 0,
    });
    quality.reset();
    expect(readQuality(buffers)).toBe(100);
    expect(quality.snapshot()).toMatchObject({ expected: 0, received: 0, filled: 0, percent: 100 });
    expect(Atomics.load(buffers.header, SERIES_HEADER.QUALITY_FILLED)).toBe(0);
  });

  it('counts a derived series in its own interval apart from its base slots, reset per session', () => {
    const buffers = createSeriesBuffers({ window: 16 });
    const quality = new SeriesQuality('SPY', '5m', buffers, undefined, '1m');
    expect(quality.isDerived).toBe(true);
    quality.update(10, 9, 0);
    quality.countBars(2, 2, 1);
    quality.countBars(1, 0, 0);
    expect(quality.snapshot()).toEqual({
      symbol: 'SPY',
      interval: '5m',
      expected: 10,
      received: 9,
      filled: 0,
      percent: 90,
      baseInterval: '1m',
      expectedBars: 2,
      receivedBars: 2,
      partialBars: 1,
    });
    expect(readQuality(buffers)).toBe(90);
    quality.reset();
    expect(quality.snapshot()).toMatchObject({ expectedBars: 0, receivedBars: 0, partialBars: 0 });
  });

  it('never lowers the expected count', () => {
    const { quality } = tracked();
    quality.update(10, 5, 0);
    quality.update(3, 0, 0);
    expect(quality.expected).toBe(10);
    expect(quality.percent).toBe(50);
  });

  it('calls back exactly when the integer-rounded percent changes (property)', () => {
    const step = fc.record({ expected: fc.nat(50), received: fc.nat(3), filled: fc.nat(2) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const { calls, quality } = tracked();
        const expectedCalls: number[] = [];
        let expected = 0;
        let received = 0;
        let rounded = 100;
        for (const s of steps) {
          quality.update(s.expected, s.received, s.filled);
          expected = Math.max(expected, s.expected);
          received += s.received;
          const percent = expected === 0 ? 100 : Math.min(100, (received / expected) * 100);
          if (Math.round(percent) !== rounded) {
            rounded = Math.round(percent);
            expectedCalls.push(percent);
          }
        }
        expect(calls).toEqual(expectedCalls);
        expect(quality.received).toBe(received);
      }),
    );
  });
});
