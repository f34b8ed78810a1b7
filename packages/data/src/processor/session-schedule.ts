import type { TradingCalendar, TradingSession } from '../calendar/trading-calendar';

// Looking ahead this far always finds the next session of any calendar (the longest closures are days).
const LOOKAHEAD_MS = 21 * 86_400_000;

/**
 * The trading sessions a run walks through, one after another: a fixed range of dates (a replay:
 * every session from the first to the last date, those without bars too), or open-ended (live:
 * from the session of the first bar, up to an optional last date).
 */
export class SessionSchedule {
  readonly #calendar: TradingCalendar;
  readonly #fixed: readonly TradingSession[] | undefined;
  /** Close of the last session in range, +Infinity when open-ended. */
  readonly endTime: number;
  /**
   * A fixed range's whole session dates in the calendar's time zone (TradingCalendar.dateSpan:
   * [midnight of the first date, midnight after the last), or from the evening before for sessions
   * that start then): bars before the first open or after the last close of those dates are read,
   * and counted as outside the sessions. Open-ended: (-Infinity, +Infinity).
   */
  readonly dayRange: { from: number; to: number };

  /**
   * @param range `startDate` and `endDate` (`YYYY-MM-DD`, inclusive): a fixed range; only
   *   `endDate` or nothing: open-ended at the start
   */
  constructor(calendar: TradingCalendar, range: { startDate?: string; endDate?: string }) {
    this.#calendar = calendar;
    if (range.startDate !== undefined) {
      const endDate = range.endDate ?? range.startDate;
      this.#fixed = calendar.sessions(range.startDate, endDate);
      this.endTime = this.#fixed.at(-1)?.close ?? Number.NEGATIVE_INFINITY;
      this.dayRange = calendar.dateSpan(range.startDate, endDate);
    } else {
      this.dayRange = { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY };
      this.endTime =
        range.endDate === undefined ? Number.POSITIVE_INFINITY : calendar.hoursOn(range.endDate).close;
    }
  }

  /** The sessions of a fixed range (undefined when open-ended). */
  get fixedSessions(): readonly TradingSession[] | undefined {
    return this.#fixed;
  }

  /** The first session of a fixed range, undefined when open-ended or empty. */
  get first(): TradingSession | undefined {
    return this.#fixed?.[0];
  }

  /**
   * The session after `previous`; without one, the first: the range's first, or open-ended the
   * first session still open at `time` (or the next one). Undefined past the end of the range.
   */
  next(previous: TradingSession | undefined, time: number): TradingSession | undefined {
    const fixed = this.#fixed;
    if (fixed !== undefined) {
      if (previous === undefined) return fixed[0];
      const at = fixed.indexOf(previous);
      return at < 0 ? undefined : fixed[at + 1];
    }
    const from = previous === undefined ? time : previous.close;
    if (!Number.isFinite(from)) return undefined;
    const session = this.#calendar.sessionsBetween(from, from + LOOKAHEAD_MS).find((s) => s.close > from);
    return session === undefined || session.close > this.endTime ? undefined : session;
  }

  /** True when `session` is the last one of the range. */
  isLast(session: TradingSession): boolean {
    return session.close >= this.endTime;
  }

  /**
   * The sessions ending at or before `time` that hold the last `bars` base bars (of `baseMs` each)
   * before it, oldest first: where a symbol's history comes from. Walks the calendar back from
   * `time`, before the range too; a source with no bars there simply yields none.
   */
  historyBefore(time: number, bars: number, baseMs: number): TradingSession[] {
    const out: TradingSession[] = [];
    let need = bars;
    let to = time;
    while (need > 0 && Number.isFinite(to)) {
      const found = this.#calendar.sessionsBetween(to - LOOKAHEAD_MS, to).filter((s) => s.close <= to);
      if (found.length === 0) break;
      for (let i = found.length - 1; i >= 0 && need > 0; i--) {
        const session = found[i] as TradingSession;
        out.push(session);
        need -= Math.ceil((session.close - session.open) / baseMs);
      }
      to = (found[0] as TradingSession).open;
    }
    return out.reverse();
  }
}
