import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketStart, chooseBucket, downsampleBars, downsampleLine, formatBucket } from './downsample-bars';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** `count` one-minute bars from `start`, bar i: open i, high i + 0.5, low i - 0.5, close i + 0.25. */
function minuteBars(count: number, start = Date.UTC(2024, 0, 2, 0, 0)) {
  const bars = {
    time: [] as number[],
    open: [] as number[],
    high: [] as number[],
    low: [] as number[],
    close: [] as number[],
  };
  for (let i = 0; i < count; i++) {
    bars.time.push(start + i * MINUTE);
    bars.open.push(i);
    bars.high.push(i + 0.5);
    bars.low.push(i - 0.5);
    bars.close.push(i + 0.25);
  }
  return bars;
}

describe('downsampleBars', () => {
  it('leaves a series of at most maxBars bars as it is', () => {
    const bars = minuteBars(100);
    const shown = downsampleBars(bars, 100);
    expect(shown.bucketMs).toBeUndefined();
    expect(shown.time).toEqual(bars.time);
    expect(shown.close).toEqual(bars.close);
  });

  it('aggregates to the first coarser interval that fits: first open, max high, min low, last close', () => {
    const bars = minuteBars(12);
    // A spike and a dip inside the second 5-minute bucket (minutes 5..9).
    bars.high[7] = 99;
    bars.low[6] = -42;
    const shown = downsampleBars(bars, 5);
    expect(shown.bucketMs).toBe(5 * MINUTE);
    expect(shown.time).toEqual([0, 5, 10].map((m) => bars.time[0]! + m * MINUTE));
    expect(shown.open).toEqual([0, 5, 10]);
    expect(shown.high).toEqual([4.5, 99, 11.5]);
    expect(shown.low).toEqual([-0.5, -42, 9.5]);
    expect(shown.close).toEqual([4.25, 9.25, 11.25]);
  });

  it('draws more than 5,000 one-minute bars as at most 5,000, and keeps the extremes of the series', () => {
    const bars = minuteBars(20_000);
    bars.high[12_345] = 1e6;
    bars.low[777] = -1e6;
    const shown = downsampleBars(bars);
    expect(shown.time.length).toBeLessThanOrEqual(5000);
    expect(shown.bucketMs).toBe(5 * MINUTE);
    expect(Math.max(...shown.high)).toBe(1e6);
    expect(Math.min(...shown.low)).toBe(-1e6);
    expect(shown.open[0]).toBe(0);
    expect(shown.close.at(-1)).toBe(19_999.25);
    for (let i = 1; i < shown.time.length; i++) expect(shown.time[i]!).toBeGreaterThan(shown.time[i - 1]!);
  });

  it('picks a bucket coarser than the bars themselves, across gaps between sessions', () => {
    // Hourly bars, 7 a day for 30 days: 210 bars, at most 50 drawn -> daily buckets (30).
    const time: number[] = [];
    for (let d = 0; d < 30; d++)
      for (let h = 0; h < 7; h++) time.push(Date.UTC(2024, 0, 1) + d * DAY + (14 + h) * 3_600_000);
    expect(chooseBucket(time, 50)).toBe(DAY);
    expect(chooseBucket(time, 29)).toBe(7 * DAY);
  });

  it('starts weekly buckets on Monday and keeps doubling weeks past the list', () => {
    const tuesday = Date.UTC(2024, 0, 9, 12);
    expect(new Date(bucketStart(tuesday, 7 * DAY)).toISOString()).toBe('2024-01-08T00:00:00.000Z');
    const daily = Array.from({ length: 3650 }, (_, i) => Date.UTC(2000, 0, 1) + i * DAY);
    const bucket = chooseBucket(daily, 20);
    expect(bucket % (7 * DAY)).toBe(0);
    expect(bucket).toBeGreaterThan(4 * 7 * DAY);
    expect(formatBucket(bucket)).toMatch(/^\d+w$/);
  });
});

describe('downsampleBars with volume', () => {
  it('sums the volume of each bucket, and keeps the column when the bars are drawn as they are', () => {
    const bars = { ...minuteBars(10), volume: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] };
    expect(downsampleBars(bars, 10).volume).toEqual(bars.volume);
    const shown = downsampleBars(bars, 2);
    expect(shown.bucketMs).toBe(5 * MINUTE);
    expect(shown.volume).toEqual([15, 40]);
    expect(downsampleBars(minuteBars(10), 2).volume).toBeUndefined();
  });

  it('never returns more than maxBars bars, and keeps the total volume, the extremes and the last close', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 0, max: 1000 })), {
          minLength: 1,
          maxLength: 400,
        }),
        fc.integer({ min: 1, max: 50 }),
        (steps, maxBars) => {
          const bars = {
            time: [] as number[],
            open: [] as number[],
            high: [] as number[],
            low: [] as number[],
            close: [] as number[],
            volume: [] as number[],
          };
          let time = Date.UTC(2024, 0, 2);
          steps.forEach(([gapMinutes, volume], i) => {
            time += gapMinutes * MINUTE;
            bars.time.push(time);
            bars.open.push(i);
            bars.high.push(i + 1);
            bars.low.push(i - 1);
            bars.close.push(i + 0.5);
            bars.volume.push(volume);
          });
          const shown = downsampleBars(bars, maxBars);
          expect(shown.time.length).toBeLessThanOrEqual(maxBars);
          const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
          expect(sum(shown.volume ?? [])).toBe(sum(bars.volume));
          expect(Math.max(...shown.high)).toBe(Math.max(...bars.high));
          expect(Math.min(...shown.low)).toBe(Math.min(...bars.low));
          expect(shown.close[shown.close.length - 1]).toBe(bars.close[bars.close.length - 1]);
          expect(shown.time).toEqual([...shown.time].sort((a, b) => a - b));
        },
      ),
    );
  });
});

describe('downsampleLine', () => {
  it("keeps each bucket's last value, or its lowest for a drawdown", () => {
    const time = Array.from({ length: 10 }, (_, i) => i * MINUTE);
    const value = [0, -3, -1, 0, -2, -5, -4, 0, 0, -1];
    expect(downsampleLine(time, value, 'last', 2)).toEqual({ time: [0, 5 * MINUTE], value: [-2, -1] });
    expect(downsampleLine(time, value, 'min', 2)).toEqual({ time: [0, 5 * MINUTE], value: [-3, -5] });
    expect(downsampleLine(time, value, 'min', 10).value).toEqual(value);
  });
});

describe('formatBucket', () => {
  it('names bucket lengths like intervals', () => {
    expect([MINUTE, 15 * MINUTE, 3_600_000, 4 * 3_600_000, DAY, 14 * DAY].map(formatBucket)).toEqual([
      '1m',
      '15m',
      '1h',
      '4h',
      '1d',
      '2w',
    ]);
  });
});
