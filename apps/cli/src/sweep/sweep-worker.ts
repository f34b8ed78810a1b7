// A sweep's pool worker (piscina): runs one combination per task as an inline data-driven session.
import type { SessionConfig } from '@strat/core';
import { BarCache } from '@strat/data';
import { type Combination, runCombination, type SweepRow, type SweepSessionOptions } from '@strat/runtime';

/** One task: the sweep's config, a combination and where the session finds its files. */
export interface SweepTask {
  config: SessionConfig;
  index: number;
  combination: Combination;
  options: SweepSessionOptions;
}

/** This thread's bars, kept between its combinations over the same data (each thread reads its data once). */
const cache = new BarCache();

export default function runTask(task: SweepTask): Promise<SweepRow> {
  return runCombination(task.config, task.index, task.combination, { ...task.options, cache });
}
