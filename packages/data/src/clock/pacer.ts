import { StratError } from '@strat/core';

/**
 * Paces a clock-driven backtest: simulated time runs at `speed` times wall time from the moment the
 * pacer is made, so simulated `simTime` is due at wall time `wallStart + (simTime - simStart) / speed`.
 * A speed of 0 means "as fast as possible": nothing ever waits.
 */
export class Pacer {
  /** Simulated milliseconds per wall millisecond; 0 = never wait. */
  readonly speed: number;
  /** The simulated time that corresponds to {@link wallStart}. */
  readonly simStart: number;
  /** Wall time (per `now`) when the pacer was made. */
  readonly wallStart: number;
  private readonly wallNow: () => number;
  private lastLagMs = 0;

  /**
   * @param speed simulated ms per wall ms, >= 0.
   * @param simStart the simulated time at which pacing starts, epoch ms.
   * @param now wall clock (default `Date.now`), replaceable in tests.
   * @throws StratError (code `PACER_SPEED_INVALID`) for a negative or non-finite speed.
   */
  constructor(speed: number, simStart: number, now: () => number = Date.now) {
    if (!(speed >= 0 && Number.isFinite(speed))) {
      throw new StratError('PACER_SPEED_INVALID', `speed_multiplier must be a number >= 0, got ${speed}`);
    }
    this.speed = speed;
    this.simStart = simStart;
    this.wallNow = now;
    this.wallStart = now();
  }

  /** The wall time at which simulated `simTime` is due. */
  dueAt(simTime: number): number {
    return this.speed === 0
      ? Number.NEGATIVE_INFINITY
      : this.wallStart + (simTime - this.simStart) / this.speed;
  }

  /**
   * Resolves once wall time reaches the moment `simTime` is due: at once when that moment has passed
   * (the delay is then reported by {@link lagMs}) or when speed is 0.
   * Rejects with the signal's reason when `signal` aborts first.
   */
  waitUntil(simTime: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const due = this.dueAt(simTime);
    const late = this.wallNow() - due;
    if (late >= 0) {
      this.lastLagMs = this.speed === 0 ? 0 : late;
      return Promise.resolve();
    }
    this.lastLagMs = 0;
    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const check = (): void => {
        const remaining = due - this.wallNow();
        // Timers may fire a little early; wait again rather than resolve before the due time.
        if (remaining > 0) {
          timer = setTimeout(check, Math.ceil(remaining));
          return;
        }
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      check();
    });
  }

  /** How late (ms) the pacer was at the latest {@link waitUntil} call: 0 when it had to wait or speed is 0. */
  lagMs(): number {
    return this.lastLagMs;
  }
}
