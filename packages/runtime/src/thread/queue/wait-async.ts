/** setTimeout's largest delay (longer ones fire at once): longer waits are split by the caller's loop. */
export const MAX_TIMER_MS = 2_147_483_646;

function keepAlive(): void {}

type WaitAsyncResult =
  | { async: false; value: 'not-equal' | 'timed-out' }
  | { async: true; value: Promise<'ok' | 'timed-out'> };

// Node 20 has Atomics.waitAsync; the project's TypeScript lib (ES2023) does not declare it yet.
const atomicsWaitAsync = (
  Atomics as unknown as {
    waitAsync(array: Int32Array, index: number, value: number, timeoutMs?: number): WaitAsyncResult;
  }
).waitAsync;

/**
 * `Atomics.waitAsync(array, index, value, timeoutMs)` that also keeps the thread's event loop
 * alive while it waits: a pending `waitAsync` alone does not, so a thread with nothing else to do
 * would exit (or a worker would end) in the middle of a wait. Resolves on a notify, a changed
 * value or the timeout; the caller re-checks the condition it waits for.
 *
 * The keep-alive is an interval held until the wait settles, never a timer due when the wait
 * times out: V8 times a `waitAsync` out with a task on an unreferenced timer of its own, started
 * when the event loop next turns, so under load it can fire milliseconds after a timer set here
 * for the same moment. A keep-alive that had already fired then left nothing to hold the loop and
 * an idle worker ended with code 0 in the middle of a session ("exited unexpectedly").
 */
export async function waitAsyncKeepingAlive(
  array: Int32Array,
  index: number,
  value: number,
  timeoutMs: number,
): Promise<void> {
  const finite = Number.isFinite(timeoutMs);
  const delay = finite ? Math.max(0, Math.min(timeoutMs, MAX_TIMER_MS)) : MAX_TIMER_MS;
  const result = atomicsWaitAsync(array, index, value, delay);
  if (!result.async) return;
  const timer = setInterval(keepAlive, MAX_TIMER_MS);
  try {
    await result.value;
  } finally {
    clearInterval(timer);
  }
}
