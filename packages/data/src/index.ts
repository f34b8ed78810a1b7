export {
  type BarSink,
  type GapFillOptions,
  SymbolBarAggregator,
  type SymbolBarAggregatorOptions,
} from './aggregation/symbol-bar-aggregator';
export {
  type CalendarConfig,
  TradingCalendar,
  type TradingCalendarOptions,
  type TradingSession,
} from './calendar/trading-calendar';
export {
  assertTimeZone,
  timeZoneOffset,
  utcToZonedParts,
  type ZonedParts,
  zonedTimeToUtc,
  zonedWallTimeToUtc,
} from './calendar/zoned-time';
export { Pacer } from './clock/pacer';
export { SimulatedClock } from './clock/simulated-clock';
export type { TimeManager } from './clock/time-manager';
export { WallClock } from './clock/wall-clock';
export {
  AlpacaBarFeed,
  type AlpacaBarFeedEvents,
  type AlpacaBarFeedOptions,
  type FeedGap,
  type FeedState,
  type FeedStateChange,
  type FeedStats,
  redactUrl,
} from './live/alpaca-bar-feed';
export { decodeBar, encodeBar, type LiveBar, SERVER_ERROR_TEXT, type WireBar } from './live/alpaca-protocol';
export { FeedError, type FeedErrorCode, feedErrorFromServer } from './live/feed-error';
export { FeedClock, type LiveClock, LiveWallClock } from './live/live-clock';
export {
  LiveDataProcessor,
  type LiveDataProcessorOptions,
  type LiveProcessorSummary,
} from './live/live-data-processor';
export {
  createLiveClock,
  createLiveFeed,
  FEED_ENV,
  FeedCredentials,
  type LiveFeedSettings,
  resolveLiveFeedSettings,
} from './live/live-feed-settings';
export {
  MarketReplayServer,
  type MarketReplayServerEvents,
  type MarketReplayServerOptions,
} from './live/market-replay-server';
export { DEFAULT_RECONNECT_POLICY, type ReconnectPolicy, reconnectDelay } from './live/reconnect-backoff';
export { type ServeFeedOptions, serveFeedFromConfig, startReplayServer } from './live/serve-feed';
export type { BarConsumer } from './processor/bar-consumer';
export {
  type AddSymbolOptions,
  DataProcessor,
  type DataProcessorOptions,
  type ProcessorProgress,
  type ProcessorSummary,
} from './processor/data-processor';
export {
  mergeQualityReports,
  type SeriesQualityRecord,
  type SessionQualityReport,
} from './quality/quality-report';
export { type QualityListener, SeriesQuality } from './quality/series-quality';
export { BarChunkBuilder } from './sources/bar-chunk-builder';
export {
  type BarChunk,
  type BarSource,
  MAX_CHUNK_BARS,
  MAX_REPORTED_PROBLEMS,
  type SourceProblem,
  type SourceReport,
} from './sources/bar-source';
export { type CreateBarSourceOptions, createBarSource } from './sources/create-bar-source';
export { type BadRowPolicy, CsvBarSource, type CsvBarSourceOptions } from './sources/csv-bar-source';
export type {
  CsvColumnMapping,
  CsvColumnRef,
  CsvDateFormat,
  CsvFileSpec,
  CsvTimestampFormat,
} from './sources/csv-file-spec';
export { GeneratorBarSource, type GeneratorBarSourceOptions } from './sources/generator-bar-source';
export { SourceReportRecorder } from './sources/source-report-recorder';
export {
  type SeriesAddedListener,
  type SeriesEntry,
  type SeriesHandle,
  type SeriesKey,
  SessionData,
  type SessionDataOptions,
} from './store/session-data';
