import type { SessionConfig } from '@strat/core';
import { BYTES_PER_BAR, defaultSeriesGuard, seriesCapacity } from '@strat/core/internal';
import { strategyExecutorOf } from '../manager/strategy-executor';
import type { StrategyExecutor } from '../thread/strategy-metrics';

/**
 * Steps a ring holds beyond its window in a data-driven session with strategies in worker threads.
 * The batch pipeline lets the session run ahead of the strategies by half a ring's guard: with the
 * core's default (a window of 4,096 bars: a ring of 8,192, a lead of 2,048 steps) that is two batches
 * of 1,024 steps in flight, and a hiccup on either side (a burst of signals, a collection, a data
 * chunk) stalls the other. With 12,288 (a ring of 16,384) six batches fit: measured on one symbol,
 * 6 to 10 % off a worker replay.
 */
export const PIPELINE_GUARD_STEPS = 12_288;

/** The most the larger rings may take in all, 64 MiB: the config's series must fit, and later ones (a scanner's) get the default once it is spent. */
export const PIPELINE_RING_BUDGET_BYTES = 64 * 1024 * 1024;

/** The store's larger rings: their guard, and how many series may have one (`SessionDataOptions`). */
export interface StoreGuard {
  guard: number;
  guardedSeries: number;
}

/**
 * The store's guard for a session (see `SessionDataOptions.guard`): {@link PIPELINE_GUARD_STEPS}
 * for a data-driven backtest (speed 0) with at least one enabled strategy in a worker thread, when
 * the config's series (symbols x streams) fit {@link PIPELINE_RING_BUDGET_BYTES} with rings that
 * large, for as many series as fit it (a scanner's symbols beyond get the default); else undefined,
 * the core's default. An inline strategy, a clock-driven or live session gains nothing from the
 * lead; a universe of many symbols keeps the smaller rings.
 * @param executorOverride - the session's `executor` option (the CLI's `--executor`)
 */
export function storeGuardFor(
  config: SessionConfig,
  executorOverride?: StrategyExecutor,
): StoreGuard | undefined {
  if (config.mode !== 'backtest' || (config.backtest_config?.speed_multiplier ?? 0) !== 0) return undefined;
  const sdc = config.session_data_config;
  const workers = sdc.strategies.some(
    (entry) =>
      entry.enabled !== false &&
      strategyExecutorOf(entry, sdc.streaming.executor, executorOverride) === 'worker',
  );
  if (!workers) return undefined;
  const window = sdc.streaming.window;
  const guard = Math.max(PIPELINE_GUARD_STEPS, defaultSeriesGuard(window));
  const guardedSeries = Math.floor(
    PIPELINE_RING_BUDGET_BYTES / (seriesCapacity(window, guard) * BYTES_PER_BAR),
  );
  const series = Math.max(1, sdc.symbols.length) * Math.max(1, sdc.streams.length);
  return series <= guardedSeries ? { guard, guardedSeries } : undefined;
}
