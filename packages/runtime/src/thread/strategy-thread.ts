import {
  ConfigError,
  type Interval,
  StrategyLoadError,
  StrategySetupError,
  type Subscription,
} from '@strat/core';
import { EventEmitter } from 'eventemitter3';
import { type JournalFormat, rememberJournalLines } from '../session/journal-line';
import type { ControlMessage, HostMessage, SeriesBinding } from './host-protocol';
import { InlineExecutor } from './inline-executor';
import { describeNotification, NotificationWatchdog } from './notification-watchdog';
import { NotificationQueue } from './queue/notification-queue';
import { StreamSubscription } from './queue/stream-subscription';
import {
  createMetricsBuffer,
  metricsWords,
  readStrategyMetrics,
  type StrategyExecutor,
  type StrategyMetrics,
  type StrategyThreadState,
} from './strategy-metrics';
import type { StrategyErrorEvent, StrategyThreadEvents } from './strategy-thread-events';
import {
  createHostInit,
  DEFAULT_NOTIFICATION_LIMIT_MS,
  DEFAULT_STOP_TIMEOUT_MS,
  DEFAULT_TIME_BUDGET_MS,
  type StrategyThreadOptions,
} from './strategy-thread-options';
import type { ExecutorSink, ThreadExecutor } from './thread-executor';
import { WorkerExecutor } from './worker-executor';

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
 * resolve at once. While the session waits for it without a time limit, one notification may run
 * at most `notificationLimitMs`: past it the strategy is terminated and marked `timed_out` (its
 * waits resolve at once); `stop()` terminates one that does not end in time, `timed_out` too.
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
  readonly #metrics: Float64Array;
  /** The format of the lines the worker formats (see `StrategyThreadOptions.journalFormat`). */
  readonly #journalFormat: JournalFormat | undefined;
  /** Ends the strategy when one notification runs past its limit while the session waits for it. */
  readonly #watchdog: NotificationWatchdog;
  /** The series the strategy can read, by id (to name the bar it got stuck on). */
  readonly #series = new Map<number, { symbol: string; interval: Interval }>();
  /** Runs the strategy's host: in its worker thread, or on this one. */
  readonly #runner: ThreadExecutor;
  #state: StrategyThreadState = 'starting';
  #subscriptions: readonly Subscription[] = [];
  #startPromise: Promise<readonly Subscription[]> | undefined;
  #settleStart: ((error: Error | undefined) => void) | undefined;
  readonly #pendingSymbolAdds: Array<(subscriptions: readonly Subscription[]) => void> = [];
  #ended = false;
  readonly #endedPromise: Promise<void>;
  #resolveEnded!: () => void;
  #stopPromise: Promise<void> | undefined;
  #errorCount = 0;
  #firstError: StrategyErrorEvent | undefined;
  /** Messages received from the strategy's side (a wrapping count, like the queue's POSTED word). */
  #messagesReceived = 0;
  readonly #messageWaiters = new Set<() => void>();

  constructor(options: StrategyThreadOptions) {
    super();
    this.name = options.name;
    this.module = options.module;
    this.executor = options.executor ?? 'worker';
    this.timeBudgetMs = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
    this.dataDriven = (options.mode ?? 'backtest') === 'backtest' && (options.speedMultiplier ?? 0) === 0;
    const queue = NotificationQueue.create(
      options.queueCapacity === undefined ? {} : { capacity: options.queueCapacity },
    );
    const metricsBuffer = createMetricsBuffer();
    this.#metrics = metricsWords(metricsBuffer);
    this.#watchdog = new NotificationWatchdog(
      this.#metrics,
      queue,
      options.notificationLimitMs ?? DEFAULT_NOTIFICATION_LIMIT_MS,
      (position) => this.#timeOut(position),
    );
    for (const binding of options.series ?? []) this.#series.set(binding.seriesId, binding);
    const init = createHostInit(options, queue.buffer, metricsBuffer);
    this.#journalFormat = init.journalFormat;
    const sink: ExecutorSink = {
      message: (message) => this.#onMessage(message),
      crash: (reason, stack) => this.#crash(reason, stack),
      end: (code, terminated) => this.#end(code, terminated),
    };
    if (this.executor === 'inline') {
      const inline = new InlineExecutor(init, sink);
      this.#runner = inline;
      this.subscription = new StreamSubscription({ queue, onReady: () => inline.wake() });
    } else {
      // A worker's waits spin in its executor first (see WorkerExecutor.spinUntilCommitted), only while cores are to spare.
      this.#runner = new WorkerExecutor(init, options, sink);
      this.subscription = new StreamSubscription({ queue });
    }
    this.#endedPromise = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
  }

  /** Where the strategy is in its life. */
  get state(): StrategyThreadState {
    return this.#state;
  }

  /** The first error the strategy reported (a hook that threw, or its end), with where it threw. */
  get firstError(): StrategyErrorEvent | undefined {
    return this.#firstError;
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
      this.#runner.start();
    } catch (error) {
      this.#state = 'failed';
      const reason = `its thread could not start: ${error instanceof Error ? error.message : String(error)}`;
      this.#settleStart?.(new StrategyLoadError(this.module, reason, { cause: error }));
      this.#end(undefined, false);
    }
    return this.#startPromise;
  }

  /** Makes one more series readable; notifications for it may follow right away (order is kept). */
  addSeries(series: SeriesBinding): void {
    this.#series.set(series.seriesId, series);
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
   * the strategy has ended). The wait has no time limit: the notification limit guards it.
   */
  notifySymbolAdded(symbol: string): Promise<readonly Subscription[]> {
    if (this.#ended) return Promise.resolve(this.#subscriptions);
    const result = new Promise<readonly Subscription[]>((resolve) => this.#pendingSymbolAdds.push(resolve));
    this.#sendControl({ type: 'symbolAdded', symbol });
    this.signalReady();
    return this.#watchdog.watch(result);
  }

  /** Hands the notifications queued since the last call to the strategy, as one batch. */
  signalReady(): void {
    this.subscription.signalReady();
  }

  /**
   * Resolves true once the strategy has handled everything queued so far and its signals have
   * been emitted. Default limit: none when data-driven (the notification limit guards the wait),
   * else the time budget (false on expiry, counted as an overrun). Resolves true at once for an
   * ended strategy.
   */
  waitUntilReady(timeoutMs?: number): Promise<boolean> {
    const limit = timeoutMs ?? (this.dataDriven ? undefined : this.timeBudgetMs);
    const queue = this.subscription.queue;
    if (queue.unpublished === 0) this.#runner.spinUntilCommitted(queue, queue.writeCursor);
    if (limit !== undefined && limit !== Number.POSITIVE_INFINITY)
      return this.subscription.waitUntilReady(limit);
    return this.#watchdog.watch(this.subscription.waitUntilReady());
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
   * go on with those while the session produces more. No time limit (the notification limit guards
   * the wait); resolves at once for an ended strategy.
   */
  waitUntilProcessed(cursor: number): Promise<void> {
    return this.#watchdog.watch(this.#waitUntilProcessed(cursor));
  }

  async #waitUntilProcessed(cursor: number): Promise<void> {
    const subscription = this.subscription;
    const isClosed = (): boolean => subscription.closed;
    if (isClosed()) return;
    this.#runner.spinUntilCommitted(subscription.queue, cursor);
    await subscription.queue.waitForCommit(cursor, Number.POSITIVE_INFINITY, isClosed);
    // The strategy posts a batch's signals before it commits past it: counting what was posted by now
    // covers them (and maybe a few later ones, already on their way). They are in its port by now:
    // taken at once, not after a trip through the event loop.
    const posted = subscription.queue.postedCount();
    if (((posted - this.#messagesReceived) | 0) > 0) this.#runner.takeMessages();
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
    const posted = queue.postedCount();
    if (((posted - this.#messagesReceived) | 0) > 0) this.#runner.takeMessages();
    return ((posted - this.#messagesReceived) | 0) <= 0;
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
      this.#end(undefined, false);
      return;
    }
    if (this.#ended) return;
    if (this.#state === 'timed_out') {
      // Being terminated already.
      await this.#endedPromise;
      return;
    }
    this.#sendControl({ type: 'stop' });
    this.signalReady();
    const timer = delay(timeoutMs);
    await Promise.race([this.#endedPromise, timer.promise]);
    timer.cancel();
    if (this.#ended) return;
    this.#reportFatal('stop', `did not stop within ${timeoutMs} ms; terminated (its teardown did not run)`);
    await this.#runner.terminate();
    await this.#endedPromise;
  }

  #sendControl(message: ControlMessage): void {
    if (this.#ended || this.subscription.closed) return;
    // The payload goes first; the queue entry that announces it follows, in order with the bars.
    if (this.#runner.sendControl(message)) this.subscription.notifyMessage();
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
          this.#settleStart?.(
            message.issues === undefined
              ? this.#startError(message)
              : new ConfigError(message.issues, { summary: `Invalid config of strategy "${this.name}"` }),
          );
          break;
        case 'signals':
          if (message.lines !== undefined && this.#journalFormat !== undefined) {
            rememberJournalLines(message.signals, message.lines, this.#journalFormat);
          }
          this.emit('signal', message.signals);
          break;
        case 'log':
          this.emit('log', message.record);
          break;
        case 'error': {
          this.#errorCount = message.report.errorCount;
          const event: StrategyErrorEvent = { strategy: this.name, fatal: false, ...message.report };
          this.#firstError ??= event;
          this.emit('error', event);
          break;
        }
        case 'subscriptions':
          this.#subscriptions = message.subscriptions;
          this.emit('subscriptions', message.subscriptions, message.symbol);
          this.#pendingSymbolAdds.shift()?.(message.subscriptions);
          break;
        case 'stopped':
          if (this.#state === 'running' || this.#state === 'starting') this.#state = 'stopped';
          this.#runner.hostStopped();
          break;
      }
    } finally {
      this.subscription.acknowledgeMessage();
      this.#messagesReceived = (this.#messagesReceived + 1) | 0;
      this.#wakeMessageWaiters();
    }
  }

  /**
   * The error `start()` rejects with: a {@link StrategySetupError} when the strategy threw while
   * starting (its module loaded), else a {@link StrategyLoadError}; either way caused by what was
   * thrown in the strategy's thread, with its stack (`--verbose` shows it).
   */
  #startError(message: Extract<HostMessage, { type: 'failed' }>): StrategyLoadError {
    let cause: Error | undefined;
    if (message.stack !== undefined) {
      cause = new Error(message.reason);
      cause.stack = message.stack;
    }
    const options = cause === undefined ? {} : { cause };
    if (message.step === undefined) return new StrategyLoadError(this.module, message.reason, options);
    return new StrategySetupError(this.module, this.name, message.step, message.reason, {
      ...options,
      ...(message.location === undefined ? {} : { location: message.location }),
    });
  }

  /** The notification at queue `position` ran past the limit: the strategy is terminated. */
  #timeOut(position: number): void {
    if (this.#ended || (this.#state !== 'running' && this.#state !== 'starting')) return;
    this.#state = 'timed_out';
    const stuck = describeNotification(this.subscription.queue, position, this.#series);
    this.subscription.close();
    this.#wakeMessageWaiters();
    this.#reportFatal(
      'timeout',
      `${stuck.what} ran past the notification limit of ${this.#watchdog.limitMs} ms; terminated (its teardown did not run)`,
      undefined,
      stuck,
    );
    void this.#runner.terminate();
  }

  #crash(message: string, stack?: string): void {
    if (
      this.#state === 'crashed' ||
      this.#state === 'stopped' ||
      this.#state === 'failed' ||
      this.#state === 'timed_out'
    )
      return;
    const duringStart = this.#state === 'starting';
    this.#state = 'crashed';
    this.subscription.close();
    this.#wakeMessageWaiters();
    this.#reportFatal('crash', message, stack);
    if (duringStart) this.#settleStart?.(new StrategyLoadError(this.module, message));
  }

  #reportFatal(
    phase: 'crash' | 'timeout' | 'stop',
    message: string,
    stack?: string,
    where?: { symbol?: string; interval?: Interval; time?: number },
  ): void {
    const event: StrategyErrorEvent = {
      strategy: this.name,
      fatal: true,
      phase,
      message,
      errorCount: this.#errorCount,
    };
    if (stack !== undefined) event.stack = stack;
    if (where?.symbol !== undefined) event.symbol = where.symbol;
    if (where?.interval !== undefined) event.interval = where.interval;
    if (where?.time !== undefined) event.time = where.time;
    this.emit('log', {
      level: 'error',
      name: this.name,
      message: `strategy ${phase === 'crash' ? 'crashed' : 'timed out'}: ${message}`,
      fields: undefined,
    });
    this.#firstError ??= event;
    this.emit('error', event);
  }

  #wakeMessageWaiters(): void {
    if (this.#messageWaiters.size === 0) return;
    const waiters = [...this.#messageWaiters];
    this.#messageWaiters.clear();
    for (const wake of waiters) wake();
  }

  /** The strategy has ended; `terminated` when it had to be ended (it counts as timed out then). */
  #end(code: number | undefined, terminated: boolean): void {
    if (terminated) this.#state = 'timed_out';
    if (this.#ended) return;
    this.#ended = true;
    this.#watchdog.dispose();
    this.subscription.close();
    this.#wakeMessageWaiters();
    if (this.#state === 'starting' || this.#state === 'running') this.#state = 'stopped';
    this.#settleStart?.(new StrategyLoadError(this.module, 'the strategy ended before it started'));
    for (const resolve of this.#pendingSymbolAdds.splice(0)) resolve(this.#subscriptions);
    this.#resolveEnded();
    this.emit('exit', { strategy: this.name, state: this.#state, code });
  }
}
