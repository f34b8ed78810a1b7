import type { TimeManager } from './time-manager';

/** Live time: `now()` is `Date.now()`. */
export class WallClock implements TimeManager {
  /** Always `wall`. */
  readonly kind = 'wall' as const;

  /** The system time, epoch ms UTC. */
  now(): number {
    return Date.now();
  }
}
