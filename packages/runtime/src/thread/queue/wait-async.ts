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
  const timer = setTimeout(keepAlive, delay + 1);
  try {
    await result.value;
  } finally {
    clearTimeout(timer);
  }
}
