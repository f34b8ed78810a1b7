import type { ResourceLimits } from 'node:worker_threads';
import type { LogLevel, SessionMode, StrategyClass, StrategyConfig } from '@strat/core';
import type { CalendarConfig } from '@strat/data/calendar';
import { type ResolvedStrategyModule, strategyModuleUrl } from '../loader/resolve-strategy-module';
import type { JournalFormat } from '../session/journal-line';
import type { HostInit, SeriesBinding } from './host-protocol';
import type { StrategyExecutor } from './strategy-metrics';

/** Default time budget per wait in clock-driven backtests and live (the seed's 100 ms). */
export const DEFAULT_TIME_BUDGET_MS = 100;
/** Default time `stop()` grants a strategy to tear down before its worker is terminated. */
export const DEFAULT_STOP_TIMEOUT_MS = 5000;
/** Default longest time one notification may run while the session waits for it without a limit (30 s). */
export const DEFAULT_NOTIFICATION_LIMIT_MS = 30_000;
/** Default time the session side polls for a strategy to finish a batch before sleeping. */
export const DEFAULT_WAIT_SPIN_MICROS = 10;

/** Options of {@link StrategyThread}. */
export interface StrategyThreadOptions {
  /** The strategy's name, unique in the session (used in logs, metrics and stamped signals). */
  name: string;
  /** The module path as written in the config, or a label for a class (for messages). */
  module: string;
  /** Where the module is, from `resolveStrategyModule` (not needed when `strategyClass` is given). */
  resolved?: ResolvedStrategyModule;
  /**
   * The strategy class itself (a config built in code). Inline it is used as is; a worker imports
   * it from its static `moduleUrl` (required there) and takes the export of the class's name.
   */
  strategyClass?: StrategyClass;
  /** With `resolved`: the export of the module to run (the entry's `export`; default: found by name). */
  exportName?: string;
  /** The strategy's `config` from the session config (default `{}`). */
  config?: StrategyConfig;
  /** `worker` (default): its own thread. `inline`: the session's thread, for debugging. */
  executor?: StrategyExecutor;
  /** Default `backtest`. */
  mode?: SessionMode;
  /** 0 (default) in a backtest means data-driven: waits have no time limit. */
  speedMultiplier?: number;
  /** Time limit of a wait when not data-driven (default 100 ms). */
  timeBudgetMs?: number;
  /**
   * While the session waits for the strategy without a time limit (data-driven waits,
   * `notifySymbolAdded`), one notification may run this long (default 30,000 ms); past it the
   * strategy is terminated and marked `timed_out`.
   */
  notificationLimitMs?: number;
  /** The strategy's current time before its first bar, epoch ms (default: the session start, else 0; wall time live). */
  startTime?: number;
  /**
   * The session's trading calendar (`session_data_config.calendar`), for the strategy's
   * `context.sessionDate` (default `{}`: `us_equities`, as a session config without the section).
   */
  calendar?: CalendarConfig;
  /** The series the strategy may read; more can be added with {@link StrategyThread.addSeries}. */
  series?: readonly SeriesBinding[];
  /** The session's symbols (default: those of `series`). */
  symbols?: readonly string[];
  /** Notification ring capacity (default 65,536 entries; more wait in an overflow list). */
  queueCapacity?: number;
  /** Lowest level of the strategy's log records forwarded as `log` events (default `info`). */
  logLevel?: LogLevel;
  /** Worker: poll this long for the next batch before sleeping (default 20 µs). */
  spinMicros?: number;
  /** Worker: the session side polls this long for a small batch to finish before sleeping in `waitUntilReady` (default 10 µs; no polling while strategy workers fill every core). */
  waitSpinMicros?: number;
  /** Worker: then block this long before an event-loop-friendly sleep (default 2 ms). */
  parkMs?: number;
  /** Worker: memory limits (a strategy exceeding them crashes alone). */
  resourceLimits?: ResourceLimits;
  /**
   * Worker: the session's journal format. The worker then formats its signals' journal lines and
   * sends them along (`journalLineOf` finds them), off the session's thread. Ignored inline.
   */
  journalFormat?: JournalFormat;
  /** Worker: the worker script (default: the built `strategy-worker.js`, or the TypeScript source in development). */
  workerScript?: string | URL;
}

/** What the strategy's host is started with, from the thread's options and its shared buffers. */
export function createHostInit(
  options: StrategyThreadOptions,
  queueBuffer: SharedArrayBuffer,
  metricsBuffer: SharedArrayBuffer,
): HostInit {
  const mode = options.mode ?? 'backtest';
  const series = [...(options.series ?? [])];
  return {
    name: options.name,
    module: options.module,
    ...strategySource(options),
    config: structuredClone(options.config ?? {}),
    mode,
    speedMultiplier: options.speedMultiplier ?? 0,
    startTime: options.startTime ?? (mode === 'live' ? Date.now() : 0),
    calendar: structuredClone(options.calendar ?? {}),
    logLevel: options.logLevel ?? 'info',
    queueBuffer,
    metricsBuffer,
    series,
    symbols: [...(options.symbols ?? new Set(series.map((s) => s.symbol)))],
    ...(options.journalFormat === undefined || (options.executor ?? 'worker') === 'inline'
      ? {}
      : { journalFormat: options.journalFormat }),
  };
}

/** Where the host gets the strategy class from: the resolved module, or the class (inline) or its `moduleUrl` (worker). */
function strategySource(
  options: StrategyThreadOptions,
): Pick<HostInit, 'moduleUrl' | 'exportName' | 'configExport' | 'strategyClass'> {
  const { strategyClass, resolved } = options;
  if (strategyClass === undefined) {
    if (resolved === undefined)
      throw new TypeError('a strategy thread needs a resolved module or a strategy class');
    const moduleUrl = strategyModuleUrl(resolved);
    return options.exportName === undefined ? { moduleUrl } : { moduleUrl, configExport: options.exportName };
  }
  if ((options.executor ?? 'worker') === 'inline') return { moduleUrl: '', strategyClass };
  const moduleUrl = strategyClass.moduleUrl;
  if (typeof moduleUrl !== 'string' || moduleUrl === '') {
    throw new TypeError(missingModuleUrlMessage(strategyClass.name));
  }
  return { moduleUrl, exportName: strategyClass.name };
}

/** Why a class without `moduleUrl` cannot run in a worker thread, and the two ways out. */
export function missingModuleUrlMessage(className: string): string {
  return (
    `class ${className} has no static moduleUrl, so a worker thread cannot import it: add ` +
    '`static readonly moduleUrl = import.meta.url;` to the class (and export it from that module), ' +
    'or run it with executor "inline"'
  );
}
