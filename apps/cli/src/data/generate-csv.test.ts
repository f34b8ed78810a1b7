import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CalendarPreset, Interval } from '@strat/core';
import {
  type BarChunk,
  type BarSource,
  CsvBarSource,
  GeneratorBarSource,
  ParquetBarSource,
  TradingCalendar,
} from '@strat/data';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../usage-error';
import { csvFileName, generateCsvFiles } from './generate-csv';

const dir = mkdtempSync(join(tmpdir(), 'strat-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(source: BarSource, symbol: string, from: number, to: number) {
  const columns = {
    time: [] as number[],
    open: [] as number[],
    high: [] as number[],
    low: [] as number[],
    close: [] as number[],
    volume: [] as number[],
  };
  for await (const chunk of source.read(symbol, from, to)) {
    for (const key of Object.keys(columns) as (keyof typeof columns)[]) {
      columns[key].push(...(chunk[key] as BarChunk['time']));
    }
  }
  return columns;
}

describe('generateCsvFiles', () => {
  it.each([
    ['us_equities', '1m', 0.02, 7],
    ['24x7', '5m', 0, 42],
    ['us_equities', '1d', 0, 3],
  ] as [CalendarPreset, Interval, number, number][])(
    '%s %s bars (missing %d, seed %d) read back through the CSV source equal the generator bars',
    async (preset, interval, missingBarRate, seed) => {
      const outDir = join(dir, `${preset}-${interval}`);
      const files = await generateCsvFiles({
        symbols: ['AAA', 'BBB'],
        from: '2024-03-08',
        to: '2024-03-12', // across the US daylight-saving change
        interval,
        outDir,
        seed,
        missingBarRate,
        calendar: preset,
      });
      expect(files.map((f) => f.path)).toEqual([
        join(outDir, `AAA-${interval}.csv`),
        join(outDir, `BBB-${interval}.csv`),
      ]);
      const calendar = TradingCalendar.fromConfig({ preset });
      const sessions = calendar.sessions('2024-03-08', '2024-03-12');
      const from = sessions[0]?.open ?? 0;
      const to = sessions[sessions.length - 1]?.close ?? 0;
      const generator = new GeneratorBarSource({
        calendar,
        interval,
        seed,
        missing_bar_rate: missingBarRate,
      });
      for (const file of files) {
        const csv = new CsvBarSource({
          files: [{ path: file.path, symbol: file.symbol, interval }],
          calendar,
        });
        const expected = await readAll(generator, file.symbol, from, to);
        expect(await readAll(csv, file.symbol, from, to)).toEqual(expected);
        expect(file.bars).toBe(expected.time.length);
        expect(file.bars).toBeGreaterThan(0);
      }
    },
  );

  it('writes Parquet files that read back through the Parquet source as the generator bars', async () => {
    const outDir = join(dir, 'parquet');
    const files = await generateCsvFiles({
      symbols: ['AAA', 'B/B'],
      from: '2024-03-08',
      to: '2024-03-12',
      interval: '1m',
      outDir,
      seed: 5,
      missingBarRate: 0.03,
      calendar: 'us_equities',
      format: 'parquet',
    });
    expect(files.map((f) => f.path)).toEqual([
      join(outDir, 'AAA-1m.parquet'),
      join(outDir, 'B_B-1m.parquet'),
    ]);
    expect(existsSync(`${files[0]?.path}.partial`)).toBe(false);
    const calendar = TradingCalendar.usEquities();
    const sessions = calendar.sessions('2024-03-08', '2024-03-12');
    const from = sessions[0]?.open ?? 0;
    const to = sessions[sessions.length - 1]?.close ?? 0;
    const generator = new GeneratorBarSource({ calendar, seed: 5, missing_bar_rate: 0.03 });
    for (const file of files) {
      const parquet = new ParquetBarSource({ files: [{ path: file.path, symbol: file.symbol }], calendar });
      const expected = await readAll(generator, file.symbol, from, to);
      expect(await readAll(parquet, file.symbol, from, to)).toEqual(expected);
      expect(file.bars).toBe(expected.time.length);
      expect(file.first).toBe(new Date(expected.time[0] as number).toISOString().replace('.000Z', 'Z'));
    }
  });

  it('refuses to overwrite without force, and an empty range', async () => {
    const options = {
      symbols: ['AAA'],
      from: '2024-01-02',
      to: '2024-01-02',
      interval: '1m' as Interval,
      outDir: join(dir, 'again'),
      seed: 1,
      missingBarRate: 0,
      calendar: 'us_equities' as CalendarPreset,
    };
    await generateCsvFiles(options);
    const first = readFileSync(join(dir, 'again', 'AAA-1m.csv'), 'utf8');
    await expect(generateCsvFiles(options)).rejects.toThrow(UsageError);
    await generateCsvFiles({ ...options, force: true });
    expect(readFileSync(join(dir, 'again', 'AAA-1m.csv'), 'utf8')).toBe(first);
    await expect(generateCsvFiles({ ...options, from: '2024-01-06', to: '2024-01-07' })).rejects.toThrow(
      'no us_equities trading sessions from 2024-01-06 to 2024-01-07',
    );
  });

  it('refuses, at once and naming it, an output folder that cannot be created', async () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, '');
    const options = {
      symbols: ['AAA'],
      from: '2024-01-02',
      to: '2024-01-02',
      interval: '1m' as Interval,
      outDir: join(blocker, 'data'),
      seed: 1,
      missingBarRate: 0,
      calendar: 'us_equities' as CalendarPreset,
    };
    const refused = await generateCsvFiles(options).catch((error: unknown) => error);
    expect(UsageError.isInstance(refused)).toBe(true);
    expect((refused as Error).message).toBe(
      `--out ${join(blocker, 'data')}: Cannot create the folder ${join(blocker, 'data')}: ${blocker} is not a folder`,
    );
    if (existsSync('/proc/self')) {
      // mkdirSync(..., { recursive: true }) used to spin here for ever.
      await expect(generateCsvFiles({ ...options, outDir: '/proc/nope/data' })).rejects.toThrow(
        /^--out \/proc\/nope\/data: Cannot create the folder \/proc\/nope\/data \(at \/proc\/nope\): ENOENT/,
      );
    }
  });

  it('keeps file names safe', () => {
    expect(csvFileName('BTC/USD', '5m')).toBe('BTC_USD-5m.csv');
  });
});
