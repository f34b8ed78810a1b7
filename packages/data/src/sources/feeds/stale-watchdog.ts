/**
 * Watches a feed connection for silence: `onStale(silentMs)` when nothing was heard for
 * `staleAfterMs` of wall time while the connection is up and the market is open (silence outside
 * session hours is normal, and starts counting again at the open). Checks a few times per period.
 */
export class StaleWatchdog {
  readonly #staleAfterMs: number;
  readonly #isWatching: () => boolean;
  readonly #isSessionOpen: () => boolean;
  readonly #onStale: (silentMs: number) => void;
  #lastHeardAt = 0;
  #watchFrom = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  /**
   * @param staleAfterMs silence that counts as a dead feed (0 = never)
   * @param isWatching whether the connection is up (streaming) now
   * @param isSessionOpen whether the market is open now
   */
  constructor(
    staleAfterMs: number,
    isWatching: () => boolean,
    isSessionOpen: () => boolean,
    onStale: (silentMs: number) => void,
  ) {
    this.#staleAfterMs = staleAfterMs;
    this.#isWatching = isWatching;
    this.#isSessionOpen = isSessionOpen;
    this.#onStale = onStale;
  }

  /** Starts checking (it does not keep the process alive). */
  start(): void {
    this.#timer = setInterval(() => this.#check(), Math.max(10, Math.min(1000, this.#staleAfterMs / 4)));
    this.#timer.unref?.();
  }

  /** Something arrived from the feed. */
  heard(): void {
    this.#lastHeardAt = Date.now();
  }

  /** Stops checking for good. */
  stop(): void {
    clearInterval(this.#timer);
  }

  #check(): void {
    const now = Date.now();
    if (!this.#isWatching() || this.#staleAfterMs <= 0) return;
    if (!this.#isSessionOpen()) {
      this.#watchFrom = now;
      return;
    }
    const silentMs = now - Math.max(this.#lastHeardAt, this.#watchFrom);
    if (silentMs >= this.#staleAfterMs) this.#onStale(silentMs);
  }
}
