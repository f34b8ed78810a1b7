import type { BarSeries, Interval, Logger, SessionMode, StrategyContext } from '@strat/core';
import { readQuality } from '@strat/core/internal';
import type { SessionData, TimeManager, TradingCalendar } from '@strat/data';

/** Options of {@link createSessionContext}. */
export interface SessionContextOptions {
  store: SessionData;
  clock: TimeManager;
  mode: SessionMode;
  speedMultiplier: number;
  logger: Logger;
  /** The session's trading calendar (`sessionDate`). */
  calendar: TradingCalendar;
  /** The symbols strategies trade now. */
  symbols: () => readonly string[];
}

/**
 * A context on the session's own thread (for scanners): everything in the store is closed as of
 * the clock's time, so views show every published bar.
 */
export function createSessionContext(o: SessionContextOptions): StrategyContext {
  return {
    mode: o.mode,
    speedMultiplier: o.speedMultiplier,
    logger: o.logger,
    getCurrentTime: () => o.clock.now(),
    getBars: (symbol: string, interval: Interval): BarSeries => o.store.getBars(symbol, interval),
    hasBars: (symbol: string, interval: Interval) => o.store.hasSeries(symbol, interval),
    getBarQuality: (symbol: string, interval: Interval) => {
      const series = o.store.getSeries(symbol, interval);
      return series === undefined ? 0 : readQuality(series);
    },
    getSymbols: o.symbols,
    sessionDate: (time?: number) => o.calendar.sessionDateOf(time ?? o.clock.now()),
  };
}
