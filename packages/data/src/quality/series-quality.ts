import type { Interval } from '@strat/core';
import { SERIES_HEADER, type SeriesBuffers } from '@strat/core/internal';
import type { SeriesQualityRecord } from './quality-report';

/** Called when the integer-rounded quality percent of a series changes; `quality` is the exact percent (0-100). */
export type QualityListener = (symbol: string, interval: Interval, quality: number) => void;

/**
 * The quality counters of one series for the current session. The single writer (the aggregator)
 * keeps them here and mirrors each change into the series header with `Atomics.store`, so
 * `readQuality(series)` from @strat/core gives the same percent in any thread.
 */
export class SeriesQuality {
  #expected = 0;
  #received = 0;
  #filled = 0;
  #expectedBars = 0;
  #receivedBars = 0;
  #partialBars = 0;
  #roundedPercent = 100;

  /**
   * @param symbol the series' symbol, passed to `onChange`
   * @param interval the series' interval, passed to `onChange`
   * @param buffers the series whose header words receive the counters
   * @param onChange called when the integer-rounded percent changes
   * @param baseInterval the unit of the counters (default `interval`: a base series, whose own
   *   bars are its base bars); a derived series counts its own bars with {@link countBars}
   */
  constructor(
    readonly symbol: string,
    readonly interval: Interval,
    readonly buffers: SeriesBuffers,
    private readonly onChange: QualityListener | undefined,
    readonly baseInterval: Interval = interval,
  ) {}

  /** True for a derived series (its own bars are counted apart from the base slots). */
  get isDerived(): boolean {
    return this.baseInterval !== this.interval;
  }

  /** Bars (or base slots) expected so far in the session. */
  get expected(): number {
    return this.#expected;
  }

  /** Real bars received so far in the session. */
  get received(): number {
    return this.#received;
  }

  /** Bars made up by the gap filler so far in the session. */
  get filled(): number {
    return this.#filled;
  }

  /** `received / expected` as a percent (0-100); 100 while nothing is expected. Same formula as `readQuality`. */
  get percent(): number {
    return this.#expected <= 0 ? 100 : Math.min(100, (this.#received / this.#expected) * 100);
  }

  /** Zeroes the counters for a new session. */
  reset(): void {
    this.#expected = 0;
    this.#received = 0;
    this.#filled = 0;
    this.#expectedBars = 0;
    this.#receivedBars = 0;
    this.#partialBars = 0;
    const header = this.buffers.header;
    Atomics.store(header, SERIES_HEADER.QUALITY_EXPECTED, 0);
    Atomics.store(header, SERIES_HEADER.QUALITY_RECEIVED, 0);
    Atomics.store(header, SERIES_HEADER.QUALITY_FILLED, 0);
    this.#notifyIfChanged();
  }

  /**
   * Applies one step of the session in a single update, so listeners never see a transient
   * percent: raises `expected` to `expectedAtLeast` (never lowers it) and adds received and filled bars.
   */
  update(expectedAtLeast: number, receivedDelta: number, filledDelta: number): void {
    const header = this.buffers.header;
    // Received before expected: a reader in another thread may see a briefly high percent, never a dip.
    if (receivedDelta !== 0) {
      this.#received += receivedDelta;
      Atomics.store(header, SERIES_HEADER.QUALITY_RECEIVED, this.#received);
    }
    if (filledDelta !== 0) {
      this.#filled += filledDelta;
      Atomics.store(header, SERIES_HEADER.QUALITY_FILLED, this.#filled);
    }
    if (expectedAtLeast > this.#expected) {
      this.#expected = expectedAtLeast;
      Atomics.store(header, SERIES_HEADER.QUALITY_EXPECTED, expectedAtLeast);
    }
    this.#notifyIfChanged();
  }

  /**
   * Counts bars of a derived series in its own interval (the table's unit; `percent` stays the
   * base-bar measure): raises the buckets that are over to `expectedAtLeast` (never lowers it)
   * and adds published bars, `partialDelta` of them built from fewer real base bars than slots.
   */
  countBars(expectedAtLeast: number, receivedDelta: number, partialDelta: number): void {
    if (expectedAtLeast > this.#expectedBars) this.#expectedBars = expectedAtLeast;
    this.#receivedBars += receivedDelta;
    this.#partialBars += partialDelta;
  }

  /** The counters as a plain record. */
  snapshot(): SeriesQualityRecord {
    const derived = this.isDerived;
    return {
      symbol: this.symbol,
      interval: this.interval,
      expected: this.#expected,
      received: this.#received,
      filled: this.#filled,
      percent: this.percent,
      baseInterval: this.baseInterval,
      expectedBars: derived ? this.#expectedBars : this.#expected,
      receivedBars: derived ? this.#receivedBars : this.#received,
      partialBars: derived ? this.#partialBars : 0,
    };
  }

  #notifyIfChanged(): void {
    const percent = this.percent;
    const rounded = Math.round(percent);
    if (rounded === this.#roundedPercent) return;
    this.#roundedPercent = rounded;
    this.onChange?.(this.symbol, this.interval, percent);
  }
}
