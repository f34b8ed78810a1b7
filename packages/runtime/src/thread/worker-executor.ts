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
import {
  type ControlMessage,
  type HostInit,
  type HostMessage,
  PREWARMED_WORKER_DATA,
  RELEASE_PREWARMED,
  type WorkerInit,
} from './host-protocol';
import { type NotificationQueue, QUEUE_CONTROL } from './queue/notification-queue';
import { defaultWorkerScript, pipeWorkerStdout, startWorker } from './start-worker';
import { DEFAULT_WAIT_SPIN_MICROS, type StrategyThreadOptions } from './strategy-thread-options';
import type { ExecutorSink, ThreadExecutor } from './thread-executor';

// After `stopped`, a worker normally exits on its own at once; this is only a safety net.
const EXIT_GRACE_MS = 1000;

// Strategy worker threads running in this process (read by every worker: see HostLoopOptions.spinGate).
const liveWorkers = new Int32Array(new SharedArrayBuffer(4));
const CORES = availableParallelism();

/** A strategy thread started ahead of its strategy (see {@link prewarmStrategyWorkers}). */
interface PrewarmedWorker {
  readonly worker: Worker;
  readonly script: string;
  readonly drop: () => void;
}

/** Takes `entry` out of the pool's care: its thread's failure or exit no longer drops it. */
function detach(entry: PrewarmedWorker): void {
  entry.worker.off('error', entry.drop);
  entry.worker.off('exit', entry.drop);
}

const prewarmed: PrewarmedWorker[] = [];

/**
 * Starts `count` strategy worker threads ahead of their strategies (at most one per core): each loads
 * the strategy host's modules (the runtime, `@strat/core` and zod: most of a thread's ~0.3 s start-up)
 * while the caller goes on checking its config and opening its data. A session's worker strategies
 * then take them instead of starting threads of their own (those with `resourceLimits` or their own
 * `workerScript` excepted). Threads nobody takes do not keep the process alive, and a thread that
 * fails while waiting is dropped (a strategy then starts its own). `strat run` calls it.
 * @param count - worker strategies about to start
 */
export function prewarmStrategyWorkers(count: number): void {
  const wanted = Math.min(Math.floor(count), CORES) - prewarmed.length;
  if (!(wanted > 0)) return;
  const script = defaultWorkerScript();
  for (let i = 0; i < wanted; i++) {
    // Unref'd and not piped yet, so that a thread nobody takes does not keep the process alive.
    const worker = startWorker(script, { workerData: PREWARMED_WORKER_DATA }, false);
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

/**
 * Ends the threads {@link prewarmStrategyWorkers} started that nobody took, and resolves once they
 * have exited. They end normally (their exit work, such as writing V8 coverage, runs), or are
 * terminated after a second. Call it when no session will take them; `strat run` does at its end.
 */
export async function releasePrewarmedStrategyWorkers(): Promise<void> {
  const left = prewarmed.splice(0);
  await Promise.all(
    left.map(async (entry) => {
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
    }),
  );
}

/** Strategy threads started ahead and not taken yet. */
export function prewarmedStrategyWorkerCount(): number {
  return prewarmed.length;
}

/** A prewarmed thread for `script`, taken out of the pool (undefined: none). */
function takePrewarmed(script: URL): Worker | undefined {
  const at = prewarmed.findIndex((entry) => entry.script === script.href);
  if (at < 0) return undefined;
  const [entry] = prewarmed.splice(at, 1) as [PrewarmedWorker];
  detach(entry);
  entry.worker.ref();
  pipeWorkerStdout(entry.worker);
  return entry.worker;
}

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
