import {
  type BaseStrategy,
  ConfigError,
  createLogger,
  type Logger,
  StrategySetupError,
  type Subscription,
} from '@strat/core';
import { formatJournalLine, type JournalFormat } from '../../session/journal-line';
import { isPlainData } from '../clone-message';
import type { HostInit, HostIo, HostMessage, StrategyErrorPhase } from '../host-protocol';
import { NotificationKind, NotificationQueue, QUEUE_CONTROL } from '../queue/notification-queue';
import { type StampedSignal, stampSignal, toSignalJson } from '../stamped-signal';
import { BoundedContext, type SeriesSlot } from './bounded-context';
import { ErrorReporter } from './error-reporter';
import { constructStrategy, loadFailureReason, normalizeSubscriptions, setUpStrategy } from './load-strategy';
import { ProcessingMetrics } from './processing-metrics';

// Progress is committed (and signals posted) at least this often within a long run of entries,
// and sooner when the session side is waiting for it (checked every WAITER_CHECK_MASK + 1 entries).
const COMMIT_EVERY = 1024;
const WAITER_CHECK_MASK = 63;

/**
 * The `failed` message for an error that kept the strategy from starting. Its stack is what the
 * strategy threw (the user's code, source-mapped), not the runtime's error wrapping it.
 */
function failedMessage(error: unknown, module: string): Extract<HostMessage, { type: 'failed' }> {
  const thrown = thrownBy(error);
  const stack = thrown instanceof Error ? thrown.stack : undefined;
  const message: Extract<HostMessage, { type: 'failed' }> = {
    type: 'failed',
    reason: loadFailureReason(error, module),
  };
  if (stack !== undefined) message.stack = stack;
  if (StrategySetupError.isInstance(error)) {
    message.step = error.step;
    if (error.location !== undefined) message.location = error.location;
  }
  if (ConfigError.isInstance(error)) message.issues = error.issues;
  return message;
}

/** What a load error wraps (the module's own error), else the error itself. */
function thrownBy(error: unknown): unknown {
  return error instanceof Error && error.cause instanceof Error ? error.cause : error;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Runs one strategy against its notification queue: loads the module, hands it a
 * {@link BoundedContext}, dispatches the queue's entries to its hooks, stamps signals and keeps the
 * shared metrics. The same code runs in a worker thread (`executor: 'worker'`) and on the
 * session's thread (`executor: 'inline'`); only {@link HostIo} differs, which is what makes both
 * give identical results.
 */
export class StrategyHost {
  /** The consumer side of the strategy's queue. */
  readonly queue: NotificationQueue;
  readonly #init: HostInit;
  readonly #io: HostIo;
  readonly #metrics: ProcessingMetrics;
  readonly #logger: Logger;
  readonly #bounds: BoundedContext;
  readonly #errors: ErrorReporter;
  #strategy: BaseStrategy<object> | undefined;
  #subscriptions: Subscription[] = [];
  #position: number;
  #stopRequested = false;
  #tornDown = false;
  #signalSeq = 0;
  #outbox: StampedSignal[] = [];
  /**
   * The clock when the previous entry was done (or when this run of entries began): the start of the
   * next bar. One clock read per bar, not two; the few ns of dispatch between count as the bar's.
   */
  #lastNow = 0;

  constructor(init: HostInit, io: HostIo) {
    this.#init = init;
    this.#io = io;
    this.queue = NotificationQueue.open(init.queueBuffer);
    this.#position = Atomics.load(this.queue.control, QUEUE_CONTROL.READ);
    this.#metrics = new ProcessingMetrics(init.metricsBuffer);
    const post = (message: HostMessage): void => this.#post(message);
    this.#logger = createLogger(init.name, init.logLevel, (record) => post({ type: 'log', record }));
    this.#bounds = new BoundedContext(init, this.#logger);
    this.#errors = new ErrorReporter(this.#logger, post, this.#metrics, this.#bounds);
  }

  /** The queue position up to which entries are processed. */
  get position(): number {
    return this.#position;
  }

  /** True once a stop message was processed. */
  get stopRequested(): boolean {
    return this.#stopRequested;
  }

  /** True when published entries are waiting. */
  hasEntries(): boolean {
    return Atomics.load(this.queue.control, QUEUE_CONTROL.WRITE) !== this.#position;
  }

  /**
   * Imports the module, picks the class, constructs it with `(name, config)`, runs `setup` and
   * asks `getSubscriptions`. Posts `started` (with the subscriptions) or `failed` (with the reason).
   * @returns true when the strategy is ready for bars
   */
  async start(): Promise<boolean> {
    const module = this.#init.module;
    try {
      const { strategy, exportName } = await constructStrategy(this.#init, this.#logger);
      // Set before `setup`: a strategy whose setup fails still gets its teardown.
      this.#strategy = strategy;
      this.#subscriptions = await setUpStrategy(strategy, this.#bounds.context, module);
      this.#post({ type: 'started', subscriptions: this.#subscriptions, exportName });
      return true;
    } catch (error) {
      this.#post(failedMessage(error, module));
      return false;
    }
  }

  /**
   * Processes the entries published so far, in order, until the queue is empty or a stop message
   * is reached, committing progress as it goes. Synchronous unless a hook returns a promise: then
   * it returns a promise and continues after it.
   */
  processAvailable(): Promise<void> | undefined {
    const end = Atomics.load(this.queue.control, QUEUE_CONTROL.WRITE);
    let position = this.#position;
    let sinceCommit = 0;
    this.#lastNow = performance.now();
    while (position !== end && !this.#stopRequested) {
      const pending = this.#dispatch(position);
      position = (position + 1) | 0;
      if (pending !== undefined) return this.#continueAfter(pending, position, end);
      if (
        ++sinceCommit === COMMIT_EVERY ||
        ((sinceCommit & WAITER_CHECK_MASK) === 0 && this.#awaited(position))
      ) {
        this.#commit(position);
        sinceCommit = 0;
        // Posting signals and metrics is the runtime's time, not the next bar's.
        this.#lastNow = performance.now();
      }
    }
    this.#commit(position);
    return undefined;
  }

  /**
   * {@link flushMetrics}, unless it ran within the last few milliseconds: a strategy idling between
   * frequent small batches (a bar per millisecond, live) should not pay for a percentile each time.
   */
  refreshMetrics(): void {
    this.#metrics.refresh();
  }

  /** Writes the p99 processing time to the shared metrics (done when idle and periodically while busy). */
  flushMetrics(): void {
    this.#metrics.flush();
  }

  /**
   * The strategy was terminated where its thread cannot be (inline): it processes nothing more, and
   * its teardown does not run (as in a terminated worker).
   */
  abandon(): void {
    this.#stopRequested = true;
    this.#tornDown = true;
  }

  /** Runs the strategy's `teardown` (once; also after errors and after a failed start), then posts `stopped`. */
  async teardown(): Promise<void> {
    if (this.#tornDown) return;
    this.#tornDown = true;
    this.#bounds.leaveBar();
    const strategy = this.#strategy;
    if (strategy !== undefined) {
      try {
        await strategy.teardown(this.#bounds.context);
      } catch (error) {
        this.#errors.report('teardown', error);
      }
    }
    this.#flushOutbox();
    this.flushMetrics();
    this.#post({ type: 'stopped' });
  }

  async #continueAfter(pending: Promise<void>, from: number, end: number): Promise<void> {
    await pending;
    let position = from;
    let sinceCommit = 0;
    this.#lastNow = performance.now();
    while (position !== end && !this.#stopRequested) {
      const next = this.#dispatch(position);
      position = (position + 1) | 0;
      if (next !== undefined) {
        await next;
        this.#lastNow = performance.now();
      }
      if (
        ++sinceCommit === COMMIT_EVERY ||
        ((sinceCommit & WAITER_CHECK_MASK) === 0 && this.#awaited(position))
      ) {
        this.#commit(position);
        sinceCommit = 0;
        // Posting signals and metrics is the runtime's time, not the next bar's.
        this.#lastNow = performance.now();
      }
    }
    this.#commit(position);
  }

  /** Handles the entry at queue `position`; a hook's run is recorded as the notification in progress. */
  #dispatch(position: number): Promise<void> | undefined {
    const q = this.queue;
    const slot = position & q.mask;
    switch (q.kinds[slot]) {
      case NotificationKind.BAR:
        return this.#handleBar(
          position,
          q.seriesIds[slot] as number,
          q.indices[slot] as number,
          q.values[slot] as number,
        );
      case NotificationKind.QUALITY:
        this.#metrics.beginNotification(position, performance.now());
        return this.#afterOther(this.#handleQuality(q.seriesIds[slot] as number, q.values[slot] as number));
      default:
        this.#metrics.beginNotification(position, performance.now());
        return this.#afterOther(this.#handleMessage());
    }
  }

  /** After a quality or control entry: the next bar starts now (an awaited one re-reads the clock after it). */
  #afterOther(pending: Promise<void> | undefined): Promise<void> | undefined {
    if (pending === undefined) this.#lastNow = performance.now();
    return pending;
  }

  /** True when the session side sleeps until the queue reaches `position` or less: commit now, not later. */
  #awaited(position: number): boolean {
    const control = this.queue.control;
    return (
      Atomics.load(control, QUEUE_CONTROL.WAITING) !== 0 &&
      ((position - Atomics.load(control, QUEUE_CONTROL.WAIT_TARGET)) | 0) >= 0
    );
  }

  #commit(position: number): void {
    this.#flushOutbox();
    this.#position = position;
    this.queue.commit(position);
    this.#metrics.flushIfDue();
  }

  #flushOutbox(): void {
    if (this.#outbox.length === 0) return;
    const signals = this.#outbox;
    this.#outbox = [];
    const format = this.#init.journalFormat;
    const lines = format === undefined ? undefined : journalLines(signals, format);
    this.#post(lines === undefined ? { type: 'signals', signals } : { type: 'signals', signals, lines });
  }

  #post(message: HostMessage): void {
    this.#io.post(message);
    // Counted after posting and before the read cursor moves: the session side then knows how many
    // messages to expect before it reports this strategy ready.
    this.queue.markPosted();
  }

  // ---- notifications ------------------------------------------------------------------------

  #handleBar(
    position: number,
    seriesId: number,
    index: number,
    closeTime: number,
  ): Promise<void> | undefined {
    const bounds = this.#bounds;
    const slot = bounds.slotOf(seriesId);
    const strategy = this.#strategy;
    if (slot === undefined || strategy === undefined) {
      this.#errors.report('runtime', new Error(`notification for unknown series id ${seriesId}`));
      return undefined;
    }
    bounds.enterBar(slot, index, closeTime);
    const started = this.#lastNow;
    this.#metrics.beginNotification(position, started);
    let result: unknown;
    try {
      result = strategy.onBars(slot.symbol, slot.interval);
    } catch (error) {
      this.#finishBar(started, undefined, error);
      return undefined;
    }
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then(
        (signals) => this.#finishBar(started, signals, undefined),
        (error: unknown) => this.#finishBar(started, undefined, error ?? new Error('onBars rejected')),
      );
    }
    this.#finishBar(started, result, undefined);
    return undefined;
  }

  #finishBar(started: number, result: unknown, error: unknown): void {
    const ended = performance.now();
    this.#lastNow = ended;
    this.#metrics.recordBar((ended - started) * 1000);
    if (error !== undefined) this.#errors.report('onBars', error);
    else if (result !== undefined && result !== null) this.#collectSignals(result);
    this.#bounds.leaveBar();
  }

  #collectSignals(result: unknown): void {
    if (!Array.isArray(result)) {
      this.#errors.report(
        'onBars',
        new TypeError(`onBars must return an array of signals, got ${typeof result}`),
      );
      return;
    }
    if (result.length === 0) return;
    const bounds = this.#bounds;
    const interval = (bounds.current as SeriesSlot).interval;
    const barTime = bounds.currentBarTime();
    for (const item of result) {
      let json: ReturnType<typeof toSignalJson>;
      try {
        json = toSignalJson(item);
      } catch (error) {
        this.#errors.report('onBars', error);
        continue;
      }
      this.#signalSeq++;
      this.#outbox.push(
        stampSignal(this.#signalSeq, this.#init.name, bounds.currentTime, barTime, interval, json),
      );
      this.#metrics.countSignal();
    }
  }

  #handleQuality(seriesId: number, quality: number): Promise<void> | undefined {
    const slot = this.#bounds.slotOf(seriesId);
    const strategy = this.#strategy;
    if (slot === undefined || strategy === undefined) {
      this.#errors.report('runtime', new Error(`quality update for unknown series id ${seriesId}`));
      return undefined;
    }
    slot.quality = quality;
    return this.#callHook('onQualityUpdate', () =>
      strategy.onQualityUpdate(slot.symbol, slot.interval, quality),
    );
  }

  #handleMessage(): Promise<void> | undefined {
    const message = this.#io.receiveControl();
    if (message === undefined) {
      this.#errors.report('runtime', new Error('a control entry arrived without its message'));
      return undefined;
    }
    switch (message.type) {
      case 'addSeries':
        this.#bounds.addSeries(message.series);
        return undefined;
      case 'symbolAdded':
        return this.#symbolAdded(message.symbol);
      case 'stop':
        this.#stopRequested = true;
        return undefined;
    }
  }

  #symbolAdded(symbol: string): Promise<void> | undefined {
    this.#bounds.addSymbol(symbol);
    const strategy = this.#strategy;
    if (strategy === undefined) return undefined;
    const report = (): void => {
      try {
        this.#subscriptions = normalizeSubscriptions(strategy.getSubscriptions());
      } catch (error) {
        this.#errors.report('getSubscriptions', error);
      }
      this.#post({ type: 'subscriptions', symbol, subscriptions: this.#subscriptions });
    };
    const pending = this.#callHook('onSymbolAdded', () => strategy.onSymbolAdded(symbol));
    if (pending === undefined) {
      report();
      return undefined;
    }
    return pending.then(report);
  }

  #callHook(phase: StrategyErrorPhase, hook: () => unknown): Promise<void> | undefined {
    let result: unknown;
    try {
      result = hook();
    } catch (error) {
      this.#errors.report(phase, error);
      return undefined;
    }
    if (!isPromiseLike(result)) return undefined;
    return Promise.resolve(result).then(
      () => undefined,
      (error: unknown) => this.#errors.report(phase, error),
    );
  }
}

/**
 * The journal lines of `signals`, formatted in this thread (the session's would otherwise); undefined
 * when some metadata is not plain data: its copy on the session side may not print the same, so the
 * session formats those from what it received.
 */
function journalLines(signals: readonly StampedSignal[], format: JournalFormat): string[] | undefined {
  const lines: string[] = new Array(signals.length);
  for (let i = 0; i < signals.length; i++) {
    const signal = signals[i] as StampedSignal;
    if (!isPlainData(signal.metadata, 3)) return undefined;
    lines[i] = formatJournalLine(signal, format);
  }
  return lines;
}
