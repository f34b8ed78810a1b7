import type { LogRecord, Subscription } from '@strat/core';
import type { StrategyErrorReport } from './host-protocol';
import type { StampedSignal } from './stamped-signal';
import type { StrategyThreadState } from './strategy-metrics';

/** An error from a strategy: thrown by a hook (`fatal: false`, the strategy goes on) or its end (`fatal: true`). */
export interface StrategyErrorEvent extends StrategyErrorReport {
  strategy: string;
  fatal: boolean;
}

/** Emitted once when a strategy has ended, whatever the reason. */
export interface StrategyExitEvent {
  strategy: string;
  state: StrategyThreadState;
  /** The worker's exit code (undefined inline). */
  code: number | undefined;
}

/** Events of a {@link StrategyThread}. */
export interface StrategyThreadEvents {
  /** A batch of stamped signals, in order. */
  signal: (signals: StampedSignal[]) => void;
  /** A hook threw, or the strategy ended abnormally. */
  error: (event: StrategyErrorEvent) => void;
  /** A log record of the strategy (filtered by `logLevel` in its thread). */
  log: (record: LogRecord) => void;
  /** The strategy's subscriptions after `onSymbolAdded`. */
  subscriptions: (subscriptions: readonly Subscription[], symbol: string) => void;
  /** The strategy has ended (stopped, failed to start, or crashed). */
  exit: (event: StrategyExitEvent) => void;
}
