import type { Interval } from '@strat/core';
import type { GapFillOptions } from '../aggregation/symbol-bar-aggregator';
import type { TradingCalendar, TradingHoliday } from '../calendar/trading-calendar';
import type { LiveClock } from '../clock/live-clock';
import type { SimulatedClock } from '../clock/simulated-clock';
import type { BarSource } from '../sources/bar-source';
import type { BarFeed } from '../sources/feeds/bar-feed';
import type { SessionData } from '../store/session-data';
import type { BarConsumer } from './bar-consumer';

/** Options every processor takes, whatever its bars come from. */
export interface DataProcessorBaseOptions {
  /** The store bars are written to. */
  store: SessionData;
  /** Session hours: bars outside every session are skipped and counted. */
  calendar: TradingCalendar;
  /** The session's symbols, in config order. */
  symbols: readonly string[];
  /** Streams to build (the shortest is the base: the interval of the source's or feed's bars). */
  streams: readonly Interval[];
  gapFill?: GapFillOptions;
  consumer?: BarConsumer;
  /**
   * Base bars of history each symbol gets before its first streamed bar (historical sources only):
   * from the sessions before the start, and for a symbol added mid-session from those before the
   * current session (default 0).
   */
  warmupBars?: number;
  /** Called every `progressEvery` base bars, at most every `progressEveryMs` while bars trickle in, and at the end. */
  onProgress?: (progress: ProcessorProgress) => void;
  /** Base bars between progress reports (default 50,000). */
  progressEvery?: number;
  /** Wall ms between progress reports while waiting for bars (a live feed; default 1000). */
  progressEveryMs?: number;
}

/** A replay of a historical source over a range of dates. */
export interface ReplayProcessorOptions extends DataProcessorBaseOptions {
  /** Where base bars come from. Its interval must equal the shortest stream. */
  source: BarSource;
  /** First and last session date, `YYYY-MM-DD`, inclusive. */
  startDate: string;
  endDate: string;
  /** 0 = as fast as the consumer allows; > 0 = simulated time at that multiple of wall time. */
  speedMultiplier?: number;
  /** The simulated clock to drive (one is made when absent). */
  clock?: SimulatedClock;
}

/** A live session following a feed. */
export interface LiveProcessorOptions extends DataProcessorBaseOptions {
  /** The feed (connected or not yet); the processor subscribes, connects and closes it. */
  feed: BarFeed;
  /** The session's time: `LiveWallClock` or `FeedClock`. */
  clock: LiveClock;
  /** Finish once the session of this date (`YYYY-MM-DD`) has closed; default: run until `stop()`. */
  endDate?: string;
  /** A minute is complete once every symbol has a bar for it, or this long (clock time) after it ended (default 2000). */
  stepGraceMs?: number;
  /** ...and at least this long (wall ms) after the newest bar arrived (default 100). */
  minWallGraceMs?: number;
  /** Feed clock without a configured speed: adopt the speed a replay server announces on connect. */
  useAnnouncedSpeed?: boolean;
  /**
   * A bar that could not be used (late, malformed, of a symbol not streamed, subscription refused),
   * and the first bar on each date without a session (a holiday or weekend: often a wrong time zone).
   */
  onProblem?: (message: string) => void;
}

/** Options of {@link DataProcessor}: a historical `source` to replay, or a live `feed` to follow. */
export type DataProcessorOptions = ReplayProcessorOptions | LiveProcessorOptions;

/** How far a run has come. */
export interface ProcessorProgress {
  /** Base bars read and written to the store. */
  barsDone: number;
  /** Estimated base bars in the whole replay (sessions x slots x symbols); live, the bars so far. */
  barsTotal: number;
  /** The session's time (epoch ms): simulated, the close of the newest step delivered; live, the clock's. */
  time: number;
  /** The current (or last) session's date, `YYYY-MM-DD`. */
  sessionDate: string;
}

/** Bars on a date the calendar has no session on. */
export interface ClosedDayWithBars {
  /** Session date, `YYYY-MM-DD`. */
  date: string;
  /** The holiday's name, or `not a trading weekday`. */
  name: string;
  bars: number;
}

/** What a run did, returned by {@link DataProcessor.run}. */
export interface ProcessorSummary {
  barsDone: number;
  /** Bars published in every stream (base, filled and derived). */
  barsPublished: number;
  /** Bars outside every session of the calendar (skipped). */
  barsOutsideSessions: number;
  /**
   * Of those, bars on dates without any session: holidays and weekends (skipped). Usually a wrong
   * time zone or calendar.
   */
  barsOnClosedDays: number;
  /** The closed dates those bars fall on (session dates, the first 100), with the holiday's name. */
  closedDaysWithBars: ClosedDayWithBars[];
  /**
   * The calendar's holidays from the first replayed date to the last (a replay: its range): closed
   * days, neither sessions nor missing bars.
   */
  holidays: TradingHoliday[];
  /** Bars a feed delivered after their minute had been handed over (dropped); 0 in a replay. */
  lateBars: number;
  /** Rows or bars read from the source or feed, skipped ones included. */
  barsReceived: number;
  sessions: number;
  /** The dates followed: the replayed range, or live the first and last session seen ('' before any). */
  startDate: string;
  endDate: string;
  /** True when `stop()` (or a feed closing without an error) ended the run early. */
  stopped: boolean;
  /** Wall time of the run in ms. */
  wallMs: number;
  /** Wall time from the first bar on, in ms (without opening the source or waiting for a feed). */
  replayMs: number;
}

/** Options of {@link DataProcessor.addSymbol}. */
export interface AddSymbolOptions {
  /** Base bars of history from earlier sessions to load first (default: the processor's `warmupBars`). */
  warmupBars?: number;
}
