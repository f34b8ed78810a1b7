// @ts-check
// What this machine allows W3 at best: the wall time from one thread's Atomics.notify to the
// return of another thread's Atomics.wait (a parked strategy worker wakes exactly like this), one
// wake-up per millisecond like W3's bars. No @strat code involved.
import { createHistogram } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const wallNow = () => performance.timeOrigin + performance.now();

/**
 * Wakes a parked thread `rounds` times, 1 ms apart.
 * @param {number} rounds
 * @returns {Promise<{ p50: number, p99: number, p999: number }>} microseconds
 */
export async function measureWakeFloor(rounds) {
  const words = new Int32Array(new SharedArrayBuffer(8));
  const times = new Float64Array(new SharedArrayBuffer(16 * rounds));
  const worker = new Worker(new URL(import.meta.url), { workerData: { words, times, rounds } });
  await new Promise((resolve) => worker.once('message', resolve));
  for (let k = 1; k <= rounds; k++) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    times[2 * (k - 1)] = wallNow();
    Atomics.store(words, 0, k);
    Atomics.notify(words, 0);
  }
  await new Promise((resolve) => worker.once('exit', resolve));
  const histogram = createHistogram();
  for (let k = 0; k < rounds; k++) {
    histogram.record(Math.max(1, Math.round(((times[2 * k + 1] ?? 0) - (times[2 * k] ?? 0)) * 1e6)));
  }
  return {
    p50: histogram.percentile(50) / 1000,
    p99: histogram.percentile(99) / 1000,
    p999: histogram.percentile(99.9) / 1000,
  };
}

if (!isMainThread && workerData?.words instanceof Int32Array) {
  /** @type {{ words: Int32Array, times: Float64Array, rounds: number }} */
  const { words, times, rounds } = workerData;
  parentPort?.postMessage('ready');
  for (let k = 1; k <= rounds; k++) {
    while (Atomics.load(words, 0) < k) Atomics.wait(words, 0, k - 1, 1000);
    times[2 * (k - 1) + 1] = wallNow();
  }
}
