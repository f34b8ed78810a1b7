import type { StrategyMetrics } from '@strat/runtime';
import {
  Counter,
  collectDefaultMetrics,
  Gauge,
  type MetricObjectWithValues,
  type MetricValueWithName,
  Registry,
  Summary,
} from 'prom-client';
import type { SessionMetricsEntry } from '../sessions/session-registry';
import type { StoredSessionState } from '../store/service-database';
import { ACTIVE_SWEEP_STATES, type StoredSweepState } from '../store/sweep-store';

/** Where `/metrics` reads from. */
export interface MetricsSources {
  /** Running and recently ended sessions with their strategy metrics. */
  sessions(): SessionMetricsEntry[];
  /** Stored sessions by state. */
  sessionsByState(): Map<StoredSessionState, number>;
  /** Signals this process has stored. */
  signalsPersisted(): number;
  /** Stored parameter sweeps by state (none when left out). */
  sweepsByState?(): Map<StoredSweepState, number>;
}

const SWEEP_STATES: readonly StoredSweepState[] = [
  ...ACTIVE_SWEEP_STATES,
  'completed',
  'stopped',
  'failed',
  'interrupted',
];

const SESSION_STATES: readonly StoredSessionState[] = [
  'created',
  'starting',
  'running',
  'stopping',
  'completed',
  'stopped',
  'failed',
  'interrupted',
];

type StrategyLabel = 'session' | 'strategy';
type StrategyCounterField = 'notifications_processed' | 'signals_generated' | 'errors' | 'overruns';

/**
 * `onBars` time per strategy as a Prometheus summary: the runtime measures every call in the
 * strategy's thread and keeps the count, the total and a p99 estimate, which map onto the summary's
 * `_count`, `_sum` and `quantile="0.99"` (seconds).
 */
class ProcessingTimeSummary extends Summary<StrategyLabel> {
  readonly #sources: MetricsSources;

  constructor(sources: MetricsSources, registry: Registry) {
    super({
      name: 'strat_strategy_processing_time_seconds',
      help: 'Time a strategy spends in onBars per notification (runtime p99 estimate, total and count)',
      labelNames: ['session', 'strategy'],
      registers: [registry],
    });
    this.#sources = sources;
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<StrategyLabel>>> {
    const base = await super.get();
    const values: MetricValueWithName<StrategyLabel>[] = [];
    for (const { id, metrics } of this.#sources.sessions()) {
      for (const m of metrics.per_strategy) {
        const labels = { session: id, strategy: m.strategy };
        values.push({
          labels: Object.assign({ quantile: 0.99 }, labels),
          value: m.p99_processing_time_us / 1e6,
        });
        values.push({
          metricName: `${base.name}_sum`,
          labels,
          value: (m.avg_processing_time_us * m.notifications_processed) / 1e6,
        });
        values.push({ metricName: `${base.name}_count`, labels, value: m.notifications_processed });
      }
    }
    return { ...base, values };
  }
}

function strategyCounter(
  registry: Registry,
  sources: MetricsSources,
  name: string,
  help: string,
  field: StrategyCounterField,
): void {
  new Counter<StrategyLabel>({
    name,
    help,
    labelNames: ['session', 'strategy'],
    registers: [registry],
    collect() {
      // The runtime keeps the totals; mirror them rather than count a second time.
      this.reset();
      forEachStrategy(sources, (session, m) => this.inc({ session, strategy: m.strategy }, m[field]));
    },
  });
}

function forEachStrategy(sources: MetricsSources, fn: (session: string, m: StrategyMetrics) => void): void {
  for (const { id, metrics } of sources.sessions()) for (const m of metrics.per_strategy) fn(id, m);
}

/**
 * The Prometheus registry behind `GET /metrics`: per-strategy counters (notifications, signals,
 * errors, overruns), queue size and processing time of every running or recently ended session,
 * sessions by state, signals stored, and the process's default metrics.
 */
export function createServiceMetrics(sources: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  strategyCounter(
    registry,
    sources,
    'strat_strategy_notifications_total',
    'Bar notifications a strategy handled',
    'notifications_processed',
  );
  strategyCounter(
    registry,
    sources,
    'strat_strategy_signals_total',
    'Signals a strategy emitted',
    'signals_generated',
  );
  strategyCounter(
    registry,
    sources,
    'strat_strategy_errors_total',
    'Exceptions thrown by a strategy',
    'errors',
  );
  strategyCounter(
    registry,
    sources,
    'strat_strategy_overruns_total',
    'Timed waits a strategy did not finish within its budget',
    'overruns',
  );
  new Gauge<StrategyLabel>({
    name: 'strat_strategy_queue_size',
    help: 'Notifications queued for a strategy and not handled yet',
    labelNames: ['session', 'strategy'],
    registers: [registry],
    collect() {
      this.reset();
      forEachStrategy(sources, (session, m) => this.set({ session, strategy: m.strategy }, m.queue_size));
    },
  });
  new Gauge<StrategyLabel>({
    name: 'strat_strategy_processing_time_max_seconds',
    help: 'Longest onBars call of a strategy',
    labelNames: ['session', 'strategy'],
    registers: [registry],
    collect() {
      this.reset();
      forEachStrategy(sources, (session, m) =>
        this.set({ session, strategy: m.strategy }, m.max_processing_time_us / 1e6),
      );
    },
  });
  new ProcessingTimeSummary(sources, registry);
  new Gauge<'state'>({
    name: 'strat_sessions',
    help: 'Sessions the service has stored, by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const counts = sources.sessionsByState();
      for (const state of SESSION_STATES) this.set({ state }, counts.get(state) ?? 0);
    },
  });
  new Gauge<'state'>({
    name: 'strat_sweeps',
    help: 'Parameter sweeps the service has stored, by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const counts = sources.sweepsByState?.() ?? new Map<StoredSweepState, number>();
      for (const state of SWEEP_STATES) this.set({ state }, counts.get(state) ?? 0);
    },
  });
  new Counter({
    name: 'strat_service_signals_stored_total',
    help: 'Signals this service process has stored',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(sources.signalsPersisted());
    },
  });
  return registry;
}
