import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { cloneMessage } from '../clone-message';
import {
  type ControlMessage,
  type HostMessage,
  isPrewarmed,
  isRelease,
  type WorkerInit,
} from '../host-protocol';
import { runStrategyHost } from './run-strategy-host';
import { StrategyHost } from './strategy-host';

// The entry point of a strategy's worker thread (started by StrategyThread; not part of the API).
async function main(): Promise<void> {
  // Stack traces of a strategy compiled with source maps point at its sources (before it is imported;
  // a `.ts` strategy gets them from tsx). Only this thread's modules are concerned.
  process.setSourceMapsEnabled(true);
  const port = parentPort;
  if (port === null)
    throw new Error('strategy-worker runs only as a worker thread started by StrategyThread');
  // A prewarmed thread (see prewarmStrategyWorkers) has loaded this module and its imports already;
  // its strategy comes in its first message.
  const first = isPrewarmed(workerData)
    ? await new Promise<unknown>((resolve) => port.once('message', resolve))
    : workerData;
  // A prewarmed thread nobody took: nothing to run, the thread ends with its empty event loop.
  if (isRelease(first)) return;
  const init = first as WorkerInit;
  const hostPort = init.hostPort;
  const post = (message: HostMessage): void => {
    try {
      hostPort.postMessage(message);
    } catch {
      hostPort.postMessage(cloneMessage(message));
    }
  };
  const receiveControl = (): ControlMessage | undefined =>
    receiveMessageOnPort(init.controlPort)?.message as ControlMessage | undefined;
  await runStrategyHost(new StrategyHost(init, { post, receiveControl }), init.loop);
}

main().catch((error: unknown) => {
  // Rethrown outside the promise so the thread dies with an 'error' event the session side sees.
  setImmediate(() => {
    throw error;
  });
});
