import { describe, expect, it } from 'vitest';
import { EquityBuffer } from './equity-buffer';

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
});
