import type { LiveClock } from '../clock/live-clock';
import { Pacer } from '../clock/pacer';
import type { SimulatedClock } from '../clock/simulated-clock';
import type { TimeManager } from '../clock/time-manager';

/**
 * How the processor's loop relates to time: the one thing that differs between a data-driven
 * replay, a clock-driven replay and a live session once bars are in hand.
 *
 * - `none` (data-driven replay): steps go out as fast as the consumer allows; the simulated clock
 *   jumps to each step's close.
 * - `simulated` (clock-driven replay): each step goes out when wall time reaches its close at the
 *   speed multiple; the simulated clock then reads that close.
 * - `live` (wall or feed clock): the clock runs by itself; steps go out once their bars are in
 *   (the feed input waits for them against this clock).
 */
export interface Pacing {
  readonly kind: 'none' | 'simulated' | 'live';
  /** The session's clock. */
  readonly clock: TimeManager;
  /** False while the clock does not know the time yet (a feed clock before its first bar). */
  readonly started: boolean;
  /** The run starts at `time` (a replay's first session open): pacing counts wall time from now. */
  start(time: number): void;
  /** Before the bars closing at `time` go out: waits until that time is due, and moves a simulated clock there. */
  reach(time: number): Promise<void> | undefined;
  /** Moves a simulated clock to `time` when it is later, without waiting (a session's end). */
  jump(time: number): void;
}

/** Replay pacing on a simulated clock: `none` at speed 0, else `simulated` at that multiple of wall time. */
export class ReplayPacing implements Pacing {
  readonly kind: 'none' | 'simulated';
  readonly clock: SimulatedClock;
  readonly started = true;
  readonly #speed: number;
  #pacer: Pacer | undefined;

  /** @param speed simulated ms per wall ms (0 = data-driven) */
  constructor(clock: SimulatedClock, speed: number) {
    this.clock = clock;
    this.#speed = speed;
    this.kind = speed > 0 ? 'simulated' : 'none';
  }

  start(time: number): void {
    if (this.#speed > 0) this.#pacer = new Pacer(this.#speed, time);
    this.jump(time);
  }

  reach(time: number): Promise<void> | undefined {
    const pacer = this.#pacer;
    if (pacer === undefined) {
      this.clock.set(time);
      return undefined;
    }
    return pacer.waitUntil(time).then(() => this.clock.set(time));
  }

  jump(time: number): void {
    if (this.clock.now() < time) this.clock.set(time);
  }
}

/** Live pacing: the wall or feed clock moves by itself. */
export class LivePacing implements Pacing {
  readonly kind = 'live' as const;
  readonly clock: LiveClock;

  constructor(clock: LiveClock) {
    this.clock = clock;
  }

  get started(): boolean {
    return this.clock.started;
  }

  start(): void {}

  reach(): undefined {
    return undefined;
  }

  jump(): void {}
}
