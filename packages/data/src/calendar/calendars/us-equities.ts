import { civilWeekday, parseCivilDate } from '../civil-date';
import {
  dayOf,
  easterSunday,
  nthWeekday,
  observedNearestWeekday,
  observedSundayToMonday,
} from '../holiday-rules';
import type { ExchangeCalendarDefinition, SpecialDay } from '../special-day';

/**
 * NYSE (and Nasdaq) regular hours, holidays and early closes, by the exchange's rules
 * (NYSE Rule 7.2 and the published holiday schedules). Checked against the published schedules
 * for 2000-2030; the rules hold from 1990 to 2035 (see us-equities.test.ts).
 *
 * Holidays: New Year's Day (Sunday -> Monday; on a Saturday it is not observed, the Friday before is
 * the last trading day of the year), Martin Luther King Jr. Day (3rd Monday of January, from 1998),
 * Washington's Birthday (3rd Monday of February), Good Friday (two days before Easter Sunday),
 * Memorial Day (last Monday of May), Juneteenth (19 June, from 2022), Independence Day (4 July),
 * Labor Day (1st Monday of September), Thanksgiving (4th Thursday of November), Christmas
 * (25 December); fixed dates except New Year's Day move Saturday -> Friday and Sunday -> Monday.
 * Plus the unscheduled closures below.
 *
 * Early closes (13:00; 14:00 before 1993): the day after Thanksgiving (from 1992), Christmas Eve on
 * Monday-Thursday, 3 July on Monday, Tuesday or Thursday (from 1995) and on Wednesday (from 2013;
 * before, 5 July on a Friday closed early instead), and the one-off days listed below.
 */

/** Unscheduled full-day closures since 1990: national days of mourning, 11 September 2001, Hurricane Sandy. */
export const NYSE_UNSCHEDULED_CLOSURES: readonly (readonly [date: string, name: string])[] = [
  ['1994-04-27', 'National day of mourning (Richard Nixon)'],
  ['2001-09-11', 'September 11 attacks'],
  ['2001-09-12', 'September 11 attacks'],
  ['2001-09-13', 'September 11 attacks'],
  ['2001-09-14', 'September 11 attacks'],
  ['2004-06-11', 'National day of mourning (Ronald Reagan)'],
  ['2007-01-02', 'National day of mourning (Gerald Ford)'],
  ['2012-10-29', 'Hurricane Sandy'],
  ['2012-10-30', 'Hurricane Sandy'],
  ['2018-12-05', 'National day of mourning (George H. W. Bush)'],
  ['2025-01-09', 'National day of mourning (Jimmy Carter)'],
];

/** One-off early closes at 13:00 the rules do not give. */
export const NYSE_ONE_OFF_EARLY_CLOSES: readonly (readonly [date: string, name: string])[] = [
  ['1997-12-26', 'Day after Christmas'],
  ['1999-12-31', "New Year's Eve"],
  ['2003-12-26', 'Day after Christmas'],
];

const CHRISTMAS = 'Christmas';
const NEW_YEAR = "New Year's Day";
const GOOD_FRIDAY = 'Good Friday';

/** Names of the NYSE holidays on which other US markets (CME) close all day rather than early. */
export const US_FULL_CLOSURE_HOLIDAYS: ReadonlySet<string> = new Set([NEW_YEAR, GOOD_FRIDAY, CHRISTMAS]);

function listedIn(list: readonly (readonly [string, string])[], year: number, close?: string): SpecialDay[] {
  const out: SpecialDay[] = [];
  for (const [date, name] of list) {
    if (Number(date.slice(0, 4)) !== year) continue;
    const day = parseCivilDate(date) as number;
    out.push(close === undefined ? { day, name } : { day, name, close });
  }
  return out;
}

/** NYSE holidays and early closes of `year`. */
export function nyseSpecialDays(year: number): SpecialDay[] {
  const days: SpecialDay[] = [];
  const holiday = (day: number | undefined, name: string) => {
    if (day !== undefined) days.push({ day, name });
  };
  holiday(observedSundayToMonday(dayOf(year, 1, 1)), NEW_YEAR);
  if (year >= 1998) holiday(nthWeekday(year, 1, 1, 3), 'Martin Luther King Jr. Day');
  holiday(nthWeekday(year, 2, 1, 3), "Washington's Birthday");
  holiday(easterSunday(year) - 2, GOOD_FRIDAY);
  holiday(nthWeekday(year, 5, 1, -1), 'Memorial Day');
  if (year >= 2022) holiday(observedNearestWeekday(dayOf(year, 6, 19)), 'Juneteenth');
  holiday(observedNearestWeekday(dayOf(year, 7, 4)), 'Independence Day');
  holiday(nthWeekday(year, 9, 1, 1), 'Labor Day');
  const thanksgiving = nthWeekday(year, 11, 4, 4);
  holiday(thanksgiving, 'Thanksgiving');
  holiday(observedNearestWeekday(dayOf(year, 12, 25)), CHRISTMAS);
  days.push(...listedIn(NYSE_UNSCHEDULED_CLOSURES, year));

  const early = year >= 1993 ? '13:00' : '14:00';
  if (year >= 1992) days.push({ day: thanksgiving + 1, name: 'Day after Thanksgiving', close: early });
  const christmasEve = dayOf(year, 12, 24);
  const eveWeekday = civilWeekday(christmasEve);
  if (eveWeekday >= 1 && eveWeekday <= 4)
    days.push({ day: christmasEve, name: 'Christmas Eve', close: early });
  if (year >= 1995) {
    const july3 = dayOf(year, 7, 3);
    const weekday = civilWeekday(july3);
    if (weekday === 1 || weekday === 2 || weekday === 4 || (weekday === 3 && year >= 2013)) {
      days.push({ day: july3, name: 'Day before Independence Day', close: '13:00' });
    } else if (weekday === 3) {
      days.push({ day: july3 + 2, name: 'Day after Independence Day', close: '13:00' });
    }
  }
  days.push(...listedIn(NYSE_ONE_OFF_EARLY_CLOSES, year, '13:00'));
  return days;
}

/** `us_equities`: NYSE/Nasdaq regular hours 09:30-16:00 New York time, Monday to Friday, NYSE holidays and early closes. */
export const US_EQUITIES: ExchangeCalendarDefinition = {
  preset: 'us_equities',
  description:
    'NYSE/Nasdaq: 09:30-16:00 America/New_York, Monday-Friday, NYSE holidays and 13:00 early closes',
  timezone: 'America/New_York',
  open: '09:30',
  close: '16:00',
  weekdays: [1, 2, 3, 4, 5],
  specialDays: nyseSpecialDays,
};
