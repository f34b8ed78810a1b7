import fc from 'fast-check';
import { VWAP } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { SessionVwap } from './session-vwap';

interface TestBar {
  newSession: boolean;
  high: number;
  low: number;
  close: number;
  volume: number;
}

const barArbitrary: fc.Arbitrary<TestBar> = fc
  .record({
    newSession: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    low: fc.double({ min: 1, max: 500, noNaN: true }),
    range: fc.double({ min: 0, max: 10, noNaN: true }),
    closeAt: fc.double({ min: 0, max: 1, noNaN: true }),
    volume: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100_000 })),
  })
  .map(({ newSession, low, range, closeAt, volume }) => ({
    newSession,
    low,
    high: low + range,
    close: low + range * closeAt,
    volume,
  }));

describe('SessionVwap', () => {
  it('weights the typical price by volume', () => {
    const vwap = new SessionVwap();
    expect(vwap.update(1, 12, 9, 9, 100)).toBe(10);
    // (10 * 100 + 20 * 300) / 400
    expect(vwap.update(1, 21, 19, 20, 300)).toBe(17.5);
    expect(vwap.volume).toBe(400);
  });

  it('ignores bars with zero volume and is NaN until volume trades', () => {
    const vwap = new SessionVwap();
    expect(vwap.update(1, 50, 40, 45, 0)).toBeNaN();
    expect(vwap.update(1, 11, 9, 10, 10)).toBe(10);
    expect(vwap.update(1, 1000, 1, 500, 0)).toBe(10);
  });

  it('starts over when the session changes', () => {
    const vwap = new SessionVwap();
    vwap.update(20240304, 11, 9, 10, 10);
    expect(vwap.update(20240305, 31, 29, 30, 5)).toBe(30);
    expect(vwap.session).toBe(20240305);
    vwap.reset();
    expect(vwap.value).toBeNaN();
    expect(vwap.session).toBeNaN();
  });

  it('agrees with technicalindicators run on each session separately (relative 1e-9)', () => {
    fc.assert(
      fc.property(fc.array(barArbitrary, { minLength: 1, maxLength: 200 }), (bars) => {
        const vwap = new SessionVwap();
        let session = 0;
        const mine = bars.map((b, i) => {
          if (b.newSession && i > 0) session++;
          return { session, value: vwap.update(session, b.high, b.low, b.close, b.volume) };
        });
        for (let s = 0; s <= session; s++) {
          const segment = bars.filter((_, i) => mine[i]?.session === s);
          const theirs = VWAP.calculate({
            high: segment.map((b) => b.high),
            low: segment.map((b) => b.low),
            close: segment.map((b) => b.close),
            volume: segment.map((b) => b.volume),
          });
          const ours = mine.filter((m) => m.session === s).map((m) => m.value);
          expect(theirs).toHaveLength(ours.length);
          ours.forEach((value, i) => {
            const expected = theirs[i] as number;
            // Both are 0/0 (NaN) until the session's first bar with volume.
            if (Number.isNaN(expected)) expect(value).toBeNaN();
            else expect(Math.abs(value - expected)).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
          });
        }
      }),
    );
  });
});
