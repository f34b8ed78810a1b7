import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import {
  MessageChannel,
  type MessagePort,
  type ResourceLimits,
  type Worker,
  type WorkerOptions,
} from 'node:worker_threads';
import {
  type LogLevel,
  type LogRecord,
  type SessionMode,
  type StrategyConfig,
  StrategyLoadError,
  type Subscription,
} from '@strat/core';
import { EventEmitter } from 'eventemitter3';
import { type ResolvedStrategyModule, strategyModuleUrl } from '../loader/resolve-strategy-module';
import { cloneMessage } from './clone-message';
import { DEFAULT_HOST_LOOP } from './host/run-strategy-host';
import { StrategyHost } from './host/strategy-host';
import type {
  ControlMessage,
  HostInit,
  HostMessage,
  SeriesBinding,
  StrategyErrorReport,
  WorkerInit,
} from './host-protocol';
import { QUEUE_CONTROL } from './queue/notification-queue';
import { StreamSubscription } from './queue/stream-subscription';
import type { StampedSignal } from './stamped-signal';
import { defaultWorkerScript, startWorker } from './start-worker';
import {
  createMetricsBuffer,
  metricsWords,
  readStrategyMetrics,
  type StrategyExecutor,
  type StrategyMetrics,
  type StrategyThreadState,
} from './strategy-metrics';

/** Default time budget per wait in clock-driven backtests and live (the seed's 100 ms). */
export const DEFAULT_TIME_BUDGET_MS = 100;
/** Default time `stop()` grants a strategy to tear down before its worker is terminated. */
export const DEFAULT_STOP_TIMEOUT_MS = 5000;
/** Default time the session side polls for a strategy to finish a batch before sleeping. */
export const DEFAULT_WAIT_SPIN_MICROS = 10;
// After `stopped`, a worker normally exits on its own at once; this is only a safety net.
const EXIT_GRACE_MS = 1000;

/** Options of {@link StrategyThread}. */
export interface StrategyThreadOptions {
  /** The strategy's name, unique in the session (used in logs, metrics and stamped signals). */
  name: string;
  /** The module path as written in the config (for messages). */
  module: string;
  /** Where the module is, from `resolveStrategyModule`. */
  resolved: ResolvedStrategyModule;
  /** The strategy's `config` from the session config (default `{}`). */
  config?: StrategyConfig;
  /** `worker` (default): its own thread. `inline`: the session's thread, for debugging. */
  executor?: StrategyExecutor;
  /** Default `backtest`. */
  mode?: SessionMode;
  /** 0 (default) in a backtest means data-driven: waits have no time limit. */
  speedMultiplier?: number;
  /** Time limit of a wait when not data-driven (default 100 ms). */
  timeBudgetMs?: number;
  /** The strategy's current time before its first bar, epoch ms (default: the session start, else 0; wall time live). */
  startTime?: number;
  /** The series the strategy may read; more can be added with {@link StrategyThread.addSeries}. */
  series?: readonly SeriesBinding[];
  /** The session's symbols (default: those of `series`). */
  symbols?: readonly string[];
  /** Notification ring capacity (default 65,536 entries; more wait in an overflow list). */
  queueCapacity?: number;
  /** Lowest level of the strategy's log records forwarded as `log` events (default `info`). */
  logLevel?: LogLevel;
  /** Worker: poll this long for the next batch before sleeping (default 20 µs). */
  spinMicros?: number;
  /** Worker: the session side polls this long for a small batch to finish before sleeping in `waitUntilReady` (default 10 µs; no polling while strategy workers fill every core). */
  waitSpinMicros?: number;
  /** Worker: then block this long before an event-loop-friendly sleep (default 2 ms). */
  parkMs?: number;
  /** Worker: memory limits (a strategy exceeding them crashes alone). */
  resourceLimits?: ResourceLimits;
  /** Worker: the worker script (default: the built `strategy-worker.js`, or the TypeScript source in development). */
  workerScript?: string | URL;
}

/** An error from a strategy: thrown by a hook (`fatal: false`, the strategy goes on) or its end (`fatal: true`). */
export interface StrategyErrorEvent extends StrategyErrorReport {
  strategy: string;
  fatal: boolean;
}

/** Emitted once when a strategy has ended, whatever the reason. */
export interface StrategyExitEvent {
  strategy: string;
  state: StrategyThreadState;
  /** The worker's exit code (undefined inline). */
  code: number | undefined;
}

/** Events of a {@link StrategyThread}. */
export interface StrategyThreadEvents {
  /** A batch of stamped signals, in order. */
  signal: (signals: StampedSignal[]) => void;
  /** A hook threw, or the strategy ended abnormally. */
  error: (event: StrategyErrorEvent) => void;
  /** A log record of the strategy (filtered by `logLevel` in its thread). */
  log: (record: LogRecord) => void;
  /** The strategy's subscriptions after `onSymbolAdded`. */
  subscriptions: (subscriptions: readonly Subscription[], symbol: string) => void;
  /** The strategy has ended (stopped, failed to start, or crashed). */
  exit: (event: StrategyExitEvent) => void;
}

interface InlineRun {
  host: StrategyHost;
  inbox: ControlMessage[];
  started: boolean;
  scheduled: boolean;
  running: boolean;
  finished: boolean;
}

// Strategy worker threads running in this process (read by every worker: see HostLoopOptions.spinGate).
const liveWorkers = new Int32Array(new SharedArrayBuffer(4));
const CORES = availableParallelism();

/** Strategy worker threads started by this copy of @strat/runtime that have not exited yet (0 after a clean stop). */
export function liveStrategyWorkerCount(): number {
  return Atomics.load(liveWorkers, 0);
}

function delay(ms: number): { promise: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * One strategy, running in its own worker thread (`executor: 'worker'`, the default) or on the
 * session's thread (`executor: 'inline'`, same code, same results, for breakpoints).
 *
 * The session side feeds it notifications (`notify`, `notifyQuality`), hands them over in
 * batches (`signalReady`) and waits for it (`waitUntilReady`: without limit in data-driven
 * backtests, at most the time budget otherwise, counting an overrun when late). Signals arrive as
 * `signal` events, stamped. Metrics are read from shared memory (`getMetrics`), without a round
 * trip. A strategy that throws goes on; one whose worker dies is marked `crashed` and its waits
 * resolve at once; `stop()` terminates one that does not end in time.
 *
 * @example
 * ```ts
 * const thread = new StrategyThread({ name: 'ma', module: spec, resolved, series: [{ seriesId: 0, ...handle }] });
 * thread.on('signal', (signals) => journal.write(signals));
 * const subscriptions = await thread.start();
 * thread.notify(0, index, closeTime);
 * await thread.waitUntilReady();
 * await thread.stop();
 * ```
 */
export class StrategyThread extends EventEmitter<StrategyThreadEvents> {
  /** The strategy's name. */
  readonly name: string;
  /** The module path as written in the config. */
  readonly module: string;
  readonly executor: StrategyExecutor;
  /** Time limit of a wait when not data-driven. */
  readonly timeBudgetMs: number;
  /** True in a backtest with `speedMultiplier` 0: waits have no time limit. */
  readonly dataDriven: boolean;
  /** The queue and wait logic between the session and this strategy. */
  readonly subscription: StreamSubscription;
  readonly #options: StrategyThreadOptions;
  readonly #metrics: Float64Array;
  readonly #init: HostInit;
  #state: StrategyThreadState = 'starting';
  #subscriptions: readonly Subscription[] = [];
  #worker: Worker | undefined;
  #controlPort: MessagePort | undefined;
  #inline: InlineRun | undefined;
  #startPromise: Promise<readonly Subscription[]> | undefined;
  #settleStart: ((error: Error | undefined) => void) | undefined;
  readonly #pendingSymbolAdds: Array<(subscriptions: readonly Subscription[]) => void> = [];
  #ended = false;
  readonly #endedPromise: Promise<void>;
  #resolveEnded!: () => void;
  #stopPromise: Promise<void> | undefined;
  #terminating = false;
  #errorCount = 0;
  /** Messages received from the strategy's side (a wrapping count, like the queue's POSTED word). */
  #messagesReceived = 0;
  readonly #messageWaiters = new Set<() => void>();

  constructor(options: StrategyThreadOptions) {
    super();
    this.#options = options;
    this.name = options.name;
    this.module = options.module;
    this.executor = options.executor ?? 'worker';
    const mode = options.mode ?? 'backtest';
    const speedMultiplier = options.speedMultiplier ?? 0;
    this.timeBudgetMs = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
    this.dataDriven = mode === 'backtest' && speedMultiplier === 0;
    this.subscription = new StreamSubscription({
      ...(options.queueCapacity === undefined ? {} : { capacity: options.queueCapacity }),
      // A worker's waits spin here first (see #spinUntilCommitted), only while cores are to spare.
      ...(this.executor === 'inline' ? { onReady: () => this.#kickInline() } : {}),
    });
    const metricsBuffer = createMetricsBuffer();
    this.#metrics = metricsWords(metricsBuffer);
    const series = [...(options.series ?? [])];
    this.#init = {
      name: options.name,
      module: options.module,
      moduleUrl: strategyModuleUrl(options.resolved),
      config: structuredClone(options.config ?? {}),
      mode,
      speedMultiplier,
      startTime: options.startTime ?? (mode === 'live' ? Date.now() : 0),
      logLevel: options.logLevel ?? 'info',
      queueBuffer: this.subscription.queue.buffer,
      metricsBuffer,
      series,
      symbols: [...(options.symbols ?? new Set(series.map((s) => s.symbol)))],
    };
    this.#endedPromise = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
  }

  /** Where the strategy is in its life. */
  get state(): StrategyThreadState {
    return this.#state;
  }

  /** The strategy's subscriptions: from `getSubscriptions` after `setup`, updated after `onSymbolAdded`. */
  get subscriptions(): readonly Subscription[] {
    return this.#subscriptions;
  }

  /**
   * Starts the strategy: loads its module (in its worker, or here inline), constructs it, runs
   * `setup`, and resolves with its subscriptions. Calling it again returns the same promise.
   * @throws StrategyLoadError naming the module and the reason (missing class, setup returned false, ...)
   */
  start(): Promise<readonly Subscription[]> {
    if (this.#startPromise !== undefined) return this.#startPromise;
    this.#startPromise = new Promise<readonly Subscription[]>((resolve, reject) => {
      this.#settleStart = (error) => {
        this.#settleStart = undefined;
        if (error === undefined) resolve(this.#subscriptions);
        else reject(error);
      };
    });
    try {
      if (this.executor === 'inline') this.#startInline();
      else this.#startWorker();
    } catch (error) {
      this.#state = 'failed';
      const reason = `its thread could not start: ${error instanceof Error ? error.message : String(error)}`;
      this.#settleStart?.(new StrategyLoadError(this.module, reason, { cause: error }));
      this.#end(undefined);
    }
    return this.#startPromise;
  }

  /** Makes one more series readable; notifications for it may follow right away (order is kept). */
  addSeries(series: SeriesBinding): void {
    this.#sendControl({ type: 'addSeries', series });
  }

  /** Queues a bar notification: bar `index` of series `seriesId`, closed at `closeTime` (epoch ms). */
  notify(seriesId: number, index: number, closeTime: number): void {
    this.subscription.notify(seriesId, index, closeTime);
  }

  /** Queues a quality update (percent) for a series; `onQualityUpdate` runs in order with the bars. */
  notifyQuality(seriesId: number, quality: number): void {
    this.subscription.notifyQuality(seriesId, quality);
  }

  /**
   * Tells the strategy a symbol joined the session (in order with the bars): it runs
   * `onSymbolAdded`, then reports its subscriptions again. Resolves with them (the current ones if
   * the strategy has ended).
   */
  notifySymbolAdded(symbol: string): Promise<readonly Subscription[]> {
    if (this.#ended) return Promise.resolve(this.#subscriptions);
    const result = new Promise<readonly Subscription[]>((resolve) => this.#pendingSymbolAdds.push(resolve));
    this.#sendControl({ type: 'symbolAdded', symbol });
    this.signalReady();
    return result;
  }

  /** Hands the notifications queued since the last call to the strategy, as one batch. */
  signalReady(): void {
    this.subscription.signalReady();
  }

  /**
   * Resolves true once the strategy has handled everything queued so far and its signals have
   * been emitted. Default limit: none when data-driven, else the time budget (false on expiry,
   * counted as an overrun). Resolves true at once for an ended strategy.
   */
  waitUntilReady(timeoutMs?: number): Promise<boolean> {
    const limit = timeoutMs ?? (this.dataDriven ? undefined : this.timeBudgetMs);
    const queue = this.subscription.queue;
    if (queue.unpublished === 0) this.#spinUntilCommitted(queue.writeCursor);
    return this.subscription.waitUntilReady(limit === Number.POSITIVE_INFINITY ? undefined : limit);
  }

  /**
   * The queue position just after every notification handed over so far, or undefined while some
   * wait in the subscription's overflow list (they have no position in the ring yet).
   */
  handedOverCursor(): number | undefined {
    const subscription = this.subscription;
    const queue = subscription.queue;
    // Read in this order, a consumer moving on in between can only make the overflow look larger.
    const backlog = subscription.backlog;
    const overflow = backlog - queue.size() - queue.unpublished;
    return overflow > 0 ? undefined : queue.writeCursor;
  }

  /**
   * Resolves once the strategy has processed the queue up to `cursor` (from
   * {@link handedOverCursor}) and every message it posted by then (its signals) has arrived. Unlike
   * {@link waitUntilReady} it does not wait for notifications handed over later, so the strategy can
   * go on with those while the session produces more. No time limit; resolves at once for an ended
   * strategy.
   */
  async waitUntilProcessed(cursor: number): Promise<void> {
    const subscription = this.subscription;
    const isClosed = (): boolean => subscription.closed;
    if (isClosed()) return;
    this.#spinUntilCommitted(cursor);
    await subscription.queue.waitForCommit(cursor, Number.POSITIVE_INFINITY, isClosed);
    // The strategy posts a batch's signals before it commits past it: counting what was posted by now
    // covers them (and maybe a few later ones, already on their way).
    const posted = subscription.queue.postedCount();
    while (!isClosed() && ((posted - this.#messagesReceived) | 0) > 0) {
      await new Promise<void>((resolve) => this.#messageWaiters.add(resolve));
    }
  }

  /**
   * True when {@link waitUntilProcessed}`(cursor)` would resolve at once: the strategy is past
   * `cursor` and every message it has posted has arrived (or it has ended).
   */
  hasProcessed(cursor: number): boolean {
    const subscription = this.subscription;
    if (subscription.closed) return true;
    const queue = subscription.queue;
    if (((queue.readCursor - cursor) | 0) < 0) return false;
    return ((queue.postedCount() - this.#messagesReceived) | 0) <= 0;
  }

  /**
   * A worker often finishes a small batch within microseconds, far sooner than an event-loop round
   * trip: poll for it briefly. Only while there are more cores than strategy workers: otherwise
   * the poll takes the very core a worker needs (and polls run one thread after another).
   */
  #spinUntilCommitted(cursor: number): void {
    if (this.executor === 'inline' || Atomics.load(liveWorkers, 0) >= CORES) return;
    const micros = this.#options.waitSpinMicros ?? DEFAULT_WAIT_SPIN_MICROS;
    if (micros <= 0) return;
    const control = this.subscription.queue.control;
    const until = performance.now() + micros / 1000;
    do {
      for (let i = 0; i < 64; i++) {
        if (((Atomics.load(control, QUEUE_CONTROL.READ) - cursor) | 0) >= 0) return;
      }
    } while (performance.now() < until);
  }

  /** The strategy's metrics, read from shared memory (no round trip to its thread). */
  getMetrics(): StrategyMetrics {
    return readStrategyMetrics(this.#metrics, {
      strategy: this.name,
      executor: this.executor,
      state: this.#state,
      queueSize: this.subscription.backlog,
      overruns: this.subscription.overrunCount,
    });
  }

  /**
   * Stops the strategy: it handles what is already queued, runs `teardown`, and its thread ends.
   * A worker that has not ended after `timeoutMs` (a strategy stuck in a loop) is terminated
   * (its teardown cannot run then; an `error` event says so). Resolves once the strategy has ended.
   */
  stop(timeoutMs: number = DEFAULT_STOP_TIMEOUT_MS): Promise<void> {
    this.#stopPromise ??= this.#stop(timeoutMs);
    return this.#stopPromise;
  }

  async #stop(timeoutMs: number): Promise<void> {
    if (this.#startPromise === undefined) {
      this.#state = 'stopped';
      this.#end(undefined);
      return;
    }
    if (this.#ended) return;
    this.#sendControl({ type: 'stop' });
    this.signalReady();
    const timer = delay(timeoutMs);
    await Promise.race([this.#endedPromise, timer.promise]);
    timer.cancel();
    if (this.#ended) return;
    this.#reportFatal('stop', `did not stop within ${timeoutMs} ms; terminated (its teardown did not run)`);
    if (this.#worker !== undefined) {
      this.#terminating = true;
      await this.#worker.terminate();
    } else {
      // Inline: nothing can be interrupted; stop waiting for it.
      this.#state = 'stopped';
      this.#end(undefined);
    }
    await this.#endedPromise;
  }

  // ---- worker -----------------------------------------------------------------------------

  #startWorker(): void {
    const script =
      this.#options.workerScript === undefined
        ? defaultWorkerScript()
        : this.#options.workerScript instanceof URL
          ? this.#options.workerScript
          : pathToFileURL(this.#options.workerScript);
    const { port1, port2 } = new MessageChannel();
    this.#controlPort = port1;
    const workerData: WorkerInit = {
      ...this.#init,
      controlPort: port2,
      loop: {
        spinMicros: this.#options.spinMicros ?? DEFAULT_HOST_LOOP.spinMicros,
        parkMs: this.#options.parkMs ?? DEFAULT_HOST_LOOP.parkMs,
        spinGate: liveWorkers.buffer as SharedArrayBuffer,
        cores: CORES,
      },
    };
    const options: WorkerOptions = { workerData, transferList: [port2] };
    if (this.#options.resourceLimits !== undefined) options.resourceLimits = this.#options.resourceLimits;
    const worker = startWorker(script, options);
    Atomics.add(liveWorkers, 0, 1);
    this.#worker = worker;
    worker.on('message', (message: HostMessage) => this.#onMessage(message));
    worker.on('error', (error) => this.#onWorkerError(error));
    worker.on('exit', (code) => this.#onWorkerExit(code));
  }

  #onWorkerError(error: Error): void {
    if (this.#state === 'stopped' || this.#state === 'failed') return;
    this.#crash(`its worker died: ${error.message}`, error.stack);
  }

  #onWorkerExit(code: number): void {
    Atomics.sub(liveWorkers, 0, 1);
    this.#controlPort?.close();
    if (this.#terminating) {
      this.#state = 'stopped';
    } else if (this.#state === 'starting' || this.#state === 'running') {
      this.#crash(`its worker exited unexpectedly with code ${code}`);
    }
    this.#end(code);
  }

  // ---- inline -----------------------------------------------------------------------------

  #startInline(): void {
    const inbox: ControlMessage[] = [];
    const host = new StrategyHost(this.#init, {
      // Cloned and delivered asynchronously, exactly as a worker's messages are.
      post: (message) => {
        const copy = cloneMessage(message);
        queueMicrotask(() => this.#onMessage(copy));
      },
      receiveControl: () => inbox.shift(),
    });
    const run: InlineRun = { host, inbox, started: false, scheduled: false, running: false, finished: false };
    this.#inline = run;
    void (async () => {
      try {
        if (await host.start()) {
          run.started = true;
          this.#kickInline();
          return;
        }
        await host.teardown();
        this.#finishInline();
      } catch (error) {
        this.#crashInline(error);
      }
    })();
  }

  #kickInline(): void {
    const run = this.#inline;
    if (run === undefined || !run.started || run.scheduled || run.running || run.finished) return;
    run.scheduled = true;
    setImmediate(() => void this.#drainInline(run));
  }

  async #drainInline(run: InlineRun): Promise<void> {
    run.scheduled = false;
    run.running = true;
    try {
      while (run.host.hasEntries() && !run.host.stopRequested) {
        const pending = run.host.processAvailable();
        if (pending !== undefined) await pending;
      }
      run.host.flushMetrics();
      if (run.host.stopRequested) {
        await run.host.teardown();
        this.#finishInline();
      }
    } catch (error) {
      this.#crashInline(error);
    } finally {
      run.running = false;
    }
    if (!run.finished && run.host.hasEntries()) this.#kickInline();
  }

  #finishInline(): void {
    const run = this.#inline;
    if (run === undefined || run.finished) return;
    run.finished = true;
    // After the host's last messages (queued as microtasks), like a worker's exit after its messages.
    queueMicrotask(() => this.#end(undefined));
  }

  #crashInline(error: unknown): void {
    const run = this.#inline;
    if (run !== undefined) run.finished = true;
    const message = error instanceof Error ? error.message : String(error);
    this.#crash(`the runtime failed: ${message}`, error instanceof Error ? error.stack : undefined);
    this.#end(undefined);
  }

  // ---- both -------------------------------------------------------------------------------

  #sendControl(message: ControlMessage): void {
    if (this.#ended || this.subscription.closed) return;
    // The payload goes first; the queue entry that announces it follows, in order with the bars.
    if (this.#inline !== undefined) this.#inline.inbox.push(message);
    else if (this.#controlPort !== undefined) this.#controlPort.postMessage(message);
    else return;
    this.subscription.notifyMessage();
  }

  #onMessage(message: HostMessage): void {
    try {
      switch (message.type) {
        case 'started':
          this.#subscriptions = message.subscriptions;
          if (this.#state === 'starting') this.#state = 'running';
          this.#settleStart?.(undefined);
          break;
        case 'failed':
          this.#state = 'failed';
          this.#settleStart?.(new StrategyLoadError(this.module, message.reason));
          break;
        case 'signals':
          this.emit('signal', message.signals);
          break;
        case 'log':
          this.emit('log', message.record);
          break;
        case 'error':
          this.#errorCount = message.report.errorCount;
          this.emit('error', { strategy: this.name, fatal: false, ...message.report });
          break;
        case 'subscriptions':
          this.#subscriptions = message.subscriptions;
          this.emit('subscriptions', message.subscriptions, message.symbol);
          this.#pendingSymbolAdds.shift()?.(message.subscriptions);
          break;
        case 'stopped':
          if (this.#state === 'running' || this.#state === 'starting') this.#state = 'stopped';
          if (this.#worker !== undefined) {
            const worker = this.#worker;
            setTimeout(() => void worker.terminate(), EXIT_GRACE_MS).unref();
          }
          break;
      }
    } finally {
      this.subscription.acknowledgeMessage();
      this.#messagesReceived = (this.#messagesReceived + 1) | 0;
      this.#wakeMessageWaiters();
    }
  }

  #crash(message: string, stack?: string): void {
    if (this.#state === 'crashed' || this.#state === 'stopped' || this.#state === 'failed') return;
    const duringStart = this.#state === 'starting';
    this.#state = 'crashed';
    this.subscription.close();
    this.#wakeMessageWaiters();
    this.#reportFatal('crash', message, stack);
    if (duringStart) this.#settleStart?.(new StrategyLoadError(this.module, message));
  }

  #reportFatal(phase: 'crash' | 'stop', message: string, stack?: string): void {
    const event: StrategyErrorEvent = {
      strategy: this.name,
      fatal: true,
      phase,
      message,
      errorCount: this.#errorCount,
    };
    if (stack !== undefined) event.stack = stack;
    this.emit('log', {
      level: 'error',
      name: this.name,
      message: `strategy ${phase === 'crash' ? 'crashed' : 'stopped'}: ${message}`,
      fields: undefined,
    });
    this.emit('error', event);
  }

  #wakeMessageWaiters(): void {
    if (this.#messageWaiters.size === 0) return;
    const waiters = [...this.#messageWaiters];
    this.#messageWaiters.clear();
    for (const wake of waiters) wake();
  }

  #end(code: number | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    this.subscription.close();
    this.#wakeMessageWaiters();
    if (this.#state === 'starting' || this.#state === 'running') this.#state = 'stopped';
    this.#settleStart?.(new StrategyLoadError(this.module, 'the strategy ended before it started'));
    for (const resolve of this.#pendingSymbolAdds.splice(0)) resolve(this.#subscriptions);
    this.#resolveEnded();
    this.emit('exit', { strategy: this.name, state: this.#state, code });
  }
}
