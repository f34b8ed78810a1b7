// Starting worker threads with nothing of @strat/core (zod included) loaded: `@strat/runtime/prewarm`
// starts a strategy thread from here while a program is still loading the rest (see prewarm-pool.ts).
// `start-worker.ts` adds the forms that throw StratErrors.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Where the strategy worker script is looked for (see {@link findWorkerScript}). */
export const STRATEGY_WORKER = { name: 'strategy-worker', source: './host/strategy-worker.ts' } as const;

/**
 * A worker entry of the package: `NAME.js` / `.cjs` next to the bundle in the built package,
 * `source` (relative to this file's folder) when running from sources (tests); undefined when neither exists.
 */
export function findWorkerScript(name: string, source: string): URL | undefined {
  const here = import.meta.url;
  const candidates = here.endsWith('.cjs') ? [`./${name}.cjs`, `./${name}.js`] : [`./${name}.js`, source];
  for (const candidate of candidates) {
    const url = new URL(candidate, here);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

/**
 * Starts a worker thread on `script`, its stdout piped to this process's stderr (unless `pipeStdout`
 * is false: then {@link pipeWorkerStdout} later). A TypeScript script (development: tests on the
 * sources) gets a tiny bootstrap that registers tsx (its ESM API at `tsxApi`) in the new thread first:
 * `execArgv: ['--import', 'tsx']` does not reach a worker's entry module on Node 20.
 */
export function startWorkerThread(
  script: URL,
  options: WorkerOptions,
  pipeStdout: boolean,
  tsxApi: () => string,
): Worker {
  // A worker's console.log goes to stderr: stdout belongs to the program's results (`strat run --json`).
  const withStdout: WorkerOptions = { ...options, stdout: true };
  let worker: Worker;
  if (!script.pathname.endsWith('.ts')) {
    worker = new Worker(script, withStdout);
  } else {
    const bootstrap =
      `import(${JSON.stringify(tsxApi())}).then((api) => { api.register(); ` +
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
