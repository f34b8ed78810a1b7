/**
 * `@strat/data/internal`: what @strat's own packages share and users must not rely on (no semver
 * promise): the pieces `@strat/runtime`'s Session and config check are built from.
 * @packageDocumentation
 */
export { Pacer } from './clock/pacer';
export {
  createSessionProcessor,
  type SessionProcessor,
  type SessionProcessorOptions,
} from './processor/create-session-processor';
export { mergeQualityReports, summarizeQuality } from './quality/quality-report';
export { type QualityListener, SeriesQuality } from './quality/series-quality';
export { baseStream, baseStreamIssue, checkDataConfig } from './sources/check-data-config';
export { feedBarInterval } from './sources/feeds/create-bar-feed';
export { OutageTracker } from './sources/feeds/outage-tracker';
export { DEFAULT_RECONNECT_POLICY, reconnectDelay } from './sources/feeds/reconnect-backoff';
