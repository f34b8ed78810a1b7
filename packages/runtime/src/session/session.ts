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
  type BarSource,
  createBarSource,
  DataProcessor,
  type ProcessorProgress,
  type ProcessorSummary,
  type SeriesQualityRecord,
  SessionData,
  SimulatedClock,
  type SourceReport,
  TradingCalendar,
} from '@strat/data';
import { EventEmitter } from 'eventemitter3';
import type { StampedSignal } from '../host/stamped-signal';
import type { AggregateMetrics } from '../manager/aggregate-metrics';
import { StrategyManager } from '../manager/strategy-manager';
import type { StrategyExecutor } from '../metrics/strategy-metrics';
import { ScannerManager } from '../scanner/scanner-manager';
import { createSessionContext } from '../scanner/session-context';
import type { StrategyErrorEvent } from '../thread/strategy-thread';
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
  startDate: string;
  endDate: string;
  /** The replay: bars read, published, sessions, wall time. */
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
  end: (summary: SessionSummary) => void;
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
 */
export class Session extends EventEmitter<SessionEvents> {
  readonly config: SessionConfig;
  readonly store: SessionData;
  readonly calendar: TradingCalendar;
  readonly clock: SimulatedClock;
  readonly strategies: StrategyManager;
  readonly scanners: ScannerManager;
  readonly source: BarSource;
  #processor: DataProcessor | undefined;
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

  constructor(config: SessionConfig, options: SessionOptions = {}) {
    super();
    if (config.mode === 'live') {
      throw new StratError(
        'LIVE_NOT_AVAILABLE',
        'live mode needs a live feed adapter, which this version does not have yet; run it as a backtest with speed_multiplier > 0 to try the timed waits',
      );
    }
    this.config = config;
    this.#o = options;
    this.#logSink = options.logSink ?? stderrSink;
    const sdc = config.session_data_config;
    const configDir = options.configDir ?? process.cwd();
    this.store = new SessionData({ window: sdc.streaming.window });
    this.calendar = TradingCalendar.fromConfig(sdc.calendar);
    this.clock = new SimulatedClock();
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

  /** The backtest speed multiplier (0 = data-driven). */
  get speedMultiplier(): number {
    return this.config.backtest_config?.speed_multiplier ?? 0;
  }

  /** The processor, once started. */
  get processor(): DataProcessor | undefined {
    return this.#processor;
  }

  /** Symbols strategies trade now (config symbols, then those scanners added). */
  get symbols(): readonly string[] {
    return this.#symbols;
  }

  /**
   * Runs the session to its end (or until `stop()`), then stops the strategies (teardown always
   * runs) and resolves with the summary. A load error (bad module, setup false) rejects before any
   * bar is replayed.
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
    if (this.#runPromise !== undefined) await this.stop();
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
    const sdc = cfg.session_data_config;
    const bt = cfg.backtest_config;
    if (bt === undefined) throw new StratError('CONFIG_INVALID', 'a backtest needs backtest_config');
    this.#state = 'starting';
    const onSignal = () => this.stop();
    if (this.#o.handleSignals) {
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }
    let summary: ProcessorSummary | undefined;
    let error: unknown;
    try {
      const sessions = this.calendar.sessions(bt.start_date, bt.end_date);
      const startTime = sessions[0]?.open ?? 0;
      this.clock.set(startTime);
      const streams = [...sdc.streams];
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
        for (const interval of streams) this.store.ensureSeries(symbol, interval);
      if (this.#o.journalPath !== undefined) this.#journal = new SignalJournal(this.#o.journalPath);
      await this.strategies.initialize(sdc.strategies);
      this.#strategyOrder = new Map(this.strategies.threads.map((t, i) => [t.name, i]));
      if (this.#stopRequested) throw new SessionStopped();
      this.strategies.startStrategies();
      this.#state = 'running';

      const dataDriven = this.strategies.dataDriven;
      const guard = this.#ringGuard();
      const batchSteps = Math.max(1, Math.min(this.#o.batchSteps ?? 256, guard));
      let steps = 0;
      const wantsBars = () => this.listenerCount('bar') > 0;
      const processor = new DataProcessor({
        store: this.store,
        source: this.source,
        calendar: this.calendar,
        symbols: streamed,
        streams,
        startDate: bt.start_date,
        endDate: bt.end_date,
        speedMultiplier: this.speedMultiplier,
        clock: this.clock,
        gapFill: { enabled: sdc.gap_filler.enabled, maxGapBars: sdc.gap_filler.max_gap_bars },
        onProgress: (p) => {
          this.emit('progress', p);
          const now = performance.now();
          if (now - this.#lastMetricsAt > 1000) {
            this.#lastMetricsAt = now;
            this.emit('metrics', this.getMetrics());
          }
        },
        progressEvery: 10_000,
        consumer: {
          onBar: (symbol, interval, index, closeTime) => {
            this.strategies.notifyStrategies(symbol, interval, index, closeTime);
            if (wantsBars()) this.emit('bar', { symbol, interval, index, time: closeTime });
          },
          onQuality: (symbol, interval, quality) => {
            this.strategies.notifyQuality(symbol, interval, quality);
            this.emit('quality', { symbol, interval, quality });
          },
          onStep: (time) => {
            steps++;
            const scanDue = this.scanners.isDue(time);
            if (dataDriven && steps < batchSteps && !scanDue) return undefined;
            steps = 0;
            return this.#afterSteps(time, scanDue);
          },
          onSessionEnd: (session) => this.#afterSteps(session.close, false),
        },
      });
      this.#processor = processor;
      if (this.#stopRequested) processor.stop();
      summary = await processor.run();
      await this.#afterSteps(this.clock.now(), false);
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
    const result: SessionSummary = {
      state: this.#state,
      mode: cfg.mode,
      speedMultiplier: this.speedMultiplier,
      startDate: bt.start_date,
      endDate: bt.end_date,
      bars: summary,
      barsPerSecond: summary === undefined || wallMs === 0 ? 0 : summary.barsDone / (wallMs / 1000),
      wallMs,
      signals: this.#signalCount,
      metrics: this.getMetrics(),
      quality: this.#processor?.getQualitySummary() ?? [],
      source: this.source.report(),
      symbolsAdded: [...this.#symbolsAdded],
      journal: this.#journal?.path,
      error: error === undefined ? undefined : error instanceof Error ? error.message : String(error),
    };
    this.emit('metrics', result.metrics);
    this.emit('end', result);
    if (error !== undefined) throw error;
    return result;
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
   * of it are history), strategies get `onSymbolAdded` and may subscribe. Returns false when the
   * symbol is already traded.
   */
  async addSymbol(symbol: string): Promise<boolean> {
    if (this.#symbols.includes(symbol)) return false;
    this.#symbols.push(symbol);
    this.#symbolsAdded.push(symbol);
    const streams = this.config.session_data_config.streams;
    for (const interval of streams) this.store.ensureSeries(symbol, interval);
    this.#processor?.addSymbol(symbol, {
      warmupBars: this.config.session_data_config.historical.warmup_bars,
    });
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
