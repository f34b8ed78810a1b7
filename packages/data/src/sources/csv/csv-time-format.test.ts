import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zonedWallTimeToUtc } from '../../calendar/zoned-time';
import {
  IsoTimestampParser,
  parseCsvDate,
  parseCsvTimeOfDay,
  parseLocalDateTime,
  WallClockZone,
} from './csv-time-format';

const day = (text: string): number => Date.parse(`${text}T00:00:00Z`) / 86_400_000;

describe('parseCsvDate', () => {
  it('reads each date format and rejects impossible dates', () => {
    expect(parseCsvDate('2024-03-08', 'YYYY-MM-DD')).toBe(day('2024-03-08'));
    expect(parseCsvDate('20240308', 'YYYYMMDD')).toBe(day('2024-03-08'));
    expect(parseCsvDate('03/08/2024', 'MM/DD/YYYY')).toBe(day('2024-03-08'));
    expect(parseCsvDate('2024-02-30', 'YYYY-MM-DD')).toBeUndefined();
    expect(parseCsvDate('08/03/2024x', 'MM/DD/YYYY')).toBeUndefined();
    expect(parseCsvDate('2024-03-08', 'YYYYMMDD')).toBeUndefined();
    expect(parseCsvDate('2024O308', 'YYYYMMDD')).toBeUndefined();
  });
});

/** The definitions the fast paths must agree with: a regular expression and Date.UTC. */
function referenceTimeOfDay(text: string): number | undefined {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/.exec(text);
  if (match === null) return undefined;
  const [hour, minute, second] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = match[4] === undefined ? 0 : Math.round(Number(`0.${match[4]}`) * 1000);
  return ((hour * 60 + minute) * 60 + second) * 1000 + fraction;
}

function referenceDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const [year, month, dayOfMonth] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, dayOfMonth);
  const back = new Date(time);
  if (year < 1000 || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== dayOfMonth) return undefined;
  return time / 86_400_000;
}

describe('the date and time fast paths', () => {
  const digit = fc.constantFrom(...'0123456789');
  const char = fc.constantFrom(...'0123456789:.,- x٣');
  const twoDigits = fc.tuple(digit, digit).map(([a, b]) => a + b);

  it('read every time cell as the regular expression does', () => {
    const timeLike = fc.oneof(
      fc.tuple(twoDigits, twoDigits, twoDigits).map(([h, m, s]) => `${h}:${m}:${s}`),
      fc.tuple(twoDigits, twoDigits).map(([h, m]) => `${h}:${m}`),
      fc.array(char, { maxLength: 12 }).map((cs) => cs.join('')),
    );
    fc.assert(
      fc.property(timeLike, (text) => {
        expect(parseCsvTimeOfDay(text)).toBe(referenceTimeOfDay(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('read every date cell as Date.UTC does, the same cell repeated or not', () => {
    const dateLike = fc.oneof(
      fc
        .tuple(
          fc.integer({ min: 900, max: 9999 }),
          fc.integer({ min: 0, max: 13 }),
          fc.integer({ min: 0, max: 32 }),
        )
        .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
      fc.array(char, { maxLength: 11 }).map((cs) => cs.join('')),
    );
    fc.assert(
      fc.property(fc.array(dateLike, { minLength: 1, maxLength: 8 }), (texts) => {
        // Runs of one cell, as a file's rows of one day are.
        for (const text of texts.flatMap((t) => [t, t, t])) {
          expect(parseCsvDate(text, 'YYYY-MM-DD')).toBe(referenceDate(text));
          expect(parseCsvDate(text, 'YYYYMMDD')).toBe(
            /^\d{8}$/.test(text)
              ? referenceDate(`${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6)}`)
              : undefined,
          );
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseCsvTimeOfDay', () => {
  it('reads HH:MM, H:MM, HH:MM:SS and fractions', () => {
    expect(parseCsvTimeOfDay('09:30')).toBe(34_200_000);
    expect(parseCsvTimeOfDay('9:30')).toBe(34_200_000);
    expect(parseCsvTimeOfDay('09:30:15')).toBe(34_215_000);
    expect(parseCsvTimeOfDay('09:30:15.25')).toBe(34_215_250);
    expect(parseCsvTimeOfDay('24:00')).toBeUndefined();
    expect(parseCsvTimeOfDay('09:60')).toBeUndefined();
    expect(parseCsvTimeOfDay('0930')).toBeUndefined();
  });
});

describe('IsoTimestampParser', () => {
  const parser = new IsoTimestampParser();

  it('reads local times, offsets and bare dates', () => {
    expect(parser.parse('2024-03-08T09:30:00')).toBe(true);
    expect([parser.wallTime, parser.offsetMs, parser.hasTimeOfDay]).toEqual([
      Date.parse('2024-03-08T09:30:00Z'),
      Number.NaN,
      true,
    ]);
    expect(parser.parse('2024-03-08 09:30:00.123-05:30')).toBe(true);
    expect([parser.wallTime, parser.offsetMs]).toEqual([
      Date.parse('2024-03-08T09:30:00.123Z'),
      -330 * 60_000,
    ]);
    expect(parser.parse('2024-03-08T14:30z')).toBe(true);
    expect(parser.offsetMs).toBe(0);
    expect(parser.parse('2024-03-08')).toBe(true);
    expect([parser.hasTimeOfDay, parser.day]).toEqual([false, day('2024-03-08')]);
  });

  it('rejects what is not ISO 8601', () => {
    for (const text of ['03/08/2024 09:30', '2024-03-08T25:00', '2024-03-08T09:30:00+5', '1709890200', '']) {
      expect(parser.parse(text)).toBe(false);
    }
  });
});

describe('parseLocalDateTime', () => {
  const wall = (text: string, padding = ''): number =>
    parseLocalDateTime(`${padding}${text}${padding}`, padding.length, padding.length + text.length);

  it('reads YYYY-MM-DD HH:MM[:SS] with a space or a T, inside a longer text, like IsoTimestampParser', () => {
    const iso = new IsoTimestampParser();
    for (const text of [
      '2024-03-08 09:30:15',
      '2024-03-08T09:30',
      '2024-02-29 23:59:59',
      '1999-12-31T00:00',
    ]) {
      expect(iso.parse(text)).toBe(true);
      expect(wall(text, ',,')).toBe(iso.wallTime);
    }
  });

  it('gives NaN for anything else, which the caller hands to IsoTimestampParser', () => {
    for (const text of [
      '2024-02-30 09:30',
      '2024-03-08 24:00',
      '2024-03-08 09:60',
      '2024-03-08 09:30:60',
      '2024-03-08t09:30',
      '2024-03-08 09:30Z',
      '2024-03-08',
      '0999-03-08 09:30',
      '2024-3-08 09:30:0',
      '2024-03-08 09:3x',
    ]) {
      expect(wall(text)).toBeNaN();
    }
  });
});

describe('WallClockZone', () => {
  it('converts like zonedWallTimeToUtc, through DST changes at 2:00, at midnight and by 30 minutes', () => {
    const cases: [string, string, string][] = [
      ['America/New_York', '2024-03-09', '2024-11-04'],
      ['America/Santiago', '2024-04-05', '2024-09-09'],
      ['Australia/Lord_Howe', '2024-04-06', '2024-10-07'],
      ['UTC', '2024-03-09', '2024-03-10'],
    ];
    for (const [timezone, firstDay, lastDay] of cases) {
      const zone = new WallClockZone(timezone);
      const end = Date.parse(`${lastDay}T00:00:00Z`);
      let mismatches = 0;
      let checked = 0;
      for (let wallTime = Date.parse(`${firstDay}T00:00:00Z`); wallTime < end; wallTime += 7 * 60_000) {
        if (zone.toUtc(wallTime) !== zonedWallTimeToUtc(wallTime, timezone)) mismatches++;
        checked++;
      }
      expect({ timezone, mismatches }).toEqual({ timezone, mismatches: 0 });
      expect(checked).toBeGreaterThan(200);
    }
  });
});
