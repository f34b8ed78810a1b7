import { BaseScanner, type StrategyContext } from '@strat/core';

/** A test scanner: at its first scan at or after `at` (epoch ms), returns `add`. */
export class ListScanner extends BaseScanner<{ add: string[]; at?: number; universe?: string[] }> {
  #done = false;

  scan(ctx: StrategyContext): string[] {
    if (this.#done || ctx.getCurrentTime() < (this.config.at ?? 0)) return [];
    this.#done = true;
    return this.config.add;
  }
}
