/**
 * Lets the manager's waits for its strategies give up once a stop is asked: a strategy stuck in a
 * notification must not hold up the stop (stopping then ends it within the stop timeout).
 */
export class WaitInterruption {
  #interrupted = false;
  #resolve!: () => void;
  readonly #interruption = new Promise<void>((resolve) => {
    this.#resolve = resolve;
  });

  /** True once {@link interrupt} was called. */
  get interrupted(): boolean {
    return this.#interrupted;
  }

  /** Every pending and later {@link race} resolves false at once. */
  interrupt(): void {
    if (this.#interrupted) return;
    this.#interrupted = true;
    this.#resolve();
  }

  /** Resolves true once `wait` settles, or false if interrupted first (at once when already interrupted). */
  async race(wait: Promise<unknown>): Promise<boolean> {
    if (this.#interrupted) return false;
    return Promise.race([wait.then(() => true), this.#interruption.then(() => false)]);
  }
}
