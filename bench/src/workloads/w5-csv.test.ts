import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvBarSource, GeneratorBarSource, TradingCalendar } from '@strat/data';
import { afterAll, describe, expect, it } from 'vitest';
import { BENCH_SEED } from '../session-configs.mjs';
import { writeBenchCsv } from './w5-csv.mjs';

const dir = mkdtempSync(join(tmpdir(), 'strat-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(
  source: {
    read(
      s: string,
      from: number,
      to: number,
    ): AsyncIterable<{ length: number; time: Float64Array; close: Float64Array; volume: Float64Array }>;
  },
  from: number,
  to: number,
) {
  const rows: number[][] = [];
  for await (const chunk of source.read('SPY', from, to)) {
    for (let i = 0; i < chunk.length; i++)
      rows.push([chunk.time[i] ?? 0, chunk.close[i] ?? 0, chunk.volume[i] ?? 0]);
  }
  return rows;
}

describe('the W5 CSV', () => {
  it('holds the generator bars, in New York local time, and reads back through CsvBarSource', async () => {
    const path = join(dir, 'spy.csv');
    // Across the switch to daylight time (2024-03-10).
    const rows = await writeBenchCsv(path, { startDate: '2024-03-08', endDate: '2024-03-11' });
    expect(rows).toBe(2 * 390);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('timestamp,open,high,low,close,volume');
    expect(lines[1]).toMatch(/^2024-03-08 09:30:00,\d+\.\d\d,/);
    expect(lines.at(-1)).toMatch(/^2024-03-11 15:59:00,/);

    const calendar = TradingCalendar.usEquities();
    const [first, last] = [calendar.sessionOn('2024-03-08'), calendar.sessionOn('2024-03-11')];
    const from = first?.open ?? 0;
    const to = last?.close ?? 0;
    const csv = new CsvBarSource({ files: [{ path, symbol: 'SPY', interval: '1m' }], calendar });
    const generated = await readAll(new GeneratorBarSource({ calendar, seed: BENCH_SEED }), from, to);
    expect(await readAll(csv, from, to)).toEqual(generated);
  });
});
