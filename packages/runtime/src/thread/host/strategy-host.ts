import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import {
  type BarSeries,
  type BaseStrategy,
  ColumnarBarSeries,
  createLogger,
  type Interval,
  intervalToMs,
  isInterval,
  type Logger,
  openSeriesBuffers,
  publishedCount,
  type SeriesBuffers,
  StratError,
  type StrategyContext,
  StrategyLoadError,
  type Subscription,
} from '@strat/core';
import { findStrategyClass } from '../../loader/find-strategy-class';
import { importStrategyModule } from '../../loader/import-strategy-module';
import type {
  HostInit,
  HostIo,
  HostMessage,
  SeriesBinding,
  StrategyErrorPhase,
  StrategyErrorReport,
} from '../host-protocol';
import { NotificationKind, NotificationQueue, QUEUE_CONTROL } from '../queue/notification-queue';
import { type StampedSignal, stampSignal, toSignalJson } from '../stamped-signal';
import { METRIC_SLOT, metricsWords } from '../strategy-metrics';

interface SeriesSlot {
  readonly symbol: string;
  readonly interval: Interval;
  readonly intervalMs: number;
  readonly buffers: SeriesBuffers;
  /** The one view handed to the strategy for this series, re-bounded per notification. */
  readonly view: ColumnarBarSeries;
  /** The notification this view was last bounded for. */
  boundFor: number;
  /** The quality last delivered in order through the queue; NaN before the first. */
  quality: number;
  warnedBehind: boolean;
}

// Progress is committed (and signals posted) at least this often within a long run of entries,
// and sooner when the session side is waiting for it (checked every WAITER_CHECK_MASK + 1 entries).
const COMMIT_EVERY = 1024;
const WAITER_CHECK_MASK = 63;
const ERRORS_LOGGED_IN_FULL = 10;
const ERRORS_LOGGED_EVERY = 1000;
const P99_REFRESH_EVERY = 4096;
const P99_REFRESH_MS = 100;
const P99_IDLE_REFRESH_MS = 10;

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function loadFailureReason(error: unknown, module: string): string {
  const message = errorMessage(error);
  const prefix = `Cannot load strategy module "${module}": `;
  return error instanceof StrategyLoadError && message.startsWith(prefix)
    ? message.slice(prefix.length)
    : message;
}

/** Checks `getSubscriptions()`'s result and copies it into plain cloneable pairs. */
function normalizeSubscriptions(value: unknown): Subscription[] {
  if (!Array.isArray(value)) {
    throw new TypeError('getSubscriptions must return an array of [symbol, interval] pairs');
  }
  return value.map((entry: unknown, i) => {
    const [symbol, interval] = Array.isArray(entry) ? (entry as unknown[]) : [];
    if (typeof symbol !== 'string' || symbol === '' || !isInterval(interval)) {
      throw new TypeError(
        `getSubscriptions()[${i}] must be a [symbol, interval] pair such as ['AAPL', '1m'], got ${JSON.stringify(entry)}`,
      );
    }
    return [symbol, interval] as const;
  });
}

/**
 * Runs one strategy against its notification queue: loads the module, builds the
 * {@link StrategyContext}, calls the hooks, stamps signals and keeps the shared metrics. The same
 * code runs in a worker thread (`executor: 'worker'`) and on the session's thread
 * (`executor: 'inline'`); only {@link HostIo} differs, which is what makes both give identical
 * results.
 *
 * No look-ahead: while bar `k` of a series is handled, that series' view ends at `k`, and every
 * other series' view ends at its last bar closed by bar `k`'s close time. Handling a bar
 * allocates nothing in the runtime: views are re-bounded, not rebuilt.
 */
export class StrategyHost {
  /** The consumer side of the strategy's queue. */
  readonly queue: NotificationQueue;
  readonly #init: HostInit;
  readonly #io: HostIo;
  readonly #metrics: Float64Array;
  readonly #histogram: RecordableHistogram = createHistogram();
  readonly #series: Array<SeriesSlot | undefined> = [];
  readonly #bySymbol = new Map<string, Map<string, SeriesSlot>>();
  readonly #symbols: string[] = [];
  #symbolsView: readonly string[] = [];
  readonly #logger: Logger;
  readonly #context: StrategyContext;
  #strategy: BaseStrategy | undefined;
  #subscriptions: Subscription[] = [];
  #position: number;
  #stopRequested = false;
  #tornDown = false;
  #current: SeriesSlot | undefined;
  #currentIndex = 0;
  #currentTime: number;
  #notificationSeq = 0;
  #signalSeq = 0;
  #outbox: StampedSignal[] = [];
  #errorCount = 0;
  #p99At = 0;
  #p99Time = 0;

  constructor(init: HostInit, io: HostIo) {
    this.#init = init;
    this.#io = io;
    this.queue = NotificationQueue.open(init.queueBuffer);
    this.#position = Atomics.load(this.queue.control, QUEUE_CONTROL.READ);
    this.#metrics = metricsWords(init.metricsBuffer);
    this.#currentTime = init.startTime;
    this.#logger = createLogger(init.name, init.logLevel, (record) => this.#post({ type: 'log', record }));
    for (const symbol of init.symbols) this.#addSymbol(symbol);
    for (const series of init.series) this.#addSeries(series);
    this.#context = {
      mode: init.mode,
      speedMultiplier: init.speedMultiplier,
      logger: this.#logger,
      getCurrentTime: () => this.#now(),
      getBars: (symbol, interval) => this.#getBars(symbol, interval),
      hasBars: (symbol, interval) => this.#lookup(symbol, interval) !== undefined,
      // The quality delivered in order with the bars (100 before the first change): the series
      // header may already hold a later bar's, since the writer runs ahead of a busy strategy.
      getBarQuality: (symbol, interval) => {
        const current = this.#current;
        const slot =
          current !== undefined && current.symbol === symbol && current.interval === interval
            ? current
            : this.#require(symbol, interval);
        return Number.isNaN(slot.quality) ? 100 : slot.quality;
      },
      getSymbols: () => this.#symbolsView,
    };
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
    const { module, name, config } = this.#init;
    try {
      const namespace = await importStrategyModule(this.#init.moduleUrl, module);
      const { strategyClass, exportName } = findStrategyClass(namespace, module, {
        onWarning: (message) => this.#logger.warn(message),
      });
      let strategy: BaseStrategy;
      try {
        strategy = new strategyClass(name, config);
      } catch (error) {
        throw new StrategyLoadError(module, `constructing ${exportName} failed: ${errorMessage(error)}`, {
          cause: error,
        });
      }
      strategy.logger = this.#logger;
      this.#strategy = strategy;
      let accepted: boolean;
      try {
        accepted = await strategy.setup(this.#context);
      } catch (error) {
        throw new StrategyLoadError(module, `setup failed: ${errorMessage(error)}`, { cause: error });
      }
      if (accepted === false) throw new StrategyLoadError(module, 'setup returned false');
      try {
        this.#subscriptions = normalizeSubscriptions(strategy.getSubscriptions());
      } catch (error) {
        throw new StrategyLoadError(module, `getSubscriptions failed: ${errorMessage(error)}`, {
          cause: error,
        });
      }
      this.#post({ type: 'started', subscriptions: this.#subscriptions, exportName });
      return true;
    } catch (error) {
      const stack = error instanceof Error ? error.stack : undefined;
      this.#post({
        type: 'failed',
        reason: loadFailureReason(error, module),
        ...(stack === undefined ? {} : { stack }),
      });
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
    while (position !== end && !this.#stopRequested) {
      const pending = this.#dispatch(position & this.queue.mask);
      position = (position + 1) | 0;
      if (pending !== undefined) return this.#continueAfter(pending, position, end);
      if (
        ++sinceCommit === COMMIT_EVERY ||
        ((sinceCommit & WAITER_CHECK_MASK) === 0 && this.#awaited(position))
      ) {
        this.#commit(position);
        sinceCommit = 0;
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
    if (performance.now() - this.#p99Time >= P99_IDLE_REFRESH_MS) this.flushMetrics();
  }

  /** Writes the p99 processing time to the shared metrics (done when idle and periodically while busy). */
  flushMetrics(): void {
    const processed = this.#metrics[METRIC_SLOT.PROCESSED] as number;
    if (processed === this.#p99At) return;
    this.#p99At = processed;
    this.#p99Time = performance.now();
    this.#metrics[METRIC_SLOT.P99_US] = this.#histogram.percentile(99) / 1000;
  }

  /** Runs the strategy's `teardown` (once; also after errors and after a failed start), then posts `stopped`. */
  async teardown(): Promise<void> {
    if (this.#tornDown) return;
    this.#tornDown = true;
    this.#current = undefined;
    const strategy = this.#strategy;
    if (strategy !== undefined) {
      try {
        await strategy.teardown(this.#context);
      } catch (error) {
        this.#reportError('teardown', error);
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
    while (position !== end && !this.#stopRequested) {
      const next = this.#dispatch(position & this.queue.mask);
      position = (position + 1) | 0;
      if (next !== undefined) await next;
      if (
        ++sinceCommit === COMMIT_EVERY ||
        ((sinceCommit & WAITER_CHECK_MASK) === 0 && this.#awaited(position))
      ) {
        this.#commit(position);
        sinceCommit = 0;
      }
    }
    this.#commit(position);
  }

  #dispatch(slot: number): Promise<void> | undefined {
    const q = this.queue;
    switch (q.kinds[slot]) {
      case NotificationKind.BAR:
        return this.#handleBar(
          q.seriesIds[slot] as number,
          q.indices[slot] as number,
          q.values[slot] as number,
        );
      case NotificationKind.QUALITY:
        return this.#handleQuality(q.seriesIds[slot] as number, q.values[slot] as number);
      default:
        return this.#handleMessage();
    }
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
    const processed = this.#metrics[METRIC_SLOT.PROCESSED] as number;
    if (processed - this.#p99At >= P99_REFRESH_EVERY || performance.now() - this.#p99Time >= P99_REFRESH_MS) {
      this.flushMetrics();
    }
  }

  #flushOutbox(): void {
    if (this.#outbox.length === 0) return;
    const signals = this.#outbox;
    this.#outbox = [];
    this.#post({ type: 'signals', signals });
  }

  #post(message: HostMessage): void {
    this.#io.post(message);
    // Counted after posting and before the read cursor moves: the session side then knows how many
    // messages to expect before it reports this strategy ready.
    this.queue.markPosted();
  }

  // ---- notifications ------------------------------------------------------------------------

  #handleBar(seriesId: number, index: number, closeTime: number): Promise<void> | undefined {
    const slot = this.#series[seriesId];
    const strategy = this.#strategy;
    if (slot === undefined || strategy === undefined) {
      this.#reportError('runtime', new Error(`notification for unknown series id ${seriesId}`));
      return undefined;
    }
    this.#notificationSeq++;
    this.#current = slot;
    this.#currentIndex = index;
    this.#currentTime = closeTime;
    this.#boundToIndex(slot, index);
    slot.boundFor = this.#notificationSeq;
    const started = performance.now();
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
    const micros = (performance.now() - started) * 1000;
    const m = this.#metrics;
    m[METRIC_SLOT.PROCESSED] = (m[METRIC_SLOT.PROCESSED] as number) + 1;
    m[METRIC_SLOT.TOTAL_US] = (m[METRIC_SLOT.TOTAL_US] as number) + micros;
    if (micros > (m[METRIC_SLOT.MAX_US] as number)) m[METRIC_SLOT.MAX_US] = micros;
    this.#histogram.record(Math.max(1, Math.round(micros * 1000)));
    if (error !== undefined) this.#reportError('onBars', error);
    else if (result !== undefined && result !== null) this.#collectSignals(result);
    this.#current = undefined;
  }

  #collectSignals(result: unknown): void {
    if (!Array.isArray(result)) {
      this.#reportError(
        'onBars',
        new TypeError(`onBars must return an array of signals, got ${typeof result}`),
      );
      return;
    }
    if (result.length === 0) return;
    const slot = this.#current as SeriesSlot;
    const barTime = slot.buffers.time[this.#currentIndex & slot.buffers.mask] as number;
    for (const item of result) {
      let json: ReturnType<typeof toSignalJson>;
      try {
        json = toSignalJson(item);
      } catch (error) {
        this.#reportError('onBars', error);
        continue;
      }
      this.#signalSeq++;
      this.#outbox.push(
        stampSignal(this.#signalSeq, this.#init.name, this.#currentTime, barTime, slot.interval, json),
      );
      this.#metrics[METRIC_SLOT.SIGNALS] = (this.#metrics[METRIC_SLOT.SIGNALS] as number) + 1;
    }
  }

  #handleQuality(seriesId: number, quality: number): Promise<void> | undefined {
    const slot = this.#series[seriesId];
    const strategy = this.#strategy;
    if (slot === undefined || strategy === undefined) {
      this.#reportError('runtime', new Error(`quality update for unknown series id ${seriesId}`));
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
      this.#reportError('runtime', new Error('a control entry arrived without its message'));
      return undefined;
    }
    switch (message.type) {
      case 'addSeries':
        this.#addSeries(message.series);
        return undefined;
      case 'symbolAdded':
        return this.#symbolAdded(message.symbol);
      case 'stop':
        this.#stopRequested = true;
        return undefined;
    }
  }

  #symbolAdded(symbol: string): Promise<void> | undefined {
    this.#addSymbol(symbol);
    const strategy = this.#strategy;
    if (strategy === undefined) return undefined;
    const report = (): void => {
      try {
        this.#subscriptions = normalizeSubscriptions(strategy.getSubscriptions());
      } catch (error) {
        this.#reportError('getSubscriptions', error);
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
      this.#reportError(phase, error);
      return undefined;
    }
    if (!isPromiseLike(result)) return undefined;
    return Promise.resolve(result).then(
      () => undefined,
      (error: unknown) => this.#reportError(phase, error),
    );
  }

  #reportError(phase: StrategyErrorPhase, error: unknown): void {
    this.#metrics[METRIC_SLOT.ERRORS] = (this.#metrics[METRIC_SLOT.ERRORS] as number) + 1;
    const count = ++this.#errorCount;
    // A strategy failing on every bar must not flood the log: the first few in full, then a sample.
    if (count > ERRORS_LOGGED_IN_FULL && count % ERRORS_LOGGED_EVERY !== 0) return;
    const message = errorMessage(error);
    const stack = error instanceof Error ? error.stack : undefined;
    const report: StrategyErrorReport = { phase, message, errorCount: count };
    if (stack !== undefined) report.stack = stack;
    const slot = this.#current;
    let where = '';
    if (slot !== undefined) {
      report.symbol = slot.symbol;
      report.interval = slot.interval;
      report.time = this.#currentTime;
      where = ` on ${slot.symbol} ${slot.interval} (bar closing ${new Date(this.#currentTime).toISOString()})`;
    }
    const note =
      count === ERRORS_LOGGED_IN_FULL
        ? `; further errors are logged once every ${ERRORS_LOGGED_EVERY}`
        : count > ERRORS_LOGGED_IN_FULL
          ? ` (${count} errors so far)`
          : '';
    this.#logger.error(
      `${phase} threw${where}: ${message}${note}`,
      stack === undefined ? undefined : { stack },
    );
    this.#post({ type: 'error', report });
  }

  // ---- series and the context ---------------------------------------------------------------

  #addSymbol(symbol: string): void {
    if (this.#symbols.includes(symbol)) return;
    this.#symbols.push(symbol);
    this.#symbolsView = Object.freeze([...this.#symbols]);
  }

  #addSeries(binding: SeriesBinding): void {
    const buffers = openSeriesBuffers(binding.buffer);
    const slot: SeriesSlot = {
      symbol: binding.symbol,
      interval: binding.interval,
      intervalMs: intervalToMs(binding.interval),
      buffers,
      view: new ColumnarBarSeries(buffers, binding.symbol, binding.interval, 0),
      boundFor: -1,
      quality: Number.NaN,
      warnedBehind: false,
    };
    this.#series[binding.seriesId] = slot;
    let intervals = this.#bySymbol.get(binding.symbol);
    if (intervals === undefined) {
      intervals = new Map();
      this.#bySymbol.set(binding.symbol, intervals);
    }
    intervals.set(binding.interval, slot);
    this.#addSymbol(binding.symbol);
  }

  #lookup(symbol: string, interval: string): SeriesSlot | undefined {
    return this.#bySymbol.get(symbol)?.get(interval);
  }

  #require(symbol: string, interval: string): SeriesSlot {
    const slot = this.#lookup(symbol, interval);
    if (slot === undefined) {
      throw new StratError(
        'SERIES_UNKNOWN',
        `Strategy "${this.#init.name}" asked for ${symbol} ${interval}, which the session does not stream to it`,
      );
    }
    return slot;
  }

  #now(): number {
    if (this.#current === undefined && this.#init.mode === 'live') return Date.now();
    return this.#currentTime;
  }

  #getBars(symbol: string, interval: Interval): BarSeries {
    const current = this.#current;
    if (current !== undefined && current.symbol === symbol && current.interval === interval)
      return current.view;
    const slot = this.#require(symbol, interval);
    if (slot.boundFor !== this.#notificationSeq) {
      this.#boundToTime(slot, this.#currentTime);
      slot.boundFor = this.#notificationSeq;
    }
    return slot.view;
  }

  /**
   * The oldest absolute index still safe to read: the writer may run ahead of a slow reader, and
   * slots it reuses must not be shown. Half the ring's guard is kept as margin for writes made
   * while the strategy reads.
   */
  #oldestReadable(buffers: SeriesBuffers, published: number): number {
    return Math.max(0, published - buffers.window - ((buffers.capacity - buffers.window) >> 1));
  }

  #boundToIndex(slot: SeriesSlot, index: number): void {
    const buffers = slot.buffers;
    const end = index + 1;
    const oldest = this.#oldestReadable(buffers, publishedCount(buffers));
    const visible = Math.min(buffers.window, end - oldest);
    if (visible < buffers.window && visible < end && !slot.warnedBehind) {
      slot.warnedBehind = true;
      this.#logger.warn(
        `fell behind on ${slot.symbol} ${slot.interval}: the store has moved on, so only ${Math.max(0, visible)} ` +
          `bars are visible for bar ${index}`,
      );
    }
    slot.view.bound(end, Math.max(0, visible));
  }

  #boundToTime(slot: SeriesSlot, time: number): void {
    const buffers = slot.buffers;
    const times = buffers.time;
    const mask = buffers.mask;
    const span = slot.intervalMs;
    const published = publishedCount(buffers);
    const oldest = this.#oldestReadable(buffers, published);
    let end = published;
    // Bars are in time order: find the first one not closed by `time` (a bar closes at start + interval).
    if (published > oldest && (times[(published - 1) & mask] as number) + span > time) {
      let lo = oldest;
      let hi = published - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((times[mid & mask] as number) + span <= time) lo = mid + 1;
        else hi = mid;
      }
      end = lo;
    }
    slot.view.bound(end, Math.max(0, Math.min(buffers.window, end - oldest)));
  }
}
