import { describe, expect, it } from 'vitest';
import { barSeriesFromBars } from './bar-series-from-bars';

describe('barSeriesFromBars', () => {
  const bars = [
    { time: 0, open: 10, high: 12, low: 9, close: 11, volume: 100 },
    { time: 300_000, open: 11, high: 11, low: 11, close: 11, volume: 0, filled: true },
    { time: 600_000, open: 11, high: 13, low: 10, close: 12.5, volume: 250 },
  ];

  it('holds every bar given, with filled defaulting to false', () => {
    const series = barSeriesFromBars('AAPL', '5m', bars);
    expect([series.symbol, series.interval, series.length]).toEqual(['AAPL', '5m', 3]);
    expect(series.toArray()).toEqual([{ ...bars[0], filled: false }, bars[1], { ...bars[2], filled: false }]);
    expect(series.close.last()).toBe(12.5);
    expect(series.high.sum()).toBe(36);
    expect(series.volume.meanOfLast(2)).toBe(125);
  });

  it('makes an empty series from no bars', () => {
    const series = barSeriesFromBars('AAPL', '1m', []);
    expect(series.length).toBe(0);
    expect(series.at(0)).toBeUndefined();
  });
});
