import type { FeedProvider, Interval, LogLevel, LogRecord, LogSink, SessionConfig } from '@strat/core';
import type {
  BarSource,
  FeedGap,
  FeedState,
  FeedStats,
  ProcessorProgress,
  ProcessorSummary,
  SeriesQualityRecord,
  SourceReport,
} from '@strat/data';
import type { Fill, PerformanceStats, SessionResults } from '../execution/execution-types';
import type { AggregateMetrics } from '../manager/aggregate-metrics';
import type { StrategyErrorSummary } from '../manager/strategy-error-summary';
import type { StampedSignal } from '../thread/stamped-signal';
import type { StrategyExecutor } from '../thread/strategy-metrics';
import type { StrategyErrorEvent } from '../thread/strategy-thread-events';
import type { StrategyEquity } from './session-paper';

/** Options of `Session`. */
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
  /** Allow absolute strategy module paths (never for configs that came over the network); they must still lie in a strategy root. */
  allowAbsoluteModules?: boolean;
  /**
   * Folders strategy and scanner files may lie in (default: `strategies/` of each project root). A
   * config naming a file anywhere else is refused before anything runs.
   */
  strategyRoots?: readonly string[];
  /** Packages strategies and scanners may come from: names or `@scope/*` (default: `@strat/examples`). */
  allowedPackages?: readonly string[];
  /**
   * Data-driven: time steps handed to the strategies per handshake (default 1024, capped by the ring
   * guard; a batch also ends at each trading session's close).
   */
  batchSteps?: number;
  /** Stop cleanly on SIGINT / SIGTERM (the CLI sets it). */
  handleSignals?: boolean;
  /**
   * Time each strategy gets, once the session stops, to finish what it was handed and tear down
   * (default 5000 ms); one that has not ended by then is terminated and marked `timed_out`. A stop
   * (`stop()`, SIGINT, SIGTERM) therefore ends a run within about this time, even with a strategy stuck.
   */
  stopTimeoutMs?: number;
  /** Live: where `STRAT_FEED_URL`, `STRAT_FEED_KEY` and `STRAT_FEED_SECRET` are read (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Backtests: puts something in front of the historical source, such as a `BarCache` that a sweep's
   * worker shares between its sessions over the same data.
   */
  wrapSource?: (source: BarSource) => BarSource;
  /**
   * Backtests: replay the bars of this source instead of those `data_config` names (your own
   * storage, or a test's bars: see `@strat/runtime/testing`). Its interval must be the session's
   * shortest stream.
   */
  source?: BarSource;
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

/** What a live session's feed did, in its summary. */
export interface SessionFeedSummary {
  /** The feed vendor (`live_config.provider`). */
  provider: FeedProvider;
  /** Where it connected, without credentials. */
  url: string;
  /** The session clock: the system clock, or the feed's time. */
  clock: 'wall' | 'feed';
  /** Feed ms per wall ms (1 on the wall clock). */
  speed: number;
  /** Connection counters: reconnects, stale warnings, gaps and the minutes they missed, bad messages. */
  stats: FeedStats;
}

/** What a finished session did. */
export interface SessionSummary {
  state: SessionState;
  mode: SessionConfig['mode'];
  speedMultiplier: number;
  /** Backtest: the replayed dates. Live: the first and last trading session followed ('' before any). */
  startDate: string;
  endDate: string;
  /** The run: bars read, published, sessions, late bars, wall time (undefined when it failed before any bar). */
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
  /** Live: the feed and what it went through. */
  feed: SessionFeedSummary | undefined;
  /** Paper execution's results (only when the config has an `execution` section). */
  results?: SessionResultsSummary;
  /**
   * The strategies that threw (or died) during the run, in config order, each with its error count
   * and its first error with where in its code it threw. Empty when none did: a run with entries
   * here went on, but its signals may be wrong (`strat run` exits 1 unless `--allow-errors`).
   */
  strategyErrors: StrategyErrorSummary[];
  /** Set when the session failed. */
  error: string | undefined;
}

/** One strategy's paper results in a session summary. */
export interface StrategyResultSummary {
  strategy: string;
  stats: PerformanceStats;
  /** Signals that could not fill (see the runtime README, "Paper execution"). */
  unfilled: number;
  /** Units per symbol still held at the end (marked at the last close, not closed). */
  open_positions: Record<string, number>;
}

/** Paper results in a session summary: per strategy, and the strategies' accounts summed. */
export interface SessionResultsSummary {
  strategies: StrategyResultSummary[];
  total: PerformanceStats;
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
  /** Paper execution: an order filled (in bar-time order, as the signals are released). */
  fill: (fill: Fill) => void;
  /**
   * Paper execution: where each account stands (its last equity row), at most once a second of wall
   * time while the run goes, and once at its end. For watching a run; the results hold the whole curve.
   */
  equity: (points: StrategyEquity[]) => void;
  /** Paper execution: the results, once the run ended (before `end`). */
  result: (results: SessionResults) => void;
}
