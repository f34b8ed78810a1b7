import { describe, expect, it } from 'vitest';
import { TradingCalendar } from '../trading-calendar';

const at = (text: string): number => Date.parse(text);
const calendar = TradingCalendar.fromConfig({ preset: 'cme_globex_equity' });
const hours = (date: string) => {
  const s = calendar.sessionOn(date);
  return s === undefined ? undefined : [new Date(s.open).toISOString(), new Date(s.close).toISOString()];
};

describe('cme_globex_equity', () => {
  it('runs Sunday 18:00 to Friday 17:00 New York time, one session per weekday dated by its end', () => {
    expect(calendar.sessions('2024-03-02', '2024-03-10').map((s) => s.date)).toEqual([
      '2024-03-04',
      '2024-03-05',
      '2024-03-06',
      '2024-03-07',
      '2024-03-08',
    ]);
    expect(hours('2024-03-04')).toEqual(['2024-03-03T23:00:00.000Z', '2024-03-04T22:00:00.000Z']);
    // The first week after the March DST change: Sunday 18:00 EDT is 22:00Z.
    expect(hours('2024-03-11')).toEqual(['2024-03-10T22:00:00.000Z', '2024-03-11T21:00:00.000Z']);
    // And after November's: back to 23:00Z.
    expect(hours('2024-11-04')).toEqual(['2024-11-03T23:00:00.000Z', '2024-11-04T22:00:00.000Z']);
    expect(calendar.sessionAt(at('2024-03-08T22:30:00Z'))).toBeUndefined(); // Friday after 17:00 EST
    expect(calendar.sessionAt(at('2024-03-09T15:00:00Z'))).toBeUndefined(); // Saturday
    expect(calendar.sessionAt(at('2024-03-05T22:30:00Z'))).toBeUndefined(); // the daily break
    expect(calendar.sessionAt(at('2024-03-05T23:00:00Z'))?.date).toBe('2024-03-06');
  });

  it('halts early on US holidays and closes on Christmas, New Year and Good Friday (Thanksgiving and Christmas 2024)', () => {
    expect(hours('2024-11-28')).toEqual(['2024-11-27T23:00:00.000Z', '2024-11-28T18:00:00.000Z']);
    expect(calendar.earlyCloseOn('2024-11-28')).toEqual({ name: 'Thanksgiving', close: '13:00' });
    expect(hours('2024-11-29')).toEqual(['2024-11-28T23:00:00.000Z', '2024-11-29T18:15:00.000Z']);
    expect(hours('2024-12-24')).toEqual(['2024-12-23T23:00:00.000Z', '2024-12-24T18:15:00.000Z']);
    expect(hours('2024-12-25')).toBeUndefined();
    expect(calendar.holidayOn('2024-12-25')).toBe('Christmas');
    expect(hours('2024-12-26')).toEqual(['2024-12-25T23:00:00.000Z', '2024-12-26T22:00:00.000Z']);
    expect(calendar.holidayOn('2024-03-29')).toBe('Good Friday');
    expect(calendar.holidayOn('2025-01-01')).toBe("New Year's Day");
    expect(calendar.holidays('2024-01-01', '2024-12-31').map((h) => h.date)).toEqual([
      '2024-01-01',
      '2024-03-29',
      '2024-12-25',
    ]);
  });

  it('halts on a Monday holiday at 13:00, and the next session opens at 18:00 that evening', () => {
    expect(hours('2024-01-15')).toEqual(['2024-01-14T23:00:00.000Z', '2024-01-15T18:00:00.000Z']);
    expect(hours('2024-01-16')).toEqual(['2024-01-15T23:00:00.000Z', '2024-01-16T22:00:00.000Z']);
    expect(calendar.earlyCloseOn('2018-12-05')).toEqual({
      name: 'National day of mourning (George H. W. Bush)',
      close: '09:30',
    });
  });
});
