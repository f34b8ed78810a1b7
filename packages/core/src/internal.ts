/**
 * `@strat/core/internal`: what @strat's own packages share and users must not rely on. Nothing
 * here follows semver: it changes whenever the store's memory layout does.
 *
 * The series layout: one columnar ring per (symbol, interval) on a SharedArrayBuffer, written by
 * `@strat/data`'s store and read in place by `@strat/runtime`'s strategy threads.
 * @packageDocumentation
 */
export { ColumnarBarSeries } from './bars/columnar-bar-series';
export {
  appendBar,
  appendBars,
  BAR_FLAG_FILLED,
  type BarColumns,
  BYTES_PER_BAR,
  createSeriesBuffers,
  defaultSeriesGuard,
  openSeriesBuffers,
  publishedCount,
  readQuality,
  SERIES_HEADER,
  type SeriesBufferOptions,
  type SeriesBuffers,
  seriesCapacity,
} from './bars/series-buffers';
export { LONGEST_STREAM_MS, streamTooLongMessage } from './config/stream-limit';
