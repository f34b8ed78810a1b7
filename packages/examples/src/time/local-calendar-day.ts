const DAY_MS = 86_400_000;

/**
 * Tells which calendar day of a time zone an instant falls on, as a number `YYYYMMDD`
 * (2024-03-08 in New York is 20240308). With a `sessionStart` later than 00:00 it tells the
 * **session date** instead, the same rule as the runtime's TradingCalendar for sessions that start
 * the evening before: from `sessionStart` on, an instant belongs to the next date (with 18:00,
 * Sunday 18:30 New York time is Monday's session, as on CME Globex).
 *
 * Asking `Intl` for every bar would allocate strings per bar, so the answer is cached together with
 * the span of instants it holds for: from the instant last asked about up to the next local
 * midnight. Only an instant outside that span (a new day, or going back in time) asks `Intl` again:
 * twice per day of bars in practice.
 *
 * @example
 * ```ts
 * const days = new LocalCalendarDay('America/New_York');
 * days.keyOf(Date.UTC(2024, 2, 8, 3, 0)); // 20240307: 3:00 UTC is still the 7th in New York
 * ```
 */
export class LocalCalendarDay {
  /** The IANA time zone, e.g. `America/New_York`. */
  readonly timeZone: string;
  /** Milliseconds after local midnight at which the next date's session starts (0: at midnight). */
  readonly sessionStartMs: number;
  readonly #format: Intl.DateTimeFormat;
  #spanStart = Number.POSITIVE_INFINITY;
  #spanEnd = Number.NEGATIVE_INFINITY;
  #key = 0;

  /**
   * @param sessionStartMs milliseconds after local midnight, 0 (default) to 24 h exclusive
   * @throws RangeError for a time zone `Intl` does not know, or a session start outside a day.
   */
  constructor(timeZone: string, sessionStartMs = 0) {
    if (!(sessionStartMs >= 0 && sessionStartMs < DAY_MS)) {
      throw new RangeError(`session start must be from 0 to 24 h after midnight, got ${sessionStartMs} ms`);
    }
    this.sessionStartMs = sessionStartMs;
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    this.timeZone = timeZone;
  }

  /** The local calendar day of `timeMs` (epoch milliseconds) as `YYYYMMDD`. */
  keyOf(timeMs: number): number {
    if (timeMs >= this.#spanStart && timeMs < this.#spanEnd) return this.#key;
    const here = this.#wallClock(timeMs);
    const start = this.sessionStartMs;
    const nextDate = start > 0 && here.msSinceMidnight >= start;
    // The next boundary: midnight, or the session start (today's, or tomorrow's once past it).
    const toBoundary =
      start === 0
        ? DAY_MS - here.msSinceMidnight
        : nextDate
          ? DAY_MS - here.msSinceMidnight + start
          : start - here.msSinceMidnight;
    const boundary = timeMs + toBoundary;
    // The estimate above assumes the UTC offset stays put until the boundary. If it changes on the
    // way (a daylight-saving switch), take whichever of the two candidate boundaries comes first:
    // ending the span early only costs one more lookup, never a wrong key.
    const offsetChange = this.#wallClock(boundary).offsetMs - here.offsetMs;
    const key = nextDate ? nextDayKey(here.key) : here.key;
    this.#spanStart = timeMs;
    this.#spanEnd = offsetChange > 0 ? boundary - offsetChange : boundary;
    this.#key = key;
    return key;
  }

  #wallClock(timeMs: number): { key: number; offsetMs: number; msSinceMidnight: number } {
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const part of this.#format.formatToParts(timeMs)) {
      if (part.type === 'year') year = Number(part.value);
      else if (part.type === 'month') month = Number(part.value);
      else if (part.type === 'day') day = Number(part.value);
      else if (part.type === 'hour') hour = Number(part.value);
      else if (part.type === 'minute') minute = Number(part.value);
      else if (part.type === 'second') second = Number(part.value);
    }
    const subSecond = ((timeMs % 1000) + 1000) % 1000;
    const wholeSecond = timeMs - subSecond;
    return {
      key: year * 10_000 + month * 100 + day,
      offsetMs: Date.UTC(year, month - 1, day, hour, minute, second) - wholeSecond,
      msSinceMidnight: ((hour * 60 + minute) * 60 + second) * 1000 + subSecond,
    };
  }
}

/** The `YYYYMMDD` key of the day after `key`. */
function nextDayKey(key: number): number {
  const next = new Date(
    Date.UTC(Math.floor(key / 10_000), (Math.floor(key / 100) % 100) - 1, (key % 100) + 1),
  );
  return next.getUTCFullYear() * 10_000 + (next.getUTCMonth() + 1) * 100 + next.getUTCDate();
}
