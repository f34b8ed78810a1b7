import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { civilWeekday, formatCivilDate, parseCivilDate } from '../civil-date';
import { easterSunday, nthWeekday, observedNearestWeekday, observedSundayToMonday } from '../holiday-rules';
import { TradingCalendar } from '../trading-calendar';
import { nyseSpecialDays } from './us-equities';

/**
 * NYSE full-day closures and 13:00 early closes, 2000-2030, as the exchange published them
 * (holiday schedules on nyse.com; the closings history for 2000-2012), `MM-DD` per year.
 */
const PUBLISHED: Record<number, readonly [holidays: string, earlyCloses: string]> = {
  2000: ['01-17 02-21 04-21 05-29 07-04 09-04 11-23 12-25', '07-03 11-24'],
  2001: [
    '01-01 01-15 02-19 04-13 05-28 07-04 09-03 09-11 09-12 09-13 09-14 11-22 12-25',
    '07-03 11-23 12-24',
  ],
  2002: ['01-01 01-21 02-18 03-29 05-27 07-04 09-02 11-28 12-25', '07-05 11-29 12-24'],
  2003: ['01-01 01-20 02-17 04-18 05-26 07-04 09-01 11-27 12-25', '07-03 11-28 12-24 12-26'],
  2004: ['01-01 01-19 02-16 04-09 05-31 06-11 07-05 09-06 11-25 12-24', '11-26'],
  2005: ['01-17 02-21 03-25 05-30 07-04 09-05 11-24 12-26', '11-25'],
  2006: ['01-02 01-16 02-20 04-14 05-29 07-04 09-04 11-23 12-25', '07-03 11-24'],
  2007: ['01-01 01-02 01-15 02-19 04-06 05-28 07-04 09-03 11-22 12-25', '07-03 11-23 12-24'],
  2008: ['01-01 01-21 02-18 03-21 05-26 07-04 09-01 11-27 12-25', '07-03 11-28 12-24'],
  2009: ['01-01 01-19 02-16 04-10 05-25 07-03 09-07 11-26 12-25', '11-27 12-24'],
  2010: ['01-01 01-18 02-15 04-02 05-31 07-05 09-06 11-25 12-24', '11-26'],
  2011: ['01-17 02-21 04-22 05-30 07-04 09-05 11-24 12-26', '11-25'],
  2012: ['01-02 01-16 02-20 04-06 05-28 07-04 09-03 10-29 10-30 11-22 12-25', '07-03 11-23 12-24'],
  2013: ['01-01 01-21 02-18 03-29 05-27 07-04 09-02 11-28 12-25', '07-03 11-29 12-24'],
  2014: ['01-01 01-20 02-17 04-18 05-26 07-04 09-01 11-27 12-25', '07-03 11-28 12-24'],
  2015: ['01-01 01-19 02-16 04-03 05-25 07-03 09-07 11-26 12-25', '11-27 12-24'],
  2016: ['01-01 01-18 02-15 03-25 05-30 07-04 09-05 11-24 12-26', '11-25'],
  2017: ['01-02 01-16 02-20 04-14 05-29 07-04 09-04 11-23 12-25', '07-03 11-24'],
  2018: ['01-01 01-15 02-19 03-30 05-28 07-04 09-03 11-22 12-05 12-25', '07-03 11-23 12-24'],
  2019: ['01-01 01-21 02-18 04-19 05-27 07-04 09-02 11-28 12-25', '07-03 11-29 12-24'],
  2020: ['01-01 01-20 02-17 04-10 05-25 07-03 09-07 11-26 12-25', '11-27 12-24'],
  2021: ['01-01 01-18 02-15 04-02 05-31 07-05 09-06 11-25 12-24', '11-26'],
  2022: ['01-17 02-21 04-15 05-30 06-20 07-04 09-05 11-24 12-26', '11-25'],
  2023: ['01-02 01-16 02-20 04-07 05-29 06-19 07-04 09-04 11-23 12-25', '07-03 11-24'],
  2024: ['01-01 01-15 02-19 03-29 05-27 06-19 07-04 09-02 11-28 12-25', '07-03 11-29 12-24'],
  2025: ['01-01 01-09 01-20 02-17 04-18 05-26 06-19 07-04 09-01 11-27 12-25', '07-03 11-28 12-24'],
  2026: ['01-01 01-19 02-16 04-03 05-25 06-19 07-03 09-07 11-26 12-25', '11-27 12-24'],
  2027: ['01-01 01-18 02-15 03-26 05-31 06-18 07-05 09-06 11-25 12-24', '11-26'],
  2028: ['01-17 02-21 04-14 05-29 06-19 07-04 09-04 11-23 12-25', '07-03 11-24'],
  2029: ['01-01 01-15 02-19 03-30 05-28 06-19 07-04 09-03 11-22 12-25', '07-03 11-23 12-24'],
  2030: ['01-01 01-21 02-18 04-19 05-27 06-19 07-04 09-02 11-28 12-25', '07-03 11-29 12-24'],
};

/** Easter Sunday 2000-2030 from the published tables (not computed). */
const EASTER = [
  '04-23',
  '04-15',
  '03-31',
  '04-20',
  '04-11',
  '03-27',
  '04-16',
  '04-08',
  '03-23',
  '04-12',
  '04-04',
  '04-24',
  '04-08',
  '03-31',
  '04-20',
  '04-05',
  '03-27',
  '04-16',
  '04-01',
  '04-21',
  '04-12',
  '04-04',
  '04-17',
  '04-09',
  '03-31',
  '04-20',
  '04-05',
  '03-28',
  '04-16',
  '04-01',
  '04-21',
];

/** Trading days per year as NYSE counts them. */
const SESSIONS_PER_YEAR: Record<number, number> = {
  2001: 248,
  2012: 250,
  2018: 251,
  2019: 252,
  2020: 253,
  2021: 252,
  2022: 251,
  2023: 250,
  2024: 252,
  2025: 250,
};

/** Knuth's version of the Gregorian computus (TAOCP 1.3.2), independent of the one under test. */
function knuthEaster(year: number): string {
  const golden = (year % 19) + 1;
  const century = Math.floor(year / 100) + 1;
  const skipped = Math.floor((3 * century) / 4) - 12;
  const correction = Math.floor((8 * century + 5) / 25) - 5;
  const sunday = Math.floor((5 * year) / 4) - skipped - 10;
  let epact = (11 * golden + 20 + correction - skipped) % 30;
  if ((epact === 25 && golden > 11) || epact === 24) epact++;
  let n = 44 - epact;
  if (n < 21) n += 30;
  n = n + 7 - ((sunday + n) % 7);
  return n > 31
    ? `${year}-04-${String(n - 31).padStart(2, '0')}`
    : `${year}-03-${String(n).padStart(2, '0')}`;
}

const calendar = TradingCalendar.usEquities();

describe('us_equities against the published NYSE schedules', () => {
  it('has every holiday and early close from 2000 to 2030, and no others', () => {
    for (let year = 2000; year <= 2030; year++) {
      const [holidays, earlyCloses] = PUBLISHED[year] as readonly [string, string];
      const from = `${year}-01-01`;
      const to = `${year}-12-31`;
      expect(
        calendar
          .holidays(from, to)
          .map((h) => h.date.slice(5))
          .join(' '),
        `${year}`,
      ).toBe(holidays);
      const early = calendar.sessions(from, to).filter((s) => calendar.earlyCloseOn(s.date) !== undefined);
      expect(early.map((s) => s.date.slice(5)).join(' '), `${year}`).toBe(earlyCloses);
      for (const session of early) {
        expect(session.close - session.open).toBe(3.5 * 3_600_000);
        expect(calendar.earlyCloseOn(session.date)?.close).toBe('13:00');
      }
    }
  });

  it('puts Good Friday two days before the published Easter Sunday', () => {
    EASTER.forEach((easter, index) => {
      const year = 2000 + index;
      expect(formatCivilDate(easterSunday(year))).toBe(`${year}-${easter}`);
      const goodFriday = formatCivilDate((parseCivilDate(`${year}-${easter}`) as number) - 2);
      expect(calendar.holidayOn(goodFriday)).toBe('Good Friday');
    });
  });

  it('counts the published number of trading days per year', () => {
    for (const [year, count] of Object.entries(SESSIONS_PER_YEAR)) {
      expect(calendar.sessions(`${year}-01-01`, `${year}-12-31`).length, year).toBe(count);
    }
  });

  it('names holidays, and knows nothing of weekends or trading days', () => {
    expect(calendar.holidayOn('2024-03-29')).toBe('Good Friday');
    expect(calendar.holidayOn('2022-06-20')).toBe('Juneteenth');
    expect(calendar.holidayOn('2021-06-18')).toBeUndefined(); // Juneteenth came in 2022
    expect(calendar.holidayOn('1997-01-20')).toBeUndefined(); // MLK day came in 1998
    expect(calendar.holidayOn('1998-01-19')).toBe('Martin Luther King Jr. Day');
    expect(calendar.holidayOn('1994-04-27')).toBe('National day of mourning (Richard Nixon)');
    expect(calendar.holidayOn('2024-03-30')).toBeUndefined();
    expect(calendar.holidayOn('2024-03-28')).toBeUndefined();
    expect(calendar.isTradingDay('2024-12-25')).toBe(false);
    expect(calendar.sessionOn('2024-12-25')).toBeUndefined();
    expect(calendar.earlyCloseOn('2024-12-24')).toEqual({ name: 'Christmas Eve', close: '13:00' });
    expect(calendar.earlyCloseOn('1992-11-27')).toEqual({ name: 'Day after Thanksgiving', close: '14:00' });
    expect(calendar.earlyCloseOn('2024-12-23')).toBeUndefined();
    expect(calendar.earlyCloseOn('2024-12-25')).toBeUndefined();
  });

  it('closes at 13:00 New York on early-close days, in UTC across DST', () => {
    expect(calendar.sessionOn('2024-07-03')?.close).toBe(Date.parse('2024-07-03T17:00:00Z'));
    expect(calendar.sessionOn('2024-12-24')?.close).toBe(Date.parse('2024-12-24T18:00:00Z'));
    expect(calendar.hoursOn('2024-12-24').close).toBe(Date.parse('2024-12-24T18:00:00Z'));
    expect(calendar.sessionAt(Date.parse('2024-12-24T18:30:00Z'))).toBeUndefined();
  });
});

describe('the holiday rules (properties)', () => {
  const years = fc.integer({ min: 1990, max: 2035 });

  it('Easter agrees with an independent computus, always a Sunday from 22 March to 25 April', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 4099 }), (year) => {
        const easter = easterSunday(year);
        expect(formatCivilDate(easter)).toBe(knuthEaster(year));
        expect(civilWeekday(easter)).toBe(0);
        expect(easter).toBeGreaterThanOrEqual(parseCivilDate(`${year}-03-22`) as number);
        expect(easter).toBeLessThanOrEqual(parseCivilDate(`${year}-04-25`) as number);
      }),
    );
  });

  it('observed dates move Saturday to Friday and Sunday to Monday, weekdays stay', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30_000 }), (day) => {
        const weekday = civilWeekday(day);
        const observed = observedNearestWeekday(day);
        expect(observed - day).toBe(weekday === 6 ? -1 : weekday === 0 ? 1 : 0);
        expect(observedSundayToMonday(day)).toBe(weekday === 6 ? undefined : weekday === 0 ? day + 1 : day);
      }),
    );
  });

  it('the n-th weekday of a month is that weekday, in that month, n-1 weeks after the first', () => {
    fc.assert(
      fc.property(
        years,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 6 }),
        (year, month, weekday) => {
          const first = nthWeekday(year, month, weekday, 1);
          const last = nthWeekday(year, month, weekday, -1);
          expect(civilWeekday(first)).toBe(weekday);
          expect(civilWeekday(last)).toBe(weekday);
          expect(formatCivilDate(first).slice(0, 7)).toBe(`${year}-${String(month).padStart(2, '0')}`);
          expect(formatCivilDate(last).slice(0, 7)).toBe(`${year}-${String(month).padStart(2, '0')}`);
          expect(Number(formatCivilDate(first).slice(8))).toBeLessThanOrEqual(7);
          expect(formatCivilDate(last + 7).slice(5, 7)).not.toBe(String(month).padStart(2, '0'));
        },
      ),
    );
  });

  it('every year: holidays and early closes on weekdays, in the year, the fixed ones within a day of their date', () => {
    fc.assert(
      fc.property(years, (year) => {
        const days = nyseSpecialDays(year);
        const holidays = days.filter((d) => d.close === undefined);
        expect(holidays.length).toBeGreaterThanOrEqual(8);
        for (const special of days) {
          expect(civilWeekday(special.day)).toBeGreaterThanOrEqual(1);
          expect(civilWeekday(special.day)).toBeLessThanOrEqual(5);
          expect(formatCivilDate(special.day).slice(0, 4)).toBe(String(year));
        }
        const christmas = holidays.find((d) => d.name === 'Christmas') as { day: number };
        expect(Math.abs(christmas.day - (parseCivilDate(`${year}-12-25`) as number))).toBeLessThanOrEqual(1);
        const independence = holidays.find((d) => d.name === 'Independence Day') as { day: number };
        expect(Math.abs(independence.day - (parseCivilDate(`${year}-07-04`) as number))).toBeLessThanOrEqual(
          1,
        );
        const goodFriday = holidays.find((d) => d.name === 'Good Friday') as { day: number };
        expect(formatCivilDate(goodFriday.day + 2)).toBe(knuthEaster(year));
        // A day is either closed or closes early, never both.
        expect(new Set(days.map((d) => d.day)).size).toBe(days.length);
        // The calendar has a session on every weekday that is not a holiday, 252 +- 4 a year.
        const sessions = calendar.sessions(`${year}-01-01`, `${year}-12-31`).length;
        expect(sessions).toBeGreaterThanOrEqual(248);
        expect(sessions).toBeLessThanOrEqual(254);
      }),
    );
  });
});
