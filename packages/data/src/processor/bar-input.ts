import type { TradingSession } from '../calendar/trading-calendar';
import type { SourceReport } from '../sources/bar-source';
import type { SessionSchedule } from './session-schedule';
import type { Lane } from './step-assembler';

/** Where a lane joins: the time and session the processor is at. */
export interface JoinPoint {
  /** The close of the newest step delivered (the range's start before the first step). */
  readonly time: number;
  /** The session in progress, or the one that ended last (undefined before the first). */
  readonly session: TradingSession | undefined;
  /** True while `session` is in progress. */
  readonly inSession: boolean;
  /** Base bars of history to load before the lane streams (0 = none). */
  readonly warmupBars: number;
  readonly schedule: SessionSchedule;
}

/** A read a historical input may begin ahead of the lane's join: the lane joins at `from`, without history. */
export interface ReadAhead {
  readonly symbol: string;
  readonly from: number;
}

/**
 * Where the processor's one loop gets base bars from, per lane: pulled from a historical source
 * (`HistoricalInput`: every lane's next bar is known, the input never waits) or pushed by a live
 * feed (`FeedInput`: bars arrive over time; a step is complete once every lane has shown its bar
 * for it, or the clock says none is coming).
 */
export interface BarInput {
  /** Opens the input (a feed connects and subscribes every lane joined so far). Idempotent. */
  open(): Promise<void>;
  /**
   * Gets ready to open, touching no lane and no bar: a source's `prepare`, then (historical) the
   * reads `reads` name begin, so their first chunks are on their way when the lanes join. Never
   * rejects: a read's failure is thrown where the lane joins, as without it.
   */
  prepare(reads: readonly ReadAhead[]): Promise<void>;
  /** Resolves when the first bar is in (at once for a historical source), or the input ended. */
  firstBar(): Promise<void>;
  /**
   * Makes `lane` stream from the next step on: loads its history (historical) or subscribes it
   * and waits for its bars from the current minute on (feed). The lane is silent meanwhile.
   */
  join(lane: Lane, at: JoinPoint): Promise<void>;
  /** Start time of the earliest bar received and not yet taken; +Infinity when none is pending. */
  earliest(): number;
  /**
   * True when every bar of the slot starting at `slot` is in (or can no longer come): always for
   * a historical source; for a feed once each lane has a bar at or after it, or the clock passed
   * `end` plus the grace.
   */
  complete(slot: number, end: number): boolean;
  /** Hands the bars starting at `time` to their lanes' aggregators. May wait to read on. */
  take(time: number): Promise<void> | undefined;
  /** Drops the bars starting at `time` (outside every session); returns how many. */
  skip(time: number): Promise<number> | number;
  /** Everything before `time` was handed over: a bar arriving for it now is late. */
  seal(time: number): void;
  /** Waits until more may be known: a bar arrived, `deadline` (session time) passed, or the input ended. */
  wait(deadline: number): Promise<void>;
  /** Wakes a {@link wait} (a symbol is waiting to join). */
  wake(): void;
  /**
   * The processor is stopping: wakes a {@link wait} and ends the input's waits; before the loop
   * runs (`running` false) it also ends an `open` or `firstBar` still waiting.
   */
  interrupt(running: boolean): void;
  /** True once no bar can come any more (a feed that closed). */
  readonly ended: boolean;
  /** The error that ended the input, if any (a fatal feed error). */
  readonly failure: Error | undefined;
  /** Base bars handed to lanes so far. */
  readonly taken: number;
  /** Bars received from the feed that could not be used because they came late. */
  readonly late: number;
  /** Rows or bars read so far, skipped ones and the first problems. */
  report(): SourceReport;
  /** Lets go of the source or the feed. */
  close(): Promise<void>;
}
