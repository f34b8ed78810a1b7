import type { FeedBar, FeedGap } from './bar-feed';

interface Outage {
  lastAnyBar: number;
  lastBarBySymbol: Map<string, number>;
  symbols: string[];
}

/**
 * Works out which bars a feed missed while its connection was down, for any vendor that
 * reconnects: it remembers the newest bar per symbol, freezes that picture when the connection
 * drops, and when bars flow again reports, per subscribed symbol, the bar starts after its newest
 * bar before the drop and before the first bar after it (trading minutes only).
 */
export class OutageTracker {
  readonly #barMs: number;
  readonly #isTradingMinute: (time: number) => boolean;
  readonly #lastBarBySymbol = new Map<string, number>();
  #lastAnyBar = Number.NaN;
  #outage: Outage | undefined;

  /**
   * @param barMs the feed's bar length, ms
   * @param isTradingMinute whether a bar starting at `time` lies in trading hours
   */
  constructor(barMs: number, isTradingMinute: (time: number) => boolean) {
    this.#barMs = barMs;
    this.#isTradingMinute = isTradingMinute;
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
      const minutes: number[] = [];
      for (let t = from; t < resumedAt; t += step) if (this.#isTradingMinute(t)) minutes.push(t);
      if (minutes.length === 0) continue;
      gaps.push({ symbol, from: minutes[0] as number, to: minutes[minutes.length - 1] as number, minutes });
    }
    return gaps;
  }
}
