export {
  assertSessionConfig,
  checkSessionConfig,
  type SessionConfigCheck,
  type SessionConfigCheckOptions,
} from './config-check/check-session-config';
export {
  expectedStrategyClassNames,
  type FindStrategyClassOptions,
  type FoundStrategyClass,
  findStrategyClass,
  moduleBaseName,
} from './loader/find-strategy-class';
export { importStrategyModule, registerTypeScriptLoader } from './loader/import-strategy-module';
export {
  type ResolvedStrategyModule,
  type ResolveStrategyModuleOptions,
  resolveStrategyModule,
  strategyModuleUrl,
} from './loader/resolve-strategy-module';
export { type AggregateMetrics, aggregateMetrics } from './manager/aggregate-metrics';
export {
  StrategyManager,
  type StrategyManagerEvents,
  type StrategyManagerOptions,
} from './manager/strategy-manager';
export { findScannerClass } from './scanner/find-scanner-class';
export { ScannerManager, type ScannerManagerOptions } from './scanner/scanner-manager';
export { createSessionContext, type SessionContextOptions } from './scanner/session-context';
export { SignalSequencer, type SignalSequencerEvents } from './sequencer/signal-sequencer';
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
export { DEFAULT_HOST_LOOP, runStrategyHost } from './thread/host/run-strategy-host';
export { StrategyHost } from './thread/host/strategy-host';
export type {
  ControlMessage,
  HostInit,
  HostIo,
  HostLoopOptions,
  HostMessage,
  SeriesBinding,
  StrategyErrorPhase,
  StrategyErrorReport,
} from './thread/host-protocol';
export {
  DEFAULT_QUEUE_CAPACITY,
  NotificationKind,
  NotificationQueue,
  type NotificationQueueOptions,
  QUEUE_CONTROL,
} from './thread/queue/notification-queue';
export { StreamSubscription, type StreamSubscriptionOptions } from './thread/queue/stream-subscription';
export { type SignalJson, type StampedSignal, stampSignal, toSignalJson } from './thread/stamped-signal';
export type { StrategyExecutor, StrategyMetrics, StrategyThreadState } from './thread/strategy-metrics';
export { StrategyThread } from './thread/strategy-thread';
export type {
  StrategyErrorEvent,
  StrategyExitEvent,
  StrategyThreadEvents,
} from './thread/strategy-thread-events';
export {
  DEFAULT_STOP_TIMEOUT_MS,
  DEFAULT_TIME_BUDGET_MS,
  DEFAULT_WAIT_SPIN_MICROS,
  type StrategyThreadOptions,
} from './thread/strategy-thread-options';
export { liveStrategyWorkerCount } from './thread/worker-executor';
