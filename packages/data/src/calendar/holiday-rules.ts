import { civilDayNumber, civilWeekday } from './civil-date';

/**
 * Building blocks for exchange holiday rules, on day numbers (days since 1970-01-01, as in
 * ./civil-date). Every function takes a year and returns the day the rule names that year.
 */

/** The day number of a date known to be real (rules only build real dates). */
export function dayOf(year: number, month: number, day: number): number {
  return civilDayNumber(year, month, day) as number;
}

/**
 * The `n`-th `weekday` (0 = Sunday .. 6) of a month; `n = -1` is the last one.
 * `nthWeekday(2024, 1, 1, 3)` is Martin Luther King Jr. Day 2024 (Monday 15 January).
 */
export function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = dayOf(year, month, 1);
    return first + ((weekday - civilWeekday(first) + 7) % 7) + (n - 1) * 7;
  }
  const last = (month === 12 ? dayOf(year + 1, 1, 1) : dayOf(year, month + 1, 1)) - 1;
  return last - ((civilWeekday(last) - weekday + 7) % 7);
}

/** Easter Sunday of the Gregorian calendar (the anonymous Gregorian computus, Meeus/Jones/Butcher). */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayOf(year, month, day);
}

/** A fixed-date holiday moved off the weekend: Saturday to the Friday before, Sunday to the Monday after. */
export function observedNearestWeekday(day: number): number {
  const weekday = civilWeekday(day);
  return weekday === 6 ? day - 1 : weekday === 0 ? day + 1 : day;
}

/** A fixed-date holiday moved from Sunday to Monday; `undefined` on a Saturday (not observed). */
export function observedSundayToMonday(day: number): number | undefined {
  const weekday = civilWeekday(day);
  return weekday === 6 ? undefined : weekday === 0 ? day + 1 : day;
}

/** The Gregorian year of a day number, without allocating (Howard Hinnant's civil_from_days). */
export function civilYear(dayNumber: number): number {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return yoe + era * 400 + (mp >= 10 ? 1 : 0);
}
