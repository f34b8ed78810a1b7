// A sweep's pool worker (piscina): runs one combination per task as an inline data-driven session.
import type { SessionConfig } from '@strat/core';
import { type Combination, runCombination, type SweepRow, type SweepSessionOptions } from '@strat/runtime';

/** One task: the sweep's config, a combination and where the session finds its files. */
export interface SweepTask {
  config: SessionConfig;
  index: number;
  combination: Combination;
  options: SweepSessionOptions;
}

export default function runTask(task: SweepTask): Promise<SweepRow> {
  return runCombination(task.config, task.index, task.combination, task.options);
}
