export { ServiceError, type ServiceErrorOptions } from './errors/service-error';
export { type ErrorAnswer, toErrorAnswer } from './http/error-handler';
export { SessionEventStream, type SessionEventStreamOptions } from './http/session-event-stream';
export { SweepEventStream, type SweepEventStreamOptions } from './http/sweep-event-stream';
export { createServiceMetrics, type MetricsSources } from './metrics/service-metrics';
export {
  buildServer,
  DEFAULT_BODY_LIMIT,
  DEFAULT_HOST,
  MIN_TOKEN_LENGTH,
  type ServiceOptions,
} from './server/build-server';
export { isLoopbackHost } from './server/loopback';
export {
  DEFAULT_PORT,
  readServiceSettings,
  type ServiceSettings,
  USAGE,
} from './server/read-service-settings';
export { SessionEventHub, type SessionHubEvent, type SessionHubListener } from './sessions/session-event-hub';
export {
  type SessionDetail,
  type SessionMetricsEntry,
  type SessionProgress,
  SessionRegistry,
  type SessionRegistryOptions,
  type SessionView,
  unknownSession,
} from './sessions/session-registry';
export {
  CONFIG_NAME_PATTERN,
  prepareSessionRequest,
  type ResolvedSessionRequest,
  resolveSessionRequest,
  type SessionRequestPolicy,
} from './sessions/session-request';
export { REDACTED, redactSecrets } from './store/redact-secrets';
export {
  ResultsStore,
  type StoredEquityRow,
  type StoredResults,
  type StoredStats,
  type StoredStrategyResult,
  type StoredTrade,
} from './store/results-store';
export {
  ACTIVE_STATES,
  DATABASE_FILE,
  type NewSession,
  ServiceDatabase,
  type StoredFill,
  type StoredSession,
  type StoredSessionState,
  type StoredSignal,
} from './store/service-database';
export {
  ACTIVE_SWEEP_STATES,
  type NewSweep,
  type StoredSweep,
  type StoredSweepRow,
  type StoredSweepState,
  SweepStore,
} from './store/sweep-store';
export { SweepEventHub, type SweepHubEvent } from './sweeps/sweep-event-hub';
export { SweepRegistry, type SweepRegistryOptions, unknownSweep } from './sweeps/sweep-registry';
export {
  defaultSweepLimits,
  prepareSweepRequest,
  type ResolvedSweepRequest,
  refusedCombinations,
  type SweepLimits,
  type SweepParamInput,
  type SweepRequestBody,
  type SweepSpec,
} from './sweeps/sweep-request';
export type { SweepDetail, SweepProgress, SweepRowView, SweepView } from './sweeps/sweep-views';
