import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalCalendarDay } from './local-calendar-day';

const MINUTE = 60_000;
const DAY = 86_400_000;

const referenceFormats = new Map<string, Intl.DateTimeFormat>();

/** Independent answer: the day `Intl` prints for the instant (`en-CA` prints YYYY-MM-DD). */
function referenceKey(timeZone: string, timeMs: number): number {
  let format = referenceFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    referenceFormats.set(timeZone, format);
  }
  return Number(format.format(timeMs).replace(/-/g, ''));
}

// Zones with daylight saving at 2:00 (New York), at midnight (Havana, Tehran until 2022, Sao Paulo
// until 2019), by 30 minutes (Lord Howe), odd offsets (Kolkata, Chatham, St Johns), and Apia, which
// skipped 30 December 2011 entirely.
const ZONES = [
  'America/New_York',
  'Europe/London',
  'America/Havana',
  'Asia/Tehran',
  'America/Sao_Paulo',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'America/St_Johns',
  'Pacific/Apia',
  'UTC',
] as const;

describe('LocalCalendarDay', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('names the local calendar day', () => {
    const days = new LocalCalendarDay('America/New_York');
    expect(days.keyOf(Date.UTC(2024, 2, 8, 3, 0))).toBe(20240307);
    expect(days.keyOf(Date.UTC(2024, 2, 8, 5, 0))).toBe(20240308);
    expect(days.keyOf(Date.UTC(2024, 2, 9, 4, 59, 59, 999))).toBe(20240308);
    expect(days.keyOf(Date.UTC(2024, 2, 9, 5, 0))).toBe(20240309);
    expect(new LocalCalendarDay('Asia/Tokyo').keyOf(Date.UTC(2024, 2, 8, 15, 0))).toBe(20240309);
  });

  it('agrees with Intl minute by minute across daylight-saving switches', () => {
    const walks: Array<[string, number]> = [
      ['America/New_York', Date.UTC(2024, 2, 9)],
      ['America/New_York', Date.UTC(2024, 10, 2)],
      ['America/Havana', Date.UTC(2024, 2, 9)],
      ['America/Havana', Date.UTC(2024, 10, 2)],
      ['Australia/Lord_Howe', Date.UTC(2024, 3, 5)],
      ['Pacific/Apia', Date.UTC(2011, 11, 28)],
    ];
    for (const [zone, from] of walks) {
      const days = new LocalCalendarDay(zone);
      for (let t = from; t < from + 3 * DAY; t += MINUTE) {
        if (days.keyOf(t) !== referenceKey(zone, t)) {
          throw new Error(
            `${zone} ${new Date(t).toISOString()}: ${days.keyOf(t)} != ${referenceKey(zone, t)}`,
          );
        }
      }
    }
  });

  it('agrees with Intl for instants in any order', () => {
    const from = Date.UTC(2008, 0, 1);
    const to = Date.UTC(2027, 0, 1);
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: from, max: to }),
        fc.array(fc.integer({ min: -3 * DAY, max: 3 * DAY }), { minLength: 1, maxLength: 60 }),
        (zone, base, offsets) => {
          const days = new LocalCalendarDay(zone);
          for (const offset of offsets) {
            expect(days.keyOf(base + offset)).toBe(referenceKey(zone, base + offset));
          }
        },
      ),
    );
  });

  it('asks Intl about twice per day when bars come in time order', () => {
    const lookups = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    const days = new LocalCalendarDay('America/New_York');
    const from = Date.UTC(2024, 2, 4);
    for (let t = from; t < from + 10 * DAY; t += MINUTE) days.keyOf(t);
    expect(lookups.mock.calls.length).toBeLessThanOrEqual(2 * 11);
  });

  it('rejects an unknown time zone', () => {
    expect(() => new LocalCalendarDay('Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('LocalCalendarDay with a session start (sessions that start the evening before)', () => {
  /** Independent answer: the local date of the instant, the next one from `startHour` on. */
  function sessionKey(timeZone: string, timeMs: number, startHour: number): number {
    const hour = Number(
      new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(timeMs),
    );
    if (hour < startHour) return referenceKey(timeZone, timeMs);
    // The next local date: a day later and back to before the start hour is never needed; step
    // forward to the next instant whose local hour is below the start hour.
    let probe = timeMs;
    while (referenceKey(timeZone, probe) === referenceKey(timeZone, timeMs)) probe += 30 * MINUTE;
    return referenceKey(timeZone, probe);
  }

  it('dates 18:00 and later New York time as the next day, across both DST changes', () => {
    const days = new LocalCalendarDay('America/New_York', 18 * 60 * MINUTE);
    expect(days.keyOf(Date.parse('2024-03-08T22:59:00Z'))).toBe(20240308); // Fri 17:59 EST
    expect(days.keyOf(Date.parse('2024-03-08T23:00:00Z'))).toBe(20240309); // Fri 18:00 EST
    expect(days.keyOf(Date.parse('2024-03-10T21:59:00Z'))).toBe(20240310); // Sun 17:59 EDT
    expect(days.keyOf(Date.parse('2024-03-10T22:00:00Z'))).toBe(20240311); // Sun 18:00 EDT
    expect(days.keyOf(Date.parse('2024-11-03T22:59:00Z'))).toBe(20241103); // Sun 17:59 EST
    expect(days.keyOf(Date.parse('2024-11-03T23:00:00Z'))).toBe(20241104); // Sun 18:00 EST
    expect(days.keyOf(Date.parse('2024-12-31T23:30:00Z'))).toBe(20250101); // year end
    expect(() => new LocalCalendarDay('UTC', DAY)).toThrow(RangeError);
  });

  it('agrees with Intl minute by minute over DST weeks, walking forward', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('America/New_York', 'Europe/London', 'Australia/Lord_Howe'),
        fc.integer({ min: 1, max: 23 }),
        fc.constantFrom(Date.parse('2024-03-09T00:00:00Z'), Date.parse('2024-10-26T00:00:00Z')),
        (zone, startHour, from) => {
          const days = new LocalCalendarDay(zone, startHour * 60 * MINUTE);
          for (let t = from; t < from + 3 * DAY; t += 17 * MINUTE) {
            expect(days.keyOf(t)).toBe(sessionKey(zone, t, startHour));
          }
        },
      ),
      { numRuns: 20 },
    );
  });
});
