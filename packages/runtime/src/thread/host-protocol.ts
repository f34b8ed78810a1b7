import type { MessagePort } from 'node:worker_threads';
import type {
  ConfigIssue,
  Interval,
  LogLevel,
  LogRecord,
  SessionMode,
  SourceLocation,
  StrategyClass,
  StrategyConfig,
  StrategyStartStep,
  Subscription,
} from '@strat/core';
import type { CalendarConfig } from '@strat/data/calendar';
import type { JournalFormat } from '../session/journal-line';
import type { StampedSignal } from './stamped-signal';

/**
 * A series a strategy can read, with the small integer its notifications refer to it by. The
 * buffer is shared, never copied: posting a binding to a worker shares the bars.
 * (Structurally a `@strat/data` `SeriesHandle` plus the id.)
 */
export interface SeriesBinding {
  /** Assigned by the session side; unique within one strategy's thread. */
  readonly seriesId: number;
  readonly symbol: string;
  readonly interval: Interval;
  /** The series' buffer, as created by `createSeriesBuffers` (reopened with `openSeriesBuffers`). */
  readonly buffer: SharedArrayBuffer;
}

/**
 * Which hook (or which part of the runtime) an error came from. The strategy's end: `crash` (its
 * thread died), `timeout` (a notification ran past its limit; it was terminated), `stop` (it did not
 * stop within the stop timeout; it was terminated).
 */
export type StrategyErrorPhase =
  | 'load'
  | 'setup'
  | 'onBars'
  | 'onQualityUpdate'
  | 'onSymbolAdded'
  | 'getSubscriptions'
  | 'teardown'
  | 'runtime'
  | 'crash'
  | 'timeout'
  | 'stop';

/** An error reported by a strategy's thread. */
export interface StrategyErrorReport {
  phase: StrategyErrorPhase;
  message: string;
  stack?: string;
  /**
   * Where the strategy's own code threw: the first frame of the stack outside Node, the runtime and
   * @strat/core (a `.ts` file's own line and column: tsx loads it with source maps).
   */
  location?: SourceLocation;
  /** The series being handled, when the error came from a notification. */
  symbol?: string;
  interval?: Interval;
  /** Close time of the bar being handled. */
  time?: number;
  /** Errors counted so far for this strategy (reports are thinned out after the first 10). */
  errorCount: number;
}

/** Everything a strategy host needs, as plain cloneable data (it is a worker's `workerData`). */
export interface HostInit {
  /** The strategy's name (unique in the session). */
  name: string;
  /** The module path as written in the config (for messages). */
  module: string;
  /** The file URL to import. */
  moduleUrl: string;
  /** A class entry: the class's name, looked up in the module at `moduleUrl`. */
  exportName?: string;
  /** A module entry's `export`: the export of the module to run. */
  configExport?: string;
  /** A class entry run inline: the class itself (never in a worker's `workerData`). */
  strategyClass?: StrategyClass;
  config: StrategyConfig;
  mode: SessionMode;
  speedMultiplier: number;
  /** The strategy's current time before its first bar (epoch ms). */
  startTime: number;
  /**
   * The session's `calendar` section as written (plain data): the host builds the same
   * `TradingCalendar` from it for `StrategyContext.sessionDate`, in a worker too.
   */
  calendar: CalendarConfig;
  logLevel: LogLevel;
  queueBuffer: SharedArrayBuffer;
  metricsBuffer: SharedArrayBuffer;
  series: SeriesBinding[];
  symbols: string[];
  /**
   * The session's journal format, given to a worker: the host formats each signal's journal line
   * (when its metadata is plain data) and sends it along, off the session's thread.
   */
  journalFormat?: JournalFormat;
}

/** Options of the worker's wait loop. */
export interface HostLoopOptions {
  /** Poll this long for the next batch before sleeping (default 20 µs). */
  spinMicros: number;
  /** Then sleep this long blocking the thread, before sleeping without blocking its event loop (default 2 ms). */
  parkMs: number;
  /**
   * One Int32 word: how many strategy worker threads are running in the process. Spinning only
   * pays while every busy thread has a core of its own; beyond that it steals the cores the other
   * strategies need, so the loop spins only while this count is below `cores`.
   */
  spinGate?: SharedArrayBuffer;
  /** Cores available to the process (with `spinGate`). */
  cores?: number;
}

/** A worker's `workerData`. */
export interface WorkerInit extends HostInit {
  /** Control messages (in order with the queue's MESSAGE entries); read with `receiveMessageOnPort`. */
  controlPort: MessagePort;
  /**
   * Where the host posts its messages ({@link HostMessage}), in order. The session side handles them
   * as they arrive, and takes them at once (`receiveMessageOnPort`) when it waits for them: a batch's
   * signals then need no trip through its event loop.
   */
  hostPort: MessagePort;
  loop: HostLoopOptions;
}

/** The `workerData` of a prewarmed strategy thread: its {@link WorkerInit} comes as its first message. */
export const PREWARMED_WORKER_DATA = { prewarmed: true } as const;

/** The first message of a prewarmed thread nobody took: it ends (normally, so its exit work such as coverage runs). */
export const RELEASE_PREWARMED = { release: true } as const;

/** Whether a prewarmed thread's first message is {@link RELEASE_PREWARMED}. */
export function isRelease(message: unknown): boolean {
  return (
    typeof message === 'object' && message !== null && (message as { release?: unknown }).release === true
  );
}

/** Whether a worker's data says it was started ahead, without its strategy (see {@link PREWARMED_WORKER_DATA}). */
export function isPrewarmed(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { prewarmed?: unknown }).prewarmed === true;
}

/** What a host posts to the session side. */
export type HostMessage =
  | { type: 'started'; subscriptions: Subscription[]; exportName: string }
  | {
      type: 'failed';
      reason: string;
      /** What the strategy (or its module) threw, with its own stack. */
      stack?: string;
      /** Set when the module loaded and the strategy threw while starting. */
      step?: StrategyStartStep;
      /** Where the strategy's code threw, when known. */
      location?: SourceLocation;
      /** The config does not match the class's `configSchema`: every problem, paths relative to the config. */
      issues?: ConfigIssue[];
    }
  | {
      type: 'signals';
      signals: StampedSignal[];
      /** `signals[i]`'s journal line in the init's `journalFormat`, when the host formatted them. */
      lines?: string[];
    }
  | { type: 'log'; record: LogRecord }
  | { type: 'error'; report: StrategyErrorReport }
  | { type: 'subscriptions'; symbol: string; subscriptions: Subscription[] }
  | { type: 'stopped' };

/** What the session side sends a host, each announced by a MESSAGE queue entry. */
export type ControlMessage =
  | { type: 'addSeries'; series: SeriesBinding }
  | { type: 'symbolAdded'; symbol: string }
  | { type: 'stop' };

/** How a host talks to the session side (postMessage in a worker, direct calls inline). */
export interface HostIo {
  post(message: HostMessage): void;
  /** The next control message, or undefined when none is waiting. */
  receiveControl(): ControlMessage | undefined;
}
