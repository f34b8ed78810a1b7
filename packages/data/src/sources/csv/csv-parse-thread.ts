import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DataError, StratError } from '@strat/core';
import type { BarChunk } from '../bar-source';
import type { SourceReportRecorder } from '../source-report-recorder';
import {
  applyReportDelta,
  type CsvParseMessage,
  type CsvParseTask,
  type CsvReadFailure,
} from './csv-parse-thread-protocol';
import type { CsvSymbolReadOptions } from './csv-symbol-reader';

/** Chunks of 4096 bars (192 KiB each) a parsing thread may have posted and the session not yet taken. */
export const CSV_CHUNKS_IN_FLIGHT = 8;

/** At most this many CSV parsing threads at once in a process; reads beyond them parse in their own thread. */
const MAX_PARSE_THREADS = 2;

let liveThreads = 0;

/** CSV parsing threads running now (tests check that every read ends its thread). */
export function liveCsvParseThreads(): number {
  return liveThreads;
}

/**
 * Reserves one of the process's CSV parsing threads for a read; false when they are all taken.
 * The reader that gets true must run {@link readCsvSymbolInThread}, which gives it back.
 */
export function reserveCsvParseThread(): boolean {
  if (liveThreads >= MAX_PARSE_THREADS) return false;
  liveThreads++;
  return true;
}

/**
 * `readCsvSymbol` on a worker thread of its own (reserved first with {@link reserveCsvParseThread}),
 * while the caller replays: the thread splits, checks and decodes the rows and posts columnar
 * chunks whose buffers are transferred, at most `chunksInFlight` ahead of the caller. Counts and
 * skipped rows reach `recorder` with the chunk they belong to; an error of the read is thrown here
 * as the same DataError (message, file, line). The thread is ended on every path: the read's end,
 * an error, or the caller leaving early (`return()` on the generator).
 */
export async function* readCsvSymbolInThread(
  options: Omit<CsvSymbolReadOptions, 'calendar'>,
  recorder: SourceReportRecorder,
  chunksInFlight = CSV_CHUNKS_IN_FLIGHT,
): AsyncGenerator<BarChunk> {
  let worker: Worker | undefined;
  try {
    const task: CsvParseTask = { read: options, chunksInFlight };
    worker = startCsvParseWorker(task);
    const inbox: CsvParseMessage[] = [];
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    worker.on('message', (message: CsvParseMessage) => {
      inbox.push(message);
      wake?.();
    });
    worker.on('error', (error) => {
      failure ??= error;
      wake?.();
    });
    worker.on('exit', (code) => {
      failure ??= new Error(`the CSV parsing thread stopped (exit code ${code}) before the end of the read`);
      wake?.();
    });
    for (;;) {
      if (inbox.length === 0) {
        if (failure !== undefined) throw failure;
        // Held only while waiting: a read its consumer drops without return() must not keep the process up.
        worker.ref();
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
        continue;
      }
      const message = inbox.shift() as CsvParseMessage;
      applyReportDelta(recorder, message.report);
      if (message.type === 'error') throw reviveReadFailure(message.failure);
      if (message.type === 'end') return;
      worker.postMessage(1);
      worker.unref();
      yield message.chunk;
    }
  } finally {
    if (worker !== undefined) await worker.terminate();
    liveThreads--;
  }
}

/**
 * The parsing thread's script: `csv-parse-worker.js` / `.cjs` next to the bundle in the built
 * package, `csv-parse-worker.ts` beside this file when running from sources (tests).
 * @throws StratError `WORKER_SCRIPT_MISSING` when neither is there
 */
export function csvParseWorkerScript(): URL {
  const here = import.meta.url;
  const candidates = here.endsWith('.cjs')
    ? ['./csv-parse-worker.cjs', './csv-parse-worker.js']
    : ['./csv-parse-worker.js', './csv-parse-worker.ts'];
  for (const candidate of candidates) {
    const url = new URL(candidate, here);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new StratError(
    'WORKER_SCRIPT_MISSING',
    `The CSV parsing thread's script is missing next to ${fileURLToPath(here)}: rebuild @strat/data`,
  );
}

/**
 * Starts a parsing thread on `task` (its messages: {@link CsvParseMessage}; it waits for a number,
 * chunks taken, whenever `chunksInFlight` chunks are unanswered). From sources (a `.ts` script: the
 * tests) a bootstrap registers tsx, a development dependency, in the new thread first: Node 20 runs
 * no TypeScript by itself.
 */
export function startCsvParseWorker(task: CsvParseTask): Worker {
  const script = csvParseWorkerScript();
  if (!script.pathname.endsWith('.ts')) return new Worker(script, { workerData: task });
  const tsx = pathToFileURL(tsxEsmApi()).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(script.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: task });
}

/** The file of tsx's ESM API (`tsx/esm/api`'s `import` entry). */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = require(manifestPath) as { exports: Record<string, { import: { default: string } }> };
  const entry = manifest.exports['./esm/api']?.import.default;
  if (entry === undefined) throw new Error(`tsx at ${dirname(manifestPath)} has no ./esm/api`);
  return join(dirname(manifestPath), entry);
}

/** The error a failure from the thread stands for: a DataError with the same message, file, line and cause. */
function reviveReadFailure(failure: CsvReadFailure): Error {
  if (failure.kind === 'data') {
    const { reason, file, line, cause } = failure;
    return new DataError(
      reason,
      line === undefined ? { file } : { file, line },
      cause === undefined ? {} : { cause: Object.assign(new Error(cause.message), { name: cause.name }) },
    );
  }
  const error = new Error(failure.message);
  error.name = failure.name;
  if (failure.stack !== undefined) error.stack = failure.stack;
  return error;
}
