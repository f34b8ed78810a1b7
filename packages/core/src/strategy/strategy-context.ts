import type { BarSeries } from '../bars/bar-series';
import type { Logger } from '../logging/logger';
import type { Interval } from '../time/interval';

/** How a session runs: `backtest` replays history, `live` follows a real-time feed. */
export type SessionMode = 'backtest' | 'live';

/** What a strategy or scanner can see of the session. */
export interface StrategyContext {
  /** `backtest` or `live`. */
  readonly mode: SessionMode;
  /** Simulated time multiplier in backtests (0 = data-driven, as fast as strategies allow). */
  readonly speedMultiplier: number;
  /** The session's logger for this strategy. */
  readonly logger: Logger;
  /** Current time in epoch milliseconds: the close of the bar being handled in backtests, wall time live. */
  getCurrentTime(): number;
  /**
   * The bars of one series as visible now: closed bars only, never a bar newer than the
   * notification being handled. Zero-copy view; do not keep it across calls.
   * @throws StratError (`SERIES_UNKNOWN`) when the session has no such series.
   */
  getBars(symbol: string, interval: Interval): BarSeries;
  /** True when the session holds a series for (symbol, interval). */
  hasBars(symbol: string, interval: Interval): boolean;
  /** Percent (0-100) of expected bars received so far in the current session for the series. */
  getBarQuality(symbol: string, interval: Interval): number;
  /** Symbols the session currently streams. */
  getSymbols(): readonly string[];
  /**
   * The session date, `YYYY-MM-DD`, of an instant under the session's trading calendar
   * (`session_data_config.calendar`): the local date the trading session **ends** on, so a bar of a
   * session that starts the evening before (CME Globex from 18:00 New York time) has the next day's
   * date. It is the same date the session uses for quality per session, daily bars and results per
   * day, so it is the right key for anything that starts over each session (a session VWAP, a daily
   * high). Between sessions, on weekends and holidays it is the date a session would have.
   *
   * Pass a bar's start time (`bars.time.get(i)`). Without `time`: in `onBars`, the date of the bar
   * being handled; elsewhere that of {@link StrategyContext.getCurrentTime}.
   *
   * Cheap per bar: the string is made once per session date and returned again while the date is
   * the same, so comparing it with the previous bar's (`===`) allocates nothing.
   */
  sessionDate(time?: number): string;
}
