import type { Interval } from '@strat/core';
import { objectList } from './object-list';
import type { PaperAccount } from './paper-account';

/** The last price of one symbol, shared by its series: what positions in it are marked at. */
export interface MarketSymbol {
  readonly name: string;
  /** Close of the symbol's latest bar, of any interval (NaN before the first). */
  lastClose: number;
}

/** What the broker keeps of one series (symbol, interval): no bar history, only the last close. */
export interface MarketSeries {
  readonly symbol: MarketSymbol;
  readonly interval: Interval;
  /** Bars of the series given so far; the current bar's index is `barCount - 1`. */
  barCount: number;
  /** Close and close time of the series' latest bar (NaN before the first). */
  lastClose: number;
  lastCloseTime: number;
  /**
   * Accounts given this series' bars: those with a pending order on it or a position opened through
   * it, in account order. May briefly hold an account that lost interest (it is dropped at its next bar).
   */
  readonly watchers: PaperAccount[];
}

/** Every series and symbol the broker has heard of, found without allocating per bar. */
export class MarketBook {
  readonly #symbols = new Map<string, MarketSymbol>();
  readonly #series = new Map<string, Map<string, MarketSeries>>();

  /** The series of `symbol` at `interval`, created (without bars) when new. */
  series(symbol: string, interval: Interval): MarketSeries {
    let byInterval = this.#series.get(symbol);
    if (byInterval === undefined) {
      byInterval = new Map();
      this.#series.set(symbol, byInterval);
    }
    let series = byInterval.get(interval);
    if (series === undefined) {
      series = {
        symbol: this.#symbol(symbol),
        interval,
        barCount: 0,
        lastClose: Number.NaN,
        lastCloseTime: Number.NaN,
        watchers: objectList(),
      };
      byInterval.set(interval, series);
    }
    return series;
  }

  /** The series of `symbol` at `interval` when it exists. */
  find(symbol: string, interval: Interval): MarketSeries | undefined {
    return this.#series.get(symbol)?.get(interval);
  }

  #symbol(name: string): MarketSymbol {
    let symbol = this.#symbols.get(name);
    if (symbol === undefined) {
      symbol = { name, lastClose: Number.NaN };
      this.#symbols.set(name, symbol);
    }
    return symbol;
  }
}
