import { fileURLToPath } from 'node:url';
import type { Worker, WorkerOptions } from 'node:worker_threads';
import { StratError } from '@strat/core';
import { resolveTsxApi } from '../loader/tsx-api';
import { findWorkerScript, STRATEGY_WORKER, startWorkerThread } from './worker-thread-start';

export { pipeWorkerStdout } from './worker-thread-start';

/**
 * The strategy worker script: `strategy-worker.js` / `.cjs` next to the bundle in the built
 * package, `host/strategy-worker.ts` when running from sources (tests).
 */
export function defaultWorkerScript(): URL {
  return workerScript(STRATEGY_WORKER.name, STRATEGY_WORKER.source, 'strategy');
}

/**
 * A worker entry of the package: `NAME.js` / `.cjs` next to the bundle in the built package,
 * `source` (relative to this file's folder) when running from sources (tests).
 * @throws StratError `WORKER_SCRIPT_MISSING` when neither exists
 */
export function workerScript(name: string, source: string, what: string): URL {
  const url = findWorkerScript(name, source);
  if (url !== undefined) return url;
  throw new StratError(
    'WORKER_SCRIPT_MISSING',
    `The ${what} worker script is missing next to ${fileURLToPath(import.meta.url)}: rebuild @strat/runtime`,
  );
}

/**
 * Starts a worker thread on `script`, its stdout piped to this process's stderr (unless `pipeStdout`
 * is false: then `pipeWorkerStdout` later). A TypeScript script (development: tests on the sources)
 * gets a tiny bootstrap that registers tsx in the new thread first.
 * @throws StratError `TSX_MISSING` for a TypeScript script when tsx is not installed
 */
export function startWorker(script: URL, options: WorkerOptions, pipeStdout = true): Worker {
  return startWorkerThread(script, options, pipeStdout, () =>
    resolveTsxApi('The worker script is TypeScript, which'),
  );
}
