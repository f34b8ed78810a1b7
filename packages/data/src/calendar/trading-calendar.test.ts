import { ConfigError } from '@strat/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TradingCalendar } from './trading-calendar';

const at = (text: string): number => Date.parse(text);

describe('TradingCalendar.usEquities', () => {
  const calendar = TradingCalendar.usEquities();

  it('opens at 14:30Z in winter and 13:30Z after the March DST change', () => {
    expect(calendar.sessionOn('2024-03-08')).toEqual({
      date: '2024-03-08',
      open: at('2024-03-08T14:30:00Z'),
      close: at('2024-03-08T21:00:00Z'),
    });
    expect(calendar.sessionOn('2024-03-11')).toEqual({
      date: '2024-03-11',
      open: at('2024-03-11T13:30:00Z'),
      close: at('2024-03-11T20:00:00Z'),
    });
  });

  it('goes back to 14:30Z after the November DST change', () => {
    expect(calendar.sessionOn('2024-11-01')?.open).toBe(at('2024-11-01T13:30:00Z'));
    expect(calendar.sessionOn('2024-11-04')?.open).toBe(at('2024-11-04T14:30:00Z'));
  });

  it('lists weekday sessions only, both ends inclusive', () => {
    const sessions = calendar.sessions('2024-03-08', '2024-03-11');
    expect(sessions.map((s) => s.date)).toEqual(['2024-03-08', '2024-03-11']);
    expect(calendar.sessionOn('2024-03-09')).toBeUndefined();
    expect(calendar.isTradingDay('2024-03-10')).toBe(false);
    expect(calendar.sessions('2024-03-12', '2024-03-11')).toEqual([]);
  });

  it('finds the session in progress, with the close exclusive', () => {
    expect(calendar.sessionAt(at('2024-03-11T13:30:00Z'))?.date).toBe('2024-03-11');
    expect(calendar.sessionAt(at('2024-03-11T19:59:59Z'))?.date).toBe('2024-03-11');
    expect(calendar.sessionAt(at('2024-03-11T20:00:00Z'))).toBeUndefined();
    expect(calendar.sessionAt(at('2024-03-11T13:29:59Z'))).toBeUndefined();
    expect(calendar.sessionAt(at('2024-03-09T15:00:00Z'))).toBeUndefined();
  });

  it('finds the sessions overlapping a time range', () => {
    const sessions = calendar.sessionsBetween(at('2024-03-08T20:59:00Z'), at('2024-03-11T13:31:00Z'));
    expect(sessions.map((s) => s.date)).toEqual(['2024-03-08', '2024-03-11']);
    expect(calendar.sessionsBetween(at('2024-03-08T21:00:00Z'), at('2024-03-11T13:30:00Z'))).toEqual([]);
  });

  it('gives the hours of any date, trading day or not', () => {
    expect(calendar.hoursOn('2024-03-09').open).toBe(at('2024-03-09T14:30:00Z'));
  });

  it('agrees with sessionAt for random instants', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: at('2020-01-01T00:00:00Z'), max: at('2030-01-01T00:00:00Z') }),
        (time) => {
          const session = calendar.sessionAt(time);
          const around = calendar.sessionsBetween(time, time + 1);
          expect(around).toEqual(session === undefined ? [] : [session]);
        },
      ),
    );
  });
});

describe('other calendars', () => {
  it('always(): one UTC session per day, 00:00 to 24:00', () => {
    const calendar = TradingCalendar.always();
    expect(calendar.sessions('2024-03-09', '2024-03-10')).toEqual([
      { date: '2024-03-09', open: at('2024-03-09T00:00:00Z'), close: at('2024-03-10T00:00:00Z') },
      { date: '2024-03-10', open: at('2024-03-10T00:00:00Z'), close: at('2024-03-11T00:00:00Z') },
    ]);
    expect(calendar.sessionAt(at('2024-03-10T00:00:00Z'))?.date).toBe('2024-03-10');
  });

  it('a Berlin calendar follows European DST (2024-03-31)', () => {
    const calendar = new TradingCalendar({
      timezone: 'Europe/Berlin',
      open: '09:00',
      close: '17:30',
      weekdays: [1, 2, 3, 4, 5],
    });
    expect(calendar.sessionOn('2024-03-29')?.open).toBe(at('2024-03-29T08:00:00Z'));
    expect(calendar.sessionOn('2024-04-01')?.open).toBe(at('2024-04-01T07:00:00Z'));
    // New York has already switched: the gap between the two exchanges is an hour shorter for three weeks.
    expect(TradingCalendar.usEquities().sessionOn('2024-03-15')?.open).toBe(at('2024-03-15T13:30:00Z'));
  });

  it('a 24:00 close in New York ends at local midnight across the DST change', () => {
    const calendar = new TradingCalendar({
      timezone: 'America/New_York',
      open: '00:00',
      close: '24:00',
      weekdays: [0, 1, 2, 3, 4, 5, 6],
    });
    const sunday = calendar.sessionOn('2024-03-10');
    expect(sunday).toEqual({
      date: '2024-03-10',
      open: at('2024-03-10T05:00:00Z'),
      close: at('2024-03-11T04:00:00Z'),
    });
  });

  it('fromConfig fills what the section leaves out from the preset', () => {
    const calendar = TradingCalendar.fromConfig({ preset: '24x7', open: '08:00' });
    expect(calendar.timezone).toBe('UTC');
    expect(calendar.close).toBe('24:00');
    expect(calendar.sessionOn('2024-03-10')?.open).toBe(at('2024-03-10T08:00:00Z'));
    const defaults = TradingCalendar.fromConfig();
    expect([defaults.timezone, defaults.open, defaults.close, defaults.weekdays]).toEqual([
      'America/New_York',
      '09:30',
      '16:00',
      [1, 2, 3, 4, 5],
    ]);
  });

  it('reports every bad field with its JSON path', () => {
    let error: unknown;
    try {
      TradingCalendar.fromConfig({ timezone: 'Moon/Base', open: '9:30', weekdays: [] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual([
      'session_data_config.calendar.open',
      'session_data_config.calendar.weekdays',
      'session_data_config.calendar.timezone',
    ]);
    // A close before the open is an overnight session now (issue 15); the same time twice is not a session.
    expect(
      () => new TradingCalendar({ timezone: 'UTC', open: '16:00', close: '16:00', weekdays: [1] }),
    ).toThrow(/must differ from open/);
    expect(() => TradingCalendar.usEquities().sessions('2024-02-30', '2024-03-01')).toThrow(ConfigError);
  });
});

describe('holidays, early closes and sessions that start the evening before', () => {
  it('a config adds holidays and early closes to its preset, and checks them', () => {
    const calendar = TradingCalendar.fromConfig({
      preset: 'us_equities',
      holidays: ['2024-03-08'],
      early_closes: { '2024-03-11': '12:00' },
    });
    expect(calendar.sessionOn('2024-03-08')).toBeUndefined();
    expect(calendar.holidayOn('2024-03-08')).toBe('holiday (config)');
    expect(calendar.holidays('2024-03-01', '2024-03-31')).toEqual([
      { date: '2024-03-08', name: 'holiday (config)' },
      { date: '2024-03-29', name: 'Good Friday' },
    ]);
    expect(calendar.sessionOn('2024-03-11')?.close).toBe(at('2024-03-11T16:00:00Z'));
    expect(calendar.earlyCloseOn('2024-03-11')).toEqual({ name: 'early close (config)', close: '12:00' });
    let error: unknown;
    try {
      TradingCalendar.fromConfig({
        holidays: ['2024-02-30'],
        early_closes: { '2024-03-11': '17:00', '2024-13-01': '12:00', '2024-03-12': '1pm' },
      });
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual([
      'session_data_config.calendar.holidays[0]',
      'session_data_config.calendar.early_closes.2024-03-11',
      'session_data_config.calendar.early_closes.2024-13-01',
      'session_data_config.calendar.early_closes.2024-03-12',
    ]);
  });

  it('custom and 24x7 have no built-in holidays; hours overridden past an early close keep the later one away', () => {
    expect(TradingCalendar.always().sessionOn('2024-12-25')).toBeDefined();
    const custom = TradingCalendar.fromConfig({
      preset: 'custom',
      timezone: 'Asia/Tokyo',
      open: '09:00',
      close: '15:00',
    });
    expect(custom.sessionOn('2024-12-25')?.open).toBe(at('2024-12-25T00:00:00Z'));
    expect(custom.sessionOn('2024-12-28')).toBeUndefined();
    // us_equities hours cut to 12:00: the 13:00 early close changes nothing, holidays still apply.
    const morning = TradingCalendar.fromConfig({ close: '12:00' });
    expect(morning.sessionOn('2024-12-24')?.close).toBe(at('2024-12-24T17:00:00Z'));
    expect(morning.earlyCloseOn('2024-12-24')).toBeUndefined();
    expect(morning.sessionOn('2024-12-25')).toBeUndefined();
  });

  // Every day, 18:00 the evening before to 17:00 New York time: DST changes fall inside weekend sessions.
  const overnight = new TradingCalendar({
    timezone: 'America/New_York',
    open: '18:00',
    close: '17:00',
    weekdays: [0, 1, 2, 3, 4, 5, 6],
  });

  it('dates a session by the day it ends; DST inside a session makes it 22 or 24 hours', () => {
    expect(overnight.overnight).toBe(true);
    // Spring forward at 02:00 on Sunday 2024-03-10: from 18:00 EST to 17:00 EDT is 22 hours.
    expect(overnight.sessionOn('2024-03-10')).toEqual({
      date: '2024-03-10',
      open: at('2024-03-09T23:00:00Z'),
      close: at('2024-03-10T21:00:00Z'),
    });
    // Fall back at 02:00 on Sunday 2024-11-03: from 18:00 EDT to 17:00 EST is 24 hours.
    expect(overnight.sessionOn('2024-11-03')).toEqual({
      date: '2024-11-03',
      open: at('2024-11-02T22:00:00Z'),
      close: at('2024-11-03T22:00:00Z'),
    });
    // The repeated hour 01:00-02:00 belongs to the one session, once per instant.
    expect(overnight.sessionAt(at('2024-11-03T05:30:00Z'))?.date).toBe('2024-11-03');
    expect(overnight.sessionAt(at('2024-11-03T06:30:00Z'))?.date).toBe('2024-11-03');
    expect(overnight.sessionAt(at('2024-03-10T06:59:00Z'))?.date).toBe('2024-03-10');
    expect(overnight.sessionAt(at('2024-03-10T07:00:00Z'))?.date).toBe('2024-03-10');
  });

  it('the session date of an instant: from the open on, the next local date', () => {
    expect(overnight.sessionDateOf(at('2024-03-08T22:59:59Z'))).toBe('2024-03-08'); // 17:59:59 EST, in the break
    expect(overnight.sessionAt(at('2024-03-08T22:30:00Z'))).toBeUndefined();
    expect(overnight.sessionDateOf(at('2024-03-08T23:00:00Z'))).toBe('2024-03-09'); // 18:00 EST
    expect(overnight.sessionAt(at('2024-03-08T23:00:00Z'))?.date).toBe('2024-03-09');
    expect(
      overnight.sessionsBetween(at('2024-03-08T21:59:00Z'), at('2024-03-08T23:01:00Z')).map((s) => s.date),
    ).toEqual(['2024-03-08', '2024-03-09']);
    const regular = TradingCalendar.usEquities();
    expect(regular.sessionDateOf(at('2024-03-08T23:00:00Z'))).toBe('2024-03-08');
    expect(regular.sessionDay(at('2024-03-09T04:59:59Z'))).toBe(regular.localDay(at('2024-03-09T04:59:59Z')));
  });

  it('answers sessionDateOf for every bar of a session, the next session and back (the last date is kept)', () => {
    const globex = TradingCalendar.fromConfig({ preset: 'cme_globex_equity' });
    const first = globex.sessionDateOf(at('2024-03-05T14:30:00Z'));
    expect(first).toBe('2024-03-05');
    // Every later minute of the session gets the kept date back.
    const same = new Set<string>();
    for (let t = at('2024-03-05T14:31:00Z'); t < at('2024-03-05T22:00:00Z'); t += 60_000) {
      same.add(globex.sessionDateOf(t));
    }
    expect([...same]).toEqual(['2024-03-05']);
    expect(globex.sessionDateOf(at('2024-03-05T23:00:00Z'))).toBe('2024-03-06');
    // Going back to an earlier date (a strategy rebuilding from its window) still answers right.
    expect(globex.sessionDateOf(at('2024-03-05T21:59:00Z'))).toBe('2024-03-05');
    expect(globex.dateOfDay(globex.sessionDay(at('2024-03-05T23:00:00Z')))).toBe('2024-03-06');
  });

  it('sessionDateOf (cached per date span) always answers as sessionDay, in any order, DST and odd zones included', () => {
    const calendars = [
      TradingCalendar.fromConfig({ preset: 'cme_globex_equity' }),
      TradingCalendar.usEquities(),
      TradingCalendar.always(),
      // An overnight open inside the spring-forward gap (02:30 does not exist that night in New York).
      new TradingCalendar({
        timezone: 'America/New_York',
        open: '02:30',
        close: '01:00',
        weekdays: [0, 1, 2, 3, 4, 5, 6],
      }),
      // Chile moves its clocks at midnight: some days have no 00:00.
      new TradingCalendar({
        timezone: 'America/Santiago',
        open: '00:00',
        close: '24:00',
        weekdays: [0, 1, 2, 3, 4, 5, 6],
      }),
      new TradingCalendar({
        timezone: 'Asia/Kolkata',
        open: '23:00',
        close: '22:00',
        weekdays: [1, 2, 3, 4, 5],
      }),
    ];
    const reference = (calendar: TradingCalendar, time: number) => {
      const day = calendar.sessionDay(time);
      return new Date(day * 86_400_000).toISOString().slice(0, 10);
    };
    // Around the DST changes of 2024 (New York, Chile) and at random, in runs of nearby minutes.
    const anchor = fc.constantFrom(
      at('2024-03-10T06:00:00Z'),
      at('2024-11-03T05:00:00Z'),
      at('2024-04-07T03:00:00Z'),
      at('2024-09-08T03:00:00Z'),
      at('2024-03-05T22:00:00Z'),
    );
    const instant = fc.oneof(
      fc.tuple(anchor, fc.integer({ min: -36 * 60, max: 36 * 60 })).map(([a, m]) => a + m * 60_000),
      fc.integer({ min: at('1995-01-01T00:00:00Z'), max: at('2035-01-01T00:00:00Z') }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...calendars.keys()),
        fc.array(instant, { minLength: 1, maxLength: 60 }),
        (i, times) => {
          const calendar = calendars[i] as TradingCalendar;
          for (const time of times) expect(calendar.sessionDateOf(time)).toBe(reference(calendar, time));
          // A run of consecutive minutes, as bars come, crossing the span's ends.
          const from = times[0] as number;
          for (let t = from - 90 * 60_000; t < from + 90 * 60_000; t += 60_000) {
            expect(calendar.sessionDateOf(t)).toBe(reference(calendar, t));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sessionAt, sessionsBetween and sessionDateOf agree for random instants (overnight and Globex)', () => {
    const globex = TradingCalendar.fromConfig({ preset: 'cme_globex_equity' });
    fc.assert(
      fc.property(
        fc.integer({ min: at('1995-01-01T00:00:00Z'), max: at('2035-01-01T00:00:00Z') }),
        fc.constantFrom(overnight, globex),
        (time, calendar) => {
          const session = calendar.sessionAt(time);
          expect(calendar.sessionsBetween(time, time + 1)).toEqual(session === undefined ? [] : [session]);
          if (session !== undefined) expect(calendar.sessionDateOf(time)).toBe(session.date);
        },
      ),
    );
  });
});
