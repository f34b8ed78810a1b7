// @ts-check
// The workloads of `pnpm bench`, in the order they run and print.
import { measureD1, measureD1Baseline } from './workloads/d1-processor.mjs';
import { measureS1 } from './workloads/s1-sweep-workers.mjs';
import { measureS2 } from './workloads/s2-sweep-queue.mjs';
import { measureW1, measureW1Baseline, measureW1x } from './workloads/w1-replay.mjs';
import { measureW2, measureW2Baseline } from './workloads/w2-fanout.mjs';
import { measureW3, measureW3Baseline } from './workloads/w3-latency.mjs';
import { measureW4 } from './workloads/w4-memory.mjs';
import { measureW5, measureW5Baseline } from './workloads/w5-csv.mjs';
import { measureW6, measureW6Baseline } from './workloads/w6-scaling.mjs';
import { measureW7, measureW7Baseline } from './workloads/w7-catalog.mjs';
import { measureWP, measureWPBaseline } from './workloads/wp-whole-process.mjs';

/** @typedef {'full' | 'quick'} Size */

/**
 * One workload: its real run and the naive baseline, each run in a fresh process.
 * @typedef {object} Workload
 * @property {string} id
 * @property {string} title
 * @property {(size: Size) => Promise<import('./measurement.mjs').WorkloadResult>} run
 * @property {((size: Size) => Promise<import('./measurement.mjs').BaselineResult>) | undefined} baseline
 */

/** @type {readonly Workload[]} */
export const WORKLOADS = [
  {
    id: 'D1',
    title: 'data path alone: DataProcessor replay of 1m bars to 1m/5m/15m/1h, no consumer',
    run: measureD1,
    baseline: measureD1Baseline,
  },
  {
    id: 'W1',
    title: '1 symbol, ~1M 1m bars (5m derived), SMA cross 10/20 on 1m, 1 worker strategy, data-driven',
    run: (size) => measureW1(size, 'worker'),
    baseline: (size) => measureW1Baseline(size, 'worker'),
  },
  {
    id: 'W1i',
    title: 'W1 with executor inline',
    run: (size) => measureW1(size, 'inline'),
    baseline: (size) => measureW1Baseline(size, 'inline'),
  },
  {
    id: 'W1x',
    title:
      'W1 trading on paper (execution: slippage, commissions, sizing by equity); baseline: W1 without, in alternating pairs of fresh processes',
    run: measureW1x,
    baseline: undefined,
  },
  {
    id: 'W2',
    title:
      '100 symbols x 1 month of 1m bars, 1m + 5m, 5 worker strategies each on all symbols (+ W4 store memory)',
    run: measureW2,
    baseline: measureW2Baseline,
  },
  {
    id: 'W3',
    title: 'clock-driven: 5 empty worker strategies, 1 bar per ms for ~10 s, 1 ms budget',
    run: measureW3,
    baseline: measureW3Baseline,
  },
  { id: 'W4', title: 'memory: W1 run 10 times in one process', run: measureW4, baseline: undefined },
  {
    id: 'W5',
    title: 'CSV to journal: ~1M-row 1m CSV, SMA cross, journal written',
    run: measureW5,
    baseline: measureW5Baseline,
  },
  {
    id: 'W6',
    title: 'scaling: 1, 5, 20 strategies x 10, 100, 1000 symbols',
    run: measureW6,
    baseline: measureW6Baseline,
  },
  {
    id: 'W7',
    title:
      'catalog into the store: ~1M 1m rows from an Arrow IPC catalog, appended; and replayed by the DataProcessor',
    run: measureW7,
    baseline: measureW7Baseline,
  },
  {
    id: 'WP',
    title:
      'whole process: strat run on a 1M-row CSV (Date, Time, New York, end-labelled) and on its catalog; baseline grademark',
    run: measureWP,
    baseline: measureWPBaseline,
  },
  {
    id: 'S1',
    title:
      "strat sweep: 16 SMA-cross combinations over W1's data, --workers 2 vs --workers 1 (both in its run)",
    run: measureS1,
    baseline: undefined,
  },
  {
    id: 'S2',
    title: 'strat sweep of an empty strategy through --queue (own redis-server, one strat worker) vs locally',
    run: measureS2,
    baseline: undefined,
  },
];

/**
 * The workload named `id`.
 * @param {string} id
 */
export function findWorkload(id) {
  const workload = WORKLOADS.find((w) => w.id.toLowerCase() === id.toLowerCase());
  if (workload === undefined) {
    throw new Error(`unknown workload ${id} (known: ${WORKLOADS.map((w) => w.id).join(', ')})`);
  }
  return workload;
}
