// @ts-check
// W4 (the part not measured after W2): W1 run ten times in one process; the RSS after the last run
// against the RSS after the first (garbage collected each time) shows whether anything leaks.
import { collectGarbage } from '../measurement.mjs';
import { runSession } from '../run-session.mjs';
import { W1_SIZES, w1Config } from './w1-replay.mjs';

/** @typedef {'full' | 'quick'} Size */

const RUNS = 10;

/**
 * Needs `--expose-gc` (the bench starts this workload's process with it).
 * @param {Size} size
 * @returns {Promise<import('../measurement.mjs').WorkloadResult>}
 */
export async function measureW4(size) {
  const spec = W1_SIZES[size];
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await runSession(w1Config(spec));
    collectGarbage();
    const memory = process.memoryUsage();
    samples.push({
      run: i + 1,
      barsPerSecond: run.baseBars / (run.replayMs / 1000),
      rssMiB: memory.rss / 2 ** 20,
      heapUsedMiB: memory.heapUsed / 2 ** 20,
      heapTotalMiB: memory.heapTotal / 2 ** 20,
      externalMiB: memory.external / 2 ** 20,
    });
  }
  const first = /** @type {(typeof samples)[number]} */ (samples[0]);
  const second = /** @type {(typeof samples)[number]} */ (samples[1]);
  const last = /** @type {(typeof samples)[number]} */ (samples.at(-1));
  const growth = (/** @type {{ rssMiB: number }} */ from) =>
    (100 * (last.rssMiB - from.rssMiB)) / from.rssMiB;
  const mib = (/** @type {number} */ value) => value.toFixed(0);
  return {
    measurements: [
      {
        workload: 'W4',
        metric: `RSS growth, W1 x${RUNS}`,
        value: growth(first),
        unit: '%',
        better: 'lower',
        target: { op: '<', value: 5 },
        note:
          `W4 RSS growth: RSS after run ${RUNS} vs after run 1 of W1 in one process, each after a full GC: ` +
          `RSS ${samples.map((s) => mib(s.rssMiB)).join(' ')} MiB, V8 heap committed ${samples.map((s) => mib(s.heapTotalMiB)).join(' ')} MiB, ` +
          `heap used ${first.heapUsedMiB.toFixed(1)} -> ${last.heapUsedMiB.toFixed(1)} MiB`,
      },
      {
        workload: 'W4',
        metric: `RSS growth, runs 2-${RUNS}`,
        value: growth(second),
        unit: '%',
        better: 'lower',
      },
      {
        workload: 'W4',
        metric: `heap used growth, W1 x${RUNS}`,
        value: last.heapUsedMiB - first.heapUsedMiB,
        unit: 'MiB',
        better: 'lower',
      },
    ],
    details: { ...spec, runs: RUNS, samples },
  };
}
