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
  const here = import.meta.url;
  const candidates = here.endsWith('.cjs')
    ? ['./strategy-worker.cjs', './strategy-worker.js']
    : ['./strategy-worker.js', './host/strategy-worker.ts'];
  for (const candidate of candidates) {
    const url = new URL(candidate, here);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new StratError(
    'WORKER_SCRIPT_MISSING',
    `The strategy worker script is missing next to ${fileURLToPath(here)}: rebuild @strat/runtime`,
  );
}

/**
 * Starts a worker thread on `script`. A TypeScript script (development: tests on the sources) gets
 * a tiny bootstrap that registers tsx in the new thread first: `execArgv: ['--import', 'tsx']`
 * does not reach a worker's entry module on Node 20.
 */
export function startWorker(script: URL, options: WorkerOptions): Worker {
  // A strategy's console.log goes to stderr: stdout belongs to the program's results (`strat run --json`).
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
  worker.stdout.pipe(process.stderr, { end: false });
  return worker;
}
