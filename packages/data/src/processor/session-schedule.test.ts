import { describe, expect, it } from 'vitest';
import { TradingCalendar } from '../calendar/trading-calendar';
import { SessionSchedule } from './session-schedule';

const calendar = TradingCalendar.usEquities();
const at = (iso: string) => Date.parse(iso);

describe('SessionSchedule', () => {
  it('walks a fixed range session by session, those without bars included', () => {
    const schedule = new SessionSchedule(calendar, { startDate: '2024-01-04', endDate: '2024-01-09' });
    const dates: string[] = [];
    for (let s = schedule.next(undefined, 0); s !== undefined; s = schedule.next(s, 0)) dates.push(s.date);
    expect(dates).toEqual(['2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09']);
    expect(schedule.first?.date).toBe('2024-01-04');
    expect(schedule.endTime).toBe(at('2024-01-09T21:00:00Z'));
    expect(schedule.isLast(calendar.hoursOn('2024-01-09'))).toBe(true);
    expect(
      new SessionSchedule(calendar, { startDate: '2024-01-06', endDate: '2024-01-07' }).first,
    ).toBeUndefined();
  });

  it('open-ended (live): starts at the session still open at a time, or the next one, and stops after the end date', () => {
    const live = new SessionSchedule(calendar, { endDate: '2024-01-09' });
    expect(live.first).toBeUndefined();
    // Saturday night: the next session is Monday's; during a session, that session.
    expect(live.next(undefined, at('2024-01-06T23:00:00Z'))?.date).toBe('2024-01-08');
    expect(live.next(undefined, at('2024-01-08T15:00:00Z'))?.date).toBe('2024-01-08');
    const monday = calendar.hoursOn('2024-01-08');
    expect(live.next(monday, 0)?.date).toBe('2024-01-09');
    expect(live.next(calendar.hoursOn('2024-01-09'), 0)).toBeUndefined();
    const forever = new SessionSchedule(calendar, {});
    expect(forever.endTime).toBe(Number.POSITIVE_INFINITY);
    expect(forever.next(calendar.hoursOn('2024-12-30'), 0)?.date).toBe('2024-12-31');
  });

  it('finds the sessions holding the last N base bars before a time, before the range too', () => {
    const schedule = new SessionSchedule(calendar, { startDate: '2024-01-08', endDate: '2024-01-08' });
    const minute = 60_000;
    const open = at('2024-01-08T14:30:00Z');
    expect(schedule.historyBefore(open, 0, minute)).toEqual([]);
    expect(schedule.historyBefore(open, 390, minute).map((s) => s.date)).toEqual(['2024-01-05']);
    expect(schedule.historyBefore(open, 391, minute).map((s) => s.date)).toEqual([
      '2024-01-04',
      '2024-01-05',
    ]);
    expect(schedule.historyBefore(open, 2000, minute)).toHaveLength(6);
  });
});
