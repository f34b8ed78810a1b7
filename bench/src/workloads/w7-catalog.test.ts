import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatalogBarSource, GeneratorBarSource, TradingCalendar } from '@strat/data';
import { afterAll, describe, expect, it } from 'vitest';
import { BENCH_SEED } from '../session-configs.mjs';
import { writeBenchCatalog } from './w7-catalog.mjs';

const dir = mkdtempSync(join(tmpdir(), 'strat-bench-w7-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(source: {
  read(
    s: string,
    from: number,
    to: number,
  ): AsyncIterable<{ length: number; time: Float64Array; close: Float64Array }>;
}) {
  const rows: number[][] = [];
  for await (const c of source.read('SPY', -Infinity, Infinity)) {
    for (let i = 0; i < c.length; i++) rows.push([c.time[i] ?? 0, c.close[i] ?? 0]);
  }
  return rows;
}

describe('the W7 catalog', () => {
  it("holds the generator's bars for the range, one partition per UTC year", async () => {
    const written = await writeBenchCatalog(join(dir, 'catalog'), {
      startDate: '2023-12-28',
      endDate: '2024-01-03',
    });
    const calendar = TradingCalendar.usEquities();
    const sessions = calendar.sessions('2023-12-28', '2024-01-03');
    expect(written).toEqual({ rows: sessions.length * 390, partitions: 2 });
    const generator = new GeneratorBarSource({ calendar, seed: BENCH_SEED });
    const expected: number[][] = [];
    for await (const c of generator.read('SPY', sessions[0]?.open ?? 0, sessions.at(-1)?.close ?? 0)) {
      for (let i = 0; i < c.length; i++) expected.push([c.time[i] ?? 0, c.close[i] ?? 0]);
    }
    expect(await readAll(new CatalogBarSource({ path: join(dir, 'catalog') }))).toEqual(expected);
  });
});
