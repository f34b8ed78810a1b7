export {
  assertSessionConfig,
  checkSessionConfig,
  type SessionConfigCheck,
  type SessionConfigCheckOptions,
} from './config-check/check-session-config';
export type {
  EquityColumns,
  EquityPoint,
  ExecutionSettings,
  Fill,
  PerformanceStats,
  SessionResults,
  StrategyResult,
  TradeColumns,
} from './execution/execution-types';
export { hasPaperExecution } from './execution/resolve-execution-settings';
export { expectedStrategyClassNames, moduleBaseName } from './loader/find-strategy-class';
export type { AggregateMetrics } from './manager/aggregate-metrics';
export {
  describeStrategyError,
  describeStrategyErrors,
  type StrategyErrorSummary,
} from './manager/strategy-error-summary';
export { strategyExecutorOf } from './manager/strategy-executor';
export { combinedEquity, combineResults } from './results/combine-results';
export { computeStats, type StatsInput, TRADING_DAYS_PER_YEAR, utcDayOf } from './results/compute-stats';
export {
  bucketStart,
  chooseBucket,
  type DownsampledBars,
  downsampleBars,
  downsampleLine,
  formatBucket,
  MAX_CHART_BARS,
  type OhlcColumns,
} from './results/downsample-bars';
export { type EquitySeries, equitySeriesOf } from './results/equity-series';
export { readResultsFolder } from './results/read-results-folder';
export { BarRecorder, ResultsCollector, tradedSeries } from './results/results-collector';
export {
  RESULTS_FORMAT,
  type ResultsFolder,
  type ResultsFolderData,
  type ResultsFolderStrategy,
  type ResultsSession,
  type SeriesBars,
} from './results/results-folder-types';
export { type TradeRecord, tradeRecordsOf } from './results/trade-records';
export { writeResultsFolder } from './results/write-results-folder';
export { createOutputFolder } from './session/create-output-folder';
export { findProjectRoot } from './session/find-project-root';
export { Session } from './session/session';
export type { StrategyEquity } from './session/session-paper';
export type {
  SessionEvents,
  SessionFeedEvent,
  SessionFeedSummary,
  SessionOptions,
  SessionResultsSummary,
  SessionState,
  SessionSummary,
  StrategyResultSummary,
} from './session/session-types';
export {
  formatJournalLine,
  JOURNAL_FLUSH_MS,
  type JournalFormat,
  SignalJournal,
} from './session/signal-journal';
export { runCombination, type SweepSessionOptions } from './sweep/run-combination';
export {
  CHECK_COMBINATIONS_UP_TO,
  checkSweepCombinations,
  describeCombination,
  type SweepCombinationProblem,
} from './sweep/sweep-combination-check';
export { applyCombination, strategyEntryNames, sweepConfigIssues } from './sweep/sweep-config';
export { type Combination, combinationAt, gridSize, paramKey, sweepIndices } from './sweep/sweep-grid';
export { MAX_RANGE_VALUES, parseSweepParam, type SweepParam, type SweepValue } from './sweep/sweep-params';
export {
  LOWER_IS_BETTER,
  objectiveName,
  PERFORMANCE_METRICS,
  parseObjective,
  rankRows,
  type SweepObjective,
  type SweepRow,
  sweepCsv,
} from './sweep/sweep-ranking';
export {
  parseWalkForward,
  type WalkForwardSpec,
  type WalkForwardWindow,
  walkForwardWindows,
  withDates,
} from './sweep/walk-forward';
export {
  runWalkForward,
  type WalkForwardRun,
  type WalkForwardStep,
  walkForwardWindowsOf,
} from './sweep/walk-forward-run';
export type { StrategyErrorPhase, StrategyErrorReport } from './thread/host-protocol';
export { prewarmStrategyWorkers, releasePrewarmedStrategyWorkers } from './thread/prewarm-pool';
export { formatSourceLocation } from './thread/source-location-text';
export type { SignalJson, StampedSignal } from './thread/stamped-signal';
export type { StrategyExecutor, StrategyMetrics, StrategyThreadState } from './thread/strategy-metrics';
export type { StrategyErrorEvent } from './thread/strategy-thread-events';
export {
  DEFAULT_NOTIFICATION_LIMIT_MS,
  DEFAULT_STOP_TIMEOUT_MS,
  DEFAULT_TIME_BUDGET_MS,
} from './thread/strategy-thread-options';
