export { z } from 'zod';
export type { Bar } from './bars/bar';
export type { BarSeries, Column } from './bars/bar-series';
export { type BarInput, barSeriesFromBars } from './bars/bar-series-from-bars';
export { DEFAULT_SERIES_WINDOW } from './bars/series-buffers';
export {
  CALENDAR_PRESET_NAMES,
  CALENDAR_PRESETS,
  type CalendarConfig,
  type CalendarPreset,
  calendarConfigSchema,
  type ResolvedCalendarConfig,
  resolveCalendarConfig,
} from './config/calendar-config';
export { intervalSchema, symbolSchema, timeZoneSchema } from './config/config-fields';
export {
  type CatalogDataConfig,
  type CsvDataConfig,
  type CsvFileConfig,
  catalogDataConfigSchema,
  csvDataConfigSchema,
  csvFileConfigSchema,
  type DataConfig,
  dataConfigSchema,
  type GeneratorDataConfig,
  generatorDataConfigSchema,
  type ParquetDataConfig,
  type ParquetFileConfig,
  parquetDataConfigSchema,
  parquetFileConfigSchema,
} from './config/data-config';
export {
  defaultExecutionConfig,
  type ExecutionConfig,
  type ExecutionConfigInput,
  type ExecutionOverride,
  executionConfigSchema,
  executionOverrideSchema,
  type SizingConfig,
  sizingConfigSchema,
} from './config/execution-config';
export { sessionConfigJsonSchema } from './config/json-schema';
export {
  defaultLiveConfig,
  FEED_PROVIDERS,
  type FeedProvider,
  isFeedUrl,
  type LiveConfig,
  type LiveConfigInput,
  liveConfigSchema,
} from './config/live-config';
export { classifyModulePath, type ModulePathKind, validateModulePath } from './config/module-path';
export {
  type ParseConfigOptions,
  parseScannerEntry,
  parseSessionConfig,
  parseSessionConfigText,
  parseStrategyEntry,
} from './config/parse-config';
export { type ScannerEntry, scannerEntrySchema } from './config/scanner-entry';
export { type SessionConfig, type SessionConfigInput, sessionConfigSchema } from './config/session-config';
export { type SessionDataConfig, sessionDataConfigSchema } from './config/session-data-config';
export {
  type StrategyConfigOf,
  type StrategyEntry,
  type StrategyEntryInput,
  type StrategyEntryOptions,
  strategyEntry,
  strategyEntrySchema,
} from './config/strategy-entry';
export { ConfigError, type ConfigIssue, formatJsonPath } from './errors/config-error';
export { DataError, type DataErrorLocation } from './errors/data-error';
export { IntervalError } from './errors/interval-error';
export type { SourceLocation } from './errors/source-location';
export { StratError, type StratErrorOptions } from './errors/strat-error';
export { StratErrorCode } from './errors/strat-error-code';
export { StrategyLoadError } from './errors/strategy-load-error';
export {
  StrategySetupError,
  type StrategySetupErrorOptions,
  type StrategyStartStep,
} from './errors/strategy-setup-error';
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
export {
  type ConfigInput,
  type ConfigOutput,
  type ConfigValidation,
  configSchemaOf,
  isStandardSchema,
  parseConfigWith,
  type StandardSchemaV1,
  validateConfig,
} from './strategy/config-schema';
export { isSignalAction, Signal, SignalAction, type SignalInit } from './strategy/signal';
export type { SessionMode, StrategyContext } from './strategy/strategy-context';
export {
  compareIntervals,
  type Interval,
  type IntervalUnit,
  intervalToMs,
  isInterval,
  type ParsedInterval,
  parseInterval,
} from './time/interval';
