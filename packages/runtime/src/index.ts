export {
  assertSessionConfig,
  checkSessionConfig,
  type SessionConfigCheck,
  type SessionConfigCheckOptions,
} from './config-check/check-session-config';
export type {
  ControlMessage,
  HostInit,
  HostIo,
  HostLoopOptions,
  HostMessage,
  SeriesBinding,
  StrategyErrorPhase,
  StrategyErrorReport,
} from './host/host-protocol';
export { DEFAULT_HOST_LOOP, runStrategyHost } from './host/run-strategy-host';
export { type SignalJson, type StampedSignal, stampSignal, toSignalJson } from './host/stamped-signal';
export { StrategyHost } from './host/strategy-host';
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
export type { StrategyExecutor, StrategyMetrics, StrategyThreadState } from './metrics/strategy-metrics';
export {
  DEFAULT_QUEUE_CAPACITY,
  NotificationKind,
  NotificationQueue,
  type NotificationQueueOptions,
  QUEUE_CONTROL,
} from './queue/notification-queue';
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
export { StreamSubscription, type StreamSubscriptionOptions } from './subscription/stream-subscription';
export {
  DEFAULT_STOP_TIMEOUT_MS,
  DEFAULT_TIME_BUDGET_MS,
  DEFAULT_WAIT_SPIN_MICROS,
  liveStrategyWorkerCount,
  type StrategyErrorEvent,
  type StrategyExitEvent,
  StrategyThread,
  type StrategyThreadEvents,
  type StrategyThreadOptions,
} from './thread/strategy-thread';
