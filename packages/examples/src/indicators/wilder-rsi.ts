/**
 * Wilder's relative strength index, updated one close at a time.
 *
 * The first average gain (loss) is the simple mean of the first `period` gains (losses); after that
 * each average is smoothed as `avg = (avg * (period - 1) + x) / period`. The RSI is
 * `100 - 100 / (1 + avgGain / avgLoss)`, 100 when there were only gains (avgLoss = 0) and 50 when the
 * price did not move at all over the smoothing window (both averages 0: neither side dominates).
 *
 * The first value comes with the `period + 1`-th close; before that {@link WilderRsi.value} is NaN.
 * An instance holds only numbers: updating allocates nothing.
 *
 * @example
 * ```ts
 * const rsi = new WilderRsi(14);
 * for (let i = 0; i < bars.length; i++) rsi.update(bars.close.get(i));
 * rsi.value; // RSI of the newest close, NaN while warming up
 * ```
 */
export class WilderRsi {
  /** Number of price changes averaged. */
  readonly period: number;
  #previousClose = Number.NaN;
  #changes = 0;
  #averageGain = 0;
  #averageLoss = 0;
  #value = Number.NaN;

  /** @throws RangeError unless `period` is a positive integer. */
  constructor(period: number) {
    if (!Number.isInteger(period) || period < 1) {
      throw new RangeError(`RSI period must be a positive integer, got ${period}`);
    }
    this.period = period;
  }

  /** The RSI after the newest close (0..100), NaN while fewer than `period + 1` closes were seen. */
  get value(): number {
    return this.#value;
  }

  /** True once a value is available. */
  get isReady(): boolean {
    return this.#changes >= this.period;
  }

  /** Forgets every close seen, as if newly created. */
  reset(): void {
    this.#previousClose = Number.NaN;
    this.#changes = 0;
    this.#averageGain = 0;
    this.#averageLoss = 0;
    this.#value = Number.NaN;
  }

  /** Adds the next close and returns the new RSI (NaN while warming up). */
  update(close: number): number {
    const previous = this.#previousClose;
    this.#previousClose = close;
    if (Number.isNaN(previous)) return this.#value;

    const change = close - previous;
    const gain = Math.max(change, 0);
    const loss = Math.max(-change, 0);
    const period = this.period;
    this.#changes++;
    if (this.#changes < period) {
      // Still collecting the seed: keep plain sums, divided once the window is full.
      this.#averageGain += gain;
      this.#averageLoss += loss;
      return this.#value;
    }
    if (this.#changes === period) {
      this.#averageGain = (this.#averageGain + gain) / period;
      this.#averageLoss = (this.#averageLoss + loss) / period;
    } else {
      this.#averageGain = (this.#averageGain * (period - 1) + gain) / period;
      this.#averageLoss = (this.#averageLoss * (period - 1) + loss) / period;
    }
    this.#value = rsiFromAverages(this.#averageGain, this.#averageLoss);
    return this.#value;
  }
}

function rsiFromAverages(averageGain: number, averageLoss: number): number {
  if (averageLoss === 0) return averageGain === 0 ? 50 : 100;
  return 100 - 100 / (1 + averageGain / averageLoss);
}
