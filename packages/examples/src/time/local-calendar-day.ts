const DAY_MS = 86_400_000;

/**
 * Tells which calendar day of a time zone an instant falls on, as a number `YYYYMMDD`
 * (2024-03-08 in New York is 20240308).
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
  readonly #format: Intl.DateTimeFormat;
  #spanStart = Number.POSITIVE_INFINITY;
  #spanEnd = Number.NEGATIVE_INFINITY;
  #key = 0;

  /** @throws RangeError for a time zone `Intl` does not know. */
  constructor(timeZone: string) {
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
    const nextMidnight = timeMs - here.msSinceMidnight + DAY_MS;
    // The estimate above assumes the UTC offset stays put until midnight. If it changes on the
    // way (a daylight-saving switch late in the evening), take whichever of the two candidate
    // midnights comes first: ending the span early only costs one more lookup, never a wrong key.
    const offsetChange = this.#wallClock(nextMidnight).offsetMs - here.offsetMs;
    this.#spanStart = timeMs;
    this.#spanEnd = offsetChange > 0 ? nextMidnight - offsetChange : nextMidnight;
    this.#key = here.key;
    return here.key;
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
