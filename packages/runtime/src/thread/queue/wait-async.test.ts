import { describe, expect, it } from 'vitest';
import { startTypeScriptWorker } from '../../../test/helpers';
import { waitAsyncKeepingAlive } from './wait-async';

describe('waitAsyncKeepingAlive', () => {
  it('resolves on a changed value, a notify and the timeout', async () => {
    const word = new Int32Array(new SharedArrayBuffer(4));
    word[0] = 1;
    await waitAsyncKeepingAlive(word, 0, 0, 10_000);
    const notified = waitAsyncKeepingAlive(word, 0, 1, 10_000);
    Atomics.store(word, 0, 2);
    Atomics.notify(word, 0);
    await notified;
    await waitAsyncKeepingAlive(word, 0, 2, 5);
  });

  it('keeps an otherwise idle worker alive until its waits time out, even when its event loop turns late', async () => {
    const worker = startTypeScriptWorker(
      new URL('../../../test/fixtures/idle-waits.worker.ts', import.meta.url),
      {
        workerData: { waits: 5, timeoutMs: 20, busyMs: 10 },
      },
    );
    const messages: unknown[] = [];
    worker.on('message', (message) => messages.push(message));
    const code = await new Promise<number>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('exit', resolve);
    });
    // Before the fix the worker ended in its first wait: exit code 0, no message.
    expect(messages).toEqual([{ done: 5 }]);
    expect(code).toBe(0);
  });
});
