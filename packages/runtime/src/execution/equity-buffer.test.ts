import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EquityBuffer } from './equity-buffer';
import { equityRowsOf } from './equity-rows';
import type { EquityColumns } from './execution-types';

/** Every row of a compact curve as its reader gives it, by index and in blocks: [time, equity, exposure]. */
function readRows(columns: EquityColumns): { byIndex: number[][]; inBlocks: number[][] } {
  const rows = equityRowsOf(columns);
  const byIndex = Array.from({ length: rows.count }, (_, i) => [rows.timeAt(i), rows.equityAt(i)]);
  const inBlocks: number[][] = [];
  const blocks = rows.blocks();
  for (let length = blocks.next(); length > 0; length = blocks.next()) {
    for (let i = 0; i < length; i++) inBlocks.push([blocks.time[i]!, blocks.equity[i]!, blocks.exposure[i]!]);
  }
  expect(blocks.next()).toBe(0);
  return { byIndex, inBlocks };
}

/** Whether a property of `columns` is still to be worked out (an accessor, not a value). */
const pending = (columns: EquityColumns, name: string) =>
  Object.getOwnPropertyDescriptor(columns, name)?.get !== undefined;

describe('EquityBuffer', () => {
  it('keeps every row across its chunks, in order, and tells the last one', () => {
    const buffer = new EquityBuffer();
    expect(buffer.last()).toBeUndefined();
    expect(buffer.columns()).toMatchObject({ count: 0 });
    const rows = 40_000; // more than two chunks
    for (let i = 0; i < rows; i++) buffer.push(i * 60_000, 100_000 + i, 50_000 - i, i % 7);
    expect(buffer.count).toBe(rows);
    expect(buffer.last()).toEqual({
      time: (rows - 1) * 60_000,
      equity: 100_000 + rows - 1,
      cash: 50_001 - rows,
      exposure: (rows - 1) % 7,
    });
    const columns = buffer.columns();
    expect(columns.count).toBe(rows);
    expect(columns.time.length).toBe(rows);
    for (const i of [0, 1, 16_383, 16_384, 16_385, 32_767, 32_768, rows - 1]) {
      expect([columns.time[i], columns.equity[i], columns.cash[i], columns.exposure[i]]).toEqual([
        i * 60_000,
        100_000 + i,
        50_000 - i,
        i % 7,
      ]);
    }
  });

  it('replaces the last row by one at the same time', () => {
    const buffer = new EquityBuffer();
    buffer.push(60_000, 100, 100, 0);
    buffer.push(120_000, 101, 50, 51);
    buffer.push(120_000, 102, 50, 52);
    expect(buffer.count).toBe(2);
    expect(buffer.last()).toEqual({ time: 120_000, equity: 102, cash: 50, exposure: 52 });
    expect(Array.from(buffer.columns().equity)).toEqual([100, 102]);
  });

  it('gives its chunks to the next buffers once released: their rows are their own, the copies stay', () => {
    const first = new EquityBuffer();
    for (let i = 0; i < 20_000; i++) first.push(i, i + 1, i + 2, i + 3);
    const copy = first.columns();
    first.release();
    expect(first.count).toBe(0);
    const second = new EquityBuffer();
    for (let i = 0; i < 30_000; i++) second.push(-i, -i - 1, -i - 2, -i - 3);
    const columns = second.columns();
    expect(columns.count).toBe(30_000);
    for (const i of [0, 16_383, 16_384, 19_999, 20_000, 29_999]) {
      expect([columns.time[i], columns.equity[i], columns.cash[i], columns.exposure[i]]).toEqual([
        -i,
        -i - 1,
        -i - 2,
        -i - 3,
      ]);
    }
    expect([copy.time[19_999], copy.equity[19_999], copy.cash[19_999], copy.exposure[19_999]]).toEqual([
      19_999, 20_000, 20_001, 20_002,
    ]);
  });

  it('works out compact rows (one position or none) bit for bit as marking whole rows would', () => {
    // Marking as PaperAccount does it: equity = cash + side * quantity * close, exposure = 0 + quantity * close.
    const step = fc.record({
      time: fc.integer({ min: 0, max: 40 }),
      positions: fc.array(
        fc.record({
          side: fc.constantFrom(1, -1),
          quantity: fc.double({ min: 0, max: 1e6, noNaN: true }),
          close: fc.oneof(fc.double({ min: -1e4, max: 1e6, noNaN: true }), fc.constant(Number.NaN)),
        }),
        { maxLength: 3 },
      ),
      cash: fc.oneof(fc.double({ min: -1e7, max: 1e7, noNaN: true }), fc.constant(100_000)),
    });
    // Gaps between steps: 0 replaces the last row; even minutes make runs of times, the others break
    // them (a fraction whose sums round, a session's overnight gap, a tiny step).
    const gaps = [0, 60_000, 60_000, 60_000, 120_000, 0.1, 66_600_000, 1e-9];
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1.7e12, 1.7e12 + 0.3),
        fc.array(step, { minLength: 1, maxLength: 60 }),
        (start, steps) => {
          const buffer = new EquityBuffer();
          const expected: Array<[number, number, number, number]> = [];
          let time = start;
          const register = new Float64Array(4);
          for (const s of steps) {
            // Times never go back; an equal time replaces the last row.
            if (expected.length > 0) time += gaps[s.time % gaps.length] as number;
            let equity = s.cash;
            let exposure = 0;
            for (const p of s.positions) {
              equity += p.side * p.quantity * p.close;
              exposure += p.quantity * p.close;
            }
            const row: [number, number, number, number] = [time, equity, s.cash, exposure];
            if (expected.length > 0 && expected[expected.length - 1]?.[0] === time)
              expected[expected.length - 1] = row;
            else expected.push(row);
            const [only] = s.positions;
            if (s.positions.length > 1) buffer.push(time, equity, s.cash, exposure);
            else {
              register[0] = time;
              register[1] = s.cash;
              register[2] = only === undefined ? 0 : only.side;
              register[3] = only === undefined ? 0 : only.side * only.quantity * only.close;
              buffer.mark(register);
            }
            const last = buffer.last();
            expect(last && [last.time, last.equity, last.cash, last.exposure]).toEqual(row);
          }
          const columns = buffer.columns();
          expect(columns.count).toBe(expected.length);
          const got = expected.map((_, i) => [
            columns.time[i],
            columns.equity[i],
            columns.cash[i],
            columns.exposure[i],
          ]);
          // toEqual tells 0 from -0 and NaN equals NaN: bit for bit but for NaN payloads.
          expect(got).toEqual(expected);
          // Finished compact, the same rows: read in place, then as columns worked out one by one.
          const finished = buffer.finish();
          const { byIndex, inBlocks } = readRows(finished);
          expect(byIndex).toEqual(expected.map(([time, equity]) => [time, equity]));
          expect(inBlocks).toEqual(expected.map(([time, equity, , exposure]) => [time, equity, exposure]));
          expect([finished.time, finished.equity, finished.cash, finished.exposure]).toEqual([
            columns.time,
            columns.equity,
            columns.cash,
            columns.exposure,
          ]);
          buffer.release();
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps cash once per change and marks aside only for rows it cannot work out', () => {
    const buffer = new EquityBuffer();
    const register = new Float64Array(4);
    const mark = (time: number, cash: number, side: number, value: number) => {
      register.set([time, cash, side, value]);
      buffer.mark(register);
    };
    mark(60_000, 100_000, 0, 0);
    mark(120_000, 50_000, 1, 50_100);
    mark(180_000, 50_000, 1, 50_200);
    mark(240_000, 50_000, 1, Number.NaN);
    buffer.push(300_000, 99_000, 40_000, 61_000);
    mark(360_000, 40_000, -1, -10_000);
    mark(420_000, 0, 0, 0);
    mark(480_000, -0, 0, 0);
    const c = buffer.columns();
    expect(Object.is(c.cash[7], -0) && Object.is(c.equity[7], -0)).toBe(true);
    expect(Array.from(c.equity)).toEqual([100_000, 100_100, 100_200, Number.NaN, 99_000, 30_000, 0, -0]);
    expect(Array.from(c.cash)).toEqual([100_000, 50_000, 50_000, 50_000, 40_000, 40_000, 0, -0]);
    expect(Array.from(c.exposure)).toEqual([0, 50_100, 50_200, Number.NaN, 61_000, 10_000, 0, 0]);
  });

  it('finishes into columns worked out when first read, then gives its chunks back', () => {
    const buffer = new EquityBuffer();
    const register = new Float64Array(4);
    for (let i = 0; i < 20_000; i++) {
      register.set([60_000 * i, 1_000 - (i >> 10), i % 2, i % 2 === 0 ? 0 : i]);
      buffer.mark(register);
    }
    const whole = buffer.columns();
    const finished = buffer.finish();
    expect(Object.keys(finished)).toEqual(['count', 'time', 'equity', 'cash', 'exposure']);
    const rows = equityRowsOf(finished);
    expect(rows.count).toBe(20_000);
    expect(['time', 'equity', 'cash', 'exposure'].filter((name) => pending(finished, name))).toHaveLength(4);
    expect(buffer.count).toBe(20_000);
    const cash = finished.cash;
    expect(cash).toEqual(whole.cash);
    // The four at once, worked out once.
    expect(['time', 'equity', 'cash', 'exposure'].filter((name) => pending(finished, name))).toEqual([]);
    expect(finished.cash).toBe(cash);
    expect({ ...finished }).toEqual(whole);
    // Every column out: the buffer's chunks went back, and the rows are read from the columns.
    expect(buffer.count).toBe(0);
    expect(equityRowsOf(finished)).not.toBe(rows);
    expect(equityRowsOf(finished).equityAt(19_999)).toBe(whole.equity[19_999]);
    // A copy (structured clone) of a finished curve holds its columns.
    const other = new EquityBuffer();
    other.push(1, 2, 3, 4);
    const expected = other.columns();
    expect(structuredClone(other.finish())).toEqual(expected);
    // A column set by its reader stays as set; the others are worked out as they were.
    const third = new EquityBuffer();
    third.push(1, 2, 3, 4);
    const set = third.finish();
    const replacement = new Float64Array([9]);
    set.time = replacement;
    expect(set.time).toBe(replacement);
    expect(Array.from(set.equity)).toEqual([2]);
    expect(set.time).toBe(replacement);
  });

  it('rows across chunks keep their cash changes and asides in place', () => {
    const buffer = new EquityBuffer();
    const register = new Float64Array(4);
    const rows = 50_000;
    for (let i = 0; i < rows; i++) {
      if (i % 10_000 === 5) buffer.push(i, -i, i % 3, 2 * i);
      else {
        register.set([i, Math.floor(i / 7_000), i % 2 === 0 ? 1 : -1, i % 2 === 0 ? i : -i]);
        buffer.mark(register);
      }
    }
    const c = buffer.columns();
    // Finished compact (several chunks, several blocks), its reader gives every row as the columns hold it.
    const finished = buffer.finish();
    const { byIndex, inBlocks } = readRows(finished);
    expect(inBlocks).toHaveLength(rows);
    for (let i = 0; i < rows; i++) {
      expect(byIndex[i]).toEqual([c.time[i], c.equity[i]]);
      expect(inBlocks[i]).toEqual([c.time[i], c.equity[i], c.exposure[i]]);
    }
    for (const i of [0, 4, 5, 6, 16_383, 16_384, 16_385, 20_005, 32_768, 49_999]) {
      if (i % 10_000 === 5) expect([c.equity[i], c.cash[i], c.exposure[i]]).toEqual([-i, i % 3, 2 * i]);
      else {
        const cash = Math.floor(i / 7_000);
        expect([c.time[i], c.equity[i], c.cash[i], c.exposure[i]]).toEqual([
          i,
          cash + (i % 2 === 0 ? i : -i),
          cash,
          i,
        ]);
      }
    }
  });
});
