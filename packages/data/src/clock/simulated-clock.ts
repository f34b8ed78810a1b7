import { StratError } from '@strat/core';
import type { TimeManager } from './time-manager';

/**
 * Backtest time: `now()` is whatever was last `set`, which the data processor sets to the close time of
 * the bars being handled. It never moves backwards, so nothing can observe time running in reverse.
 */
export class SimulatedClock implements TimeManager {
  /** Always `simulated`. */
  readonly kind = 'simulated' as const;
  private current: number;

  /** @param start the initial time, epoch ms UTC (default 0). */
  constructor(start = 0) {
    this.current = start;
  }

  /** The time last set, epoch ms UTC. */
  now(): number {
    return this.current;
  }

  /**
   * Moves the clock to `time` (epoch ms UTC); setting the current time again is allowed.
   * @throws StratError (code `CLOCK_BACKWARDS`) when `time` is earlier than now.
   */
  set(time: number): void {
    if (time < this.current) {
      throw new StratError(
        'CLOCK_BACKWARDS',
        `simulated clock cannot go back from ${new Date(this.current).toISOString()} to ${new Date(time).toISOString()}`,
      );
    }
    this.current = time;
  }
}
