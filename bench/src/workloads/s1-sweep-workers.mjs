// @ts-check
// S1: a local sweep on 2 workers against 1 (issue 17: at least 1.7x faster). `strat sweep` itself, the
// built CLI in its own process (piscina pool, a BarCache per thread), runs 16 combinations of the SMA
// cross (fast x slow, 4 x 4) over W1's data (~1M generated 1m bars, 5m derived, paper execution as W1x)
// with `--workers 2` and with `--workers 1`, alternately, in the same bench run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from '../measurement.mjs';
import { BENCH_SEED } from '../session-configs.mjs';
import { benchScratchDir, runTimedStrat } from '../strat-process.mjs';
import { sweepRowsOf } from './sweep-output.mjs';
import { W1_EXECUTION, W1_SIZES } from './w1-replay.mjs';

/** @typedef {'full' | 'quick'} Size */

/**
 * W1's sessions (quick: one month, 8,190 bars: the processes' start-up is most of it anyway); both worker
 * counts run `repeats` times, alternating which goes first.
 */
export const S1_SIZES = {
  full: {
    startDate: W1_SIZES.full.startDate,
    endDate: W1_SIZES.full.endDate,
    repeats: 2,
    timeoutMs: 1_800_000,
  },
  quick: { startDate: '2024-01-01', endDate: '2024-01-31', repeats: 1, timeoutMs: 600_000 },
};

/** The swept parameters: 4 x 4 = 16 combinations. */
export const S1_PARAMS = ['sma.fast_period=5,10,15,20', 'sma.slow_period=30,40,50,60'];
export const S1_COMBINATIONS = 16;

/**
 * The sweep's config file: W1's session (SPY, 1m + 5m, the bundled SMA cross 10/20 on 1m, the
 * generator with the bench seed) trading on paper as W1x does (a sweep ranks paper results).
 * @param {{ startDate: string, endDate: string }} range
 */
export function s1Config(range) {
  return {
    mode: 'backtest',
    backtest_config: { start_date: range.startDate, end_date: range.endDate },
    session_data_config: {
      symbols: ['SPY'],
      streams: ['1m', '5m'],
      strategies: [
        {
          module: '@strat/examples/sma-cross',
          name: 'sma',
          config: { symbols: ['SPY'], interval: '1m', fast_period: 10, slow_period: 20 },
        },
      ],
    },
    data_config: { source: 'generator', seed: BENCH_SEED },
    execution: W1_EXECUTION,
  };
}

/**
 * One `strat sweep --workers N`: the sweep's wall time (from its "sweeping ..." line, after every
 * combination was checked, to the exit: pool start-up, the sessions, teardown) and the process's.
 * @param {string} dir
 * @param {string} configPath
 * @param {number} workers
 * @param {number} timeoutMs
 */
async function sweepOnce(dir, configPath, workers, timeoutMs) {
  const out = join(dir, `sweep-${workers}.json`);
  const params = S1_PARAMS.flatMap((p) => ['-p', p]);
  const run = await runTimedStrat(
    ['sweep', configPath, ...params, '--workers', String(workers), '--out', out],
    { phaseMarker: 'sweeping ', scratch: dir, timeoutMs },
  );
  if (run.code !== 0 || run.phaseMs === undefined) {
    throw new Error(`strat sweep --workers ${workers} exited ${run.code}:\n${run.stderr.slice(-2000)}`);
  }
  const rows = sweepRowsOf(out, S1_COMBINATIONS);
  return {
    workers,
    sweepMs: run.phaseMs,
    processMs: run.wallMs,
    cpuMs: run.cpuMs,
    loadAverage: run.loadAverage,
    msPerCombination: rows.map((r) => Math.round(r.ms ?? 0)),
  };
}

/**
 * @param {Size} size
 * @returns {Promise<import('../measurement.mjs').WorkloadResult>}
 */
export async function measureS1(size) {
  const spec = S1_SIZES[size];
  const scratch = benchScratchDir('s1');
  try {
    const configPath = join(scratch.dir, 'w1-sweep.json');
    writeFileSync(configPath, JSON.stringify(s1Config(spec), null, 2));
    /** @type {Awaited<ReturnType<typeof sweepOnce>>[]} */
    const runs = [];
    for (let r = 0; r < spec.repeats; r++) {
      for (const workers of r % 2 === 0 ? [1, 2] : [2, 1]) {
        runs.push(await sweepOnce(scratch.dir, configPath, workers, spec.timeoutMs));
      }
    }
    const of = (/** @type {number} */ workers) => runs.filter((r) => r.workers === workers);
    const seconds = (/** @type {number} */ workers) => median(of(workers).map((r) => r.sweepMs)) / 1000;
    const cpuSeconds = (/** @type {number} */ workers) =>
      median(of(workers).map((r) => r.cpuMs ?? Number.NaN)) / 1000;
    const cores = (/** @type {number} */ workers) =>
      median(of(workers).map((r) => (r.cpuMs ?? Number.NaN) / r.processMs));
    return {
      measurements: [
        {
          workload: 'S1',
          metric: `${S1_COMBINATIONS} combinations, 2 workers`,
          value: seconds(2),
          unit: 's',
          better: 'lower',
          baseline: seconds(1),
          targetOn: 'ratio',
          target: { op: '>=', value: 1.7 },
          note:
            `S1: strat sweep, ${S1_COMBINATIONS} SMA-cross combinations (4 x 4) over W1's data, --workers 2; baseline ` +
            `--workers 1 in the same run (alternately, median of ${spec.repeats}); the sweep's wall time from its ` +
            `"sweeping" line to its exit (pool start-up, sessions, teardown; the check of every combination before ` +
            `it is the same for both). The processes used ${cores(2).toFixed(2)} cores (2 workers) and ` +
            `${cores(1).toFixed(2)} (1 worker) on average: on a machine shared with other work that share bounds the ratio`,
        },
        {
          workload: 'S1',
          metric: 'CPU time, 2 workers',
          value: cpuSeconds(2),
          unit: 's',
          better: 'lower',
          baseline: cpuSeconds(1),
          note: 'S1 CPU time: user + system of the whole strat sweep process, every thread; baseline --workers 1 (what a second worker costs in work, not in wall time)',
        },
      ],
      details: { ...spec, params: S1_PARAMS, runs },
    };
  } finally {
    scratch.remove();
  }
}
