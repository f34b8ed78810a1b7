import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DataError } from '@strat/core';
import {
  Field,
  Float32,
  Float64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMillisecond,
  tableToIPC,
} from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BarChunk } from '../bar-source';
import { encodePartition } from './arrow-partition';
import { CatalogBarSource } from './catalog-bar-source';
import type { CatalogManifest } from './catalog-manifest';
import { type BarReader, CatalogWriter } from './catalog-writer';

const MINUTE = 60_000;
const at = (text: string) => Date.parse(text);

/** Bars every `stepMs` from each start, `count` bars per start; prices from the bar's index. */
function barsFrom(starts: { from: string; count: number }[], stepMs = MINUTE): BarReader {
  return {
    async *read(symbol: string, from: number, to: number): AsyncGenerator<BarChunk> {
      for (const { from: start, count } of starts) {
        const times = Array.from({ length: count }, (_, i) => at(start) + i * stepMs).filter(
          (t) => t >= from && t < to,
        );
        for (let i = 0; i < times.length; i += 1000) {
          const slice = times.slice(i, i + 1000);
          const n = slice.length;
          const price = (k: number, d: number) =>
            Float64Array.from(slice, (_, j) => 100 + ((i + j + k) % 17) + d);
          yield {
            symbol,
            length: n,
            time: Float64Array.from(slice),
            open: price(0, 0),
            high: price(0, 2),
            low: price(0, -2),
            close: price(1, 0),
            volume: Float64Array.from(slice, (_, j) => i + j),
          };
        }
      }
    },
  };
}

async function collect(source: CatalogBarSource, symbol: string, from = -Infinity, to = Infinity) {
  const times: number[] = [];
  const chunks: number[] = [];
  for await (const c of source.read(symbol, from, to)) {
    chunks.push(c.length);
    times.push(...c.time);
  }
  return { times, chunks };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strat-catalog-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function makeCatalog(
  series: { symbol: string; interval?: '1m' | '1s' | '5m'; reader: BarReader }[],
  catalogDir = dir,
) {
  const writer = await CatalogWriter.open(catalogDir);
  for (const s of series) {
    await writer.add({
      symbol: s.symbol,
      interval: s.interval ?? '1m',
      source: s.reader,
      sources: [],
      applied: { source: 'test' },
    });
  }
  return writer.commit();
}

const manifestPath = () => join(dir, 'manifest.json');
const readManifest = async () => JSON.parse(await readFile(manifestPath(), 'utf8')) as CatalogManifest;
const writeManifest = (m: CatalogManifest) => writeFile(manifestPath(), JSON.stringify(m));

async function readError(source: CatalogBarSource, symbol = 'AAA', from = -Infinity, to = Infinity) {
  try {
    await collect(source, symbol, from, to);
  } catch (error) {
    expect(DataError.isInstance(error)).toBe(true);
    return error as DataError;
  }
  throw new Error('expected the read to fail');
}

describe('CatalogWriter and CatalogBarSource', () => {
  it('writes one file per UTC year and reads back any range in chunks of up to 4096', async () => {
    const manifest = await makeCatalog([
      {
        symbol: 'AAA',
        reader: barsFrom([
          { from: '2023-12-31T20:00:00Z', count: 300 },
          { from: '2024-01-02T14:30:00Z', count: 9000 },
        ]),
      },
    ]);
    const series = manifest.series[0];
    expect(series?.rows).toBe(9300);
    expect(series?.partitions.map((p) => [p.key, p.rows])).toEqual([
      ['2023', 240],
      ['2024', 9060],
    ]);
    expect(series?.partitions[0]?.file).toMatch(/^AAA\/1m\/2023\.[0-9a-f]{12}\.arrow$/);
    expect(manifest.time).toEqual({ unit: 'ms', zone: 'UTC', label: 'start' });
    const source = new CatalogBarSource({ path: relative(process.cwd(), dir) });
    expect(source.interval).toBe('1m');
    expect(source.symbols).toEqual(['AAA']);
    // Preparing (the Arrow reader loads) reads nothing.
    await expect(source.prepare()).resolves.toBeUndefined();
    expect(source.report().rowsRead).toBe(0);
    const all = await collect(source, 'AAA');
    expect(all.times.length).toBe(9300);
    expect(all.chunks).toEqual([240, 4096, 4096, 868]);
    const from = at('2024-01-01T00:30:00Z');
    const to = at('2024-01-02T15:00:00Z');
    const part = await collect(source, 'AAA', from, to);
    expect(part.times).toEqual(all.times.filter((t) => t >= from && t < to));
    expect(source.report().rowsRead).toBe(9300 + part.times.length);
    // Nothing of a temporary name is left.
    expect(readdirSync(join(dir, 'AAA', '1m')).every((f) => f.endsWith('.arrow'))).toBe(true);
  });

  it('reads every partition into the same memory when the reader reuses chunks, with the same bars', async () => {
    await makeCatalog([
      {
        symbol: 'AAA',
        reader: barsFrom([
          { from: '2022-12-31T20:00:00Z', count: 300 },
          { from: '2023-06-01T14:30:00Z', count: 5000 },
          { from: '2024-01-02T14:30:00Z', count: 700 },
        ]),
      },
    ]);
    const source = new CatalogBarSource({ path: dir });
    const columns = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
    type Copy = Record<(typeof columns)[number], number[]>;
    const read = async (reuse: boolean) => {
      const copies: Copy[] = [];
      const kept: BarChunk[] = [];
      for await (const c of source.read('AAA', -Infinity, Infinity, { reuse })) {
        copies.push(Object.fromEntries(columns.map((k) => [k, [...c[k]]])) as Copy);
        kept.push(c);
      }
      return { copies, kept };
    };
    const fresh = await read(false);
    const reused = await read(true);
    // Three partitions (2022, 2023, 2024), the 2023 one in two chunks.
    expect(fresh.copies.map((c) => c.time.length)).toEqual([240, 4096, 964, 700]);
    expect(reused.copies).toEqual(fresh.copies);
    // Without reuse every chunk stays as it was read; with it, later partitions overwrote the memory of earlier ones.
    expect(fresh.kept.map((c) => [...c.time])).toEqual(fresh.copies.map((c) => c.time));
    // (2023's memory, the largest, is 2024's too.)
    const [, of2023, , of2024] = reused.kept as [BarChunk, BarChunk, BarChunk, BarChunk];
    expect(of2024.time.buffer).toBe(of2023.time.buffer);
    expect(of2024.close.buffer).toBe(of2023.close.buffer);
    expect([...of2023.time]).not.toEqual(fresh.copies[1]?.time);
  });

  it('partitions seconds data by month', async () => {
    const manifest = await makeCatalog([
      { symbol: 'S', interval: '1s', reader: barsFrom([{ from: '2024-01-31T23:59:00Z', count: 120 }], 1000) },
    ]);
    expect(manifest.series[0]?.partitions.map((p) => p.key)).toEqual(['2024-01', '2024-02']);
    expect(manifest.series[0]?.partitioning).toBe('month');
  });

  it('reads only the partitions a range needs', async () => {
    const manifest = await makeCatalog([
      {
        symbol: 'AAA',
        reader: barsFrom([
          { from: '2023-06-01T14:30:00Z', count: 10 },
          { from: '2024-06-03T14:30:00Z', count: 10 },
        ]),
      },
    ]);
    await unlink(join(dir, manifest.series[0]?.partitions[0]?.file as string));
    const source = new CatalogBarSource({ path: dir });
    const year2024 = await collect(source, 'AAA', at('2024-01-01T00:00:00Z'), Infinity);
    expect(year2024.times.length).toBe(10);
    await source.preflight(['AAA'], at('2024-01-01T00:00:00Z'), Infinity);
    const error = await readError(source);
    expect(error.message).toMatch(
      /AAA\/1m\/2023\.[0-9a-f]{12}\.arrow: the partition is listed in the manifest but the file is missing/,
    );
    await expect(source.preflight(['AAA'], -Infinity, Infinity)).rejects.toThrow(/file is missing/);
  });

  it('picks the interval: given, the preferred one, or the only one; names the ones it has otherwise', async () => {
    await makeCatalog([
      { symbol: 'AAA', reader: barsFrom([{ from: '2024-01-02T14:30:00Z', count: 10 }]) },
      {
        symbol: 'AAA',
        interval: '5m',
        reader: barsFrom([{ from: '2024-01-02T14:30:00Z', count: 10 }], 5 * MINUTE),
      },
      {
        symbol: 'BBB',
        interval: '5m',
        reader: barsFrom([{ from: '2024-01-02T14:30:00Z', count: 10 }], 5 * MINUTE),
      },
    ]);
    expect(new CatalogBarSource({ path: dir, interval: '5m' }).symbols).toEqual(['AAA', 'BBB']);
    expect(new CatalogBarSource({ path: dir, preferredInterval: '1m' }).symbols).toEqual(['AAA']);
    expect(() => new CatalogBarSource({ path: dir })).toThrow(
      'manifest.json: the catalog has 1m, 5m bars: set data_config.interval to choose one',
    );
    expect(() => new CatalogBarSource({ path: dir, interval: '1h' })).toThrow(
      'the catalog has no 1h bars (it has 1m, 5m)',
    );
    const oneMinute = new CatalogBarSource({ path: dir, interval: '1m' });
    expect((await readError(oneMinute, 'BBB')).message).toContain('the catalog has BBB at 5m, not 1m');
    expect((await readError(oneMinute, 'ZZZ')).message).toContain(
      'the catalog has no symbol "ZZZ" (it has: AAA at 1m)',
    );
  });

  it('adds series to a catalog, refuses one it holds unless replacing, and removes replaced files', async () => {
    const first = await makeCatalog([
      { symbol: 'AAA', reader: barsFrom([{ from: '2024-01-02T14:30:00Z', count: 10 }]) },
    ]);
    const oldFile = first.series[0]?.partitions[0]?.file as string;
    await makeCatalog([{ symbol: 'BBB', reader: barsFrom([{ from: '2024-01-02T14:30:00Z', count: 5 }]) }]);
    expect((await readManifest()).series.map((s) => s.symbol)).toEqual(['AAA', 'BBB']);
    await expect(
      makeCatalog([{ symbol: 'AAA', reader: barsFrom([{ from: '2024-01-02T14:30:00Z', count: 3 }]) }]),
    ).rejects.toThrow(
      "the catalog already holds AAA 1m; replace it on purpose (strat data import --force, the writer's replace option)",
    );
    const writer = await CatalogWriter.open(dir, { replace: true });
    await writer.add({
      symbol: 'AAA',
      interval: '1m',
      source: barsFrom([{ from: '2024-01-02T14:30:00Z', count: 3 }]),
      sources: [],
      applied: { source: 'test' },
    });
    await writer.commit();
    const m = await readManifest();
    expect(m.series.map((s) => [s.symbol, s.rows])).toEqual([
      ['AAA', 3],
      ['BBB', 5],
    ]);
    expect(readdirSync(join(dir, 'AAA', '1m'))).not.toContain(oldFile.split('/').at(-1));
    expect(readdirSync(join(dir, 'AAA', '1m'))).toHaveLength(1);
  });

  it('leaves the catalog as it was when a source fails half way (abort removes what was written)', async () => {
    await makeCatalog([{ symbol: 'AAA', reader: barsFrom([{ from: '2024-01-02T14:30:00Z', count: 10 }]) }]);
    const before = await readFile(manifestPath(), 'utf8');
    const failing: BarReader = {
      async *read(symbol, from, to) {
        yield* barsFrom([{ from: '2022-01-03T14:30:00Z', count: 10 }]).read(symbol, from, to);
        throw new DataError('bad row', { file: 'b.csv', line: 12 });
      },
    };
    const writer = await CatalogWriter.open(dir);
    await expect(
      writer.add({
        symbol: 'BBB',
        interval: '1m',
        source: barsFrom([
          { from: '2022-01-03T14:30:00Z', count: 10 },
          { from: '2023-01-03T14:30:00Z', count: 1 },
        ]),
        sources: [],
        applied: { source: 'test' },
      }),
    ).resolves.toBeDefined();
    await expect(
      writer.add({
        symbol: 'CCC',
        interval: '1m',
        source: failing,
        sources: [],
        applied: { source: 'test' },
      }),
    ).rejects.toThrow('b.csv:12: bad row');
    expect(readdirSync(join(dir, 'BBB', '1m')).every((f) => f.endsWith('.tmp'))).toBe(true);
    await writer.abort();
    expect(readdirSync(join(dir, 'BBB', '1m'))).toEqual([]);
    expect(await readFile(manifestPath(), 'utf8')).toBe(before);
  });

  it('refuses bars that are not in strictly increasing time', async () => {
    const writer = await CatalogWriter.open(dir);
    await expect(
      writer.add({
        symbol: 'AAA',
        interval: '1m',
        source: barsFrom([
          { from: '2024-01-02T14:30:00Z', count: 3 },
          { from: '2024-01-02T14:31:00Z', count: 3 },
        ]),
        sources: [],
        applied: { source: 'test' },
      }),
    ).rejects.toThrow(/AAA 1m: bar at \d+ is not after the bar before it/);
  });
});

describe('CatalogBarSource errors', () => {
  async function oneSeries() {
    const manifest = await makeCatalog([
      { symbol: 'AAA', reader: barsFrom([{ from: '2024-01-02T14:30:00Z', count: 50 }]) },
    ]);
    const partition = manifest.series[0]?.partitions[0];
    if (partition === undefined) throw new Error('no partition');
    return { manifest, partition, file: join(dir, partition.file) };
  }

  it('names a missing or malformed manifest', async () => {
    expect(() => new CatalogBarSource({ path: dir })).toThrow(
      `${join(dir, 'manifest.json')}: no catalog here: manifest.json is missing (make one with strat data import)`,
    );
    await writeFile(manifestPath(), '{"format": ');
    expect(() => new CatalogBarSource({ path: dir })).toThrow(/manifest\.json: not valid JSON/);
    await writeFile(manifestPath(), JSON.stringify({ format: 'other' }));
    expect(() => new CatalogBarSource({ path: dir })).toThrow(
      'not a catalog manifest: format is "other", expected "strat-arrow-catalog"',
    );
  });

  it('names a truncated file, before and while reading', async () => {
    const { partition, file } = await oneSeries();
    await truncate(file, partition.bytes - 40);
    const source = new CatalogBarSource({ path: dir });
    const message = `${join(dir, partition.file)}: the file is ${partition.bytes - 40} bytes but the manifest says ${partition.bytes}: it was truncated or replaced after the import`;
    await expect(source.preflight(['AAA'], -Infinity, Infinity)).rejects.toThrow(message);
    expect((await readError(source)).message).toBe(message);
    // Truncated with a manifest that agrees on the size: Arrow cannot read it.
    const m = await readManifest();
    (m.series[0]?.partitions[0] as { bytes: number }).bytes = partition.bytes - 40;
    await writeManifest(m);
    const error = await readError(new CatalogBarSource({ path: dir }));
    expect(error.message).toMatch(/\.arrow: not a readable Arrow IPC file \(truncated or damaged\): /);
    expect(error.file).toBe(join(dir, partition.file));
  });

  it('names a manifest that disagrees with its file: rows, first or last time', async () => {
    const { partition } = await oneSeries();
    const m = await readManifest();
    const p = m.series[0]?.partitions[0] as { rows: number; last: number };
    p.rows = 49;
    (m.series[0] as { rows: number }).rows = 49;
    await writeManifest(m);
    expect((await readError(new CatalogBarSource({ path: dir }))).message).toContain(
      `${partition.file}: the file holds 50 rows but the manifest says 49`,
    );
    p.rows = 50;
    (m.series[0] as { rows: number }).rows = 50;
    p.last = partition.last - MINUTE;
    await writeManifest(m);
    expect((await readError(new CatalogBarSource({ path: dir }))).message).toContain(
      'column time runs from 2024-01-02T14:30:00Z to 2024-01-02T15:19:00Z but the manifest says 2024-01-02T14:30:00Z to 2024-01-02T15:18:00Z',
    );
    (m.series[0] as { rows: number }).rows = 7;
    await writeManifest(m);
    expect(() => new CatalogBarSource({ path: dir })).toThrow(
      'series[0].rows is 7 but its partitions hold 50',
    );
  });

  async function replacePartition(table: Table) {
    const { partition, file } = await oneSeries();
    const bytes = tableToIPC(table, 'file');
    await writeFile(file, bytes);
    const m = await readManifest();
    (m.series[0]?.partitions[0] as { bytes: number }).bytes = bytes.length;
    await writeManifest(m);
    return { partition, error: await readError(new CatalogBarSource({ path: dir })) };
  }

  function tableOf(fields: Field[], columns: ReturnType<typeof makeData>[]): Table {
    const schema = new Schema(fields);
    const length = columns[0]?.length ?? 0;
    return new Table([
      new RecordBatch(
        schema,
        makeData({ type: new Struct(schema.fields), length, nullCount: 0, children: columns }),
      ),
    ]);
  }

  const times = BigInt64Array.from({ length: 50 }, (_, i) => BigInt(at('2024-01-02T14:30:00Z') + i * MINUTE));
  const float64 = () =>
    makeData({ type: new Float64(), length: 50, nullCount: 0, data: new Float64Array(50).fill(1) });
  const timeData = (type = new TimestampMillisecond('UTC')) =>
    makeData({ type, length: 50, nullCount: 0, data: times });
  const names = ['open', 'high', 'low', 'close', 'volume'];

  it('names the column of a wrong type', async () => {
    const { partition, error } = await replacePartition(
      tableOf(
        [
          new Field('time', new TimestampMillisecond('UTC')),
          ...names.map((n) => new Field(n, n === 'high' ? new Float32() : new Float64())),
        ],
        [
          timeData(),
          ...names.map((n) =>
            n === 'high'
              ? makeData({ type: new Float32(), length: 50, nullCount: 0, data: new Float32Array(50) })
              : float64(),
          ),
        ],
      ),
    );
    expect(error.message).toBe(`${join(dir, partition.file)}: column high is Float32, expected Float64`);
  });

  it('names a time column without a time zone, a missing column and null values', async () => {
    const naive = await replacePartition(
      tableOf(
        [new Field('time', new TimestampMillisecond()), ...names.map((n) => new Field(n, new Float64()))],
        [timeData(new TimestampMillisecond()), ...names.map(() => float64())],
      ),
    );
    expect(naive.error.message).toContain(
      'column time is Timestamp<MILLISECOND>, expected Timestamp<MILLISECOND, UTC>',
    );
    await rm(dir, { recursive: true, force: true });

    const missing = await replacePartition(
      tableOf(
        [
          new Field('time', new TimestampMillisecond('UTC')),
          ...names.slice(0, 4).map((n) => new Field(n, new Float64())),
        ],
        [timeData(), ...names.slice(0, 4).map(() => float64())],
      ),
    );
    expect(missing.error.message).toContain(
      'column volume is missing (the file has time, open, high, low, close)',
    );
    await rm(dir, { recursive: true, force: true });

    const validity = new Uint8Array(8).fill(0xff);
    validity[0] = 0xfe;
    const nulls = await replacePartition(
      tableOf(
        [
          new Field('time', new TimestampMillisecond('UTC')),
          ...names.map((n) => new Field(n, new Float64(), true)),
        ],
        [
          timeData(),
          makeData({
            type: new Float64(),
            length: 50,
            nullCount: 1,
            nullBitmap: validity,
            data: new Float64Array(50),
          }),
          ...names.slice(1).map(() => float64()),
        ],
      ),
    );
    expect(nulls.error.message).toContain('column open has 1 null values');
  });

  it('names times out of order', async () => {
    const { partition } = await oneSeries();
    const n = 50;
    const time = Float64Array.from({ length: n }, (_, i) => at('2024-01-02T14:30:00Z') + i * MINUTE);
    time[10] = time[9] as number;
    const f = () => new Float64Array(n).fill(1);
    const bytes = await encodePartition({
      length: n,
      time,
      open: f(),
      high: f(),
      low: f(),
      close: f(),
      volume: f(),
    });
    await writeFile(join(dir, partition.file), bytes);
    const m = await readManifest();
    (m.series[0]?.partitions[0] as { bytes: number }).bytes = bytes.length;
    await writeManifest(m);
    expect((await readError(new CatalogBarSource({ path: dir }))).message).toContain(
      'column time: row 10 (2024-01-02T14:39:00Z) is not after the row before it (2024-01-02T14:39:00Z)',
    );
  });
});
