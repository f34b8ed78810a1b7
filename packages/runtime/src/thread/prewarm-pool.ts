// Strategy threads started ahead of their strategies. Imports nothing of @strat/core (nor zod), so
// that `@strat/runtime/prewarm` can start a thread while a program is still loading everything else:
// `strat run` does so first thing, and the thread's ~0.3 s of start-up runs beside the CLI's own.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { findTsxApi } from '../loader/find-tsx-api';
import { PREWARMED_WORKER_DATA, RELEASE_PREWARMED } from './host-protocol';
import {
  findWorkerScript,
  pipeWorkerStdout,
  STRATEGY_WORKER,
  startWorkerThread,
} from './worker-thread-start';

const CORES = availableParallelism();

/** A strategy thread started ahead of its strategy (see {@link prewarmStrategyWorkers}). */
interface PrewarmedWorker {
  readonly worker: Worker;
  readonly script: string;
  readonly drop: () => void;
}

const prewarmed: PrewarmedWorker[] = [];

/** Takes `entry` out of the pool's care: its thread's failure or exit no longer drops it. */
function detach(entry: PrewarmedWorker): void {
  entry.worker.off('error', entry.drop);
  entry.worker.off('exit', entry.drop);
}

/**
 * Keeps `count` strategy worker threads (at most one per core) waiting for their strategies: starts
 * the missing ones, and releases those past `count` (a program that prewarmed before it knew how many
 * it needs). Each thread loads the strategy host's modules (the runtime, `@strat/core` and zod: most
 * of a thread's ~0.3 s start-up) while the caller goes on loading, checking its config and opening its
 * data. A session's worker strategies then take them instead of starting threads of their own (those
 * with `resourceLimits` or their own `workerScript` excepted). Threads nobody takes do not keep the
 * process alive, and a thread that fails while waiting is dropped (a strategy then starts its own).
 * Without the built worker script and tsx (running from TypeScript sources), it starts nothing.
 * `strat run` calls it; also exported as `@strat/runtime/prewarm`, which loads none of the rest.
 * @param count - worker strategies about to start
 */
export function prewarmStrategyWorkers(count: number): void {
  const target = Math.max(0, Math.min(Math.floor(count), CORES));
  if (!(target >= 0)) return;
  for (const entry of prewarmed.splice(target)) void release(entry);
  const wanted = target - prewarmed.length;
  if (wanted <= 0) return;
  const script = findWorkerScript(STRATEGY_WORKER.name, STRATEGY_WORKER.source);
  if (script === undefined) return;
  const tsxApi = script.pathname.endsWith('.ts') ? findTsxApi() : '';
  if (tsxApi === undefined) return;
  for (let i = 0; i < wanted; i++) {
    // Unref'd and not piped yet, so that a thread nobody takes does not keep the process alive.
    const worker = startWorkerThread(script, { workerData: PREWARMED_WORKER_DATA }, false, () => tsxApi);
    worker.unref();
    const entry: PrewarmedWorker = {
      worker,
      script: script.href,
      drop: () => {
        const at = prewarmed.indexOf(entry);
        if (at >= 0) prewarmed.splice(at, 1);
      },
    };
    worker.once('error', entry.drop);
    worker.once('exit', entry.drop);
    prewarmed.push(entry);
  }
}

/** Ends a waiting thread normally (its exit work, such as writing V8 coverage, runs), or terminates it after a second. */
async function release(entry: PrewarmedWorker): Promise<void> {
  detach(entry);
  const { worker } = entry;
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => resolve());
    worker.once('error', () => resolve());
  });
  worker.postMessage(RELEASE_PREWARMED);
  const late = setTimeout(() => void worker.terminate(), 1000);
  await exited;
  clearTimeout(late);
}

/**
 * Ends the threads {@link prewarmStrategyWorkers} started that nobody took, and resolves once they
 * have exited. They end normally (their exit work, such as writing V8 coverage, runs), or are
 * terminated after a second. Call it when no session will take them; `strat run` does at its end.
 */
export async function releasePrewarmedStrategyWorkers(): Promise<void> {
  await Promise.all(prewarmed.splice(0).map(release));
}

/** Strategy threads started ahead and not taken yet. */
export function prewarmedStrategyWorkerCount(): number {
  return prewarmed.length;
}

/** A prewarmed thread for `script`, taken out of the pool (undefined: none). */
export function takePrewarmed(script: URL): Worker | undefined {
  const at = prewarmed.findIndex((entry) => entry.script === script.href);
  if (at < 0) return undefined;
  const [entry] = prewarmed.splice(at, 1) as [PrewarmedWorker];
  detach(entry);
  entry.worker.ref();
  pipeWorkerStdout(entry.worker);
  return entry.worker;
}
