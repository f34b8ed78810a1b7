import type { HostLoopOptions } from '../host-protocol';
import { MAX_TIMER_MS } from '../queue/wait-async';
import type { StrategyHost } from './strategy-host';

/** Default wait loop: poll 20 µs, then block up to 2 ms, then sleep without blocking the event loop. */
export const DEFAULT_HOST_LOOP: HostLoopOptions = { spinMicros: 20, parkMs: 2 };

// While busy, let the thread's event loop run (the strategy's timers, I/O) at least this often.
const YIELD_EVERY_MS = 50;
// An idle non-blocking sleep wakes this often to re-check (cheap, and robust to a missed notify).
const IDLE_RECHECK_MS = 1000;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function keepAlive(): void {}

/**
 * Awaits a hook's promise keeping the thread's event loop alive meanwhile: a promise nothing can
 * settle (a strategy awaiting for ever) would otherwise let the worker exit as if it had crashed,
 * where it is stuck (the session's notification limit then ends it, `timed_out`). One timer per
 * batch that has async hooks, not per bar.
 */
async function awaitKeepingAlive(pending: Promise<void>): Promise<void> {
  const timer = setTimeout(keepAlive, MAX_TIMER_MS);
  try {
    await pending;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The consumer loop of a worker thread: start the strategy, then process batches as they are
 * published until a stop message, then tear down (always, also after a failed start or an error
 * in the loop itself).
 *
 * Waiting for the next batch goes spin, then a short blocking `Atomics.wait`, then an
 * `Atomics.waitAsync` that leaves the thread's event loop free: back-to-back batches cost no
 * futex wake-up, and an idle strategy still gets its timers and I/O.
 */
export async function runStrategyHost(
  host: StrategyHost,
  options: HostLoopOptions = DEFAULT_HOST_LOOP,
): Promise<void> {
  const gate = options.spinGate === undefined ? undefined : new Int32Array(options.spinGate, 0, 1);
  const cores = options.cores ?? 1;
  try {
    if (!(await host.start())) return;
    let lastYield = performance.now();
    while (!host.stopRequested) {
      const pending = host.processAvailable();
      if (pending !== undefined) await awaitKeepingAlive(pending);
      if (host.stopRequested) break;
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      if (host.hasEntries()) continue;
      host.refreshMetrics();
      const spin = gate !== undefined && Atomics.load(gate, 0) >= cores ? 0 : options.spinMicros;
      if (host.queue.waitForEntries(host.position, spin, options.parkMs)) continue;
      host.flushMetrics();
      while (!(await host.queue.waitForEntriesAsync(host.position, IDLE_RECHECK_MS))) {
        // idle: keep sleeping
      }
      lastYield = performance.now();
    }
  } finally {
    await host.teardown();
  }
}
