// @ts-check
// S2: what a job costs through the queue (issue 17: under 20 ms on loopback). The same sweep of an
// empty strategy over one short session runs through `--queue` on a Redis of the bench's own (Debian's
// redis-server, 127.0.0.1, a free port, nothing saved) with one `strat worker --concurrency 1`, and
// locally with `--workers 1`, each at two sizes; the overhead per job is the difference of the growths.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from '../measurement.mjs';
import { BENCH_DIR, BENCH_SEED } from '../session-configs.mjs';
import {
  benchScratchDir,
  haveRedisServer,
  runTimedStrat,
  startRedis,
  startStrat,
} from '../strat-process.mjs';
import { queueOverheadPerJob, sweepRowsOf } from './sweep-output.mjs';

/** @typedef {'full' | 'quick'} Size */

/**
 * Jobs of the small and the large sweep; each of the four sweeps runs `repeats` times. Quick keeps 90 jobs
 * between the sizes: with fewer, a loaded machine's noise in four process runs outweighs what the jobs add.
 */
export const S2_SIZES = {
  full: { small: 20, large: 200, repeats: 2 },
  quick: { small: 10, large: 100, repeats: 1 },
};

/** Why S2 has no figure on a machine without Redis. */
export const S2_SKIPPED = 'redis-server not installed';

/**
 * The sweep's config file: one 09:30-10:00 session of SPY 1m bars from the generator and the bench's
 * empty strategy (`strategies/noop.ts`, whose `variant` the sweep varies and which changes nothing).
 */
export function s2Config() {
  return {
    mode: 'backtest',
    backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
    session_data_config: {
      symbols: ['SPY'],
      streams: ['1m'],
      calendar: { preset: 'us_equities', close: '10:00' },
      strategies: [
        {
          module: '../../strategies/noop.ts',
          name: 'noop',
          config: { symbols: ['SPY'], interval: '1m', variant: 0 },
        },
      ],
    },
    data_config: { source: 'generator', seed: BENCH_SEED },
    execution: { initial_cash: 100_000 },
  };
}

/**
 * One sweep of `jobs` combinations, locally or through the queue: its wall time from the "sweeping"
 * line (every combination checked) to the exit, which holds connecting, queueing, the jobs, the
 * results coming back and the queue's clean-up.
 * @param {{ dir: string, configPath: string, queue: string | undefined }} where
 * @param {number} jobs
 */
async function sweepOnce(where, jobs) {
  const out = join(where.dir, `sweep-${jobs}.json`);
  const engine = where.queue === undefined ? ['--workers', '1'] : ['--queue', where.queue];
  const run = await runTimedStrat(
    ['sweep', where.configPath, '-p', `noop.variant=1:${jobs}`, ...engine, '--out', out],
    { phaseMarker: 'sweeping ', scratch: where.dir, timeoutMs: 600_000 },
  );
  if (run.code !== 0 || run.phaseMs === undefined) {
    throw new Error(`strat sweep ${engine.join(' ')} exited ${run.code}:\n${run.stderr.slice(-2000)}`);
  }
  sweepRowsOf(out, jobs);
  return {
    engine: where.queue === undefined ? 'local' : 'queue',
    jobs,
    sweepMs: run.phaseMs,
    processMs: run.wallMs,
    loadAverage: run.loadAverage,
  };
}

/**
 * @param {Size} size
 * @returns {Promise<import('../measurement.mjs').WorkloadResult>}
 */
export async function measureS2(size) {
  const spec = S2_SIZES[size];
  if (!haveRedisServer()) {
    return {
      measurements: [
        {
          workload: 'S2',
          metric: 'queue overhead per job',
          value: Number.NaN,
          unit: 'ms',
          better: 'lower',
          skipped: S2_SKIPPED,
          note: "S2: needs Debian's redis-server on the PATH (apt-get install redis-server)",
        },
      ],
      details: { ...spec, skipped: S2_SKIPPED },
    };
  }
  const scratch = benchScratchDir('s2');
  const redis = await startRedis();
  const worker = startStrat(['worker', '--queue', redis.url, '--concurrency', '1', '--project', BENCH_DIR]);
  try {
    const configPath = join(scratch.dir, 'noop-sweep.json');
    writeFileSync(configPath, JSON.stringify(s2Config(), null, 2));
    await worker.waitFor(/strat worker: 1 at a time/, 60_000);
    const local = { dir: scratch.dir, configPath, queue: undefined };
    const queued = { dir: scratch.dir, configPath, queue: redis.url };
    // A worker runs for many sweeps: its thread, the strategy module and the data are ready before the
    // measured ones (a local sweep starts its pool every time; the two sizes take that out).
    await sweepOnce(queued, 2);
    /** @type {Awaited<ReturnType<typeof sweepOnce>>[]} */
    const runs = [];
    for (let r = 0; r < spec.repeats; r++) {
      for (const jobs of [spec.small, spec.large]) {
        const order = r % 2 === 0 ? [local, queued] : [queued, local];
        for (const where of order) runs.push(await sweepOnce(where, jobs));
      }
    }
    const wall = (/** @type {string} */ engine, /** @type {number} */ jobs) =>
      median(runs.filter((x) => x.engine === engine && x.jobs === jobs).map((x) => x.sweepMs));
    const walls = {
      local: { small: wall('local', spec.small), large: wall('local', spec.large) },
      queue: { small: wall('queue', spec.small), large: wall('queue', spec.large) },
    };
    const overhead = queueOverheadPerJob(walls, spec);
    return {
      measurements: [
        {
          workload: 'S2',
          metric: `${spec.large} jobs through the queue`,
          value: walls.queue.large / 1000,
          unit: 's',
          better: 'lower',
          baseline: walls.local.large / 1000,
          note:
            `S2: strat sweep of an empty strategy over a 30-bar session, ${spec.large} combinations through --queue ` +
            `(its own redis-server on 127.0.0.1, one strat worker --concurrency 1); baseline: the same sweep with ` +
            `--workers 1, in the same run; wall time from the sweep's "sweeping" line to its exit`,
        },
        {
          workload: 'S2',
          metric: 'queue overhead per job',
          value: overhead,
          unit: 'ms',
          better: 'lower',
          target: { op: '<', value: 20 },
          note:
            `S2 overhead per job: ((queue ${spec.large} - queue ${spec.small}) - (local ${spec.large} - local ${spec.small})) / ` +
            `${spec.large - spec.small} jobs, so fixed costs (the local pool's start-up, the Redis connection) are left out; ` +
            `(queue - local) / jobs at ${spec.large} jobs was ${((walls.queue.large - walls.local.large) / spec.large).toFixed(1)} ms`,
        },
      ],
      details: { ...spec, walls, runs },
    };
  } finally {
    await worker.stop();
    await redis.stop();
    scratch.remove();
  }
}
