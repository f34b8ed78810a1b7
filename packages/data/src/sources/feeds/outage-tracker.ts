import type { FeedBar, FeedGap } from './bar-feed';

interface Outage {
  lastAnyBar: number;
  lastBarBySymbol: Map<string, number>;
  symbols: string[];
}

/** Bar starts in trading hours within [from, to): how many, the first and the last (undefined when none). */
export type TradingBarCounter = (
  from: number,
  to: number,
) => { count: number; first: number; last: number } | undefined;

/** Gaps longer than this are reported up to it: a month of missed bars says enough, and bounds the work. */
export const MAX_GAP_MS = 31 * 86_400_000;

/**
 * Works out which bars a feed missed while its connection was down, for any vendor that
 * reconnects: it remembers the newest bar per symbol, freezes that picture when the connection
 * drops, and when bars flow again reports, per subscribed symbol, the range of bar starts after its
 * newest bar before the drop and before the first bar after it (trading hours only), counted per
 * session, never minute by minute.
 */
export class OutageTracker {
  readonly #barMs: number;
  readonly #countTradingBars: TradingBarCounter;
  readonly #lastBarBySymbol = new Map<string, number>();
  #lastAnyBar = Number.NaN;
  #outage: Outage | undefined;

  /**
   * @param barMs the feed's bar length, ms
   * @param countTradingBars counts bar starts in trading hours in a range (default: every bar start)
   */
  constructor(barMs: number, countTradingBars: TradingBarCounter = everyBar(barMs)) {
    this.#barMs = barMs;
    this.#countTradingBars = countTradingBars;
  }

  /** The connection dropped while these symbols were subscribed (a second drop before bars flow again changes nothing). */
  connectionLost(symbols: readonly string[]): void {
    if (this.#outage !== undefined || !Number.isFinite(this.#lastAnyBar)) return;
    this.#outage = {
      lastAnyBar: this.#lastAnyBar,
      lastBarBySymbol: new Map(this.#lastBarBySymbol),
      symbols: [...symbols],
    };
  }

  /** Bars arrived (in one message): returns the gaps they close, first message after a drop only. */
  barsArrived(bars: readonly FeedBar[]): FeedGap[] {
    const gaps = this.#outage === undefined ? [] : this.#gapsUntil(this.#outage, bars);
    this.#outage = undefined;
    for (const bar of bars) {
      const last = this.#lastBarBySymbol.get(bar.symbol);
      if (last === undefined || bar.time > last) this.#lastBarBySymbol.set(bar.symbol, bar.time);
      if (!(bar.time <= this.#lastAnyBar)) this.#lastAnyBar = bar.time;
    }
    return gaps;
  }

  #gapsUntil(outage: Outage, bars: readonly FeedBar[]): FeedGap[] {
    let resumedAt = Number.POSITIVE_INFINITY;
    for (const bar of bars) resumedAt = Math.min(resumedAt, bar.time);
    const step = this.#barMs;
    const gaps: FeedGap[] = [];
    for (const symbol of outage.symbols) {
      const last = outage.lastBarBySymbol.get(symbol);
      const from = Math.max(last === undefined ? outage.lastAnyBar : last + step, outage.lastAnyBar);
      const to = Math.min(resumedAt, from + MAX_GAP_MS);
      const missed = to > from ? this.#countTradingBars(from, to) : undefined;
      if (missed === undefined || missed.count === 0) continue;
      gaps.push({ symbol, from: missed.first, to: missed.last, missed: missed.count });
    }
    return gaps;
  }
}

/** Every bar start in [from, to) counts (a market open round the clock). */
export function everyBar(barMs: number): TradingBarCounter {
  return (from, to) => {
    const first = Math.ceil(from / barMs) * barMs;
    if (first >= to) return undefined;
    const count = Math.ceil((to - first) / barMs);
    return { count, first, last: first + (count - 1) * barMs };
  };
}
