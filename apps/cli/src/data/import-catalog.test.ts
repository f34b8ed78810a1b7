import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DataError } from '@strat/core';
import {
  type BarSource,
  CatalogBarSource,
  type CatalogManifest,
  GeneratorBarSource,
  ParquetBarSource,
  TradingCalendar,
  zonedWallTimeToUtc,
} from '@strat/data';
import { InvalidArgumentError } from 'commander';
import { type ColumnSource, parquetWriteFile } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../usage-error';
import { importCatalog, importFormatOf } from './import-catalog';
import { parseColumnsOption } from './import-columns';

/** The writer's schema element. */
type SchemaElement = NonNullable<Parameters<typeof parquetWriteFile>[0]['schema']>[number];

const MINUTE = 60_000;
const us = TradingCalendar.usEquities();
const dir = mkdtempSync(join(tmpdir(), 'strat-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Bars {
  time: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

async function readAll(source: BarSource, symbol: string): Promise<Bars> {
  const bars: Bars = { time: [], open: [], high: [], low: [], close: [], volume: [] };
  for await (const chunk of source.read(symbol, -Infinity, Infinity)) {
    for (const key of Object.keys(bars) as (keyof Bars)[]) bars[key].push(...chunk[key]);
  }
  return bars;
}

/** New York wall time of an instant, as if UTC (epoch ms). */
function wallTime(instant: number): number {
  for (const hours of [4, 5]) {
    const wall = instant - hours * 3_600_000;
    if (zonedWallTimeToUtc(wall, 'America/New_York') === instant) return wall;
  }
  throw new Error(`no New York wall time for ${new Date(instant).toISOString()}`);
}

const isoText = (wall: number): string => new Date(wall).toISOString().slice(0, 19).replace('T', ' ');

function element(name: string, rest: Omit<SchemaElement, 'name'>): SchemaElement {
  return { name, repetition_type: 'REQUIRED', ...rest };
}

function writeParquet(path: string, columns: [SchemaElement, ColumnSource['data']][], rowGroupSize = 500) {
  parquetWriteFile({
    filename: path,
    schema: [{ name: 'root', num_children: columns.length }, ...columns.map(([e]) => e)],
    columnData: columns.map(([e, data]) => ({ name: e.name, data })),
    rowGroupSize,
  });
}

function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(folder, join(e.parentPath, e.name)));
}

let generated: Bars;
let csvPath: string;
let parquetPath: string;
let epochPath: string;

beforeAll(async () => {
  // The week of the 2024 spring DST change, with gaps, end-labelled in New York time, as vendors write them.
  generated = { time: [], open: [], high: [], low: [], close: [], volume: [] };
  const source = new GeneratorBarSource({ calendar: us, seed: 11, missing_bar_rate: 0.05 });
  for await (const chunk of source.read(
    'ES',
    Date.parse('2024-03-07T00:00:00Z'),
    Date.parse('2024-03-13T00:00:00Z'),
  )) {
    for (const key of Object.keys(generated) as (keyof Bars)[]) generated[key].push(...chunk[key]);
  }
  const ends = generated.time.map((t) => t + MINUTE);
  const walls = ends.map(wallTime);

  // The CSV layout: date and time columns, local time, end-labelled.
  const lines = ['Date,Time,Open,High,Low,Close,Volume'];
  for (let i = 0; i < ends.length; i++) {
    const text = isoText(walls[i] as number);
    lines.push(
      `${text.slice(0, 10)},${text.slice(11)},${generated.open[i]},${generated.high[i]},${generated.low[i]},${generated.close[i]},${generated.volume[i]}`,
    );
  }
  csvPath = join(dir, 'ES-1m.csv');
  writeFileSync(csvPath, `${lines.join('\n')}\n`);

  // The same bars in Parquet, under other names: a DATE column and a text time column.
  parquetPath = join(dir, 'ES-1m.parquet');
  writeParquet(parquetPath, [
    [
      element('day', { type: 'INT32', converted_type: 'DATE' }),
      Int32Array.from(walls, (w) => Math.floor(w / 86_400_000)),
    ],
    [
      element('clock', { type: 'BYTE_ARRAY', converted_type: 'UTF8' }),
      walls.map((w) => isoText(w).slice(11)),
    ],
    [element('o', { type: 'DOUBLE' }), Float64Array.from(generated.open)],
    [element('h', { type: 'DOUBLE' }), Float64Array.from(generated.high)],
    [element('l', { type: 'DOUBLE' }), Float64Array.from(generated.low)],
    [element('c', { type: 'DOUBLE' }), Float64Array.from(generated.close)],
    [element('v', { type: 'INT64' }), BigInt64Array.from(generated.volume, BigInt)],
  ]);

  // And as untyped int64 nanoseconds since 1970 (UTC bar ends).
  epochPath = join(dir, 'es-epoch.pq');
  writeParquet(epochPath, [
    [element('ts_event', { type: 'INT64' }), BigInt64Array.from(ends, (t) => BigInt(t) * 1_000_000n)],
    ...(['open', 'high', 'low', 'close', 'volume'] as const).map(
      (name): [SchemaElement, ColumnSource['data']] => [
        element(name, { type: 'DOUBLE' }),
        Float64Array.from(generated[name]),
      ],
    ),
  ]);
});

const PARQUET_OPTIONS = {
  columns: { date: 'day', time: 'clock', open: 'o', high: 'h', low: 'l', close: 'c', volume: 'v' },
  timezone: 'America/New_York',
  timeLabel: 'end' as const,
};

describe('importCatalog from Parquet files', () => {
  it('stores the bars the Parquet source reads, identical to the same data imported from CSV', async () => {
    const fromParquet = join(dir, 'catalog-parquet');
    const series = await importCatalog({ files: [parquetPath], to: fromParquet, ...PARQUET_OPTIONS });
    expect(series).toEqual([
      expect.objectContaining({
        symbol: 'ES',
        interval: '1m',
        format: 'parquet',
        rows: generated.time.length,
        partitions: 1,
        first: new Date(generated.time[0] as number).toISOString().replace('.000Z', 'Z'),
        files: [parquetPath],
        rowsSkipped: 0,
      }),
    ]);
    const fromCsv = join(dir, 'catalog-csv');
    await importCatalog({
      files: [csvPath],
      to: fromCsv,
      columns: { date: 'Date', time: 'Time' },
      timezone: 'America/New_York',
      timeLabel: 'end',
    });

    const direct = await readAll(
      new ParquetBarSource({
        calendar: us,
        files: [
          {
            path: parquetPath,
            symbol: 'ES',
            columns: PARQUET_OPTIONS.columns,
            timezone: 'America/New_York',
            time_label: 'end',
          },
        ],
      }),
      'ES',
    );
    expect(direct).toEqual(generated);
    const catalogBars = await readAll(new CatalogBarSource({ path: fromParquet }), 'ES');
    expect(catalogBars).toEqual(direct);
    expect(await readAll(new CatalogBarSource({ path: fromCsv }), 'ES')).toEqual(direct);

    const manifest = (dirPath: string) =>
      JSON.parse(readFileSync(join(dirPath, 'manifest.json'), 'utf8')) as CatalogManifest;
    const parquetSeries = manifest(fromParquet).series[0];
    const csvSeries = manifest(fromCsv).series[0];
    // The same bars make the same Arrow files, byte for byte.
    expect(parquetSeries?.partitions.map((p) => p.sha256)).toEqual(
      csvSeries?.partitions.map((p) => p.sha256),
    );
    expect(parquetSeries?.applied).toEqual({
      source: 'parquet',
      timezone: 'America/New_York',
      time_label: 'end',
    });
    const bytes = readFileSync(parquetPath);
    expect(parquetSeries?.sources).toEqual([
      {
        path: parquetPath,
        bytes: bytes.length,
        sha256: (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex'),
      },
    ]);
    expect(filesUnder(fromParquet).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reads untyped epoch nanoseconds with --timestamp-format epoch_ns and names the symbol after the file', async () => {
    const to = join(dir, 'catalog-epoch');
    const series = await importCatalog({
      files: [epochPath],
      to,
      columns: { timestamp: 'ts_event' },
      timestampFormat: 'epoch_ns',
      timeLabel: 'end',
    });
    expect(series.map((s) => [s.symbol, s.format, s.rows])).toEqual([
      ['es', 'parquet', generated.time.length],
    ]);
    expect(await readAll(new CatalogBarSource({ path: to }), 'es')).toEqual(generated);
  });

  it('imports the Parquet files of a session config with their settings', async () => {
    const config = join(dir, 'parquet-session.json');
    writeFileSync(
      config,
      JSON.stringify({
        mode: 'backtest',
        backtest_config: { start_date: '2024-03-07', end_date: '2024-03-12' },
        session_data_config: {
          symbols: ['ES'],
          streams: ['1m'],
          strategies: [{ module: 'strategies.examples.rsi_strategy', config: { symbols: ['ES'] } }],
        },
        data_config: {
          source: 'parquet',
          files: [
            {
              path: 'ES-1m.parquet',
              symbol: 'ES',
              columns: PARQUET_OPTIONS.columns,
              timezone: 'America/New_York',
              time_label: 'end',
            },
          ],
        },
      }),
    );
    const to = join(dir, 'catalog-config');
    const series = await importCatalog({ files: [], config, to });
    expect(series.map((s) => [s.symbol, s.format, s.rows, s.files])).toEqual([
      ['ES', 'parquet', generated.time.length, ['ES-1m.parquet']],
    ]);
    expect(await readAll(new CatalogBarSource({ path: to }), 'ES')).toEqual(generated);
  });

  it('names the file of a truncated Parquet file and writes nothing', async () => {
    const truncated = join(dir, 'CUT-1m.parquet');
    const whole = readFileSync(parquetPath);
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length * 0.7)));
    const to = join(dir, 'catalog-truncated');
    // The good file is imported first, then the truncated one fails: neither is in the catalog.
    const error = await importCatalog({ files: [parquetPath, truncated], to, ...PARQUET_OPTIONS }).catch(
      (e: unknown) => e,
    );
    expect(DataError.isInstance(error)).toBe(true);
    expect((error as DataError).message).toContain(`${truncated}: cannot read Parquet`);
    expect(filesUnder(to)).toEqual([]);
  });

  it('names the file and the column of a column of the wrong type', async () => {
    const wrong = join(dir, 'TXT-1m.parquet');
    writeParquet(wrong, [
      [
        element('timestamp', {
          type: 'INT64',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
        }),
        BigInt64Array.from([0n, 60_000n]),
      ],
      ...(['open', 'high', 'low', 'volume'] as const).map((name): [SchemaElement, ColumnSource['data']] => [
        element(name, { type: 'DOUBLE' }),
        Float64Array.from([1, 1]),
      ]),
      [element('close', { type: 'BYTE_ARRAY', converted_type: 'UTF8' }), ['1', '1']],
    ]);
    const to = join(dir, 'catalog-wrong');
    const error = await importCatalog({ files: [wrong], to }).catch((e: unknown) => e);
    expect(DataError.isInstance(error)).toBe(true);
    expect((error as DataError).message).toMatch(
      new RegExp(`${wrong.replaceAll('.', '\\.')}: column "close" \\(close\\) holds`),
    );
    expect(filesUnder(to)).toEqual([]);
  });

  it('refuses mixed kinds for one symbol and CSV-only or Parquet-only flags on the other kind', async () => {
    const to = join(dir, 'catalog-refused');
    await expect(importCatalog({ files: [csvPath, parquetPath], to })).rejects.toThrow(
      new UsageError(
        `the files of ES are CSV (${csvPath}) and Parquet (${parquetPath}): import a symbol's files of one kind`,
      ),
    );
    await expect(importCatalog({ files: [parquetPath], to, delimiter: ';' })).rejects.toThrow(
      `--delimiter is for CSV files; ${parquetPath} is a Parquet file`,
    );
    await expect(importCatalog({ files: [csvPath], to, timestampFormat: 'epoch_us' })).rejects.toThrow(
      `--timestamp-format epoch_us is for Parquet files; ${csvPath} is read as CSV`,
    );
    expect(existsSync(to)).toBe(false);
  });
});

describe('importFormatOf', () => {
  it('reads .parquet and .pq files as Parquet, anything else as CSV', () => {
    expect(['a.parquet', 'b.PQ', 'c.csv', 'd.txt', 'e'].map(importFormatOf)).toEqual([
      'parquet',
      'parquet',
      'csv',
      'csv',
      'csv',
    ]);
  });
});

describe('parseColumnsOption', () => {
  it('maps fields to column names', () => {
    expect(parseColumnsOption('timestamp=ts_event, close = Close')).toEqual({
      timestamp: 'ts_event',
      close: 'Close',
    });
  });

  it.each([['close'], ['price=p'], ['close='], ['close=a,close=b'], ['']])('rejects %j', (value) => {
    expect(() => parseColumnsOption(value)).toThrow(InvalidArgumentError);
  });
});
