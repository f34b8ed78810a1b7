/** Milliseconds in a civil (calendar) day. */
export const DAY_MS = 86_400_000;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The day number (days since 1970-01-01) of a civil date, or `undefined` when the fields do not name
 * a real date (month 13, 30 February, a year outside 1000..9999).
 */
export function civilDayNumber(year: number, month: number, day: number): number | undefined {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) return undefined;
  if (!Number.isInteger(month) || month < 1 || month > 12) return undefined;
  const monthDays = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  if (!Number.isInteger(day) || day < 1 || day > monthDays) return undefined;
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

/** Parses a strict `YYYY-MM-DD` civil date into its day number; `undefined` when malformed or not a real date. */
export function parseCivilDate(text: string): number | undefined {
  if (text.length !== 10 || text[4] !== '-' || text[7] !== '-') return undefined;
  return civilDayNumber(digitsAt(text, 0, 4), digitsAt(text, 5, 2), digitsAt(text, 8, 2));
}

/** Formats a day number (days since 1970-01-01) as `YYYY-MM-DD`. */
export function formatCivilDate(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** The weekday of a day number: 0 = Sunday .. 6 = Saturday (1970-01-01 was a Thursday). */
export function civilWeekday(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}
