import { ConfigError } from '@strat/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertTimeZone,
  parseTimeOfDayText,
  timeZoneOffset,
  utcToZonedParts,
  zonedTimeToUtc,
  zonedWallTimeToUtc,
} from './zoned-time';

const HOUR = 3_600_000;

describe('zonedTimeToUtc', () => {
  it('applies New York daylight saving time (EST before, EDT after 2024-03-10)', () => {
    expect(zonedTimeToUtc('2024-03-08', '09:30', 'America/New_York')).toBe(
      Date.parse('2024-03-08T14:30:00Z'),
    );
    expect(zonedTimeToUtc('2024-03-11', '09:30', 'America/New_York')).toBe(
      Date.parse('2024-03-11T13:30:00Z'),
    );
    expect(zonedTimeToUtc('2024-11-01', '09:30', 'America/New_York')).toBe(
      Date.parse('2024-11-01T13:30:00Z'),
    );
    expect(zonedTimeToUtc('2024-11-04', '09:30', 'America/New_York')).toBe(
      Date.parse('2024-11-04T14:30:00Z'),
    );
  });

  it('applies Berlin daylight saving time (CET before, CEST after 2024-03-31)', () => {
    expect(zonedTimeToUtc('2024-03-29', '09:00', 'Europe/Berlin')).toBe(Date.parse('2024-03-29T08:00:00Z'));
    expect(zonedTimeToUtc('2024-04-02', '09:00', 'Europe/Berlin')).toBe(Date.parse('2024-04-02T07:00:00Z'));
    expect(zonedTimeToUtc('2024-10-28', '09:00', 'Europe/Berlin')).toBe(Date.parse('2024-10-28T08:00:00Z'));
  });

  it('moves a skipped wall time forward and takes the earlier of a repeated one', () => {
    // 02:30 does not exist in New York on 2024-03-10: it becomes 03:30 EDT.
    expect(zonedTimeToUtc('2024-03-10', '02:30', 'America/New_York')).toBe(
      Date.parse('2024-03-10T07:30:00Z'),
    );
    // 01:30 happens twice on 2024-11-03: the first time, still EDT.
    expect(zonedTimeToUtc('2024-11-03', '01:30', 'America/New_York')).toBe(
      Date.parse('2024-11-03T05:30:00Z'),
    );
  });

  it('reads 24:00 as midnight at the end of the day', () => {
    expect(zonedTimeToUtc('2024-03-09', '24:00', 'UTC')).toBe(Date.parse('2024-03-10T00:00:00Z'));
    expect(zonedTimeToUtc('2024-03-09', '24:00', 'America/New_York')).toBe(
      Date.parse('2024-03-10T05:00:00Z'),
    );
  });

  it('rejects malformed dates and times with a ConfigError', () => {
    expect(() => zonedTimeToUtc('2024-02-30', '09:30', 'UTC')).toThrow(ConfigError);
    expect(() => zonedTimeToUtc('2024-02-28', '9:30', 'UTC')).toThrow(/HH:MM/);
    expect(() => zonedTimeToUtc('2024-02-28', '24:01', 'UTC')).toThrow(ConfigError);
  });
});

describe('time zone validation', () => {
  it('throws a ConfigError naming the path and the bad zone', () => {
    expect(() => assertTimeZone('Mars/Olympus', 'session_data_config.calendar.timezone')).toThrow(
      ConfigError,
    );
    try {
      assertTimeZone('Mars/Olympus', 'session_data_config.calendar.timezone');
    } catch (error) {
      expect((error as ConfigError).path).toBe('session_data_config.calendar.timezone');
      expect((error as ConfigError).message).toContain('unknown time zone "Mars/Olympus"');
    }
    expect(() => utcToZonedParts(0, 'Nowhere/Land')).toThrow(ConfigError);
  });

  it('accepts IANA names', () => {
    expect(() => assertTimeZone('Asia/Kolkata')).not.toThrow();
    expect(timeZoneOffset(Date.parse('2024-06-01T00:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * HOUR);
  });
});

describe('utcToZonedParts', () => {
  it('shows the wall clock, weekday and offset', () => {
    const parts = utcToZonedParts(Date.parse('2024-03-11T13:30:15.250Z'), 'America/New_York');
    expect(parts).toEqual({
      year: 2024,
      month: 3,
      day: 11,
      hour: 9,
      minute: 30,
      second: 15,
      millisecond: 250,
      weekday: 1,
      date: '2024-03-11',
      offsetMs: -4 * HOUR,
    });
  });

  it('finds the exact second of a transition', () => {
    const switchAt = Date.parse('2024-03-10T07:00:00Z');
    expect(timeZoneOffset(switchAt - 1, 'America/New_York')).toBe(-5 * HOUR);
    expect(timeZoneOffset(switchAt, 'America/New_York')).toBe(-4 * HOUR);
    // Lord Howe moves by half an hour, at 15:00Z.
    expect(timeZoneOffset(Date.parse('2024-04-06T14:59:59Z'), 'Australia/Lord_Howe')).toBe(11 * HOUR);
    expect(timeZoneOffset(Date.parse('2024-04-06T15:00:00Z'), 'Australia/Lord_Howe')).toBe(10.5 * HOUR);
  });

  it('round-trips with zonedWallTimeToUtc for random instants in several zones', () => {
    const zones = [
      'America/New_York',
      'Europe/Berlin',
      'Asia/Tokyo',
      'Australia/Sydney',
      'Asia/Kolkata',
      'UTC',
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('1990-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') }),
        fc.constantFrom(...zones),
        (time, zone) => {
          const parts = utcToZonedParts(time, zone);
          const wall = Date.UTC(
            parts.year,
            parts.month - 1,
            parts.day,
            parts.hour,
            parts.minute,
            parts.second,
            parts.millisecond,
          );
          expect(wall - time).toBe(parts.offsetMs);
          const back = zonedWallTimeToUtc(wall, zone);
          // A repeated wall time maps to its earlier instant: either way the wall clock reads the same.
          if (back !== time) {
            expect(back).toBeLessThan(time);
            const again = utcToZonedParts(back, zone);
            expect({ ...again, offsetMs: 0 }).toEqual({ ...parts, offsetMs: 0 });
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('agrees with Intl for the local date string and weekday', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.parse('2050-01-01T00:00:00Z') }), (time) => {
        const parts = utcToZonedParts(time, 'Europe/Berlin');
        const intlDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(time);
        expect(parts.date).toBe(intlDate);
        const intlWeekday = new Intl.DateTimeFormat('en-US', {
          timeZone: 'Europe/Berlin',
          weekday: 'short',
        }).format(time);
        expect(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][parts.weekday]).toBe(intlWeekday);
      }),
      { numRuns: 200 },
    );
  });
});

describe('timeZoneOffset', () => {
  /** The offset the wall clock shows: every field formatted, read back as UTC (independent of the formatter used inside). */
  function wallClockOffset(time: number, timezone: string): number {
    const second = Math.floor(time / 1000) * 1000;
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(second);
    const field = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
    const wall = new Date(0);
    wall.setUTCFullYear(field('year'), field('month') - 1, field('day'));
    wall.setUTCHours(field('hour'), field('minute'), field('second'), 0);
    return wall.getTime() - second;
  }

  it('equals the wall clock minus UTC, also for odd offsets, half-hour DST and local mean times', () => {
    const zones = [
      'America/New_York',
      'Europe/Berlin',
      'Asia/Kolkata',
      'Asia/Kathmandu',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'America/St_Johns',
      'Africa/Monrovia',
      'Europe/London',
      'Etc/GMT-14',
      'UTC',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.parse('1800-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') }),
        (timezone, time) => {
          expect(timeZoneOffset(time, timezone)).toBe(wallClockOffset(time, timezone));
        },
      ),
      { numRuns: 1000 },
    );
    expect(timeZoneOffset(Date.parse('1850-01-01T00:00:00Z'), 'America/New_York')).toBe(
      -(4 * 3600 + 56 * 60 + 2) * 1000,
    );
  });
});

describe('parseTimeOfDayText', () => {
  it('accepts HH:MM, HH:MM:SS and 24:00 only', () => {
    expect(parseTimeOfDayText('09:30')).toBe(9.5 * HOUR);
    expect(parseTimeOfDayText('23:59:59')).toBe(24 * HOUR - 1000);
    expect(parseTimeOfDayText('24:00')).toBe(24 * HOUR);
    expect(parseTimeOfDayText('24:00:01')).toBeUndefined();
    expect(parseTimeOfDayText('12:60')).toBeUndefined();
    expect(parseTimeOfDayText('9:30')).toBeUndefined();
  });
});
