import type { StrategyEntry } from '@strat/core';
import type { StrategyExecutor } from '../thread/strategy-metrics';

/**
 * The executor a strategy entry runs on: `override` (the CLI's `--executor`), else the entry's own,
 * else the session's default (`session_data_config.streaming.executor`), else `worker`.
 */
export function strategyExecutorOf(
  entry: Pick<StrategyEntry, 'executor'>,
  defaultExecutor?: StrategyExecutor,
  override?: StrategyExecutor,
): StrategyExecutor {
  return override ?? entry.executor ?? defaultExecutor ?? 'worker';
}
