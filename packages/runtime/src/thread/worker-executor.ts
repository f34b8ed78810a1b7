import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  type Worker,
  type WorkerOptions,
} from 'node:worker_threads';
import { DEFAULT_HOST_LOOP } from './host/run-strategy-host';
import type { ControlMessage, HostInit, HostMessage, WorkerInit } from './host-protocol';
import { takePrewarmed } from './prewarm-pool';
import { type NotificationQueue, QUEUE_CONTROL } from './queue/notification-queue';
import { defaultWorkerScript, startWorker } from './start-worker';
import { DEFAULT_WAIT_SPIN_MICROS, type StrategyThreadOptions } from './strategy-thread-options';
import type { ExecutorSink, ThreadExecutor } from './thread-executor';

// After `stopped`, a worker normally exits on its own at once; this is only a safety net.
const EXIT_GRACE_MS = 1000;

// Strategy worker threads running in this process (read by every worker: see HostLoopOptions.spinGate).
const liveWorkers = new Int32Array(new SharedArrayBuffer(4));
const CORES = availableParallelism();

/** Strategy worker threads started by this copy of @strat/runtime that have not exited yet (0 after a clean stop). */
export function liveStrategyWorkerCount(): number {
  return Atomics.load(liveWorkers, 0);
}

/** The options a worker executor reads. */
export type WorkerExecutorOptions = Pick<
  StrategyThreadOptions,
  'workerScript' | 'spinMicros' | 'parkMs' | 'waitSpinMicros' | 'resourceLimits'
>;

/**
 * Runs a strategy's host in its own worker thread: starts the thread on the worker script, sends
 * control messages over a dedicated port (read by the host with `receiveMessageOnPort`, in order
 * with the queue), and turns the thread's errors and unexpected exits into a crash of the strategy.
 */
export class WorkerExecutor implements ThreadExecutor {
  readonly #init: HostInit;
  readonly #options: WorkerExecutorOptions;
  readonly #sink: ExecutorSink;
  #worker: Worker | undefined;
  #controlPort: MessagePort | undefined;
  /** The host's messages (see `WorkerInit.hostPort`). */
  #hostPort: MessagePort | undefined;
  #terminating = false;

  constructor(init: HostInit, options: WorkerExecutorOptions, sink: ExecutorSink) {
    this.#init = init;
    this.#options = options;
    this.#sink = sink;
  }

  start(): void {
    const script = this.#script();
    const { port1, port2 } = new MessageChannel();
    this.#controlPort = port1;
    const host = new MessageChannel();
    this.#hostPort = host.port1;
    const workerData: WorkerInit = {
      ...this.#init,
      controlPort: port2,
      hostPort: host.port2,
      loop: {
        spinMicros: this.#options.spinMicros ?? DEFAULT_HOST_LOOP.spinMicros,
        parkMs: this.#options.parkMs ?? DEFAULT_HOST_LOOP.parkMs,
        spinGate: liveWorkers.buffer as SharedArrayBuffer,
        cores: CORES,
      },
    };
    const options: WorkerOptions = { workerData, transferList: [port2, host.port2] };
    if (this.#options.resourceLimits !== undefined) options.resourceLimits = this.#options.resourceLimits;
    const ready = this.#options.resourceLimits === undefined ? takePrewarmed(script) : undefined;
    const worker = ready ?? startWorker(script, options);
    // A prewarmed thread gets its strategy as its first message (the ports moving with it).
    ready?.postMessage(workerData, [port2, host.port2]);
    Atomics.add(liveWorkers, 0, 1);
    this.#worker = worker;
    const sink = this.#sink;
    host.port1.on('message', (message: HostMessage) => sink.message(message));
    // The worker keeps the process up while it runs, as before; its port alone does not.
    host.port1.unref();
    worker.on('error', (error) => {
      // What the host posted before it died is the strategy's too (its last signals, its error reports).
      this.takeMessages();
      sink.crash(`its worker died: ${error.message}`, error.stack);
    });
    worker.on('exit', (code) => this.#onExit(code));
  }

  takeMessages(): void {
    const port = this.#hostPort;
    if (port === undefined) return;
    const sink = this.#sink;
    for (let taken = receiveMessageOnPort(port); taken !== undefined; taken = receiveMessageOnPort(port)) {
      sink.message(taken.message as HostMessage);
    }
  }

  sendControl(message: ControlMessage): boolean {
    if (this.#controlPort === undefined) return false;
    this.#controlPort.postMessage(message);
    return true;
  }

  /**
   * A worker often finishes a small batch within microseconds, far sooner than an event-loop round
   * trip: poll for it briefly. Only while there are more cores than strategy workers: otherwise
   * the poll takes the very core a worker needs (and polls run one thread after another).
   */
  spinUntilCommitted(queue: NotificationQueue, cursor: number): void {
    if (Atomics.load(liveWorkers, 0) >= CORES) return;
    const micros = this.#options.waitSpinMicros ?? DEFAULT_WAIT_SPIN_MICROS;
    if (micros <= 0) return;
    const control = queue.control;
    const until = performance.now() + micros / 1000;
    do {
      for (let i = 0; i < 64; i++) {
        if (((Atomics.load(control, QUEUE_CONTROL.READ) - cursor) | 0) >= 0) return;
      }
    } while (performance.now() < until);
  }

  hostStopped(): void {
    const worker = this.#worker;
    if (worker !== undefined) setTimeout(() => void worker.terminate(), EXIT_GRACE_MS).unref();
  }

  async terminate(): Promise<void> {
    if (this.#worker === undefined) {
      this.#sink.end(undefined, true);
      return;
    }
    this.#terminating = true;
    await this.#worker.terminate();
  }

  #script(): URL {
    const script = this.#options.workerScript;
    if (script === undefined) return defaultWorkerScript();
    return script instanceof URL ? script : pathToFileURL(script);
  }

  #onExit(code: number): void {
    Atomics.sub(liveWorkers, 0, 1);
    this.#controlPort?.close();
    // Every message the host posted is handled before its end.
    this.takeMessages();
    this.#hostPort?.close();
    this.#hostPort = undefined;
    if (!this.#terminating) this.#sink.crash(`its worker exited unexpectedly with code ${code}`);
    this.#sink.end(code, this.#terminating);
  }
}
