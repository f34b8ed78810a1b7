export type { Bar } from './bars/bar';
export type { BarSeries, Column } from './bars/bar-series';
export { type BarInput, barSeriesFromBars } from './bars/bar-series-from-bars';
export { ColumnarBarSeries } from './bars/columnar-bar-series';
export {
  appendBar,
  BAR_FLAG_FILLED,
  BYTES_PER_BAR,
  createSeriesBuffers,
  DEFAULT_SERIES_WINDOW,
  openSeriesBuffers,
  publishedCount,
  readQuality,
  SERIES_HEADER,
  type SeriesBufferOptions,
  type SeriesBuffers,
} from './bars/series-buffers';
export { ConfigError, type ConfigIssue, formatJsonPath } from './errors/config-error';
export { DataError, type DataErrorLocation } from './errors/data-error';
export { StratError, type StratErrorOptions } from './errors/strat-error';
export { StrategyLoadError } from './errors/strategy-load-error';
export {
  createLogger,
  isLevelEnabled,
  type LogFields,
  type Logger,
  type LogLevel,
  type LogRecord,
  type LogSink,
} from './logging/logger';
export { BaseScanner, isScannerClass, type ScannerClass, type ScannerConfig } from './strategy/base-scanner';
export {
  BaseStrategy,
  DEFAULT_QUALITY_WARNING,
  isStrategyClass,
  type StrategyClass,
  type StrategyConfig,
  type Subscription,
} from './strategy/base-strategy';
export { isSignalAction, Signal, SignalAction, type SignalInit } from './strategy/signal';
export type { SessionMode, StrategyContext } from './strategy/strategy-context';
export {
  compareIntervals,
  type Interval,
  IntervalError,
  type IntervalUnit,
  intervalToMs,
  isInterval,
  type ParsedInterval,
  parseInterval,
} from './time/interval';
