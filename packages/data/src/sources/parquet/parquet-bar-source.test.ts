import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataError } from '@strat/core';
import { type ColumnSource, parquetWriteFile } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TradingCalendar } from '../../calendar/trading-calendar';
import { zonedWallTimeToUtc } from '../../calendar/zoned-time';
import type { BarChunk, BarSource } from '../bar-source';
import { CsvBarSource } from '../csv/csv-bar-source';
import { GeneratorBarSource } from '../generator/generator-bar-source';
import { ParquetBarSource } from './parquet-bar-source';
import type { ParquetFileSpec } from './parquet-file-spec';

/** The writer's schema element (hyparquet-writer may depend on another hyparquet than the reader's). */
type SchemaElement = NonNullable<Parameters<typeof parquetWriteFile>[0]['schema']>[number];

const us = TradingCalendar.usEquities();
const MINUTE = 60_000;
let dir: string;

interface Bars {
  time: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

async function readAll(source: BarSource, symbol: string, from = -Infinity, to = Infinity): Promise<Bars> {
  const bars: Bars = { time: [], open: [], high: [], low: [], close: [], volume: [] };
  const chunks: BarChunk[] = [];
  for await (const chunk of source.read(symbol, from, to)) chunks.push(chunk);
  for (const c of chunks) {
    for (const key of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) bars[key].push(...c[key]);
  }
  return bars;
}

/** New York wall time of an instant, as if UTC (epoch ms). */
function wallTime(instant: number): number {
  // The offset is whole hours here: find the wall time whose zoned instant is `instant`.
  for (const hours of [4, 5]) {
    const wall = instant - hours * 3_600_000;
    if (zonedWallTimeToUtc(wall, 'America/New_York') === instant) return wall;
  }
  throw new Error(`no New York wall time for ${new Date(instant).toISOString()}`);
}

const text = (wall: number): string => new Date(wall).toISOString().slice(0, 19).replace('T', ' ');

function schemaElement(name: string, element: Omit<SchemaElement, 'name'>): SchemaElement {
  return { name, repetition_type: 'REQUIRED', ...element };
}

let generated: Bars;
let csvPath: string;
let parquetPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strat-parquet-'));
  // Around the 2024 spring DST change, end-labelled, as vendors write them.
  generated = await readAll(
    new GeneratorBarSource({ calendar: us, seed: 7, missing_bar_rate: 0.05 }),
    'P',
    Date.parse('2024-03-07T00:00:00Z'),
    Date.parse('2024-03-13T00:00:00Z'),
  );
  const ends = generated.time.map((t) => t + MINUTE);
  const walls = ends.map(wallTime);
  const lines = ['timestamp,open,high,low,close,volume'];
  for (let i = 0; i < ends.length; i++) {
    lines.push(
      `${text(walls[i] as number)},${generated.open[i]},${generated.high[i]},${generated.low[i]},${generated.close[i]},${generated.volume[i]}`,
    );
  }
  csvPath = join(dir, 'p.csv');
  await writeFile(csvPath, `${lines.join('\n')}\n`);

  const columns: [SchemaElement, ColumnSource['data']][] = [
    [
      schemaElement('ts_utc_ns', {
        type: 'INT64',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'NANOS' },
      }),
      BigInt64Array.from(ends, (t) => BigInt(t) * 1_000_000n),
    ],
    [
      schemaElement('ts_local_us', {
        type: 'INT64',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' },
      }),
      BigInt64Array.from(walls, (t) => BigInt(t) * 1_000n),
    ],
    [
      schemaElement('ts_utc_ms', { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' }),
      BigInt64Array.from(ends, BigInt),
    ],
    [schemaElement('epoch_s', { type: 'INT64' }), BigInt64Array.from(ends, (t) => BigInt(t / 1000))],
    [schemaElement('ts_text', { type: 'BYTE_ARRAY', logical_type: { type: 'STRING' } }), walls.map(text)],
    [
      schemaElement('day', { type: 'INT32', converted_type: 'DATE' }),
      Int32Array.from(walls, (w) => Math.floor(w / 86_400_000)),
    ],
    [
      schemaElement('clock', { type: 'BYTE_ARRAY', converted_type: 'UTF8' }),
      walls.map((w) => text(w).slice(11)),
    ],
    [schemaElement('Open', { type: 'DOUBLE' }), Float64Array.from(generated.open)],
    [schemaElement('high', { type: 'DOUBLE' }), Float64Array.from(generated.high)],
    [schemaElement('low', { type: 'DOUBLE' }), Float64Array.from(generated.low)],
    [schemaElement('close', { type: 'DOUBLE' }), Float64Array.from(generated.close)],
    [schemaElement('volume', { type: 'INT32' }), Int32Array.from(generated.volume)],
  ];
  parquetPath = join(dir, 'p.parquet');
  parquetWriteFile({
    filename: parquetPath,
    schema: [{ name: 'root', num_children: columns.length }, ...columns.map(([element]) => element)],
    columnData: columns.map(([element, data]) => ({ name: element.name, data })),
    rowGroupSize: 500,
  });
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function parquet(
  spec: Partial<ParquetFileSpec>,
  options: { onBadRow?: 'fail' | 'skip' } = {},
): ParquetBarSource {
  return new ParquetBarSource({
    calendar: us,
    files: [{ path: parquetPath, symbol: 'P', time_label: 'end', ...spec }],
    ...options,
  });
}

describe('ParquetBarSource', () => {
  it('reads the bars the CSV source reads from the same data, whatever the timestamp column', async () => {
    const csv = await readAll(
      new CsvBarSource({ calendar: us, files: [{ path: csvPath, symbol: 'P', time_label: 'end' }] }),
      'P',
    );
    expect(csv.time).toEqual(generated.time);
    const expected = csv;
    const specs: Partial<ParquetFileSpec>[] = [
      { columns: { timestamp: 'ts_utc_ns' } },
      { columns: { timestamp: 'ts_local_us' } },
      { columns: { timestamp: 'TS_UTC_MS' } },
      { columns: { timestamp: 'epoch_s' }, timestamp_format: 'epoch_s' },
      { columns: { timestamp: 'ts_text' } },
      { columns: { date: 'day', time: 'clock' } },
      { columns: { date: 'day', time: 'clock' }, date_format: 'YYYYMMDD' },
    ];
    for (const spec of specs) {
      const source = parquet(spec);
      expect(await readAll(source, 'P'), JSON.stringify(spec)).toEqual(expected);
      expect(source.report()).toEqual({ rowsRead: csv.time.length, rowsSkipped: 0, problems: [] });
    }
  });

  it('reads [from, to) across row groups and stops at to', async () => {
    const from = generated.time[700] as number;
    const to = generated.time[1300] as number;
    const source = parquet({ columns: { timestamp: 'ts_utc_ns' } });
    // Preparing (hyparquet loads) reads nothing.
    await expect(source.prepare()).resolves.toBeUndefined();
    expect(source.report().rowsRead).toBe(0);
    const bars = await readAll(source, 'P', from, to);
    expect(bars.time).toEqual(generated.time.slice(700, 1300));
    expect(source.report().rowsRead).toBe(1301);
  });

  it('names the file and column of a missing or mistyped column, before any row is read', async () => {
    await expect(parquet({ columns: { timestamp: 'nope' } }).preflight()).rejects.toThrow(
      /p\.parquet: no column named "nope" for timestamp.*the columns found are: ts_utc_ns, ts_local_us/,
    );
    await expect(
      parquet({ columns: { timestamp: 'ts_utc_ns', open: 'ts_text' } }).preflight(),
    ).rejects.toThrow(
      /p\.parquet: column "ts_text" \(open\) holds BYTE_ARRAY \(STRING\), but open needs numbers/,
    );
    await expect(parquet({ columns: { timestamp: 'epoch_s' } }).preflight()).rejects.toThrow(
      /column "epoch_s" \(timestamp\) holds INT64 without a TIMESTAMP type: set timestamp_format to epoch_s/,
    );
    await expect(parquet({ columns: { date: 'day' } }).preflight()).rejects.toThrow(/no time column/);
    await expect(
      parquet({ columns: { timestamp: 'ts_utc_ns' } })
        .read('Q', 0, 1)
        .next(),
    ).rejects.toThrow('no Parquet file provides symbol "Q"');
  });

  it('says a truncated or non-Parquet file cannot be read, naming it', async () => {
    const whole = await readFile(parquetPath);
    const truncated = join(dir, 'truncated.parquet');
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    const error = await parquet({ path: truncated, columns: { timestamp: 'ts_utc_ns' } })
      .preflight()
      .catch((e: unknown) => e);
    expect(DataError.isInstance(error)).toBe(true);
    expect((error as DataError).file).toBe(truncated);
    expect((error as DataError).message).toMatch(
      /cannot read Parquet: .*\(is the file whole, and Parquet\?\)/,
    );
    await expect(parquet({ path: csvPath }).preflight()).rejects.toThrow(/p\.csv: cannot read Parquet/);
    await expect(parquet({ path: join(dir, 'missing.parquet') }).preflight()).rejects.toThrow(
      /missing\.parquet: cannot open .*: no such file/,
    );
    await expect(parquet({ path: dir }).preflight()).rejects.toThrow(/is not a file/);
  });

  it('checks rows like the CSV source: a bad row fails naming file and row, or is skipped and reported', async () => {
    const rows = 6;
    const time = BigInt64Array.from({ length: rows }, (_, i) => BigInt(Date.UTC(2024, 0, 2, 14, 30 + i)));
    time[4] = time[2] as bigint;
    const bad = join(dir, 'bad.parquet');
    parquetWriteFile({
      filename: bad,
      columnData: [
        { name: 'timestamp', data: Array.from(time, (t) => new Date(Number(t))), type: 'TIMESTAMP' },
        { name: 'open', data: [10, 10, 10, null, 10, 10], type: 'DOUBLE', nullable: true },
        { name: 'high', data: [11, 9, 11, 11, 11, Number.NaN], type: 'DOUBLE' },
        { name: 'low', data: [9, 9, 9, 9, 9, 9], type: 'DOUBLE' },
        { name: 'close', data: [10, 10, 10, 10, 10, 10], type: 'DOUBLE' },
        { name: 'volume', data: [1, 1, 1, 1, 1, 1], type: 'DOUBLE' },
      ],
    });
    const failing = new ParquetBarSource({ calendar: us, files: [{ path: bad, symbol: 'B' }] });
    await expect(readAll(failing, 'B')).rejects.toThrow(`${bad}: row 2: high 9 is below open 10`);
    const skipping = new ParquetBarSource({
      calendar: us,
      files: [{ path: bad, symbol: 'B' }],
      onBadRow: 'skip',
    });
    expect((await readAll(skipping, 'B')).time).toEqual([Number(time[0]), Number(time[2])]);
    expect(skipping.report()).toEqual({
      rowsRead: 6,
      rowsSkipped: 4,
      problems: [
        { file: bad, message: 'row 2: high 9 is below open 10' },
        { file: bad, message: 'row 4: open is empty' },
        {
          file: bad,
          message:
            "row 5: time 2024-01-02T14:32:00Z is not after the previous row's 2024-01-02T14:32:00Z: rows must be in strictly increasing time",
        },
        { file: bad, message: 'row 6: high NaN is not a finite number' },
      ],
    });
  });

  it('refuses bad file entries with their JSON paths before opening anything', () => {
    const error = (() => {
      try {
        new ParquetBarSource({
          calendar: us,
          files: [
            { path: 'a.parquet', symbol: ' ', timezone: 'Mars/Base' },
            { path: 'b.parquet', symbol: 'B', interval: '5m', columns: { timestamp: 't', time: 'x' } },
          ],
        });
      } catch (e) {
        return e;
      }
    })();
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual([
      'data_config.files[0].symbol',
      'data_config.files[0].timezone',
      'data_config.files[1].interval',
      'data_config.files[1].columns.timestamp',
      'data_config.files[1].columns.time',
    ]);
    expect(() => new ParquetBarSource({ calendar: us, files: [] })).toThrow(ConfigError);
  });
});
