import type { TimeManager } from './time-manager';

/**
 * The time of a live session. `wall`: the system clock. `feed`: the newest bar's close, advanced
 * between bars by wall time x the feed's speed; a replay of 2024 at 60x cannot be judged by the
 * wall clock, and a real feed read with `feed` time ignores a skewed system clock.
 */
export interface LiveClock extends TimeManager {
  /** `wall` or `feed`. */
  readonly source: 'wall' | 'feed';
  /** Clock ms per wall ms (the wall clock: 1). */
  readonly speed: number;
  /** False until the clock knows the time (a feed clock before its first bar). */
  readonly started: boolean;
  /** A bar closing at `closeTime` arrived. */
  observeBar(closeTime: number): void;
  /** Wall ms until this clock reads `time` (0 when it already does; Infinity when only a bar can move it). */
  wallMsUntil(time: number): number;
  /** A feed clock takes the speed a replay server announced (feed ms per wall ms). */
  setSpeed?(speed: number): void;
}

/** Live time from the system clock. */
export class LiveWallClock implements LiveClock {
  /** Always `wall`. */
  readonly kind = 'wall' as const;
  /** Always `wall`. */
  readonly source = 'wall' as const;
  /** Always 1. */
  readonly speed = 1;
  /** Always true. */
  readonly started = true;
  readonly #now: () => number;

  /** @param now the wall clock (default `Date.now`), replaceable in tests. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The system time, epoch ms. */
  now(): number {
    return this.#now();
  }

  /** Wall time does not follow bars. */
  observeBar(): void {}

  /** `time - now`, at least 0. */
  wallMsUntil(time: number): number {
    return Math.max(0, time - this.#now());
  }
}

/**
 * Time as the feed tells it: the close of the newest bar received, running on at `speed` feed ms
 * per wall ms until the next bar (never backwards). Reports `simulated`: it follows the feed's
 * timestamps, not the system clock. NaN before the first bar.
 */
export class FeedClock implements LiveClock {
  /** Always `simulated`. */
  readonly kind = 'simulated' as const;
  /** Always `feed`. */
  readonly source = 'feed' as const;
  #speed: number;
  #anchor = Number.NaN;
  #anchorWall = 0;
  readonly #wall: () => number;

  /**
   * @param speed feed ms per wall ms (0 = time moves only with bars).
   * @param wall the wall clock (default `Date.now`), replaceable in tests.
   */
  constructor(speed = 1, wall: () => number = Date.now) {
    this.#speed = speed;
    this.#wall = wall;
  }

  /** Feed ms per wall ms. */
  get speed(): number {
    return this.#speed;
  }

  /** Changes the speed from now on (a replay server announced its own). */
  setSpeed(speed: number): void {
    if (this.started) {
      this.#anchor = this.now();
      this.#anchorWall = this.#wall();
    }
    this.#speed = speed;
  }

  /** True once a bar arrived. */
  get started(): boolean {
    return !Number.isNaN(this.#anchor);
  }

  /** The feed time now, epoch ms (NaN before the first bar). */
  now(): number {
    return this.#anchor + (this.#wall() - this.#anchorWall) * this.#speed;
  }

  /** Moves the time up to `closeTime` when the bar is newer than the running time. */
  observeBar(closeTime: number): void {
    if (this.started && closeTime <= this.now()) return;
    this.#anchor = closeTime;
    this.#anchorWall = this.#wall();
  }

  /** Wall ms until the clock reads `time` at the current speed. */
  wallMsUntil(time: number): number {
    if (!this.started) return Number.POSITIVE_INFINITY;
    const ahead = time - this.now();
    if (ahead <= 0) return 0;
    return this.#speed > 0 ? ahead / this.#speed : Number.POSITIVE_INFINITY;
  }
}

/** The live clock `live_config.clock` names: the system clock, or a {@link FeedClock} at `speed` (default 1). */
export function createLiveClock(settings: { clock: 'wall' | 'feed'; speed?: number | undefined }): LiveClock {
  return settings.clock === 'feed' ? new FeedClock(settings.speed ?? 1) : new LiveWallClock();
}
