import type { BarRing } from './bar-register';
import type { MarketSeries, MarketSymbol } from './market-book';

/**
 * A position an account holds in one symbol, and the open trade it is: average entry price,
 * the entry commission not yet charged to a closed trade, and the price extremes seen while open.
 */
export class OpenPosition {
  /** Lowest low and highest high of the trade's series while open (±Infinity before a bar). */
  lowest = Number.POSITIVE_INFINITY;
  highest = Number.NEGATIVE_INFINITY;

  /**
   * @param series - the series the position was opened through: its bars count `barsHeld` and
   *   give the MAE/MFE
   * @param entryBar - index of the entry fill's bar in `series`
   */
  /** Units held (> 0). */
  quantity = Number.NaN;
  /** Average entry price. */
  entryPrice = Number.NaN;
  /** The entry commission not yet charged to a closed trade. */
  entryCommission = Number.NaN;

  // The numeric fields start as NaN, a double: a field V8 first sees holding a whole number and later
  // a fraction changes the object's hidden class, and the next session's positions would deoptimise
  // the code optimised on this one's.
  constructor(
    readonly symbol: MarketSymbol,
    readonly series: MarketSeries,
    readonly side: 1 | -1,
    quantity: number,
    entryPrice: number,
    readonly entryTime: number,
    readonly entryBar: number,
    entryCommission: number,
  ) {
    this.quantity = quantity;
    this.entryPrice = entryPrice;
    this.entryCommission = entryCommission;
  }

  /** Signed units: negative when short. */
  get units(): number {
    return this.side * this.quantity;
  }

  /**
   * Widens the extremes with one bar of the trade's series, read where it lies (a double passed to a
   * call V8 does not inline is a heap allocation, two per bar here).
   */
  seeBar(ring: BarRing, slot: number): void {
    const high = ring.high[slot] as number;
    const low = ring.low[slot] as number;
    if (high > this.highest) this.highest = high;
    if (low < this.lowest) this.lowest = low;
  }

  /** Maximum adverse excursion of `quantity` units, in quote currency (<= 0). */
  adverseExcursion(quantity: number): number {
    const move = this.side === 1 ? this.lowest - this.entryPrice : this.entryPrice - this.highest;
    return Math.min(0, move * quantity);
  }

  /** Maximum favourable excursion of `quantity` units, in quote currency (>= 0). */
  favourableExcursion(quantity: number): number {
    const move = this.side === 1 ? this.highest - this.entryPrice : this.entryPrice - this.lowest;
    return Math.max(0, move * quantity);
  }
}
