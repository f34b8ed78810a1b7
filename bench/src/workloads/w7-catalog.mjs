// @ts-check
// W7: the Arrow IPC catalog into the store. W1's ~1M 1-minute bars of one symbol, written once into
// a catalog (ten UTC-year partitions). Two figures, each with its baseline in the same run (the
// same bars from W5's CSV through the CSV source):
// - rows/s: the catalog source's chunks appended to a store series with typed-array copies (the
//   store's appendBars, SharedArrayBuffer ring), read with `{ reuse: true }` as the processor reads:
//   what the source delivers into the store, partitions opened, checked and released;
// - rows/s via processor: the DataProcessor replays the catalog into the store (1m, no consumer),
//   the path a session takes today, whose per-bar step cost is issue 14's item 4.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendBars } from '@strat/core/internal';
import {
  CatalogBarSource,
  CatalogWriter,
  CsvBarSource,
  DataProcessor,
  GeneratorBarSource,
  SessionData,
  TradingCalendar,
} from '@strat/data';
import { median } from '../measurement.mjs';
import { BENCH_SEED } from '../session-configs.mjs';
import { W1_SIZES } from './w1-replay.mjs';
import { writeBenchCsv } from './w5-csv.mjs';

/** @typedef {'full' | 'quick'} Size */

const SYMBOL = 'SPY';

/**
 * Writes the generator's bars for `range` (those W1 replays) into a catalog in `dir`.
 * @param {string} dir
 * @param {{ startDate: string, endDate: string }} range
 * @returns {Promise<{ rows: number, partitions: number }>}
 */
export async function writeBenchCatalog(dir, range) {
  const calendar = TradingCalendar.usEquities();
  const generator = new GeneratorBarSource({ calendar, seed: BENCH_SEED });
  const sessions = calendar.sessions(range.startDate, range.endDate);
  const first = sessions[0];
  const last = sessions.at(-1);
  if (first === undefined || last === undefined) throw new Error('no sessions in the range');
  const writer = await CatalogWriter.open(dir);
  const series = await writer.add({
    symbol: SYMBOL,
    interval: '1m',
    source: { read: (/** @type {string} */ symbol) => generator.read(symbol, first.open, last.close) },
    sources: [],
    applied: { source: `generator seed ${BENCH_SEED}` },
  });
  await writer.commit();
  return { rows: series.rows, partitions: series.partitions.length };
}

/**
 * One replay of `source` into a fresh store: rows per second and the summary's counts.
 * @param {import('@strat/data').BarSource} source
 * @param {{ startDate: string, endDate: string }} range
 */
async function replayIntoStore(source, range) {
  const processor = new DataProcessor({
    store: new SessionData({ window: 4096 }),
    source,
    calendar: TradingCalendar.usEquities(),
    symbols: [SYMBOL],
    streams: ['1m'],
    startDate: range.startDate,
    endDate: range.endDate,
  });
  const summary = await processor.run();
  return {
    rate: summary.barsDone / (summary.replayMs / 1000),
    bars: summary.barsDone,
    replayMs: summary.replayMs,
  };
}

/**
 * Every bar of `source` in the range appended to one store series, chunk by chunk.
 * @param {import('@strat/data').BarSource} source
 * @param {{ startDate: string, endDate: string }} range
 */
async function appendIntoStore(source, range) {
  const calendar = TradingCalendar.usEquities();
  const sessions = calendar.sessions(range.startDate, range.endDate);
  const from = sessions[0]?.open ?? 0;
  const to = sessions.at(-1)?.close ?? 0;
  const series = new SessionData({ window: 4096 }).ensureSeries(SYMBOL, '1m');
  const started = performance.now();
  const cpu = process.cpuUsage();
  let bars = 0;
  // Each chunk is copied into the store before the next is asked for: the reader may let the source
  // reuse its memory, as the DataProcessor does.
  for await (const c of source.read(SYMBOL, from, to, { reuse: true })) {
    appendBars(series, c, 0, c.length);
    bars += c.length;
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  // CPU time too: on a shared machine the wall time holds the waits for a core.
  return { rate: bars / (ms / 1000), bars, ms, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * @template T
 * @param {(dir: string) => Promise<T>} body
 * @returns {Promise<T>}
 */
async function inTempDir(body) {
  const dir = mkdtempSync(join(tmpdir(), 'strat-bench-w7-'));
  try {
    return await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * @param {Size} size
 * @returns {Promise<import('../measurement.mjs').WorkloadResult>}
 */
export async function measureW7(size) {
  const range = W1_SIZES[size];
  return inTempDir(async (dir) => {
    const written = await writeBenchCatalog(join(dir, 'catalog'), range);
    const catalog = () => new CatalogBarSource({ path: join(dir, 'catalog') });
    const appends = [];
    const replays = [];
    for (let r = 0; r < range.repeats; r++) {
      appends.push(await appendIntoStore(catalog(), range));
      replays.push(await replayIntoStore(catalog(), range));
    }
    return {
      measurements: [
        {
          workload: 'W7',
          metric: 'rows/s',
          value: median(appends.map((r) => r.rate)),
          unit: 'rows/s',
          better: 'higher',
          target: { op: '>=', value: 5_000_000 },
          note: `W7: ${written.rows} 1m rows in ${written.partitions} partitions, catalog source -> store series (typed-array copies per chunk; median of ${range.repeats})`,
        },
        {
          workload: 'W7',
          metric: 'rows per CPU-s',
          value: median(appends.map((r) => r.bars / (r.cpuMs / 1000))),
          unit: 'rows/s',
          better: 'higher',
          note: 'W7 rows per CPU-s: the same appends per second of the process CPU time (the wall time of a loaded machine holds waits for a core)',
        },
        {
          workload: 'W7',
          metric: 'rows/s via processor',
          value: median(replays.map((r) => r.rate)),
          unit: 'rows/s',
          better: 'higher',
          note: 'W7 via processor: the same catalog -> DataProcessor -> store (1m, no consumer)',
        },
      ],
      details: { ...range, ...written, appends, replays },
    };
  });
}

/**
 * @param {Size} size
 * @returns {Promise<import('../measurement.mjs').BaselineResult>}
 */
export async function measureW7Baseline(size) {
  const range = W1_SIZES[size];
  return inTempDir(async (dir) => {
    const csvPath = join(dir, 'spy-1m.csv');
    const rows = await writeBenchCsv(csvPath, range);
    const csv = () =>
      new CsvBarSource({
        files: [{ path: csvPath, symbol: SYMBOL, interval: '1m' }],
        calendar: TradingCalendar.usEquities(),
      });
    const append = await appendIntoStore(csv(), range);
    const replay = await replayIntoStore(csv(), range);
    return {
      values: {
        'rows/s': append.rate,
        'rows per CPU-s': append.bars / (append.cpuMs / 1000),
        'rows/s via processor': replay.rate,
      },
      note: `the same ${rows} bars from W5's CSV through the CSV source, the same two ways`,
      details: { rows, append, replay },
    };
  });
}
