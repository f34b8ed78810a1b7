import { ConfigError } from '@strat/core';
import { DAY_MS, parseCivilDate } from './civil-date';

/** A UTC instant seen on the wall clock of a time zone. */
export interface ZonedParts {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 0 = Sunday .. 6 = Saturday. */
  weekday: number;
  /** The local date, `YYYY-MM-DD`. */
  date: string;
  /** Local time minus UTC, in milliseconds (New York in winter: -18,000,000). */
  offsetMs: number;
}

const HOUR_MS = 3_600_000;
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Etc/Zulu']);

/**
 * The UTC offsets of one time zone, learnt from Intl.DateTimeFormat (which is slow, about 2 µs per
 * call) and cached per UTC day: a day either has one offset throughout, or one transition found by
 * bisection to the second. No real zone changes its offset twice within a day.
 */
class ZoneOffsets {
  /** Formats an instant with its offset only ("GMT-04:56:02"); undefined for UTC itself. */
  private readonly formatter: Intl.DateTimeFormat | undefined;
  private readonly constantDays = new Map<number, number>();
  private readonly transitionDays = new Map<number, readonly [at: number, before: number, after: number]>();

  constructor(timezone: string) {
    // The offset alone (`longOffset`, seconds included when a zone has them, as local mean times
    // do) costs a fifth of formatting every field and reading the wall clock back.
    const formatter = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' });
    this.formatter = UTC_NAMES.has(formatter.resolvedOptions().timeZone) ? undefined : formatter;
  }

  offsetAt(time: number): number {
    if (this.formatter === undefined) return 0;
    const day = Math.floor(time / DAY_MS);
    const constant = this.constantDays.get(day);
    if (constant !== undefined) return constant;
    const transition = this.transitionDays.get(day);
    if (transition !== undefined) return time < transition[0] ? transition[1] : transition[2];
    this.learnDay(day);
    return this.offsetAt(time);
  }

  private learnDay(day: number): void {
    // Bounded caches: a long-running process asking about ever new days must not grow without limit.
    if (this.constantDays.size > 200_000) this.constantDays.clear();
    const start = day * DAY_MS;
    const last = start + DAY_MS - 1000;
    const before = this.rawOffset(start);
    const after = this.rawOffset(last);
    if (before === after) {
      this.constantDays.set(day, before);
      return;
    }
    let lo = start;
    let hi = last;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (this.rawOffset(mid) === before) lo = mid;
      else hi = mid;
    }
    this.transitionDays.set(day, [hi, before, after]);
  }

  /** The offset at `time` from the formatted "GMT", "GMT+05:30" or "GMT-04:56:02". */
  private rawOffset(time: number): number {
    const text = (this.formatter as Intl.DateTimeFormat).format(time);
    const at = text.lastIndexOf('GMT') + 3;
    const sign = text.charCodeAt(at);
    if (sign !== PLUS && sign !== MINUS && sign !== MINUS_SIGN) return 0;
    const hours = Number(text.slice(at + 1, at + 3));
    const minutes = Number(text.slice(at + 4, at + 6));
    const seconds = text.charCodeAt(at + 6) === COLON ? Number(text.slice(at + 7, at + 9)) : 0;
    const offset = (hours * 3600 + minutes * 60 + seconds) * 1000;
    return sign === PLUS ? offset : -offset;
  }
}

const PLUS = 43;
const MINUS = 45;
const MINUS_SIGN = 0x2212;
const COLON = 58;

const zones = new Map<string, ZoneOffsets>();

function zoneOffsets(timezone: string, path: string): ZoneOffsets {
  let zone = zones.get(timezone);
  if (zone === undefined) {
    try {
      zone = new ZoneOffsets(timezone);
    } catch (error) {
      throw new ConfigError(
        [
          {
            path,
            message: `unknown time zone "${timezone}": use an IANA name such as America/New_York, Europe/Berlin or UTC`,
          },
        ],
        { cause: error },
      );
    }
    zones.set(timezone, zone);
  }
  return zone;
}

/**
 * Checks that `timezone` is an IANA time zone this runtime knows.
 * @param path JSON path named in the error, e.g. `session_data_config.calendar.timezone`.
 * @throws ConfigError when it is not.
 */
export function assertTimeZone(timezone: string, path = 'timezone'): void {
  zoneOffsets(timezone, path);
}

/** Local time minus UTC, in milliseconds, at the instant `time` (epoch ms) in `timezone`. */
export function timeZoneOffset(time: number, timezone: string): number {
  return zoneOffsets(timezone, 'timezone').offsetAt(time);
}

/**
 * Converts a wall-clock reading to a UTC instant. `wallTime` is the local reading encoded as if it were
 * UTC (`Date.UTC(year, month - 1, day, hour, minute)`). Readings that occur twice (the hour repeated
 * when DST ends) resolve to the earlier instant; readings that never occur (the hour skipped when DST
 * starts) move forward by the size of the gap (02:30 on a spring-forward night in New York is 03:30 EDT),
 * the same rule as Temporal's `disambiguation: 'compatible'`.
 * @throws ConfigError for an unknown time zone.
 */
export function zonedWallTimeToUtc(wallTime: number, timezone: string): number {
  const zone = zoneOffsets(timezone, 'timezone');
  const offsetBefore = zone.offsetAt(wallTime - DAY_MS);
  const offsetAfter = zone.offsetAt(wallTime + DAY_MS);
  const earlier = wallTime - offsetBefore;
  if (zone.offsetAt(earlier) === offsetBefore) return earlier;
  const later = wallTime - offsetAfter;
  if (zone.offsetAt(later) === offsetAfter) return later;
  return earlier;
}

/**
 * The UTC instant of a local date and time of day in `timezone`, e.g.
 * `zonedTimeToUtc('2024-03-11', '09:30', 'America/New_York')` is 13:30Z (EDT).
 * `time` is `HH:MM` or `HH:MM:SS`; `24:00` means midnight at the end of `date`.
 * @throws ConfigError for a malformed date or time, or an unknown time zone.
 */
export function zonedTimeToUtc(date: string, time: string, timezone: string): number {
  const day = parseCivilDate(date);
  const timeOfDay = parseTimeOfDayText(time);
  if (day === undefined || timeOfDay === undefined) {
    throw new ConfigError(
      [
        day === undefined
          ? { path: 'date', message: `expected a real date as YYYY-MM-DD, got "${date}"` }
          : { path: 'time', message: `expected HH:MM or HH:MM:SS (00:00 to 24:00), got "${time}"` },
      ],
      { summary: 'Invalid local time' },
    );
  }
  return zonedWallTimeToUtc(day * DAY_MS + timeOfDay, timezone);
}

/**
 * Milliseconds since local midnight for `HH:MM` or `HH:MM:SS` (hours 00..23, or exactly `24:00`);
 * `undefined` when malformed.
 */
export function parseTimeOfDayText(text: string): number | undefined {
  const match = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (match === null) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const second = match[3] === undefined ? 0 : Number(match[3]);
  if (hour === 24 && minute === 0 && second === 0) return 24 * HOUR_MS;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return hour * HOUR_MS + minute * 60_000 + second * 1000;
}

/**
 * What the wall clock in `timezone` shows at the UTC instant `time` (epoch ms).
 * @throws ConfigError for an unknown time zone.
 */
export function utcToZonedParts(time: number, timezone: string): ZonedParts {
  const offsetMs = zoneOffsets(timezone, 'timezone').offsetAt(time);
  const wall = new Date(time + offsetMs);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    millisecond: wall.getUTCMilliseconds(),
    weekday: wall.getUTCDay(),
    date: wall.toISOString().slice(0, 10),
    offsetMs,
  };
}
