import { describe, expect, it, vi } from 'vitest';
import {
  appendBar,
  appendBars,
  BAR_FLAG_FILLED,
  BYTES_PER_BAR,
  createSeriesBuffers,
  DEFAULT_SERIES_WINDOW,
  openSeriesBuffers,
  publishedCount,
  readQuality,
  SERIES_HEADER,
} from './series-buffers';

describe('createSeriesBuffers', () => {
  it('sizes the ring as a power of two above window plus guard, on a SharedArrayBuffer', () => {
    const series = createSeriesBuffers();
    expect(series.window).toBe(DEFAULT_SERIES_WINDOW);
    expect(series.capacity).toBe(8192);
    expect(series.mask).toBe(8191);
    expect(series.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(series.buffer.byteLength).toBe(16 * 4 + 8192 * BYTES_PER_BAR);

    const small = createSeriesBuffers({ window: 10, guard: 6, shared: false });
    expect([small.window, small.capacity]).toEqual([10, 16]);
    expect(small.buffer).toBeInstanceOf(ArrayBuffer);
    expect(createSeriesBuffers({ window: 10 }).capacity).toBe(128);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a window of %s', (window) => {
    expect(() => createSeriesBuffers({ window })).toThrow(RangeError);
  });
});

describe('appendBar and publishedCount', () => {
  it('publishes bars in order and returns their absolute index, wrapping the ring', () => {
    const series = createSeriesBuffers({ window: 4, guard: 4, shared: false });
    for (let i = 0; i < 20; i++) {
      expect(
        appendBar(series, i * 60_000, i, i + 1, i - 1, i + 0.5, 100 + i, i % 2 ? BAR_FLAG_FILLED : 0),
      ).toBe(i);
      expect(publishedCount(series)).toBe(i + 1);
    }
    const slot = 19 & series.mask;
    expect([series.time[slot], series.close[slot], series.volume[slot], series.flags[slot]]).toEqual([
      19 * 60_000,
      19.5,
      119,
      BAR_FLAG_FILLED,
    ]);
  });
});

describe('appendBars', () => {
  it('stores what appendBar stores, wrapping the ring, and never runs further ahead of the window than its guard', () => {
    const n = 45;
    const columns = {
      time: Float64Array.from({ length: n }, (_, i) => i * 60_000),
      open: Float64Array.from({ length: n }, (_, i) => i),
      high: Float64Array.from({ length: n }, (_, i) => i + 1),
      low: Float64Array.from({ length: n }, (_, i) => i - 1),
      close: Float64Array.from({ length: n }, (_, i) => i + 0.5),
      volume: Float64Array.from({ length: n }, (_, i) => 100 + i),
    };
    const bulk = createSeriesBuffers({ window: 4, guard: 4, shared: false });
    const single = createSeriesBuffers({ window: 4, guard: 4, shared: false });
    single.flags.fill(BAR_FLAG_FILLED);
    bulk.flags.fill(BAR_FLAG_FILLED);
    appendBar(single, -60_000, 0, 0, 0, 0, 0);
    appendBar(bulk, -60_000, 0, 0, 0, 0, 0);
    // Published counts seen as the bars go in: at most capacity - window (4) bars per step.
    const store = vi.spyOn(Atomics, 'store');
    let seen: number[];
    try {
      expect(appendBars(bulk, columns, 2, n)).toBe(1);
      seen = store.mock.calls
        .filter((call) => (call[0] as unknown) === bulk.header)
        .map((call) => Number(call[2]));
    } finally {
      store.mockRestore();
    }
    for (let i = 2; i < n; i++) appendBar(single, i * 60_000, i, i + 1, i - 1, i + 0.5, 100 + i);
    expect(publishedCount(bulk)).toBe(n - 1);
    expect(seen.at(-1)).toBe(n - 1);
    expect(seen.every((count, k) => count - (k === 0 ? 1 : (seen[k - 1] as number)) <= 4)).toBe(true);
    for (const column of ['time', 'open', 'high', 'low', 'close', 'volume', 'flags'] as const) {
      expect([...bulk[column]]).toEqual([...single[column]]);
    }
  });
});

describe('openSeriesBuffers', () => {
  it('sees the same bars through the same SharedArrayBuffer, including later ones', () => {
    const writer = createSeriesBuffers({ window: 16 });
    appendBar(writer, 0, 1, 2, 0.5, 1.5, 10);
    const reader = openSeriesBuffers(writer.buffer);
    expect([reader.capacity, reader.window, publishedCount(reader)]).toEqual([writer.capacity, 16, 1]);
    appendBar(writer, 60_000, 2, 3, 1.5, 2.5, 20);
    expect(publishedCount(reader)).toBe(2);
    expect([...reader.close.subarray(0, 2)]).toEqual([1.5, 2.5]);
  });

  it('refuses a buffer that is not a series', () => {
    expect(() => openSeriesBuffers(new SharedArrayBuffer(1024))).toThrow(/not a @strat series buffer/);
  });
});

describe('readQuality', () => {
  it('is 100 before any bar is expected, then received over expected, at most 100', () => {
    const series = createSeriesBuffers({ window: 16 });
    expect(readQuality(series)).toBe(100);
    series.header[SERIES_HEADER.QUALITY_EXPECTED] = 200;
    series.header[SERIES_HEADER.QUALITY_RECEIVED] = 150;
    expect(readQuality(series)).toBe(75);
    series.header[SERIES_HEADER.QUALITY_RECEIVED] = 250;
    expect(readQuality(series)).toBe(100);
  });
});
