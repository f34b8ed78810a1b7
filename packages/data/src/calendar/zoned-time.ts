import { ConfigError } from '@strat/core';
import { DAY_MS, parseCivilDate } from './civil-date';
import { offsetsOfZone, wallTimeToUtcIn, type ZoneOffsets } from './zone-offsets';

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

function zoneOffsets(timezone: string, path: string): ZoneOffsets {
  try {
    return offsetsOfZone(timezone);
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
  return wallTimeToUtcIn(zoneOffsets(timezone, 'timezone'), wallTime);
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
