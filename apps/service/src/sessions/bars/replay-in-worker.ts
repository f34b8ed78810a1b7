import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type Interval, type SessionConfig, StratError } from '@strat/core';
import type { SeriesColumns } from './series-columns';

/** What a bars thread reads: one series of a backtest. */
export interface BarsTask {
  config: SessionConfig;
  configDir: string;
  symbol: string;
  interval: Interval;
}

/**
 * The bars thread's script: `bars-worker.js` next to the bundle in `dist/`, or, running from the
 * sources (the tests, whose global setup builds the package first), the one in `dist/`.
 * @throws StratError `WORKER_SCRIPT_MISSING` when the package is not built
 */
export function barsWorkerScript(): URL {
  for (const candidate of ['./bars-worker.js', '../../../dist/bars-worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new StratError(
    'WORKER_SCRIPT_MISSING',
    'The bars thread script dist/bars-worker.js is missing: build @strat/service (pnpm --filter @strat/service build)',
  );
}

/**
 * {@link replaySeriesBars} on a thread of its own (started for the task, gone after it): reading a
 * year of one-minute bars again takes seconds, which the service's event loop must not wait for.
 * @throws Error with the data path's message when the series cannot be read again
 */
export function replayInWorker(task: BarsTask): Promise<SeriesColumns> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(barsWorkerScript(), { workerData: task });
    let settled = false;
    worker.once('message', (message: { bars?: SeriesColumns; error?: string }) => {
      settled = true;
      if (message.bars !== undefined) resolve(message.bars);
      else reject(new Error(message.error ?? 'the bars thread failed'));
      void worker.terminate();
    });
    worker.once('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (settled) return;
      settled = true;
      reject(new Error(`the bars thread exited with code ${code}`));
    });
  });
}
