import {
  ConfigError,
  type ConfigIssue,
  type Interval,
  type LogLevel,
  type LogRecord,
  type SessionMode,
  type StrategyEntry,
  StrategyLoadError,
  StrategySetupError,
  type Subscription,
} from '@strat/core';
import type { SessionData } from '@strat/data';
import type { CalendarConfig } from '@strat/data/calendar';
import { EventEmitter } from 'eventemitter3';
import { configErrorUnder } from '../config-check/config-issues-under';
import { moduleBaseName, strategyNameOfClass } from '../loader/find-strategy-class';
import { type ResolvedStrategyModule, resolveStrategyModule } from '../loader/resolve-strategy-module';
import { SignalSequencer } from '../sequencer/signal-sequencer';
import type { JournalFormat } from '../session/journal-line';
import type { SeriesBinding } from '../thread/host-protocol';
import type { StampedSignal } from '../thread/stamped-signal';
import type { StrategyExecutor, StrategyMetrics } from '../thread/strategy-metrics';
import { StrategyThread } from '../thread/strategy-thread';
import type { StrategyErrorEvent } from '../thread/strategy-thread-events';
import {
  DEFAULT_NOTIFICATION_LIMIT_MS,
  DEFAULT_TIME_BUDGET_MS,
  missingModuleUrlMessage,
} from '../thread/strategy-thread-options';
import { type AggregateMetrics, aggregateMetrics } from './aggregate-metrics';
import { BatchPipeline } from './batch-pipeline';
import { type StrategyErrorSummary, summarizeStrategyErrors } from './strategy-error-summary';
import { strategyExecutorOf } from './strategy-executor';
import { WaitInterruption } from './wait-interruption';

/** Options of {@link StrategyManager}. */
export interface StrategyManagerOptions {
  /** The session's bar store: every series in it is readable by every strategy. */
  store: SessionData;
  mode?: SessionMode;
  /** 0 = data-driven (waits without limit); > 0 clock-driven. */
  speedMultiplier?: number;
  /** Project folders strategy modules are looked up in (dotted paths, packages). */
  roots: readonly string[];
  /** The config file's folder, for relative module paths. */
  configDir?: string;
  /** The executor when an entry names none (the config's `streaming.executor`, default `worker`). */
  defaultExecutor?: StrategyExecutor;
  /** Forces every strategy onto this executor (the CLI's `--executor`). */
  executorOverride?: StrategyExecutor;
  /** Time budget per wait when an entry names none (the config's `streaming.time_budget_ms`). */
  defaultTimeBudgetMs?: number;
  /** Notification limit when an entry names none (the config's `streaming.notification_limit_ms`, default 30,000). */
  defaultNotificationLimitMs?: number;
  /** Lowest level of strategy log records forwarded as `log` events. */
  logLevel?: LogLevel;
  /** The strategies' current time before their first bar. */
  startTime?: number;
  /** The session's trading calendar section, for each strategy's `context.sessionDate` (default `us_equities`). */
  calendar?: CalendarConfig;
  /** Allow absolute module paths (never for paths that came from a network request). */
  allowAbsoluteModules?: boolean;
  /** Folders strategy files may lie in (default: `<root>/strategies` of each root). */
  strategyRoots?: readonly string[];
  /** Packages strategies may come from (default: `@strat/examples`). */
  allowedPackages?: readonly string[];
  /** The session's journal format, when it journals: worker strategies format their lines themselves. */
  journalFormat?: JournalFormat;
}

/** Events of {@link StrategyManager}. */
export interface StrategyManagerEvents {
  /**
   * Signals in journal order, from the manager's {@link SignalSequencer}: released once every
   * strategy has handled the bars they could come from (data-driven: their batch is complete;
   * clock-driven and live: after each timed wait, see {@link StrategyManager.waitForStrategies}).
   */
  signal: (signals: StampedSignal[]) => void;
  /** After every release: every signal stamped at or before `time` has been emitted. */
  released: (time: number) => void;
  strategyError: (event: StrategyErrorEvent) => void;
  log: (record: LogRecord) => void;
  /** A timed wait ran out for a strategy. */
  overrun: (event: { strategy: string; time: number; backlog: number }) => void;
}

interface Route {
  seriesId: number;
  threads: StrategyThread[];
}

/**
 * Loads the session's strategies (each in its own thread), keeps the subscription map
 * (symbol, interval) -> strategies, routes bar and quality notifications, waits for the strategies
 * as the mode says, and aggregates their metrics. The seed's StrategyManager.
 */
export class StrategyManager extends EventEmitter<StrategyManagerEvents> {
  readonly #o: StrategyManagerOptions;
  readonly #threads: StrategyThread[] = [];
  /** Per thread, the index of its entry in `session_data_config.strategies`. */
  readonly #entryIndex: number[] = [];
  readonly #series: SeriesBinding[] = [];
  readonly #seriesIds = new Map<string, Map<string, number>>();
  /** symbol -> interval -> subscribers. */
  #routes = new Map<string, Map<string, Route>>();
  #unsubscribeStore: (() => void) | undefined;
  #started = false;
  #stopped = false;
  /** Time steps notified since the last hand-over (a step = a distinct close time). */
  #stepsQueued = 0;
  #lastNotifiedTime = Number.NaN;
  /** Orders the strategies' signals; they are held there until released. */
  readonly #sequencer = new SignalSequencer();
  /** Makes every wait for the strategies give up once a stop is asked. */
  readonly #interruption = new WaitInterruption();
  /** Data-driven hand-overs, pipelined. */
  readonly #pipeline = new BatchPipeline(this.#threads, this.#sequencer, this.#interruption);

  constructor(options: StrategyManagerOptions) {
    super();
    this.#o = options;
    this.#sequencer.on('signal', (signals) => this.emit('signal', signals));
    this.#sequencer.on('released', (time) => this.emit('released', time));
  }

  /** Each running strategy's name and the index of its entry in the config, in config order. */
  strategyEntries(): Array<{ name: string; index: number }> {
    return this.#threads.map((thread, k) => ({ name: thread.name, index: this.#entryIndex[k] as number }));
  }

  /** The strategy threads, in config order. */
  get threads(): readonly StrategyThread[] {
    return this.#threads;
  }

  /** True when some strategy runs in a worker thread (the session's thread is then free for other work). */
  usesWorkers(): boolean {
    return this.#threads.some((thread) => thread.executor === 'worker');
  }

  /** True when waits have no time limit (a backtest with speed 0). */
  get dataDriven(): boolean {
    return (this.#o.mode ?? 'backtest') === 'backtest' && (this.#o.speedMultiplier ?? 0) === 0;
  }

  /**
   * Loads and sets up every enabled strategy in parallel. A module that is missing, has no strategy
   * class, or whose setup returns false stops the whole initialisation with a StrategyLoadError
   * naming the module and the reason (strategies already started are stopped first). Returns
   * without waiting further once {@link interruptWaits} is called (stop the strategies then).
   */
  async initialize(entries: readonly StrategyEntry[]): Promise<void> {
    const store = this.#o.store;
    for (const key of store.keys()) this.#bindSeries(key.symbol, key.interval);
    this.#unsubscribeStore = store.onSeriesAdded(({ symbol, interval }) => {
      const binding = this.#bindSeries(symbol, interval);
      for (const t of this.#threads) t.addSeries(binding);
    });
    const names = new Set<string>();
    for (const [i, entry] of entries.entries()) {
      if (entry.enabled === false) continue;
      const executor = strategyExecutorOf(entry, this.#o.defaultExecutor, this.#o.executorOverride);
      const source = this.#strategySource(entry, i, executor);
      const name = uniqueName(entry.name ?? source.defaultName, names);
      const thread = new StrategyThread({
        name,
        module: source.module,
        ...(source.resolved === undefined ? {} : { resolved: source.resolved }),
        ...(entry.strategy === undefined ? {} : { strategyClass: entry.strategy }),
        ...(entry.export === undefined ? {} : { exportName: entry.export }),
        config: entry.config,
        executor,
        mode: this.#o.mode ?? 'backtest',
        speedMultiplier: this.#o.speedMultiplier ?? 0,
        timeBudgetMs: entry.time_budget_ms ?? this.#o.defaultTimeBudgetMs ?? DEFAULT_TIME_BUDGET_MS,
        notificationLimitMs:
          entry.notification_limit_ms ?? this.#o.defaultNotificationLimitMs ?? DEFAULT_NOTIFICATION_LIMIT_MS,
        startTime: this.#o.startTime,
        ...(this.#o.calendar === undefined ? {} : { calendar: this.#o.calendar }),
        series: [...this.#series],
        symbols: store.symbols(),
        logLevel: this.#o.logLevel,
        ...(this.#o.journalFormat === undefined ? {} : { journalFormat: this.#o.journalFormat }),
      });
      thread.on('signal', (signals) => this.#sequencer.add(signals));
      thread.on('error', (event) => this.emit('strategyError', event));
      thread.on('log', (record) => this.emit('log', record));
      thread.on('subscriptions', () => this.#rebuildRoutes());
      this.#threads.push(thread);
      this.#entryIndex.push(i);
    }
    this.#sequencer.setStrategyOrder(this.#threads.map((t) => t.name));
    const starting = Promise.allSettled(this.#threads.map((t) => t.start()));
    if (!(await this.#interruption.race(starting))) return;
    const results = await starting;
    const failed = results.findIndex((r) => r.status === 'rejected');
    if (failed >= 0) {
      const failure = results[failed] as PromiseRejectedResult;
      await this.stopStrategies(2000);
      throw withPath(failure.reason, this.#entryIndex[failed] as number);
    }
    this.#rebuildRoutes();
  }

  /**
   * What an entry runs: its module, resolved within the strategy roots and allowed packages, or its
   * class (a config built in code), which a worker imports from the class's `moduleUrl`.
   * @throws StrategyLoadError (module entries) or ConfigError (a class a worker cannot import), with the entry's path
   */
  #strategySource(
    entry: StrategyEntry,
    index: number,
    executor: StrategyExecutor,
  ): { module: string; defaultName: string; resolved?: ResolvedStrategyModule } {
    const strategyClass = entry.strategy;
    if (strategyClass !== undefined) {
      if (executor === 'worker' && typeof strategyClass.moduleUrl !== 'string') {
        throw new ConfigError(
          [
            {
              path: `session_data_config.strategies[${index}].strategy`,
              message: missingModuleUrlMessage(strategyClass.name),
            },
          ],
          { summary: 'The session cannot run' },
        );
      }
      return {
        module: strategyClass.moduleUrl ?? strategyClass.name,
        defaultName: strategyNameOfClass(strategyClass),
      };
    }
    const module = entry.module as string;
    try {
      const resolved = resolveStrategyModule(module, {
        roots: this.#o.roots,
        fromDir: this.#o.configDir,
        allowAbsolute: this.#o.allowAbsoluteModules ?? false,
        strategyRoots: this.#o.strategyRoots,
        allowedPackages: this.#o.allowedPackages,
      });
      return { module, defaultName: moduleBaseName(module), resolved };
    } catch (error) {
      throw withPath(error, index);
    }
  }

  /** Starts routing notifications (call after `initialize`). */
  startStrategies(): void {
    this.#started = true;
  }

  /** The subscription map: `symbol interval` -> strategy names. */
  getSubscriptionMap(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [symbol, byInterval] of this.#routes) {
      for (const [interval, route] of byInterval) {
        out.set(
          `${symbol} ${interval}`,
          route.threads.map((t) => t.name),
        );
      }
    }
    return out;
  }

  /**
   * Subscriptions no series of the store can serve (a symbol or interval the session does not
   * stream), one issue per strategy at its config entry: such a strategy would never be notified.
   */
  unstreamedSubscriptions(): ConfigIssue[] {
    const store = this.#o.store;
    const issues: ConfigIssue[] = [];
    for (const [n, thread] of this.#threads.entries()) {
      const missing = thread.subscriptions.filter(([symbol, interval]) => !store.hasSeries(symbol, interval));
      if (missing.length === 0) continue;
      const streamed = `symbols ${store.symbols().join(', ')}; streams ${[...new Set(store.keys().map((k) => k.interval))].join(', ')}`;
      issues.push({
        path: `session_data_config.strategies[${this.#entryIndex[n]}].config`,
        message: `${thread.name} subscribes to ${missing.map(([s, i]) => `${s} ${i}`).join(', ')}, which the session does not stream (${streamed})`,
      });
    }
    return issues;
  }

  /** True when some strategy subscribes to (symbol, interval). */
  hasSubscribers(symbol: string, interval: Interval): boolean {
    return (this.#routes.get(symbol)?.get(interval)?.threads.length ?? 0) > 0;
  }

  /** Queues a closed bar for every strategy subscribed to its series. No allocation. */
  notifyStrategies(symbol: string, interval: Interval, index: number, closeTime: number): void {
    if (closeTime !== this.#lastNotifiedTime) {
      this.#lastNotifiedTime = closeTime;
      this.#stepsQueued++;
    }
    if (!this.#started) return;
    const route = this.#routes.get(symbol)?.get(interval);
    if (route === undefined) return;
    const threads = route.threads;
    for (let i = 0; i < threads.length; i++)
      (threads[i] as StrategyThread).notify(route.seriesId, index, closeTime);
  }

  /** Queues a quality change for the strategies subscribed to the series. */
  notifyQuality(symbol: string, interval: Interval, quality: number): void {
    if (!this.#started) return;
    const route = this.#routes.get(symbol)?.get(interval);
    if (route === undefined) return;
    for (const t of route.threads) t.notifyQuality(route.seriesId, quality);
  }

  /**
   * Hands the queued notifications to the strategies and waits for them.
   *
   * Data-driven: pipelined. The strategies work through the batches handed over while the session
   * produces the next ones; this waits only for as many of the oldest batches as needed to keep
   * every strategy within half the store's ring guard (so what it sees never changes) and its
   * queue at most half full. `signal` events carry only the signals of completed batches, so their
   * order stays deterministic. When notifications overflow a strategy's ring, it waits for
   * everything. These waits have no time limit: a strategy stuck in one notification past its
   * notification limit is ended (`timed_out`) and the others go on; they give up once
   * {@link interruptWaits} is called.
   *
   * Clock-driven and live: at most each strategy's time budget; a strategy that misses it is
   * counted as an overrun (its backlog stays queued, nothing is dropped).
   */
  async waitForStrategies(time: number): Promise<void> {
    const threads = this.#threads;
    for (const t of threads) t.signalReady();
    if (this.dataDriven) {
      const steps = this.#stepsQueued;
      this.#stepsQueued = 0;
      await this.#pipeline.handedOver(steps, time);
      return;
    }
    const results = await Promise.all(threads.map((t) => t.waitUntilReady()));
    for (let i = 0; i < results.length; i++) {
      if (results[i] === false) {
        const t = threads[i] as StrategyThread;
        this.emit('overrun', { strategy: t.name, time, backlog: t.subscription.backlog });
      }
    }
    // A strategy that overran delivers its signals later; they follow in the next release.
    this.#sequencer.release(Number.POSITIVE_INFINITY);
  }

  /**
   * The end of a run: hands over what is queued and waits until every strategy has handled all of
   * it (data-driven: without a time limit, but a strategy stuck in one notification past its
   * notification limit is ended; clock-driven and live: each strategy's time budget), releasing
   * every signal. Stopping the strategies afterwards then loses nothing to a stop timeout. Gives up
   * once {@link interruptWaits} is called.
   */
  async drain(time: number): Promise<void> {
    if (!this.dataDriven) {
      await this.waitForStrategies(time);
      return;
    }
    for (const t of this.#threads) t.signalReady();
    await this.#pipeline.waitForAll();
  }

  /**
   * Tells every strategy a symbol joined: each runs `onSymbolAdded` (in order with its bars) and
   * reports its subscriptions again; the map is rebuilt.
   */
  async notifySymbolAdded(symbol: string): Promise<void> {
    await this.#interruption.race(Promise.all(this.#threads.map((t) => t.notifySymbolAdded(symbol))));
    this.#rebuildRoutes();
    if (!this.dataDriven) this.#sequencer.release(Number.POSITIVE_INFINITY);
  }

  /**
   * How many data-driven time steps the session may hand over per batch without the store
   * overwriting a bar a strategy may still see (the smallest ring guard of any series, less a
   * margin), capped at `requested`.
   */
  batchStepsLimit(requested: number): number {
    const store = this.#o.store;
    let guard = Number.POSITIVE_INFINITY;
    for (const key of store.keys()) {
      const s = store.getSeries(key.symbol, key.interval);
      if (s !== undefined) guard = Math.min(guard, s.capacity - s.window);
    }
    const limit = Number.isFinite(guard) ? Math.max(1, guard - 8) : 256;
    return Math.max(1, Math.min(requested, limit));
  }

  /**
   * Data-driven: whether a strategy's queue holds more than a quarter of its ring not handed over yet,
   * so the batch should end at this step. A batch then never fills a ring (its overflow would make the
   * pipeline wait for everything), and two of them fit in the half of a ring the pipeline keeps in
   * flight: a wide universe's batches end by notifications, a one-symbol replay's by steps.
   */
  batchFull(): boolean {
    const threads = this.#threads;
    for (let i = 0; i < threads.length; i++) {
      const queue = (threads[i] as StrategyThread).subscription.queue;
      if (queue.unpublished > queue.capacity >> 2) return true;
    }
    return false;
  }

  /** Per-strategy metrics. */
  getStrategyMetrics(): StrategyMetrics[] {
    return this.#threads.map((t) => t.getMetrics());
  }

  /** Aggregated metrics: totals, active strategies, subscriptions, slowest strategy. */
  /** The strategies that reported errors, each with its count and first error (with its location). */
  getStrategyErrors(): StrategyErrorSummary[] {
    return summarizeStrategyErrors(this.#threads);
  }

  getMetrics(): AggregateMetrics {
    let subscriptions = 0;
    for (const byInterval of this.#routes.values())
      for (const r of byInterval.values()) subscriptions += r.threads.length;
    return aggregateMetrics(this.getStrategyMetrics(), subscriptions);
  }

  /**
   * A stop was asked: every pending and later wait for the strategies gives up at once (the batch
   * pipeline, the drain, `onSymbolAdded` answers, start-up). Signals of batches not yet complete stay
   * held until {@link stopStrategies}, which lets each strategy finish what it was handed first.
   */
  interruptWaits(): void {
    this.#interruption.interrupt();
  }

  /**
   * Stops every strategy: each handles what it was handed, runs teardown and ends; one that has not
   * ended after `timeoutMs` (stuck) is terminated and marked `timed_out`. Then every held signal is
   * released, in order. Waits still pending give up first ({@link interruptWaits}).
   */
  async stopStrategies(timeoutMs?: number): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#started = false;
    this.interruptWaits();
    await Promise.all(this.#threads.map((t) => t.stop(timeoutMs)));
    this.#pipeline.clear();
  }

  /** Stops the strategies and lets go of the store. */
  async shutdown(timeoutMs?: number): Promise<void> {
    await this.stopStrategies(timeoutMs);
    this.#unsubscribeStore?.();
    this.#unsubscribeStore = undefined;
    this.removeAllListeners();
  }

  #bindSeries(symbol: string, interval: Interval): SeriesBinding {
    let byInterval = this.#seriesIds.get(symbol);
    if (byInterval === undefined) {
      byInterval = new Map();
      this.#seriesIds.set(symbol, byInterval);
    }
    const existing = byInterval.get(interval);
    if (existing !== undefined) return this.#series[existing] as SeriesBinding;
    const handle = this.#o.store.handle(symbol, interval);
    const buffers = this.#o.store.getSeries(symbol, interval);
    if (buffers !== undefined) this.#pipeline.limitLead(buffers.capacity, buffers.window);
    const binding: SeriesBinding = { seriesId: this.#series.length, symbol, interval, buffer: handle.buffer };
    byInterval.set(interval, binding.seriesId);
    this.#series.push(binding);
    return binding;
  }

  #rebuildRoutes(): void {
    const routes = new Map<string, Map<string, Route>>();
    for (const thread of this.#threads) {
      if (thread.state !== 'running' && thread.state !== 'starting') continue;
      for (const [symbol, interval] of thread.subscriptions as readonly Subscription[]) {
        const seriesId = this.#seriesIds.get(symbol)?.get(interval);
        if (seriesId === undefined) continue;
        let byInterval = routes.get(symbol);
        if (byInterval === undefined) {
          byInterval = new Map();
          routes.set(symbol, byInterval);
        }
        let route = byInterval.get(interval);
        if (route === undefined) {
          route = { seriesId, threads: [] };
          byInterval.set(interval, route);
        }
        if (!route.threads.includes(thread)) route.threads.push(thread);
      }
    }
    this.#routes = routes;
  }
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  taken.add(name);
  return name;
}

function withPath(error: unknown, index: number): unknown {
  if (StrategySetupError.isInstance(error)) {
    return new StrategySetupError(
      error.module,
      error.strategy,
      error.step,
      `${error.reason} (session_data_config.strategies[${index}].module)`,
      { cause: error.cause, ...(error.location === undefined ? {} : { location: error.location }) },
    );
  }
  // The strategy's own config failed its schema (paths relative to the config); a ConfigError naming
  // the entry itself (a class a worker cannot import) is already placed.
  if (ConfigError.isInstance(error) && !error.path.startsWith('session_data_config.')) {
    return configErrorUnder(error, `session_data_config.strategies[${index}].config`);
  }
  if (StrategyLoadError.isInstance(error)) {
    return new StrategyLoadError(
      error.module,
      `${error.reason} (session_data_config.strategies[${index}].module)`,
      { cause: error.cause },
    );
  }
  return error;
}
