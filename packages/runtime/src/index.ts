export {
  assertSessionConfig,
  checkSessionConfig,
  type SessionConfigCheck,
  type SessionConfigCheckOptions,
} from './config-check/check-session-config';
export { expectedStrategyClassNames, moduleBaseName } from './loader/find-strategy-class';
export type { AggregateMetrics } from './manager/aggregate-metrics';
export { createOutputFolder } from './session/create-output-folder';
export { findProjectRoot } from './session/find-project-root';
export { Session } from './session/session';
export type {
  SessionEvents,
  SessionFeedEvent,
  SessionFeedSummary,
  SessionOptions,
  SessionState,
  SessionSummary,
} from './session/session-types';
export { formatJournalLine, type JournalFormat, SignalJournal } from './session/signal-journal';
export type { StrategyErrorPhase, StrategyErrorReport } from './thread/host-protocol';
export type { SignalJson, StampedSignal } from './thread/stamped-signal';
export type { StrategyExecutor, StrategyMetrics, StrategyThreadState } from './thread/strategy-metrics';
export type { StrategyErrorEvent } from './thread/strategy-thread-events';
export {
  DEFAULT_NOTIFICATION_LIMIT_MS,
  DEFAULT_STOP_TIMEOUT_MS,
  DEFAULT_TIME_BUDGET_MS,
} from './thread/strategy-thread-options';
