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
