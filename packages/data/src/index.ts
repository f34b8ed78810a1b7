export {
  type BarSink,
  type GapFillOptions,
  SymbolBarAggregator,
  type SymbolBarAggregatorOptions,
} from './aggregation/symbol-bar-aggregator';
// The calendars are also the `@strat/data/calendar` subpath: one list of their exports.
export * from './calendar';
export { createLiveClock, FeedClock, type LiveClock, LiveWallClock } from './clock/live-clock';
export { SimulatedClock } from './clock/simulated-clock';
export type { TimeManager } from './clock/time-manager';
export { readSessionConfigFile, readSessionConfigText } from './config-file/read-session-config';
export type { BarConsumer } from './processor/bar-consumer';
export { DataProcessor } from './processor/data-processor';
export type {
  AddSymbolOptions,
  ClosedDayWithBars,
  DataProcessorBaseOptions,
  DataProcessorOptions,
  LiveProcessorOptions,
  ProcessorProgress,
  ProcessorSummary,
  ReplayProcessorOptions,
} from './processor/data-processor-options';
export type { SeriesQualityRecord, SessionQualityReport } from './quality/quality-report';
export type { QualityListener } from './quality/series-quality';
export { BarChunkBuilder } from './sources/bar-chunk-builder';
export {
  type BarChunk,
  type BarSource,
  MAX_CHUNK_BARS,
  MAX_REPORTED_PROBLEMS,
  type ReadOptions,
  type SourceProblem,
  type SourceReport,
} from './sources/bar-source';
export { BarCache, DEFAULT_CACHE_BARS } from './sources/cached-bar-source';
export {
  CatalogBarSource,
  type CatalogBarSourceOptions,
  readCatalogManifest,
} from './sources/catalog/catalog-bar-source';
export {
  CATALOG_MANIFEST_FILE,
  type CatalogManifest,
  type CatalogPartition,
  type CatalogSeries,
  type CatalogSourceFile,
} from './sources/catalog/catalog-manifest';
export {
  type BarReader,
  type CatalogSeriesInput,
  CatalogWriter,
  type CatalogWriterOptions,
  fileSha256,
} from './sources/catalog/catalog-writer';
export { type CreateBarSourceOptions, createBarSource } from './sources/create-bar-source';
export { type BadRowPolicy, CsvBarSource, type CsvBarSourceOptions } from './sources/csv/csv-bar-source';
export type {
  CsvColumnMapping,
  CsvColumnRef,
  CsvDateFormat,
  CsvFileSpec,
  CsvTimestampFormat,
} from './sources/csv/csv-file-spec';
export { AlpacaBarFeed, type AlpacaBarFeedOptions } from './sources/feeds/alpaca/alpaca-bar-feed';
export type {
  BarFeed,
  BarFeedEvents,
  FeedBar,
  FeedGap,
  FeedState,
  FeedStateChange,
  FeedStats,
} from './sources/feeds/bar-feed';
export { type BarFeedContext, createBarFeed } from './sources/feeds/create-bar-feed';
export { FeedError, type FeedErrorCode } from './sources/feeds/feed-error';
export {
  FEED_ENV,
  FeedCredentials,
  type LiveFeedSettings,
  resolveLiveFeedSettings,
} from './sources/feeds/feed-settings';
export {
  DEFAULT_RECONNECT_POLICY,
  type ReconnectPolicy,
  reconnectDelay,
} from './sources/feeds/reconnect-backoff';
export { redactUrl } from './sources/feeds/redact';
export { GeneratorBarSource, type GeneratorBarSourceOptions } from './sources/generator/generator-bar-source';
export { ParquetBarSource, type ParquetBarSourceOptions } from './sources/parquet/parquet-bar-source';
export type {
  ParquetColumnMapping,
  ParquetFileSpec,
  ParquetTimestampFormat,
} from './sources/parquet/parquet-file-spec';
export { SourceReportRecorder } from './sources/source-report-recorder';
export {
  type SeriesAddedListener,
  type SeriesEntry,
  type SeriesHandle,
  type SeriesKey,
  SessionData,
  type SessionDataOptions,
} from './store/session-data';
