import type { Registry } from 'prom-client';
import type { SessionBars } from '../sessions/bars/session-bars';
import type { ServiceFeedEnv } from '../sessions/session-feed-env';
import type { SessionRegistry } from '../sessions/session-registry';
import type { ServiceDatabase } from '../store/service-database';
import type { SweepRegistry } from '../sweeps/sweep-registry';

/** What the routes share. */
export interface ServiceContext {
  db: ServiceDatabase;
  sessions: SessionRegistry;
  /** The bars of sessions' series, for charts. */
  bars: SessionBars;
  /** The parameter sweeps. */
  sweeps: SweepRegistry;
  /** The project: strategy roots and `session_configs/`. */
  projectRoot: string;
  /** Feed URLs an inline config may name besides loopback ones. */
  trustedFeedUrls: readonly string[];
  /** The service's own feed and its credentials, given only to sessions that follow that feed. */
  feedEnv: ServiceFeedEnv;
  /** The open SSE streams of sessions and sweeps (ended when the service closes). */
  streams: Set<{ close(): void }>;
  /** Most SSE streams open at once. */
  maxEventStreams: number;
  /** Interval of SSE keep-alive comments (ms). */
  heartbeatMs: number;
  /** The Prometheus registry behind `/metrics`. */
  metrics: Registry;
}
