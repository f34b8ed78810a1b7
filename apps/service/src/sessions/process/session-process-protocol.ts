import type { ConfigIssue, LogLevel, LogRecord, SessionConfig } from '@strat/core';
import type { AggregateMetrics, SessionState, SessionSummary } from '@strat/runtime';
import type { SeriesColumns } from '../bars/series-columns';
import type { ResultsHead, ResultsPart } from '../results/result-transfer';
import type { ServiceFeedEnv } from '../session-feed-env';

/** Where a replay or feed is: the newest progress of a session. */
export interface SessionProgress {
  barsDone: number;
  barsTotal: number;
  time: number;
  sessionDate: string;
}

/** What a session's process is started with (its first message). */
export interface SessionProcessInit {
  config: SessionConfig;
  configDir: string;
  /** The project: the only strategy root. */
  projectRoot: string;
  logLevel: LogLevel;
  stopTimeoutMs: number | undefined;
  /** Where the session reads its feed URL, key and secret (the process's own environment has none). */
  feedEnv: ServiceFeedEnv;
  /** How often the process reports state, metrics and progress (ms). */
  statusIntervalMs: number;
}

/** The session's state, metrics, progress and symbols, as its process last reported them. */
export interface SessionStatus {
  state: SessionState;
  metrics: AggregateMetrics;
  progress: SessionProgress | null;
  symbols: string[];
}

/** How a session ended: its summary, or the error it failed with, and its last status. */
export interface SessionEnd {
  summary: SessionSummary | undefined;
  /** Why the session failed (its start rejected, or its process died). */
  error: string | undefined;
  /** The last status. */
  status: SessionStatus | null;
}

/** An error carried across the process boundary. */
export interface ThreadError {
  message: string;
  code: string | undefined;
  issues: ConfigIssue[] | undefined;
  /** Whether it was a ConfigError (recreated as one, so the answer keeps its JSON paths). */
  config: boolean;
}

/** Service to session process. */
export type SessionControl =
  /** The first message: what to build. */
  | { type: 'init'; init: SessionProcessInit }
  | { type: 'start' }
  | { type: 'stop' }
  | { type: 'addSymbol'; requestId: number; symbol: string }
  /** The bars the session's store holds for a series (its last `streaming.window`). */
  | { type: 'bars'; requestId: number; symbol: string; interval: string }
  /** Let go of everything and exit. */
  | { type: 'shutdown' };

/** Session process to service, in the order the session emitted them. */
export type SessionReport =
  /** The session is built (not started): the service registers it, then sends `start`. */
  | { type: 'ready'; status: SessionStatus }
  /** The session could not be built from the config. */
  | { type: 'refused'; error: ThreadError }
  /** A batch of signals in journal order, each as the JSON the service stores (serialised here, off the service's thread). */
  | { type: 'signals'; bodies: string[] }
  /** Paper fills in the order they happened, each as the JSON the service stores (sent in batches, in order with signals). */
  | { type: 'fills'; bodies: string[] }
  /**
   * The session's paper results, once it ended (before `end`): the head (stats, settings, row
   * counts), then `resultPart`s with the trades and equity rows, a bounded number per message.
   */
  | { type: 'result'; head: ResultsHead }
  | { type: 'resultPart'; part: ResultsPart }
  /** A session event forwarded as is (`overrun`, `quality`, `gap`, `feed`, `strategyError`, `symbolAdded`, `equity`). */
  | { type: 'event'; name: string; data: unknown; symbols?: string[] }
  | { type: 'status'; status: SessionStatus }
  | { type: 'log'; record: LogRecord }
  | {
      type: 'symbolAdded';
      requestId: number;
      added: boolean;
      symbols: string[];
      /** Set when the symbol could not be added: the session's state, or the error. */
      notRunning?: SessionState;
      error?: string;
    }
  /** The answer to `bars`: the series' bars, or null when the store has no such series. */
  | { type: 'bars'; requestId: number; bars: SeriesColumns | null }
  | { type: 'end'; end: SessionEnd }
  /** The session let go of everything after `shutdown`: the process exits next. */
  | { type: 'closed' }
  /** Something in the session's thread threw and nobody caught it: the process exits next. */
  | { type: 'fatal'; message: string };
