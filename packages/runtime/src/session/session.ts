import { dirname, resolve } from 'node:path';
import {
  ConfigError,
  createLogger,
  type LogRecord,
  type LogSink,
  parseSessionConfig,
  type SessionConfig,
  type SessionConfigInput,
  type StrategyContext,
  type StrategyEntry,
} from '@strat/core';
import {
  type BarConsumer,
  type BarSource,
  type DataProcessor,
  type ProcessorProgress,
  type ProcessorSummary,
  readSessionConfigFile,
  SessionData,
  type TimeManager,
  TradingCalendar,
} from '@strat/data';
import { createSessionProcessor } from '@strat/data/internal';
import { EventEmitter } from 'eventemitter3';
import { assertSessionConfig } from '../config-check/check-session-config';
import type { SessionResults } from '../execution/execution-types';
import type { AggregateMetrics } from '../manager/aggregate-metrics';
import { StrategyManager } from '../manager/strategy-manager';
import { ScannerManager } from '../scanner/scanner-manager';
import { createSessionContext } from '../scanner/session-context';
import { FeedReporter } from './feed-reporter';
import { findProjectRoot } from './find-project-root';
import { journalFormatOf } from './journal-line';
import { SessionPaper, summarizeResults } from './session-paper';
import type {
  SessionEvents,
  SessionFeedSummary,
  SessionOptions,
  SessionState,
  SessionSummary,
} from './session-types';
import { SignalJournal } from './signal-journal';
import { storeGuardFor } from './store-guard';

const stderrSink: LogSink = (r) => {
  process.stderr.write(
    `[${r.level}] ${r.name}: ${r.message}${r.fields ? ` ${JSON.stringify(r.fields)}` : ''}\n`,
  );
};

/**
 * Data-driven time steps per hand-over unless `batchSteps` says otherwise. A batch also ends at each
 * trading session's close, so a regular 390-minute day is one hand-over; each hand-over costs a
 * thread wake-up or two (tens of microseconds on a VM). Against 256, alternating in one process: the
 * bench's W1 (one symbol, 955,200 bars) 4 to 9 % faster, W2 (100 symbols, five strategies) about 14 %;
 * in the bench's own fresh-process runs W1 within their noise and W2 about 4 % faster.
 */
const DEFAULT_BATCH_STEPS = 1024;

/**
 * A whole session from one validated config: the store, the data processor (replaying a
 * historical source, or following a live feed), the strategies (each in its thread) and the
 * scanners, run by one loop whatever the mode.
 *
 * Data-driven backtests hand the strategies `batchSteps` time steps at a time and wait for all of
 * them; clock-driven backtests and live sessions wait at most each strategy's time budget per step
 * and count overruns. Signals are journalled in the order the manager's sequencer gives (bar close
 * time, then strategy in config order, then the strategy's sequence), so a data-driven journal is
 * byte-identical run after run.
 *
 * Live sessions (`mode: "live"`) follow the feed of `live_config` (or `STRAT_FEED_URL` /
 * `STRAT_FEED_KEY` / `STRAT_FEED_SECRET`) until `stop()` or `live_config.end_date`, and report its
 * life as `feed` and `gap` events.
 */
export class Session extends EventEmitter<SessionEvents> {
  readonly config: SessionConfig;
  readonly store: SessionData;
  readonly calendar: TradingCalendar;
  /** The session's time: simulated in backtests, the wall or feed clock live. */
  readonly clock: TimeManager;
  readonly #strategies: StrategyManager;
  readonly #scanners: ScannerManager;
  /** Backtests: the historical source replayed (live: undefined; bars come from the feed). */
  readonly source: BarSource | undefined;
  /** The data processor: where bars come from, how they are paced, what the strategies are told. */
  readonly processor: DataProcessor;
  /** The speed multiplier: the backtest's (0 = data-driven); live, 1, or the configured feed clock speed. */
  readonly speedMultiplier: number;
  readonly #feedSummary: (() => SessionFeedSummary) | undefined;
  readonly #o: SessionOptions;
  readonly #configDir: string;
  readonly #roots: readonly string[];
  readonly #logSink: LogSink;
  #state: SessionState = 'created';
  #journal: SignalJournal | undefined;
  /** Paper execution, when the config asks for it (made once the strategies started). */
  #paper: SessionPaper | undefined;
  #signalCount = 0;
  #symbols: string[];
  #symbolsAdded: string[] = [];
  #batchSteps = 1;
  #stopRequested = false;
  #runPromise: Promise<SessionSummary> | undefined;
  #scanCtx: StrategyContext | undefined;
  #lastMetricsAt = 0;

  /** Reads, validates and builds a session from a config file. @throws ConfigError naming the file and JSON paths */
  static fromFile(path: string, options: SessionOptions = {}): Session {
    return new Session(readSessionConfigFile(path), { configDir: dirname(resolve(path)), ...options });
  }

  /**
   * Validates a config written in code (defaults applied) and builds a session from it, or reads a
   * config file when given a path (as {@link Session.fromFile}). A config built in code may name a
   * strategy by its class (`{ strategy: MyStrategy, config: {...} }`); see the runtime README for
   * what a class needs to run in a worker thread.
   * @throws ConfigError listing every problem with its JSON path
   */
  static fromConfig(config: SessionConfigInput | string, options: SessionOptions = {}): Session {
    if (typeof config === 'string') return Session.fromFile(config, options);
    return new Session(parseSessionConfig(config), options);
  }

  /**
   * Builds a session from a parsed config (`parseSessionConfig`, `readSessionConfigFile`); for a
   * config written in code use {@link Session.fromConfig}, which validates it first.
   * @throws ConfigError for a live session without a feed URL, key or secret (config or environment)
   * @throws TypeError for a config that was not parsed
   */
  constructor(config: SessionConfig, options: SessionOptions = {}) {
    super();
    if ((config as Partial<SessionConfig>).session_data_config?.streaming === undefined) {
      throw new TypeError(
        'new Session() needs a parsed config (defaults applied): use Session.fromConfig(config) for a config ' +
          'written in code, or Session.fromFile(path)',
      );
    }
    this.config = config;
    this.#o = options;
    this.#logSink = options.logSink ?? stderrSink;
    const sdc = config.session_data_config;
    const configDir = options.configDir ?? process.cwd();
    this.store = new SessionData({
      window: sdc.streaming.window,
      ...storeGuardFor(config, options.executor),
    });
    this.calendar = TradingCalendar.fromConfig(sdc.calendar);
    this.#symbols = [...sdc.symbols];
    const feedReporter = new FeedReporter({
      feed: (event) => this.emit('feed', event),
      gap: (gap) => this.emit('gap', gap),
      logger: createLogger('feed', options.logLevel ?? 'info', (r) => this.#log(r)),
    });
    const made = createSessionProcessor(config, {
      store: this.store,
      calendar: this.calendar,
      symbols: this.#symbols,
      consumer: this.#consumer(),
      baseDir: configDir,
      env: options.env,
      ...(options.source === undefined ? {} : { source: options.source }),
      onProgress: (p) => this.#onProgress(p),
      progressEvery: 10_000,
      onProblem: (message) => feedReporter.problem(message),
      ...(options.wrapSource === undefined ? {} : { wrapSource: options.wrapSource }),
    });
    this.processor = made.processor;
    this.source = made.source;
    this.clock = made.processor.clock;
    this.speedMultiplier = made.speedMultiplier;
    const live = made.live;
    if (live !== undefined) {
      feedReporter.follow(live.feed);
      this.#feedSummary = () => ({
        provider: live.feed.provider as SessionFeedSummary['provider'],
        url: live.feed.url,
        clock: live.clock.source,
        speed: live.clock.speed,
        stats: live.feed.stats(),
      });
    }
    const roots = options.roots ?? [findProjectRoot(configDir)];
    this.#configDir = configDir;
    this.#roots = roots;
    this.#strategies = new StrategyManager({
      store: this.store,
      mode: config.mode,
      speedMultiplier: this.speedMultiplier,
      ...(sdc.calendar === undefined ? {} : { calendar: sdc.calendar }),
      roots,
      configDir,
      defaultExecutor: sdc.streaming.executor,
      executorOverride: options.executor,
      defaultTimeBudgetMs: sdc.streaming.time_budget_ms,
      defaultNotificationLimitMs: sdc.streaming.notification_limit_ms,
      logLevel: options.logLevel,
      allowAbsoluteModules: options.allowAbsoluteModules,
      strategyRoots: options.strategyRoots,
      allowedPackages: options.allowedPackages,
      ...(options.journalPath === undefined ? {} : { journalFormat: journalFormatOf(options.journalPath) }),
    });
    this.#scanners = new ScannerManager({
      roots,
      configDir,
      allowAbsoluteModules: options.allowAbsoluteModules,
      strategyRoots: options.strategyRoots,
      allowedPackages: options.allowedPackages,
      logLevel: options.logLevel,
      logSink: (r) => this.#log(r),
    });
    this.#strategies.on('signal', (signals) => {
      this.#signalCount += signals.length;
      this.#journal?.write(signals);
      this.#paper?.signals(signals);
      this.emit('signal', signals);
    });
    this.#strategies.on('released', (time) => this.#paper?.released(time));
    this.#strategies.on('strategyError', (e) => this.emit('strategyError', e));
    this.#strategies.on('log', (r) => this.#log(r));
    this.#strategies.on('overrun', (e) => this.emit('overrun', e));
  }

  /** Where the session is. */
  get state(): SessionState {
    return this.#state;
  }

  /** Paper execution's results, once the run ended (undefined without an `execution` section). */
  get results(): SessionResults | undefined {
    return this.#paper?.results;
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

  /**
   * Asks the session to stop after the current time step; resolves with the summary. Waits for the
   * strategies give up at once; each then gets the stop timeout to finish what it was handed and
   * tear down, and one that does not (stuck) is terminated and marked `timed_out`. So a stop ends a
   * run within about the stop timeout, with every signal of what the healthy strategies completed.
   */
  stop(): Promise<SessionSummary> {
    this.#stopRequested = true;
    this.#strategies.interruptWaits();
    this.processor.stop();
    return this.#runPromise ?? this.start();
  }

  /** Stops (if running) and lets go of every resource. */
  async shutdown(): Promise<void> {
    if (this.#runPromise !== undefined) await this.stop().catch(() => undefined);
    await this.#strategies.shutdown(this.#o.stopTimeoutMs);
    await this.processor.close();
    this.#journal?.close();
  }

  /** Aggregated strategy metrics now. */
  getMetrics(): AggregateMetrics {
    return this.#strategies.getMetrics();
  }

  /**
   * Adds a symbol mid-session: its bars stream from the next time step (in a backtest the
   * session's earlier bars of it are history; live, it is subscribed on the feed and has none),
   * strategies get `onSymbolAdded` and may subscribe. Returns false when the symbol is already traded.
   */
  async addSymbol(symbol: string): Promise<boolean> {
    if (this.#symbols.includes(symbol)) return false;
    this.#symbols.push(symbol);
    this.#symbolsAdded.push(symbol);
    for (const interval of this.config.session_data_config.streams) this.store.ensureSeries(symbol, interval);
    this.processor.addSymbol(symbol);
    await this.#strategies.notifySymbolAdded(symbol);
    this.emit('symbolAdded', { symbol, time: this.clock.now() });
    return true;
  }

  async #run(): Promise<SessionSummary> {
    const started = performance.now();
    this.#state = 'starting';
    const onSignal = () => this.stop();
    if (this.#o.handleSignals) {
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }
    let summary: ProcessorSummary | undefined;
    let error: unknown;
    try {
      summary = await this.#runProcessor();
    } catch (e) {
      if (!(e instanceof SessionStopped)) error = e;
    } finally {
      if (this.#o.handleSignals) {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      this.#state = 'stopping';
      await this.#strategies.stopStrategies(this.#o.stopTimeoutMs);
      await this.processor.close();
      if (this.#scanCtx !== undefined) await this.#scanners.shutdown(this.#scanCtx);
      this.#journal?.close();
    }
    // Paper results of everything the strategies handled (a stopped run's too).
    let results: SessionResults | undefined;
    if (this.#paper !== undefined && error === undefined) {
      try {
        results = await this.#paper.finish();
        this.emit('result', results);
      } catch (e) {
        error = e;
      }
    }
    const stopped = this.#stopRequested || summary?.stopped === true;
    this.#state = error !== undefined ? 'failed' : stopped ? 'stopped' : 'completed';
    const result = this.#summary(summary, performance.now() - started, error);
    if (results !== undefined) result.results = summarizeResults(results);
    this.emit('metrics', result.metrics);
    this.emit('end', result);
    if (error !== undefined) throw error;
    return result;
  }

  /**
   * The one run loop: load scanners and strategies, open the input, run the processor, wait for
   * the strategies' last steps. Scanner schedules start at the session open; a feed clock knows
   * that time only from the first bar, so with scanners everything loads after it.
   */
  async #runProcessor(): Promise<ProcessorSummary> {
    const check = await assertSessionConfig(this.config, {
      configDir: this.#configDir,
      roots: this.#roots,
      env: this.#o.env,
      allowAbsoluteModules: this.#o.allowAbsoluteModules,
      strategyRoots: this.#o.strategyRoots,
      allowedPackages: this.#o.allowedPackages,
      // Loading the strategies is the deepest module check: it follows in #prepare.
      modules: 'none',
      calendar: this.calendar,
    });
    const logger = createLogger('config', this.#o.logLevel ?? 'info', (r) => this.#log(r));
    for (const w of check.warnings) logger.warn(`${w.path}: ${w.message}`);
    const processor = this.processor;
    let start = processor.startTime();
    if (start === undefined && this.config.session_data_config.scanners.length > 0) {
      await this.#open();
      await processor.firstBar();
      if (this.#stopRequested) throw new SessionStopped();
      start = processor.startTime();
    }
    // The source gets ready (loads its reader's code, begins its reads) while the strategies start:
    // on two cores the two overlap. No bar reaches the store before the run, so what a strategy's
    // setup sees does not change.
    const preparing = processor.prepare();
    await this.#prepare(start ?? Date.now());
    await preparing;
    await this.#open();
    if (this.#stopRequested) processor.stop();
    const summary = await processor.run();
    // A finished run waits for every strategy to handle every bar; a stopped one only for the batches in hand.
    if (summary.stopped) await this.#afterSteps(processor.progress().time, false);
    else await this.#strategies.drain(processor.progress().time);
    return summary;
  }

  /** Opens the processor's input (live: connects the feed); a stop meanwhile ends the run quietly. */
  async #open(): Promise<void> {
    if (this.#stopRequested) throw new SessionStopped();
    await this.processor.open().catch((error: unknown) => {
      throw this.#stopRequested ? new SessionStopped() : error;
    });
  }

  /**
   * Loads the scanners and the strategies, creates every streamed series and opens the journal.
   * Symbols only scanners watch stream too, after the session's.
   */
  async #prepare(startTime: number): Promise<void> {
    const cfg = this.config;
    const sdc = cfg.session_data_config;
    const logger = createLogger('scanner', this.#o.logLevel ?? 'info', (r) => this.#log(r));
    this.#scanCtx = createSessionContext({
      store: this.store,
      clock: this.clock,
      mode: cfg.mode,
      speedMultiplier: this.speedMultiplier,
      logger,
      calendar: this.calendar,
      symbols: () => this.#symbols,
    });
    await this.#scanners.initialize(sdc.scanners, this.#scanCtx, startTime);
    const watched = this.#scanners.universe().filter((s) => !this.#symbols.includes(s));
    for (const symbol of watched) this.processor.addSymbol(symbol);
    // Series exist before strategies start, so every strategy can read every series from setup on.
    for (const symbol of [...this.#symbols, ...watched])
      for (const interval of sdc.streams) this.store.ensureSeries(symbol, interval);
    await this.#strategies.initialize(sdc.strategies);
    if (this.#stopRequested) throw new SessionStopped();
    // A strategy subscribed to a series nobody streams would never hear of a bar: a run without signals, not a success.
    const unstreamed = this.#strategies.unstreamedSubscriptions();
    if (unstreamed.length > 0) throw new ConfigError(unstreamed, { summary: 'The session cannot run' });
    // Opened only once every strategy started: a run that fails to start leaves an existing journal as it was.
    if (this.#o.journalPath !== undefined) this.#journal = new SignalJournal(this.#o.journalPath);
    this.#paper = SessionPaper.create(
      this.config,
      this.#strategies
        .strategyEntries()
        .map(({ name, index }) => ({ name, entry: sdc.strategies[index] as StrategyEntry })),
      this.store,
      this.calendar,
      (fill) => this.emit('fill', fill),
      (points) => this.emit('equity', points),
    );
    // Clock-driven and live sessions hand over every step; data-driven ones batch them.
    this.#batchSteps = this.#strategies.dataDriven
      ? this.#strategies.batchStepsLimit(this.#o.batchSteps ?? DEFAULT_BATCH_STEPS)
      : 1;
    this.#strategies.startStrategies();
    this.#state = 'running';
  }

  /** The processor's consumer: routes bars and quality to the strategies; `onStep` decides when to wait. */
  #consumer(): BarConsumer {
    let steps = 0;
    return {
      onBar: (symbol, interval, index, closeTime) => {
        this.#strategies.notifyStrategies(symbol, interval, index, closeTime);
        this.#paper?.bar(symbol, interval, index, closeTime);
        if (this.listenerCount('bar') > 0) this.emit('bar', { symbol, interval, index, time: closeTime });
      },
      onQuality: (symbol, interval, quality) => {
        this.#strategies.notifyQuality(symbol, interval, quality);
        this.emit('quality', { symbol, interval, quality });
      },
      onStep: (time) => {
        this.#paper?.step(time);
        const scanDue = this.#scanners.isDue(time);
        steps++;
        if (steps < this.#batchSteps && !scanDue && !this.#strategies.batchFull()) return undefined;
        steps = 0;
        return this.#afterSteps(time, scanDue);
      },
      // Clock-driven and live, a session's end hands its last bars over at once. Data-driven, they go
      // with the next batch, which runs across sessions: batches end by steps (up to 1,024), by a
      // strategy's queue (a quarter of its ring, see batchFull) or for a scan. A ten-year one-symbol
      // replay hands over some 930 batches instead of 3,400; each hand-over to a strategy thread that
      // went to sleep costs a futex wake (30 to 45 µs of the session's thread on this machine kind).
      onSessionEnd: (session) =>
        this.#strategies.dataDriven ? undefined : this.#afterSteps(session.close, false),
    };
  }

  /** Hands queued notifications to the strategies, waits (mode-aware), runs due scanners. */
  async #afterSteps(time: number, scanDue: boolean): Promise<void> {
    await this.#strategies.waitForStrategies(time);
    if (scanDue && this.#scanCtx !== undefined) {
      const found = await this.#scanners.runDue(time, this.#scanCtx);
      for (const symbol of found) await this.addSymbol(symbol);
    }
  }

  #onProgress(progress: ProcessorProgress): void {
    this.emit('progress', progress);
    const now = performance.now();
    if (now - this.#lastMetricsAt > 1000) {
      this.#lastMetricsAt = now;
      this.emit('metrics', this.getMetrics());
    }
  }

  #summary(bars: ProcessorSummary | undefined, wallMs: number, error: unknown): SessionSummary {
    const bt = this.config.backtest_config;
    return {
      state: this.#state,
      mode: this.config.mode,
      speedMultiplier: this.speedMultiplier,
      startDate: bars?.startDate ?? bt?.start_date ?? '',
      endDate: bars?.endDate ?? bt?.end_date ?? '',
      bars,
      barsPerSecond: bars === undefined || wallMs === 0 ? 0 : bars.barsDone / (wallMs / 1000),
      wallMs,
      signals: this.#signalCount,
      metrics: this.getMetrics(),
      quality: this.processor.getQualitySummary(),
      source: this.processor.report(),
      symbolsAdded: [...this.#symbolsAdded],
      journal: this.#journal?.path,
      feed: this.#feedSummary?.(),
      strategyErrors: this.#strategies.getStrategyErrors(),
      error: error === undefined ? undefined : error instanceof Error ? error.message : String(error),
    };
  }

  #log(record: LogRecord): void {
    this.emit('log', record);
    this.#logSink(record);
  }
}

class SessionStopped extends Error {}
