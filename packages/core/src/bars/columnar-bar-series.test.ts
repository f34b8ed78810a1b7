import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar } from './bar';
import type { BarSeries } from './bar-series';
import { ColumnarBarSeries } from './columnar-bar-series';
import {
  appendBar,
  BAR_FLAG_FILLED,
  createSeriesBuffers,
  openSeriesBuffers,
  type SeriesBuffers,
} from './series-buffers';

const price = fc.double({ min: 0.01, max: 10_000, noNaN: true, noDefaultInfinity: true });
const barArb = fc.record({
  open: price,
  high: price,
  low: price,
  close: price,
  volume: fc.integer({ min: 0, max: 1_000_000 }),
  filled: fc.boolean(),
});

// Times are derived from the index so that every visible bar tells which absolute bar it is.
function buildModel(rows: ReadonlyArray<Omit<Bar, 'time'>>): Bar[] {
  return rows.map((row, i) => ({ time: i * 60_000, ...row }));
}

function fill(series: SeriesBuffers, bars: readonly Bar[]): void {
  for (const b of bars) {
    appendBar(series, b.time, b.open, b.high, b.low, b.close, b.volume, b.filled ? BAR_FLAG_FILLED : 0);
  }
}

function expectViewEquals(view: BarSeries, expected: readonly Bar[], firstIndex: number): void {
  expect(view.length).toBe(expected.length);
  expect(view.toArray()).toEqual(expected);
  expect([...view]).toEqual(expected);
  expect(view.lastIndex).toBe(expected.length === 0 ? -1 : firstIndex + expected.length - 1);
  for (let i = 0; i < expected.length; i++) {
    expect(view.absoluteIndex(i)).toBe(firstIndex + i);
    expect(view.isFilled(i)).toBe(expected[i]?.filled);
  }
  expect(Array.from(view.close.toArray())).toEqual(expected.map((b) => b.close));
  expect([...view.volume]).toEqual(expected.map((b) => b.volume));
}

const seriesCase = fc.record({
  window: fc.integer({ min: 1, max: 24 }),
  guard: fc.integer({ min: 0, max: 8 }),
  rows: fc.array(barArb, { maxLength: 120 }),
});

describe('ColumnarBarSeries over a ring', () => {
  it('shows the last `window` bars of everything appended, in order', () => {
    fc.assert(
      fc.property(seriesCase, ({ window, guard, rows }) => {
        const series = createSeriesBuffers({ window, guard, shared: false });
        const model = buildModel(rows);
        fill(series, model);
        const view = new ColumnarBarSeries(series, 'AAPL', '1m');
        const start = Math.max(0, model.length - window);
        expectViewEquals(view, model.slice(start), start);
      }),
    );
  });

  it('never shows a bar at or after the bound, while the writer stays within the guard', () => {
    fc.assert(
      fc.property(seriesCase, fc.nat(), ({ window, guard, rows }, pick) => {
        const series = createSeriesBuffers({ window, guard, shared: false });
        const model = buildModel(rows);
        fill(series, model);
        // The writer may run at most capacity - window bars ahead of a reader: bounds older than that are out of contract.
        const lowest = Math.max(0, model.length - (series.capacity - window));
        const k = lowest + (pick % (model.length - lowest + 1));
        const view = new ColumnarBarSeries(series, 'AAPL', '1m').bound(k);
        expect(view.lastIndex).toBeLessThan(k);
        for (const bar of view) expect(bar.time).toBeLessThan(k * 60_000);
        const start = Math.max(0, k - window);
        expectViewEquals(view, model.slice(start, k), start);
      }),
    );
  });

  it('never shows unpublished bars, whatever the bound asks for', () => {
    const series = createSeriesBuffers({ window: 8, shared: false });
    fill(series, buildModel([{ open: 1, high: 1, low: 1, close: 1, volume: 1, filled: false }]));
    const view = new ColumnarBarSeries(series, 'AAPL', '1m', 50);
    expect(view.length).toBe(1);
    expect(view.bound(100, 100).length).toBe(1);
    expect(view.bound(0).length).toBe(0);
  });

  it('answers column reads like the plain array model', () => {
    fc.assert(
      fc.property(
        seriesCase,
        fc.integer({ min: -30, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        (c, i, n) => {
          const series = createSeriesBuffers({ window: c.window, guard: c.guard, shared: false });
          const model = buildModel(c.rows);
          fill(series, model);
          const visible = model.slice(Math.max(0, model.length - c.window)).map((b) => b.close);
          const close = new ColumnarBarSeries(series, 'AAPL', '1m').close;

          expect(close.length).toBe(visible.length);
          expect(Number.isNaN(close.get(i)) ? undefined : close.get(i)).toBe(i >= 0 ? visible[i] : undefined);
          expect(close.at(i)).toBe(i >= 0 ? visible[i] : visible[visible.length + i]);
          expect(Number.isNaN(close.last()) ? undefined : close.last()).toBe(visible.at(-1));

          // Sums add oldest to newest from 0, so they equal the plain left fold bit for bit (a
          // strategy's averages, and so its signals, do not depend on where the ring wraps).
          const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
          expect(close.sum()).toBe(sum(visible));
          const from = Math.max(0, Math.min(i, visible.length));
          expect(close.sum(from, from + n)).toBe(sum(visible.slice(from, from + n)));
          expect(close.sum(from + n, from)).toBe(0);
          if (n >= 1 && n <= visible.length) {
            expect(close.meanOfLast(n)).toBe(sum(visible.slice(-n)) / n);
          } else {
            expect(close.meanOfLast(n)).toBeNaN();
          }
          expect(Array.from(close.toArray())).toEqual(visible);
        },
      ),
    );
  });

  it('computes meanOfLast ending earlier in the window', () => {
    const series = createSeriesBuffers({ window: 8, shared: false });
    fill(
      series,
      buildModel(
        [1, 2, 3, 4, 5].map((close) => ({ open: 0, high: 0, low: 0, close, volume: 0, filled: false })),
      ),
    );
    const close = new ColumnarBarSeries(series, 'A', '1m').close;
    expect(close.meanOfLast(2, 3)).toBe(2.5);
    expect(close.meanOfLast(4, 3)).toBeNaN();
    expect(close.meanOfLast(1, 6)).toBeNaN();
    expect(close.meanOfLast(0)).toBeNaN();
  });

  it('returns the newest n bars from last(n), never more than the view holds', () => {
    fc.assert(
      fc.property(seriesCase, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), (c, n, m) => {
        const series = createSeriesBuffers({ window: c.window, guard: c.guard, shared: false });
        const model = buildModel(c.rows);
        fill(series, model);
        const view = new ColumnarBarSeries(series, 'AAPL', '1m');
        const visible = model.slice(Math.max(0, model.length - c.window));
        const tail = n === 0 ? [] : visible.slice(-n);
        const lastN = view.last(n);
        expect(lastN.toArray()).toEqual(tail);
        expect(lastN.lastIndex).toBe(tail.length === 0 ? -1 : view.lastIndex);
        expect(lastN.symbol).toBe('AAPL');
        expect(lastN.last(m).toArray()).toEqual(m === 0 ? [] : tail.slice(-m));
      }),
    );
  });

  it('returns bar objects from at(), negative indices from the newest', () => {
    const series = createSeriesBuffers({ window: 4, shared: false });
    const model = buildModel(
      [10, 11, 12].map((close, i) => ({
        open: close,
        high: close,
        low: close,
        close,
        volume: i,
        filled: i === 1,
      })),
    );
    fill(series, model);
    const view = new ColumnarBarSeries(series, 'AAPL', '1m');
    expect(view.at(0)).toEqual(model[0]);
    expect(view.at(-1)).toEqual(model[2]);
    expect(view.at(-3)).toEqual(model[0]);
    expect(view.at(3)).toBeUndefined();
    expect(view.at(-4)).toBeUndefined();
    expect(view.isFilled(1)).toBe(true);
    expect(view.isFilled(5)).toBe(false);
  });

  it('shows an empty series as empty', () => {
    const view = new ColumnarBarSeries(createSeriesBuffers({ window: 4, shared: false }), 'A', '1m');
    expect([view.length, view.lastIndex, view.toArray(), view.close.last(), view.close.sum()]).toEqual([
      0,
      -1,
      [],
      Number.NaN,
      0,
    ]);
  });

  it('follows the writer after refresh(), through a reopened SharedArrayBuffer', () => {
    const writer = createSeriesBuffers({ window: 16 });
    const model = buildModel(
      Array.from({ length: 40 }, (_, i) => ({
        open: i,
        high: i,
        low: i,
        close: i,
        volume: i,
        filled: false,
      })),
    );
    fill(writer, model.slice(0, 10));
    const view = new ColumnarBarSeries(openSeriesBuffers(writer.buffer), 'AAPL', '1m');
    expect(view.toArray()).toEqual(model.slice(0, 10));
    fill(writer, model.slice(10));
    expect(view.length).toBe(10);
    expect(view.refresh().toArray()).toEqual(model.slice(24, 40));
  });
});
