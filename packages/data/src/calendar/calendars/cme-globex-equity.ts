import { parseCivilDate } from '../civil-date';
import type { ExchangeCalendarDefinition, SpecialDay } from '../special-day';
import { NYSE_UNSCHEDULED_CLOSURES, nyseSpecialDays, US_FULL_CLOSURE_HOLIDAYS } from './us-equities';

const UNSCHEDULED = new Set(NYSE_UNSCHEDULED_CLOSURES.map(([date]) => parseCivilDate(date) as number));

/**
 * CME Globex equity index futures (E-mini S&P 500, Nasdaq-100, Dow, Russell): one session per
 * trading date from 18:00 New York time the evening before to 17:00 on the date (17:00-16:00
 * Chicago), Sunday evening to Friday afternoon, with the daily break 17:00-18:00. A session is
 * dated by the day it ends: the one opening Sunday 18:00 is Monday's.
 *
 * Holidays follow the US holidays, as CME's equity schedule does, with this **approximation** of
 * its yearly holiday notices (which CME publishes one holiday at a time):
 * - New Year's Day, Good Friday and Christmas (observed): closed, no session on that date;
 * - the other NYSE holidays (MLK, Washington's Birthday, Memorial Day, Juneteenth, Independence
 *   Day, Labor Day, Thanksgiving): the session of that date halts early at 13:00 New York
 *   (12:00 Chicago); the next session opens at 18:00 as usual (CME books that evening's trades on
 *   the next date, which is what this calendar does too);
 * - NYSE early-close days (day after Thanksgiving, Christmas Eve, 3 July, ...): early halt at 13:15
 *   New York (12:15 Chicago), a quarter hour after the stock market;
 * - unscheduled NYSE closures (days of mourning, 2001-09-11..14, Hurricane Sandy): an early halt
 *   at 09:30 New York, when the stock market would have opened.
 * Not modelled: the abbreviated Good Friday sessions of years when payrolls came out that day
 * (2012, 2015, 2021), and the different halts of non-equity CME products.
 */
export function cmeGlobexEquitySpecialDays(year: number): SpecialDay[] {
  const out: SpecialDay[] = [];
  for (const nyse of nyseSpecialDays(year)) {
    if (nyse.close !== undefined) {
      // 13:00 -> 13:15 (and 14:00 -> 14:15 before 1993).
      out.push({ day: nyse.day, name: nyse.name, close: `${nyse.close.slice(0, 3)}15` });
    } else if (US_FULL_CLOSURE_HOLIDAYS.has(nyse.name)) {
      out.push(nyse);
    } else if (UNSCHEDULED.has(nyse.day)) {
      out.push({ day: nyse.day, name: nyse.name, close: '09:30' });
    } else {
      out.push({ day: nyse.day, name: nyse.name, close: '13:00' });
    }
  }
  return out;
}

/** `cme_globex_equity`: 18:00-17:00 New York time, Sunday evening to Friday, sessions dated by the day they end. */
export const CME_GLOBEX_EQUITY: ExchangeCalendarDefinition = {
  preset: 'cme_globex_equity',
  description:
    'CME Globex equity futures: 18:00 (evening before) - 17:00 America/New_York, sessions Monday-Friday dated by the day they end, US holiday halts (approximation)',
  timezone: 'America/New_York',
  open: '18:00',
  close: '17:00',
  weekdays: [1, 2, 3, 4, 5],
  specialDays: cmeGlobexEquitySpecialDays,
};
