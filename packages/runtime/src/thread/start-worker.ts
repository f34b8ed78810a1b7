import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { StratError } from '@strat/core';
import { findInstalledPackage, resolvePackageEntry } from '../loader/package-entry';

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

function tsxApiUrl(): string {
  const tsx = findInstalledPackage('tsx', dirname(fileURLToPath(import.meta.url)));
  const entry = tsx === undefined ? undefined : resolvePackageEntry(tsx, './esm/api');
  if (entry === undefined) {
    throw new StratError(
      'TSX_MISSING',
      'tsx is needed to run TypeScript worker scripts, and it is not installed',
    );
  }
  return pathToFileURL(entry).href;
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
      `import(${JSON.stringify(tsxApiUrl())}).then((api) => { api.register(); ` +
      `return import(${JSON.stringify(script.href)}); });`;
    worker = new Worker(bootstrap, { ...withStdout, eval: true });
  }
  worker.stdout.pipe(process.stderr, { end: false });
  return worker;
}
