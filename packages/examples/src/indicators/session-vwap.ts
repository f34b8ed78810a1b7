/**
 * Volume-weighted average price over one trading session, updated one bar at a time.
 *
 * Each bar contributes its typical price `(high + low + close) / 3` weighted by its volume; bars with
 * zero volume (gap-filled bars, halts) contribute nothing. The sums start over whenever the session
 * key passed to {@link SessionVwap.update} changes (`===`): in a strategy, the bar's session date
 * (`context.sessionDate(bars.time.get(i))`, the same string for every bar of a session). Updating
 * allocates nothing.
 *
 * @example
 * ```ts
 * const vwap = new SessionVwap();
 * vwap.update(context.sessionDate(time), high, low, close, volume); // the VWAP so far today, NaN until some volume traded
 * ```
 */
export class SessionVwap {
  #session: string | number = Number.NaN;
  #priceVolume = 0;
  #volume = 0;

  /** The session the sums belong to (NaN before the first bar). */
  get session(): string | number {
    return this.#session;
  }

  /** The VWAP of the current session so far; NaN while no volume has traded in it. */
  get value(): number {
    return this.#volume > 0 ? this.#priceVolume / this.#volume : Number.NaN;
  }

  /** Total volume of the current session so far. */
  get volume(): number {
    return this.#volume;
  }

  /** Forgets everything, as if newly created. */
  reset(): void {
    this.#session = Number.NaN;
    this.#priceVolume = 0;
    this.#volume = 0;
  }

  /**
   * Adds one bar of session `session` and returns the session VWAP including it.
   * A session different (`!==`) from the previous bar's starts new sums: a session date string, or
   * any number (e.g. a `YYYYMMDD` key).
   */
  update(session: string | number, high: number, low: number, close: number, volume: number): number {
    if (session !== this.#session) {
      this.#session = session;
      this.#priceVolume = 0;
      this.#volume = 0;
    }
    if (volume > 0) {
      this.#priceVolume += ((high + low + close) / 3) * volume;
      this.#volume += volume;
    }
    return this.value;
  }
}
