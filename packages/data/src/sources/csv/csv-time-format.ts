import { civilDayNumber, DAY_MS } from '../../calendar/civil-date';
import { offsetsOfZone, wallTimeToUtcIn, type ZoneOffsets } from '../../calendar/zone-offsets';
import type { CsvDateFormat } from './csv-file-spec';

function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

// Rows of a day share their date cell: remember the last valid one (a pure cache).
let lastDateText = '';
let lastDateFormat: CsvDateFormat | undefined;
let lastDateDay = 0;

/** The day number (days since 1970-01-01) of a date cell in `format`; `undefined` when malformed or not a real date. */
export function parseCsvDate(text: string, format: CsvDateFormat): number | undefined {
  if (text === lastDateText && format === lastDateFormat) return lastDateDay;
  const day = parseDateCell(text, format);
  if (day !== undefined) {
    lastDateText = text;
    lastDateFormat = format;
    lastDateDay = day;
  }
  return day;
}

function parseDateCell(text: string, format: CsvDateFormat): number | undefined {
  switch (format) {
    case 'YYYY-MM-DD':
      if (text.length !== 10 || text[4] !== '-' || text[7] !== '-') return undefined;
      return civilDayNumber(digitsAt(text, 0, 4), digitsAt(text, 5, 2), digitsAt(text, 8, 2));
    case 'YYYYMMDD':
      if (text.length !== 8) return undefined;
      return civilDayNumber(digitsAt(text, 0, 4), digitsAt(text, 4, 2), digitsAt(text, 6, 2));
    case 'MM/DD/YYYY':
      if (text.length !== 10 || text[2] !== '/' || text[5] !== '/') return undefined;
      return civilDayNumber(digitsAt(text, 6, 4), digitsAt(text, 0, 2), digitsAt(text, 3, 2));
  }
}

/**
 * Milliseconds since midnight for a time cell: `HH:MM` or `HH:MM:SS` with optional fraction
 * (`H:MM` with one hour digit too); `undefined` when malformed.
 */
export function parseCsvTimeOfDay(text: string): number | undefined {
  // The common shapes, HH:MM:SS and HH:MM, without the regular expression; anything else (and any
  // out-of-range field) takes the exact path below.
  const length = text.length;
  if (
    (length === 8 || length === 5) &&
    text.charCodeAt(2) === 58 &&
    (length === 5 || text.charCodeAt(5) === 58)
  ) {
    const hour = twoDigitsAt(text, 0);
    const minute = twoDigitsAt(text, 3);
    const second = length === 8 ? twoDigitsAt(text, 6) : 0;
    if (hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59) {
      return ((hour * 60 + minute) * 60 + second) * 1000;
    }
  }
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/.exec(text);
  if (match === null) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const second = match[3] === undefined ? 0 : Number(match[3]);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = match[4] === undefined ? 0 : Math.round(Number(`0.${match[4]}`) * 1000);
  return ((hour * 60 + minute) * 60 + second) * 1000 + fraction;
}

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Parses ISO 8601 timestamps (`2024-03-08T09:30:00`, `2024-03-08 09:30`, `2024-03-08T14:30:00.000Z`,
 * `2024-03-08T09:30:00-05:00`, or a bare date). One instance is reused per file: `parse` fills the fields.
 */
export class IsoTimestampParser {
  /** The local wall-clock reading as if it were UTC (epoch ms). */
  wallTime = 0;
  /** The explicit UTC offset in ms, or NaN when the text has none (local time). */
  offsetMs = Number.NaN;
  /** False for a bare date. */
  hasTimeOfDay = false;
  /** The day number of the date part. */
  day = 0;

  /** Parses `text`; false when it is not an ISO timestamp or names an impossible date or time. */
  parse(text: string): boolean {
    const match = ISO_PATTERN.exec(text);
    if (match === null) return false;
    const day = civilDayNumber(Number(match[1]), Number(match[2]), Number(match[3]));
    if (day === undefined) return false;
    this.day = day;
    this.hasTimeOfDay = match[4] !== undefined;
    let timeOfDay = 0;
    if (this.hasTimeOfDay) {
      const hour = Number(match[4]);
      const minute = Number(match[5]);
      const second = match[6] === undefined ? 0 : Number(match[6]);
      if (hour > 23 || minute > 59 || second > 59) return false;
      const fraction = match[7] === undefined ? 0 : Math.round(Number(`0.${match[7]}`) * 1000);
      timeOfDay = ((hour * 60 + minute) * 60 + second) * 1000 + fraction;
    }
    this.wallTime = day * DAY_MS + timeOfDay;
    const offset = match[8];
    if (offset === undefined) {
      this.offsetMs = Number.NaN;
    } else if (offset === 'Z' || offset === 'z') {
      this.offsetMs = 0;
    } else {
      const digits = offset.replace(':', '');
      const minutes = Number(digits.slice(1, 3)) * 60 + (digits.length > 3 ? Number(digits.slice(3, 5)) : 0);
      this.offsetMs = (offset[0] === '-' ? -minutes : minutes) * 60_000;
    }
    return true;
  }
}

function twoDigitsAt(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const ones = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/**
 * The wall time (local reading as if UTC, epoch ms) of `text.slice(start, end)` when it is exactly
 * `YYYY-MM-DD HH:MM[:SS]` or `YYYY-MM-DDTHH:MM[:SS]` naming a real date and time, else NaN (the caller
 * then uses {@link IsoTimestampParser}, which also gives the reason).
 */
export function parseLocalDateTime(text: string, start: number, end: number): number {
  const length = end - start;
  if (length !== 16 && length !== 19) return Number.NaN;
  const separator = text.charCodeAt(start + 10);
  if (
    text.charCodeAt(start + 4) !== 45 ||
    text.charCodeAt(start + 7) !== 45 ||
    (separator !== 84 && separator !== 32) ||
    text.charCodeAt(start + 13) !== 58 ||
    (length === 19 && text.charCodeAt(start + 16) !== 58)
  ) {
    return Number.NaN;
  }
  const century = twoDigitsAt(text, start);
  const yearInCentury = twoDigitsAt(text, start + 2);
  const hour = twoDigitsAt(text, start + 11);
  const minute = twoDigitsAt(text, start + 14);
  const second = length === 19 ? twoDigitsAt(text, start + 17) : 0;
  if (century < 0 || yearInCentury < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59)
    return Number.NaN;
  if (second < 0 || second > 59) return Number.NaN;
  const month = twoDigitsAt(text, start + 5);
  const dayOfMonth = twoDigitsAt(text, start + 8);
  if (month < 0 || dayOfMonth < 0) return Number.NaN;
  const dateKey = ((century * 100 + yearInCentury) * 100 + month) * 100 + dayOfMonth;
  if (dateKey !== lastDateKey) {
    const day = civilDayNumber(century * 100 + yearInCentury, month, dayOfMonth);
    if (day === undefined) return Number.NaN;
    lastDateKey = dateKey;
    lastDay = day;
  }
  return lastDay * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000;
}

// Rows of a day share their date: remember the last one (a pure cache; -1 is no valid key).
let lastDateKey = -1;
let lastDay = 0;

/**
 * `zonedWallTimeToUtc` for one zone with the offset of the last wall-clock day remembered: rows come
 * in time order, so nearly every row falls on the day before it. Days with an offset change are not
 * remembered and go through `zonedWallTimeToUtc` row by row.
 */
export class WallClockZone {
  private day = Number.NaN;
  private offset = Number.NaN;
  private readonly zone: ZoneOffsets;

  /** @param timezone an IANA zone, already checked (the CSV source checks every zone up front). */
  constructor(timezone: string) {
    this.zone = offsetsOfZone(timezone);
  }

  /** The UTC instant of a wall-clock reading, as `zonedWallTimeToUtc` gives it. */
  toUtc(wallTime: number): number {
    const day = Math.floor(wallTime / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      const first = day * DAY_MS;
      const last = first + DAY_MS - 1;
      const offsetAtFirst = first - wallTimeToUtcIn(this.zone, first);
      const offsetAtLast = last - wallTimeToUtcIn(this.zone, last);
      this.offset = offsetAtFirst === offsetAtLast ? offsetAtFirst : Number.NaN;
    }
    return Number.isNaN(this.offset) ? wallTimeToUtcIn(this.zone, wallTime) : wallTime - this.offset;
  }
}
