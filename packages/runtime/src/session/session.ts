import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  createLogger,
  type Interval,
  intervalToMs,
  type LogLevel,
  type LogRecord,
  type LogSink,
  parseSessionConfigText,
  type SessionConfig,
  StratError,
  type StrategyContext,
} from '@strat/core';
import {
  type BarConsumer,
  type BarSource,
  createBarSource,
  createLiveClock,
  createLiveFeed,
  DataProcessor,
  type FeedGap,
  type FeedState,
  type LiveClock,
  LiveDataProcessor,
  type LiveFeedSettings,
  type LiveProcessorSummary,
  type ProcessorProgress,
  type ProcessorSummary,
  resolveLiveFeedSettings,
  type SeriesQualityRecord,
  SessionData,
  SimulatedClock,
  type SourceReport,
  type TimeManager,
  TradingCalendar,
} from '@strat/data';
import { EventEmitter } from 'eventemitter3';
import type { AggregateMetrics } from '../manager/aggregate-metrics';
import { StrategyManager } from '../manager/strategy-manager';
import { ScannerManager } from '../scanner/scanner-manager';
import { createSessionContext } from '../scanner/session-context';
import type { StampedSignal } from '../thread/stamped-signal';
import type { StrategyExecutor } from '../thread/strategy-metrics';
import type { StrategyErrorEvent } from '../thread/strategy-thread-events';
import { findProjectRoot } from './find-project-root';
import { SignalJournal } from './signal-journal';

/** Options of {@link Session}. */
export interface SessionOptions {
  /** The config file's folder: relative CSV paths and module paths resolve against it (default: cwd). */
  configDir?: string;
  /** Project folders strategy modules are looked up in (default: the project holding `configDir`). */
  roots?: readonly string[];
  /** Runs every strategy on this executor, whatever the config says. */
  executor?: StrategyExecutor;
  /** Lowest level of log records (default `info`). */
  logLevel?: LogLevel;
  /** Where log records go (default: stderr). */
  logSink?: LogSink;
  /** Writes the signal journal here (`.jsonl`, or `.csv` by extension). */
  journalPath?: string;
  /** Allow absolute strategy module paths (never for configs that came over the network). */
  allowAbsoluteModules?: boolean;
  /** Data-driven: time steps handed to the strategies per handshake (default 256, capped by the ring guard). */
  batchSteps?: number;
  /** Stop cleanly on SIGINT / SIGTERM (the CLI sets it). */
  handleSignals?: boolean;
  /** Time each strategy gets to tear down before its thread is ended (default 5000 ms). */
  stopTimeoutMs?: number;
  /** Live: where `STRAT_FEED_URL`, `STRAT_FEED_KEY` and `STRAT_FEED_SECRET` are read (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Where a session is. */
export type SessionState =
  | 'created'
  | 'starting'
  | 'running'
  | 'stopping'
  | 'completed'
  | 'stopped'
  | 'failed';

/** What a finished session did. */
export interface SessionSummary {
  state: SessionState;
  mode: SessionConfig['mode'];
  speedMultiplier: number;
  /** Backtest: the replayed dates. Live: the first and last trading session followed ('' before any). */
  startDate: string;
  endDate: string;
  /** The replay: bars read, published, sessions, wall time (live: a `LiveProcessorSummary`, with late bars). */
  bars: ProcessorSummary | undefined;
  /** Base bars per wall second over the whole run (start-up included). */
  barsPerSecond: number;
  wallMs: number;
  signals: number;
  metrics: AggregateMetrics;
  quality: SeriesQualityRecord[];
  source: SourceReport;
  symbolsAdded: string[];
  journal: string | undefined;
  /** Set when the session failed. */
  error: string | undefined;
}

/** Events a session emits (eventemitter3). */
export interface SessionEvents {
  /** A closed bar (emitted only when someone listens). */
  bar: (event: { symbol: string; interval: Interval; index: number; time: number }) => void;
  /** Signals in journal order. */
  signal: (signals: StampedSignal[]) => void;
  symbolAdded: (event: { symbol: string; time: number }) => void;
  quality: (event: { symbol: string; interval: Interval; quality: number }) => void;
  overrun: (event: { strategy: string; time: number; backlog: number }) => void;
  strategyError: (event: StrategyErrorEvent) => void;
  progress: (progress: ProcessorProgress) => void;
  metrics: (metrics: AggregateMetrics) => void;
  log: (record: LogRecord) => void;
  /** Live: minutes of a symbol whose bars were missed while the feed was down (its quality drops). */
  gap: (gap: FeedGap) => void;
  /** Live: the feed connection changed (`streaming`, `reconnecting`, `closed`, ...) or went `stale`. */
  feed: (event: SessionFeedEvent) => void;
  end: (summary: SessionSummary) => void;
}

/** A change of the live feed's connection, as the `feed` event reports it. */
export interface SessionFeedEvent {
  /** The new state; `stale` = the watchdog found the feed silent during session hours (a reconnect follows). */
  state: FeedState | 'stale';
  /** Reconnect attempt in a row (0 while streaming). */
  attempt: number;
  /** `reconnecting`: wait before the next attempt, ms. */
  delayMs?: number;
  /** Why (never contains credentials). */
  reason?: string;
  /** Wall time of the change, epoch ms. */
  at: number;
}

const stderrSink: LogSink = (r) => {
  process.stderr.write(
    `[${r.level}] ${r.name}: ${r.message}${r.fields ? ` ${JSON.stringify(r.fields)}` : ''}\n`,
  );
};

/**
 * A whole session from one validated config (the seed's SystemManager + SessionCoordinator): the
 * store, the bar source, the processor, the strategies (each in its thread) and the scanners.
 *
 * Data-driven backtests hand the strategies `batchSteps` time steps at a time and wait for all of
 * them; signals are journalled in a deterministic order (bar close time, then strategy in config
 * order, then the strategy's sequence), so the journal is byte-identical run after run.
 *
 * Live sessions (`mode: "live"`) follow a feed speaking the Alpaca market-data v2 stream protocol
 * (`live_config`, or `STRAT_FEED_URL` / `STRAT_FEED_KEY` / `STRAT_FEED_SECRET`) through a
 * `LiveDataProcessor`: the same aggregation, store and notification order, the timed waits and
 * overrun accounting of clock-driven runs, `gap` and `feed` events, until `stop()` or
 * `live_config.end_date`.
 */
export class Session extends EventEmitter<SessionEvents> {
  readonly config: SessionConfig;
  readonly store: SessionData;
  readonly calendar: TradingCalendar;
  /** The session's time: simulated in backtests, the wall or feed clock live. */
  readonly clock: TimeManager;
  readonly strategies: StrategyManager;
  readonly scanners: ScannerManager;
  /** Backtest: where bars come from (live: unused; the feed replaces it). */
  readonly source: BarSource;
  #processor: DataProcessor | LiveDataProcessor | undefined;
  readonly #simClock: SimulatedClock | undefined;
  readonly #live: LiveFeedSettings | undefined;
  readonly #o: SessionOptions;
  readonly #logSink: LogSink;
  #state: SessionState = 'created';
  #pending: StampedSignal[] = [];
  #journal: SignalJournal | undefined;
  #signalCount = 0;
  #strategyOrder = new Map<string, number>();
  #symbols: string[];
  #symbolsAdded: string[] = [];
  #stopRequested = false;
  #runPromise: Promise<SessionSummary> | undefined;
  #scanCtx: StrategyContext | undefined;
  #lastMetricsAt = 0;
  #feedProblemsLogged = 0;

  /** Reads, validates and builds a session from a config file. @throws ConfigError naming the file and JSON paths */
  static fromFile(path: string, options: SessionOptions = {}): Session {
    const file = resolve(path);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new StratError(
        'CONFIG_UNREADABLE',
        `Cannot read session config ${path}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const config = parseSessionConfigText(text, { file: path });
    return new Session(config, { configDir: dirname(file), ...options });
  }

  /** @throws ConfigError for a live session without a feed URL, key or secret (config or environment) */
  constructor(config: SessionConfig, options: SessionOptions = {}) {
    super();
    this.config = config;
    this.#o = options;
    this.#logSink = options.logSink ?? stderrSink;
    const sdc = config.session_data_config;
    const configDir = options.configDir ?? process.cwd();
    this.store = new SessionData({ window: sdc.streaming.window });
    this.calendar = TradingCalendar.fromConfig(sdc.calendar);
    if (config.mode === 'live') {
      this.#live = resolveLiveFeedSettings(config.live_config, options.env ?? process.env);
      this.clock = createLiveClock(this.#live);
    } else {
      this.#simClock = new SimulatedClock();
      this.clock = this.#simClock;
    }
    const streams = [...sdc.streams].sort((a, b) => intervalToMs(a) - intervalToMs(b));
    this.source = createBarSource(config.data_config, {
      calendar: this.calendar,
      baseDir: configDir,
      baseInterval: streams[0],
    });
    this.#symbols = [...sdc.symbols];
    const roots = options.roots ?? [findProjectRoot(configDir)];
    this.strategies = new StrategyManager({
      store: this.store,
      mode: config.mode,
      speedMultiplier: this.speedMultiplier,
      roots,
      configDir,
      defaultExecutor: sdc.streaming.executor,
      executorOverride: options.executor,
      defaultTimeBudgetMs: sdc.streaming.time_budget_ms,
      logLevel: options.logLevel,
      allowAbsoluteModules: options.allowAbsoluteModules,
    });
    this.scanners = new ScannerManager({
      roots,
      configDir,
      allowAbsoluteModules: options.allowAbsoluteModules,
      logLevel: options.logLevel,
      logSink: (r) => this.#log(r),
    });
    this.strategies.on('signal', (signals) => this.#onSignals(signals));
    this.strategies.on('strategyError', (e) => this.emit('strategyError', e));
    this.strategies.on('log', (r) => this.#log(r));
    this.strategies.on('overrun', (e) => this.emit('overrun', e));
  }

  /** Where the session is. */
  get state(): SessionState {
    return this.#state;
  }

  /**
   * The speed multiplier: the backtest's (0 = data-driven); live, 1 on the wall clock and the
   * configured feed speed (default 1) on the feed clock.
   */
  get speedMultiplier(): number {
    if (this.config.mode === 'live') return this.#live?.clock === 'feed' ? (this.#live.speed ?? 1) : 1;
    return this.config.backtest_config?.speed_multiplier ?? 0;
  }

  /** The processor, once started: a `DataProcessor` in backtests, a `LiveDataProcessor` live. */
  get processor(): DataProcessor | LiveDataProcessor | undefined {
    return this.#processor;
  }

  /** Symbols strategies trade now (config symbols, then those scanners added). */
  get symbols(): readonly string[] {
    return this.#symbols;
  }

  /**
   * Runs the session to its end (or until `stop()`), then stops the strategies (teardown always
   * runs) and resolves with the summary. A load error (bad module, setup false) rejects before any
   * bar is replayed; live, so does a feed that refuses the connection or the credentials.
   */
  start(): Promise<SessionSummary> {
    this.#runPromise ??= this.#run();
    return this.#runPromise;
  }

  /** Asks the session to stop after the current time step; resolves with the summary. */
  stop(): Promise<SessionSummary> {
    this.#stopRequested = true;
    this.#processor?.stop();
    return this.#runPromise ?? this.start();
  }

  /** Stops (if running) and lets go of every resource. */
  async shutdown(): Promise<void> {
    if (this.#runPromise !== undefined) await this.stop().catch(() => undefined);
    await this.strategies.shutdown(this.#o.stopTimeoutMs);
    this.#journal?.close();
  }

  /** Aggregated strategy metrics now. */
  getMetrics(): AggregateMetrics {
    return this.strategies.getMetrics();
  }

  async #run(): Promise<SessionSummary> {
    const started = performance.now();
    const cfg = this.config;
    const bt = cfg.backtest_config;
    if (cfg.mode === 'backtest' && bt === undefined) {
      throw new StratError('CONFIG_INVALID', 'a backtest needs backtest_config');
    }
    this.#state = 'starting';
    const onSignal = () => this.stop();
    if (this.#o.handleSignals) {
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }
    let summary: ProcessorSummary | undefined;
    let error: unknown;
    try {
      summary = cfg.mode === 'live' ? await this.#runLive() : await this.#runBacktest();
    } catch (e) {
      if (!(e instanceof SessionStopped)) error = e;
    } finally {
      if (this.#o.handleSignals) {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      this.#state = 'stopping';
      await this.strategies.stopStrategies(this.#o.stopTimeoutMs);
      this.#flush();
      if (this.#scanCtx !== undefined) await this.scanners.shutdown(this.#scanCtx);
      this.#journal?.close();
    }
    const stopped = this.#stopRequested || summary?.stopped === true;
    this.#state = error !== undefined ? 'failed' : stopped ? 'stopped' : 'completed';
    const wallMs = performance.now() - started;
    const live = cfg.mode === 'live' ? (summary as LiveProcessorSummary | undefined) : undefined;
    const result: SessionSummary = {
      state: this.#state,
      mode: cfg.mode,
      speedMultiplier: this.speedMultiplier,
      startDate: live?.firstSessionDate ?? bt?.start_date ?? '',
      endDate: live?.lastSessionDate ?? bt?.end_date ?? '',
      bars: summary,
      barsPerSecond: summary === undefined || wallMs === 0 ? 0 : summary.barsDone / (wallMs / 1000),
      wallMs,
      signals: this.#signalCount,
      metrics: this.getMetrics(),
      quality: this.#processor?.getQualitySummary() ?? [],
      source: this.#processor instanceof LiveDataProcessor ? this.#processor.report() : this.source.report(),
      symbolsAdded: [...this.#symbolsAdded],
      journal: this.#journal?.path,
      error: error === undefined ? undefined : error instanceof Error ? error.message : String(error),
    };
    this.emit('metrics', result.metrics);
    this.emit('end', result);
    if (error !== undefined) throw error;
    return result;
  }

  async #runBacktest(): Promise<ProcessorSummary> {
    const sdc = this.config.session_data_config;
    const bt = this.config.backtest_config as NonNullable<SessionConfig['backtest_config']>;
    const clock = this.#simClock as SimulatedClock;
    const sessions = this.calendar.sessions(bt.start_date, bt.end_date);
    const startTime = sessions[0]?.open ?? 0;
    clock.set(startTime);
    const streamed = await this.#prepare(startTime);
    const dataDriven = this.strategies.dataDriven;
    const guard = this.#ringGuard();
    const batchSteps = Math.max(1, Math.min(this.#o.batchSteps ?? 256, guard));
    let steps = 0;
    const processor = new DataProcessor({
      store: this.store,
      source: this.source,
      calendar: this.calendar,
      symbols: streamed,
      streams: [...sdc.streams],
      startDate: bt.start_date,
      endDate: bt.end_date,
      speedMultiplier: this.speedMultiplier,
      clock,
      gapFill: { enabled: sdc.gap_filler.enabled, maxGapBars: sdc.gap_filler.max_gap_bars },
      onProgress: (p) => this.#onProgress(p),
      progressEvery: 10_000,
      consumer: this.#consumer((time, scanDue) => {
        steps++;
        if (dataDriven && steps < batchSteps && !scanDue) return undefined;
        steps = 0;
        return this.#afterSteps(time, scanDue);
      }),
    });
    this.#processor = processor;
    if (this.#stopRequested) processor.stop();
    const summary = await processor.run();
    await this.#afterSteps(clock.now(), false);
    return summary;
  }

  /** Live: loads scanners and strategies, connects the feed, follows it until stopped or the end date. */
  async #runLive(): Promise<LiveProcessorSummary> {
    const sdc = this.config.session_data_config;
    const settings = this.#live as LiveFeedSettings;
    const clock = this.clock as LiveClock;
    const feedLogger = createLogger('feed', this.#o.logLevel ?? 'info', (r) => this.#log(r));
    const feed = createLiveFeed(settings, { calendar: this.calendar, clock });
    feed.on('state', (change) => {
      this.emit('feed', {
        state: change.state,
        attempt: change.attempt,
        delayMs: change.delayMs,
        reason: change.reason,
        at: Date.now(),
      });
      if (change.state === 'streaming') {
        feedLogger.info(
          `${change.reason === 'reconnected' ? 'streaming again' : 'streaming'} from ${feed.url}`,
        );
      } else if (change.state === 'reconnecting') {
        feedLogger.warn(
          `connection lost (${change.reason}); reconnect attempt ${change.attempt} in ${change.delayMs} ms`,
        );
      }
    });
    feed.on('stale', ({ silentMs }) => {
      this.emit('feed', { state: 'stale', attempt: 0, reason: `silent for ${silentMs} ms`, at: Date.now() });
      feedLogger.warn(
        `the feed sent nothing for ${(silentMs / 1000).toFixed(1)} s during session hours; reconnecting`,
      );
    });
    feed.on('gap', (gap) => {
      this.emit('gap', gap);
      feedLogger.warn(
        `${gap.symbol}: ${gap.minutes.length} minute bar(s) missed while the feed was down ` +
          `(${new Date(gap.from).toISOString()} to ${new Date(gap.to).toISOString()})`,
        { symbol: gap.symbol, minutes: gap.minutes.length },
      );
    });
    feed.on('problem', (problem) => this.#feedProblem(feedLogger, problem.message));
    // The scanners' schedule starts at the session open; on the feed clock that time is known only
    // from the first bar, so scanners (and strategies) then load after it. Otherwise everything
    // loads first and the feed is subscribed with every streamed symbol at once.
    const loadAfterFirstBar = sdc.scanners.length > 0 && !clock.started;
    const streamed = loadAfterFirstBar
      ? [...this.#symbols]
      : await this.#prepare(this.#liveStartTime(clock.now()));
    const processor = new LiveDataProcessor({
      store: this.store,
      calendar: this.calendar,
      feed,
      clock,
      symbols: streamed,
      streams: [...sdc.streams],
      gapFill: { enabled: sdc.gap_filler.enabled, maxGapBars: sdc.gap_filler.max_gap_bars },
      stepGraceMs: settings.stepGraceMs,
      endDate: settings.endDate,
      useAnnouncedSpeed: settings.speed === undefined,
      onProgress: (p) => this.#onProgress(p),
      onProblem: (message) => this.#feedProblem(feedLogger, message),
      consumer: this.#consumer((time, scanDue) => this.#afterSteps(time, scanDue)),
    });
    this.#processor = processor;
    try {
      if (this.#stopRequested) throw new SessionStopped();
      await processor.connect().catch((error: unknown) => {
        throw this.#stopRequested ? new SessionStopped() : error;
      });
      if (loadAfterFirstBar) {
        await processor.firstBar();
        if (this.#stopRequested) throw new SessionStopped();
        const all = await this.#prepare(this.#liveStartTime(clock.now()));
        for (const symbol of all.slice(this.#symbols.length)) processor.addSymbol(symbol);
      }
      if (this.#stopRequested) processor.stop();
      const summary = await processor.run();
      await this.#afterSteps(processor.progress().time, false);
      return summary;
    } finally {
      await feed.close();
    }
  }

  /** Scanner schedules start at the open of the session in progress (or the next one), as in a backtest. */
  #liveStartTime(now: number): number {
    if (!Number.isFinite(now)) return Date.now();
    const current = this.calendar.sessionAt(now);
    if (current !== undefined) return current.open;
    return this.calendar.sessionsBetween(now, now + 8 * 86_400_000)[0]?.open ?? now;
  }

  /**
   * Loads the scanners and the strategies, creates every streamed series and opens the journal.
   * Returns the streamed symbols: the session's, then those only scanners watch.
   */
  async #prepare(startTime: number): Promise<string[]> {
    const cfg = this.config;
    const sdc = cfg.session_data_config;
    const logger = createLogger('scanner', this.#o.logLevel ?? 'info', (r) => this.#log(r));
    this.#scanCtx = createSessionContext({
      store: this.store,
      clock: this.clock,
      mode: cfg.mode,
      speedMultiplier: this.speedMultiplier,
      logger,
      symbols: () => this.#symbols,
    });
    await this.scanners.initialize(sdc.scanners, this.#scanCtx, startTime);
    const watched = this.scanners.universe().filter((s) => !this.#symbols.includes(s));
    const streamed = [...this.#symbols, ...watched];
    // Series exist before strategies start, so every strategy can read every series from setup on.
    for (const symbol of streamed)
      for (const interval of sdc.streams) this.store.ensureSeries(symbol, interval);
    if (this.#o.journalPath !== undefined) this.#journal = new SignalJournal(this.#o.journalPath);
    await this.strategies.initialize(sdc.strategies);
    this.#strategyOrder = new Map(this.strategies.threads.map((t, i) => [t.name, i]));
    if (this.#stopRequested) throw new SessionStopped();
    this.strategies.startStrategies();
    this.#state = 'running';
    return streamed;
  }

  /** The processor's consumer: routes bars and quality to the strategies; `onStep` decides when to wait. */
  #consumer(onStep: (time: number, scanDue: boolean) => Promise<void> | undefined): BarConsumer {
    const wantsBars = () => this.listenerCount('bar') > 0;
    return {
      onBar: (symbol, interval, index, closeTime) => {
        this.strategies.notifyStrategies(symbol, interval, index, closeTime);
        if (wantsBars()) this.emit('bar', { symbol, interval, index, time: closeTime });
      },
      onQuality: (symbol, interval, quality) => {
        this.strategies.notifyQuality(symbol, interval, quality);
        this.emit('quality', { symbol, interval, quality });
      },
      onStep: (time) => onStep(time, this.scanners.isDue(time)),
      onSessionEnd: (session) => this.#afterSteps(session.close, false),
    };
  }

  #onProgress(progress: ProcessorProgress): void {
    this.emit('progress', progress);
    const now = performance.now();
    if (now - this.#lastMetricsAt > 1000) {
      this.#lastMetricsAt = now;
      this.emit('metrics', this.getMetrics());
    }
  }

  /** Logs feed problems (late bars, malformed messages) at warn, the first 20 only, then a note. */
  #feedProblem(logger: ReturnType<typeof createLogger>, message: string): void {
    this.#feedProblemsLogged++;
    if (this.#feedProblemsLogged <= 20) logger.warn(message);
    else if (this.#feedProblemsLogged === 21)
      logger.warn('more feed problems follow; the summary counts them');
  }

  /** Hands queued notifications to the strategies, waits (mode-aware), flushes signals, runs due scanners. */
  async #afterSteps(time: number, scanDue: boolean): Promise<void> {
    await this.strategies.waitForStrategies(time);
    this.#flush();
    if (scanDue && this.#scanCtx !== undefined) {
      const found = await this.scanners.runDue(time, this.#scanCtx);
      for (const symbol of found) await this.addSymbol(symbol);
    }
  }

  /**
   * Adds a symbol mid-session: its bars stream from the next time step (the session's earlier bars
   * of it are history in a backtest; live, it is subscribed on the feed and has no history),
   * strategies get `onSymbolAdded` and may subscribe. Returns false when the symbol is already traded.
   */
  async addSymbol(symbol: string): Promise<boolean> {
    if (this.#symbols.includes(symbol)) return false;
    this.#symbols.push(symbol);
    this.#symbolsAdded.push(symbol);
    const streams = this.config.session_data_config.streams;
    for (const interval of streams) this.store.ensureSeries(symbol, interval);
    const processor = this.#processor;
    if (processor instanceof LiveDataProcessor) processor.addSymbol(symbol);
    else {
      processor?.addSymbol(symbol, {
        warmupBars: this.config.session_data_config.historical.warmup_bars,
      });
    }
    await this.strategies.notifySymbolAdded(symbol);
    this.#flush();
    this.emit('symbolAdded', { symbol, time: this.clock.now() });
    return true;
  }

  #onSignals(signals: StampedSignal[]): void {
    for (const s of signals) this.#pending.push(s);
  }

  /** Journals and emits the signals received so far, in deterministic order. */
  #flush(): void {
    if (this.#pending.length === 0) return;
    const order = this.#strategyOrder;
    const batch = this.#pending.sort(
      (a, b) =>
        a.time - b.time || (order.get(a.strategy) ?? 0) - (order.get(b.strategy) ?? 0) || a.seq - b.seq,
    );
    this.#pending = [];
    this.#signalCount += batch.length;
    this.#journal?.write(batch);
    this.emit('signal', batch);
  }

  #log(record: LogRecord): void {
    this.emit('log', record);
    this.#logSink(record);
  }

  /** How far the writer may run ahead of a reader on any series without overwriting a visible bar. */
  #ringGuard(): number {
    let guard = Number.POSITIVE_INFINITY;
    for (const key of this.store.keys()) {
      const s = this.store.getSeries(key.symbol, key.interval);
      if (s !== undefined) guard = Math.min(guard, s.capacity - s.window);
    }
    return Number.isFinite(guard) ? Math.max(1, guard - 8) : 256;
  }
}

class SessionStopped extends Error {}
