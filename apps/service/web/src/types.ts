/** The shapes of the service's answers the dashboard reads (see the service README). */

export type SessionState =
  | 'created'
  | 'starting'
  | 'running'
  | 'stopping'
  | 'completed'
  | 'stopped'
  | 'failed'
  | 'interrupted';

export const SESSION_STATES: SessionState[] = [
  'created',
  'starting',
  'running',
  'stopping',
  'completed',
  'stopped',
  'failed',
  'interrupted',
];

export const isActive = (state: string): boolean =>
  state === 'created' || state === 'starting' || state === 'running' || state === 'stopping';

export interface Progress {
  barsDone: number;
  barsTotal: number;
  time: number;
  sessionDate: string;
}

export interface StrategyMetrics {
  strategy: string;
  state: string;
  notifications_processed: number;
  signals_generated: number;
  errors: number;
  queue_size: number;
  p99_processing_time_us: number;
  max_processing_time_us: number;
  overruns: number;
}

export interface Metrics {
  total_notifications_processed: number;
  total_signals_generated: number;
  total_errors: number;
  total_overruns: number;
  per_strategy: StrategyMetrics[];
}

export interface SessionView {
  id: string;
  name: string | null;
  mode: string;
  state: SessionState;
  error: string | null;
  createdAt: string;
  endedAt: string | null;
  signals: number;
  symbols: string[];
  progress: Progress | null;
  metrics: Metrics | null;
}

export interface SessionDetail extends SessionView {
  config: {
    mode?: string;
    session_data_config?: {
      symbols?: string[];
      streams?: string[];
      strategies?: { module: string; name?: string; enabled?: boolean; config?: Record<string, unknown> }[];
    };
    execution?: unknown;
  } | null;
  summary: unknown;
}

export type Stats = Record<string, number | null>;

export interface Results {
  strategies: { strategy: string; stats: Stats; unfilled: number; open_positions: Record<string, unknown> }[];
  total: Stats;
}

export interface Trade {
  seq: number;
  strategy: string;
  symbol: string;
  side: string;
  quantity: number;
  entryTime: number;
  entryPrice: number;
  exitTime: number;
  exitPrice: number;
  netPnl: number;
  barsHeld: number;
}

export interface SweepRow {
  rank: number;
  index: number;
  combination: Record<string, unknown>;
  stats: Stats | null;
  signals: number;
  error: string | null;
  window?: number | null;
  phase?: string | null;
}

export interface SweepView {
  id: string;
  name: string | null;
  state: string;
  error: string | null;
  createdAt: string;
  endedAt: string | null;
  progress: { done: number; total: number; failed: number; etaSeconds: number | null };
  best: SweepRow | null;
  spec?: {
    params: { strategy: string; key: string; values: unknown[] }[];
    objective: string;
    minimize: boolean;
  };
}

export interface SweepDetail extends SweepView {
  spec: NonNullable<SweepView['spec']>;
  rows: SweepRow[];
  errors: unknown[];
  config: SessionDetail['config'];
}
