import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogHistogram } from './log-histogram';

/** The exact percentile the histogram approximates: the smallest value with `percent` % of values at or below it. */
function exactPercentile(values: number[], percent: number): number {
  const sorted = values.map((v) => (v < 1 ? 1 : Math.round(v))).sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((sorted.length * percent) / 100));
  return sorted[rank - 1] as number;
}

describe('LogHistogram', () => {
  it('is 0 when empty, and exact for small values', () => {
    const histogram = new LogHistogram();
    expect(histogram.percentile(99)).toBe(0);
    for (let v = 1; v <= 100; v++) histogram.record(v);
    expect(histogram.percentile(99)).toBe(99);
    expect(histogram.percentile(50)).toBe(50);
    expect(histogram.percentile(100)).toBe(100);
  });

  it('counts values below 1 as 1', () => {
    const histogram = new LogHistogram();
    histogram.record(0);
    histogram.record(0.2);
    expect(histogram.percentile(99)).toBe(1);
  });

  it('gives a percentile within 1/128 above the exact one, never above the largest value', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.double({ min: 0, max: 2 ** 52, noNaN: true })),
          {
            minLength: 1,
            maxLength: 300,
          },
        ),
        fc.integer({ min: 1, max: 100 }),
        (values, percent) => {
          const histogram = new LogHistogram();
          for (const v of values) histogram.record(v);
          const exact = exactPercentile(values, percent);
          const got = histogram.percentile(percent);
          const max = Math.max(...values.map((v) => (v < 1 ? 1 : Math.round(v))));
          expect(got).toBeGreaterThanOrEqual(exact);
          expect(got).toBeLessThanOrEqual(Math.max(exact, exact * (1 + 1 / 128)));
          expect(got).toBeLessThanOrEqual(max);
        },
      ),
    );
  });
});
