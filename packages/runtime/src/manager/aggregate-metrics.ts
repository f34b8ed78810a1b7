import type { StrategyMetrics } from '../thread/strategy-metrics';

/** Session-wide strategy metrics. */
export interface AggregateMetrics {
  total_notifications_processed: number;
  total_signals_generated: number;
  total_errors: number;
  total_overruns: number;
  /** Notifications queued but not handled yet, over all strategies. */
  total_queue_size: number;
  /** Strategies still running. */
  active_strategies: number;
  strategies: number;
  /** (series, strategy) subscription pairs. */
  subscriptions: number;
  /** The strategy with the highest average processing time, if any. */
  slowest_strategy: { strategy: string; avg_processing_time_us: number } | undefined;
  per_strategy: StrategyMetrics[];
}

/** Sums per-strategy metrics into session totals. */
export function aggregateMetrics(perStrategy: StrategyMetrics[], subscriptions: number): AggregateMetrics {
  let slowest: AggregateMetrics['slowest_strategy'];
  const out: AggregateMetrics = {
    total_notifications_processed: 0,
    total_signals_generated: 0,
    total_errors: 0,
    total_overruns: 0,
    total_queue_size: 0,
    active_strategies: 0,
    strategies: perStrategy.length,
    subscriptions,
    slowest_strategy: undefined,
    per_strategy: perStrategy,
  };
  for (const m of perStrategy) {
    out.total_notifications_processed += m.notifications_processed;
    out.total_signals_generated += m.signals_generated;
    out.total_errors += m.errors;
    out.total_overruns += m.overruns;
    out.total_queue_size += m.queue_size;
    if (m.state === 'running' || m.state === 'starting') out.active_strategies++;
    if (slowest === undefined || m.avg_processing_time_us > slowest.avg_processing_time_us) {
      slowest = { strategy: m.strategy, avg_processing_time_us: m.avg_processing_time_us };
    }
  }
  out.slowest_strategy = slowest;
  return out;
}
