import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { StratError } from '@strat/core';
import { resolveTsxApi } from '../loader/tsx-api';

/**
 * The strategy worker script: `strategy-worker.js` / `.cjs` next to the bundle in the built
 * package, `host/strategy-worker.ts` when running from sources (tests).
 */
export function defaultWorkerScript(): URL {
  return workerScript('strategy-worker', './host/strategy-worker.ts', 'strategy');
}

/**
 * A worker entry of the package: `NAME.js` / `.cjs` next to the bundle in the built package,
 * `source` (relative to this file's folder) when running from sources (tests).
 */
export function workerScript(name: string, source: string, what: string): URL {
  const here = import.meta.url;
  const candidates = here.endsWith('.cjs') ? [`./${name}.cjs`, `./${name}.js`] : [`./${name}.js`, source];
  for (const candidate of candidates) {
    const url = new URL(candidate, here);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new StratError(
    'WORKER_SCRIPT_MISSING',
    `The ${what} worker script is missing next to ${fileURLToPath(here)}: rebuild @strat/runtime`,
  );
}

/**
 * Starts a worker thread on `script`, its stdout piped to this process's stderr (unless `pipeStdout`
 * is false: then {@link pipeWorkerStdout} later). A TypeScript script (development: tests on the sources) gets
 * a tiny bootstrap that registers tsx in the new thread first: `execArgv: ['--import', 'tsx']`
 * does not reach a worker's entry module on Node 20.
 */
export function startWorker(script: URL, options: WorkerOptions, pipeStdout = true): Worker {
  // A worker's console.log goes to stderr: stdout belongs to the program's results (`strat run --json`).
  const withStdout: WorkerOptions = { ...options, stdout: true };
  let worker: Worker;
  if (!script.pathname.endsWith('.ts')) {
    worker = new Worker(script, withStdout);
  } else {
    const bootstrap =
      `import(${JSON.stringify(resolveTsxApi('The worker script is TypeScript, which'))}).then((api) => { api.register(); ` +
      `return import(${JSON.stringify(script.href)}); });`;
    worker = new Worker(bootstrap, { ...withStdout, eval: true });
  }
  if (pipeStdout) pipeWorkerStdout(worker);
  return worker;
}

/**
 * Sends what the worker writes to stdout to this process's stderr. A piped worker keeps the process
 * alive even when unref'd: a thread started ahead (see `prewarmStrategyWorkers`) is piped when taken.
 * Through a `data` listener rather than `pipe`: every `pipe` adds five listeners to `process.stderr`,
 * and Node warned of a listener leak from a session's eleventh worker strategy on.
 */
export function pipeWorkerStdout(worker: Worker): void {
  worker.stdout.on('data', (chunk: Buffer) => process.stderr.write(chunk));
}
