import fc from 'fast-check';
import { AverageGain, AverageLoss, RSI } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { pricePath } from '../testing/price-paths';
import { WilderRsi } from './wilder-rsi';

function rsiSeries(period: number, closes: number[]): number[] {
  const rsi = new WilderRsi(period);
  return closes.map((close) => rsi.update(close));
}

describe('WilderRsi', () => {
  it('matches a hand computation', () => {
    // changes +1, -0.5, +1.5, -1; seed averages 0.5 / 0.25, then Wilder smoothing
    const values = rsiSeries(2, [1, 2, 1.5, 3, 2]);
    expect(values.slice(0, 2)).toEqual([Number.NaN, Number.NaN]);
    expect(values[2]).toBeCloseTo(100 - 100 / 3, 12);
    expect(values[3]).toBeCloseTo(100 - 100 / 9, 12);
    expect(values[4]).toBeCloseTo(100 - 100 / (1 + 0.5 / 0.5625), 12);
  });

  it('agrees with technicalindicators (Wilder averages) to 1e-6 after warm-up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), pricePath(2, 250), (period, closes) => {
        const mine = rsiSeries(period, closes);
        const gains = AverageGain.calculate({ period, values: closes });
        const losses = AverageLoss.calculate({ period, values: closes });
        const expectedCount = Math.max(0, closes.length - period);
        expect(gains).toHaveLength(expectedCount);
        for (let i = 0; i < closes.length; i++) {
          if (i < period) {
            expect(mine[i]).toBeNaN();
            continue;
          }
          const gain = gains[i - period] as number;
          const loss = losses[i - period] as number;
          const expected = loss === 0 ? (gain === 0 ? 50 : 100) : 100 - 100 / (1 + gain / loss);
          expect(Math.abs((mine[i] as number) - expected)).toBeLessThanOrEqual(1e-6);
        }
      }),
    );
  });

  it("agrees with technicalindicators' RSI, which rounds to 2 decimals", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 30 }), pricePath(40, 250), (period, closes) => {
        const mine = rsiSeries(period, closes).slice(period);
        const theirs = RSI.calculate({ period, values: closes });
        const gains = AverageGain.calculate({ period, values: closes });
        const losses = AverageLoss.calculate({ period, values: closes });
        expect(theirs).toHaveLength(mine.length);
        mine.forEach((value, i) => {
          if (gains[i] === 0 && losses[i] === 0) {
            // The one documented difference: a flat window is 50 here, 100 in technicalindicators.
            expect([value, theirs[i]]).toEqual([50, 100]);
          } else {
            expect(Math.abs(value - (theirs[i] as number))).toBeLessThanOrEqual(0.005 + 1e-9);
          }
        });
      }),
    );
  });

  it('gives 100 with only gains, 0 with only losses, 50 on a flat window', () => {
    expect(rsiSeries(3, [1, 2, 3, 4]).at(-1)).toBe(100);
    expect(rsiSeries(3, [4, 3, 2, 1]).at(-1)).toBe(0);
    expect(rsiSeries(3, [5, 5, 5, 5]).at(-1)).toBe(50);
  });

  it('stays within 0..100', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), pricePath(2, 120), (period, closes) => {
        for (const value of rsiSeries(period, closes).slice(period)) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(100);
        }
      }),
    );
  });

  it('starts over after reset', () => {
    const rsi = new WilderRsi(2);
    for (const close of [9, 1, 9, 1]) rsi.update(close);
    rsi.reset();
    expect(rsi.value).toBeNaN();
    expect(rsi.isReady).toBe(false);
    expect([1, 2, 1.5].map((c) => rsi.update(c)).at(-1)).toBeCloseTo(100 - 100 / 3, 12);
    expect(rsi.isReady).toBe(true);
  });

  it('rejects a period that is not a positive integer', () => {
    expect(() => new WilderRsi(0)).toThrow(RangeError);
    expect(() => new WilderRsi(2.5)).toThrow(/positive integer/);
  });
});
