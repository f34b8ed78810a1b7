import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error';
import { CALENDAR_PRESETS, calendarConfigSchema, resolveCalendarConfig } from './calendar-config';

describe('resolveCalendarConfig', () => {
  it('uses the US equities preset when nothing is given', () => {
    expect(resolveCalendarConfig()).toEqual({
      timezone: 'America/New_York',
      open: '09:30',
      close: '16:00',
      weekdays: [1, 2, 3, 4, 5],
    });
    expect(resolveCalendarConfig(calendarConfigSchema.parse({}))).toEqual(resolveCalendarConfig());
  });

  it('fills the 24x7 preset', () => {
    expect(resolveCalendarConfig({ preset: '24x7' })).toEqual({
      timezone: 'UTC',
      open: '00:00',
      close: '24:00',
      weekdays: [0, 1, 2, 3, 4, 5, 6],
    });
  });

  it('keeps given fields over the preset and sorts weekdays', () => {
    expect(
      resolveCalendarConfig({
        preset: 'us_equities',
        timezone: 'Europe/London',
        close: '16:30',
        weekdays: [5, 1],
      }),
    ).toEqual({ timezone: 'Europe/London', open: '09:30', close: '16:30', weekdays: [1, 5] });
  });

  it('returns copies, so callers cannot change the presets', () => {
    resolveCalendarConfig().weekdays.push(6);
    expect(CALENDAR_PRESETS.us_equities.weekdays).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses an unknown time zone with its JSON path', () => {
    let error: unknown;
    try {
      resolveCalendarConfig({ preset: 'us_equities', timezone: 'Atlantis/Capital' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).path).toBe('session_data_config.calendar.timezone');
    expect((error as ConfigError).message).toMatch(/unknown time zone "Atlantis\/Capital"/);
  });
});

describe('calendarConfigSchema', () => {
  it('accepts a session that runs to midnight and refuses one that closes at its open', () => {
    expect(calendarConfigSchema.safeParse({ open: '18:00', close: '24:00' }).success).toBe(true);
    expect(calendarConfigSchema.safeParse({ preset: '24x7', open: '24:00' }).success).toBe(false);
  });
});

describe('calendar presets, holidays, early closes and overnight sessions', () => {
  it('fills cme_globex_equity: 18:00 the evening before to 17:00 New York, Monday to Friday', () => {
    expect(resolveCalendarConfig(calendarConfigSchema.parse({ preset: 'cme_globex_equity' }))).toEqual({
      timezone: 'America/New_York',
      open: '18:00',
      close: '17:00',
      weekdays: [1, 2, 3, 4, 5],
    });
  });

  it('accepts an open later than the close, and refuses the same time twice or an open at 24:00', () => {
    expect(
      calendarConfigSchema.safeParse({ preset: 'custom', timezone: 'UTC', open: '22:00', close: '21:00' })
        .success,
    ).toBe(true);
    const same = calendarConfigSchema.safeParse({ open: '16:00', close: '16:00' });
    expect(same.success).toBe(false);
    expect(same.error?.issues[0]?.path).toEqual(['close']);
    expect(same.error?.issues[0]?.message).toMatch(/another time than it opens/);
    expect(calendarConfigSchema.safeParse({ open: '24:00', close: '17:00' }).success).toBe(false);
  });

  it('custom needs its hours and time zone', () => {
    const result = calendarConfigSchema.safeParse({ preset: 'custom' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['timezone', 'open', 'close']);
  });

  it('takes holidays and early closes, checks their dates and that an early close lies in the session', () => {
    const parsed = calendarConfigSchema.parse({
      holidays: ['2024-03-08'],
      early_closes: { '2024-03-11': '12:00' },
    });
    expect(resolveCalendarConfig(parsed)).toEqual({
      timezone: 'America/New_York',
      open: '09:30',
      close: '16:00',
      weekdays: [1, 2, 3, 4, 5],
      holidays: ['2024-03-08'],
      early_closes: { '2024-03-11': '12:00' },
    });
    const bad = calendarConfigSchema.safeParse({
      holidays: ['2024-02-30'],
      early_closes: { '2024-03-11': '17:00', '2024-03-12': '09:00' },
    });
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'holidays.0',
      'early_closes.2024-03-11',
      'early_closes.2024-03-12',
    ]);
    // Overnight: any time before the close on the session date is inside the session.
    expect(
      calendarConfigSchema.safeParse({ preset: 'cme_globex_equity', early_closes: { '2024-07-03': '13:00' } })
        .success,
    ).toBe(true);
    expect(calendarConfigSchema.safeParse({ early_closes: { '2024-13-01': '12:00' } }).success).toBe(false);
  });
});
