import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { findProjectRoot, type SweepRow } from '@strat/runtime';
import { Worker } from 'bullmq';
import { Piscina } from 'piscina';
import { ExitCode, type ExitCodeValue } from '../exit-codes';
import { type ModulePolicyOptions, modulePolicy } from '../run/module-policy';
import { colorsFor } from '../terminal/colors';
import { UsageError } from '../usage-error';
import { reachRedis, redisConnection, SWEEP_QUEUE, type SweepJobData } from './sweep-queue';
import type { SweepTask } from './sweep-worker';

/** Options of `strat worker`. */
export interface WorkerCommandOptions extends ModulePolicyOptions {
  queue: string;
  /** Combinations at once (default: the number of cores). */
  concurrency?: number;
  /** The project whose configs, data and strategies jobs use (default: the project of the current folder). */
  project?: string;
  /** How long a job stays locked by a worker that stopped answering before another worker takes it. */
  lockMs?: number;
}

/**
 * `strat worker --queue redis://...`: runs the combinations `strat sweep --queue` puts on the queue,
 * `--concurrency` at a time (each in a worker thread, as a local sweep runs them), until Ctrl-C or
 * SIGTERM (the jobs it holds go back to the queue when their lock expires). A job names a config folder
 * relative to the project root: this machine's copy of the project (same layout, same data) resolves it,
 * and strategies load under the same rules as `strat run` (the project's strategies/, @strat/examples,
 * --strategy-root, --allow-package): a job never decides what code runs.
 */
export async function workerCommand(options: WorkerCommandOptions): Promise<ExitCodeValue> {
  const stderr = process.stderr;
  const colors = colorsFor(stderr);
  const project = findProjectRoot(resolve(options.project ?? process.cwd()));
  const concurrency = options.concurrency ?? availableParallelism();
  const connection = redisConnection(options.queue);
  const policy = modulePolicy(resolve(project, 'session_configs', 'x.json'), options);
  const pool = new Piscina<SweepTask, SweepRow>({
    filename: new URL('./sweep-worker.js', import.meta.url).href,
    maxThreads: concurrency,
    minThreads: 1,
  });
  const worker = new Worker<SweepJobData, SweepRow>(
    SWEEP_QUEUE,
    async (job) => {
      const configDir = resolve(project, job.data.configDir);
      if (!configDir.startsWith(project)) {
        throw new UsageError(`job ${job.id}: config folder ${job.data.configDir} is outside the project`);
      }
      const row = await pool.run({
        config: job.data.config,
        index: job.data.index,
        combination: job.data.combination,
        options: { configDir, ...policy },
      });
      stderr.write(
        `${row.error === undefined ? colors.green('done') : colors.red('failed')} ${job.id}` +
          `${row.error === undefined ? '' : `: ${row.error}`}\n`,
      );
      return row;
    },
    {
      connection,
      concurrency,
      autorun: false,
      ...(options.lockMs === undefined
        ? {}
        : { lockDuration: options.lockMs, stalledInterval: Math.max(500, Math.floor(options.lockMs / 2)) }),
      maxStalledCount: 3,
    },
  );
  worker.on('error', (error) => stderr.write(`${colors.red('queue error:')} ${error.message}\n`));
  try {
    await reachRedis(options.queue, worker.waitUntilReady());
  } catch (error) {
    await pool.destroy();
    void worker.close(true).catch(() => undefined);
    throw error;
  }
  stderr.write(
    `strat worker: ${concurrency} at a time from ${SWEEP_QUEUE} on ${options.queue}, project ${project}\n`,
  );
  let stop: (code: ExitCodeValue) => void = () => {};
  const stopped = new Promise<ExitCodeValue>((done) => {
    stop = done;
  });
  const onSignal = (signal: NodeJS.Signals) => {
    stderr.write(`strat worker: ${signal}, finishing the jobs it holds\n`);
    stop(signal === 'SIGINT' ? ExitCode.INTERRUPTED : ExitCode.TERMINATED);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  void worker.run();
  const code = await stopped;
  await worker.close();
  await pool.destroy();
  return code;
}
