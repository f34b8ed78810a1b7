// @ts-check
// W5: CSV to journal. A generated CSV of about a million 1-minute rows (one symbol), 1m + 5m, the
// SMA cross 10/20 on 1m in a worker, every signal written to a JSON-lines journal. Rows per second
// of the replay (parsing and validating the CSV is part of it).
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GeneratorBarSource, TradingCalendar } from '@strat/data';
import { loadCsvEvents } from '../../baseline/naive-csv.mjs';
import { runNaivePipeline } from '../../baseline/naive-pipeline.mjs';
import { runSession } from '../run-session.mjs';
import { BENCH_SEED, replayConfig } from '../session-configs.mjs';
import { W1_SIZES } from './w1-replay.mjs';

/** @typedef {'full' | 'quick'} Size */

const SYMBOL = 'SPY';
/** Rows the baseline reads (its per-row cost does not depend on the file's length). */
const BASELINE_ROWS = { full: 100_000, quick: 10_000 };

/**
 * Writes the generator's bars for W1's sessions as a vendor-style CSV: `timestamp` in New York
 * local time (`2014-01-02 09:30:00`), prices with two decimals.
 * @param {string} path
 * @param {{ startDate: string, endDate: string }} range
 * @returns {Promise<number>} rows written
 */
export async function writeBenchCsv(path, range) {
  const calendar = TradingCalendar.usEquities();
  const source = new GeneratorBarSource({ calendar, seed: BENCH_SEED });
  const sessions = calendar.sessions(range.startDate, range.endDate);
  const first = sessions[0];
  const last = sessions.at(-1);
  if (first === undefined || last === undefined) throw new Error('no sessions in the range');
  const fd = openSync(path, 'w');
  let rows = 0;
  try {
    writeSync(fd, 'timestamp,open,high,low,close,volume\n');
    let s = 0;
    for await (const chunk of source.read(SYMBOL, first.open, last.close)) {
      let text = '';
      for (let i = 0; i < chunk.length; i++) {
        const time = /** @type {number} */ (chunk.time[i]);
        while (time >= /** @type {{ close: number }} */ (sessions[s]).close) s++;
        const session = /** @type {import('@strat/data').TradingSession} */ (sessions[s]);
        const minuteOfDay = 9 * 60 + 30 + (time - session.open) / 60_000;
        const hh = String(Math.floor(minuteOfDay / 60)).padStart(2, '0');
        const mm = String(minuteOfDay % 60).padStart(2, '0');
        text +=
          `${session.date} ${hh}:${mm}:00,${chunk.open[i]?.toFixed(2)},${chunk.high[i]?.toFixed(2)},` +
          `${chunk.low[i]?.toFixed(2)},${chunk.close[i]?.toFixed(2)},${chunk.volume[i]}\n`;
      }
      writeSync(fd, text);
      rows += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
  return rows;
}

/**
 * @template T
 * @param {(dir: string) => Promise<T>} body
 * @returns {Promise<T>}
 */
async function inTempDir(body) {
  const dir = mkdtempSync(join(tmpdir(), 'strat-bench-'));
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
export async function measureW5(size) {
  const range = W1_SIZES[size];
  return inTempDir(async (dir) => {
    const csvPath = join(dir, 'spy-1m.csv');
    const rows = await writeBenchCsv(csvPath, range);
    const config = replayConfig({
      symbols: [SYMBOL],
      strategies: ['sma_cross'],
      startDate: range.startDate,
      endDate: range.endDate,
      dataConfig: { source: 'csv', files: [{ path: csvPath, symbol: SYMBOL, interval: '1m' }] },
    });
    const journalPath = join(dir, 'journal.jsonl');
    const run = await runSession(config, { journalPath });
    const rowsRead = run.summary.source.rowsRead;
    return {
      measurements: [
        {
          workload: 'W5',
          metric: 'rows/s',
          value: rowsRead / (run.replayMs / 1000),
          unit: 'rows/s',
          better: 'higher',
          target: { op: '>=', value: 500_000 },
        },
      ],
      details: {
        ...range,
        rows,
        rowsRead,
        csvBytes: statSync(csvPath).size,
        signals: run.summary.signals,
        journalBytes: statSync(journalPath).size,
        replayMs: run.replayMs,
        overheadMs: run.overheadMs,
      },
    };
  });
}

/**
 * @param {Size} size
 * @returns {Promise<import('../measurement.mjs').BaselineResult>}
 */
export async function measureW5Baseline(size) {
  const range = W1_SIZES[size];
  return inTempDir(async (dir) => {
    const csvPath = join(dir, 'spy-1m.csv');
    await writeBenchCsv(csvPath, range);
    const maxRows = BASELINE_ROWS[size];
    const run = await runNaivePipeline({
      load: () => loadCsvEvents(csvPath, SYMBOL, maxRows),
      strategies: ['sma_cross'],
      journalPath: join(dir, 'journal.jsonl'),
    });
    return {
      values: { 'rows/s': run.baseBars / (run.wallMs / 1000) },
      note: `naive readline + split + postMessage pipeline on the first ${run.baseBars.toLocaleString('en-US')} rows`,
      details: { maxRows, ...run },
    };
  });
}
