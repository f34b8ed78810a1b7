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
