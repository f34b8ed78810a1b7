// A sweep's pool worker (piscina, in the sweep's process): one combination per task, as an inline
// data-driven session on this thread.

import type { SessionConfig } from '@strat/core';
import { BarCache } from '@strat/data';
import { type Combination, runCombination, type SweepRow } from '@strat/runtime';

/** One task: the config (with the window's dates), a combination and where the session finds its files. */
export interface SweepTask {
  config: SessionConfig;
  index: number;
  combination: Combination;
  configDir: string;
}

/** This thread's bars, kept between its combinations over the same data (each thread reads its data once). */
const cache = new BarCache();

export default function runTask(task: SweepTask): Promise<SweepRow> {
  return runCombination(task.config, task.index, task.combination, { configDir: task.configDir, cache });
}
