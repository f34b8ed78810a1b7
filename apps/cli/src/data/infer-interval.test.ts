import { intervalToMs } from '@strat/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inferInterval, msToInterval } from './infer-interval';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** 2024-01-02 09:30 America/New_York. */
const OPEN = Date.UTC(2024, 0, 2, 14, 30);
const dayOf = (time: number) => Math.floor((time - OPEN) / DAY);

/** Bar starts of `days` sessions of `sessionMinutes` from OPEN, one every `barMs`, minus those `keep` drops. */
function barTimes(days: number, sessionMinutes: number, barMs: number, keep: (i: number) => boolean) {
  const times: number[] = [];
  let i = 0;
  for (let day = 0; day < days; day++) {
    const open = OPEN + day * DAY;
    for (let t = open; t < open + sessionMinutes * MINUTE; t += barMs) if (keep(i++)) times.push(t);
  }
  return times;
}

describe('msToInterval', () => {
  it('names a length in the largest unit that divides it', () => {
    expect(
      [MINUTE, 5 * MINUTE, 90 * MINUTE, 60 * MINUTE, 4 * 60 * MINUTE, DAY, 2 * DAY, 30_000].map(msToInterval),
    ).toEqual(['1m', '5m', '90m', '1h', '4h', '1d', '2d', '30s']);
    expect([0, -MINUTE, 1_500, Number.NaN].map(msToInterval)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('gives back what intervalToMs reads (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 * 24 * 3600 }), (seconds) => {
        const interval = msToInterval(seconds * 1000);
        expect(interval).toBeDefined();
        expect(intervalToMs(interval as string)).toBe(seconds * 1000);
      }),
    );
  });
});

describe('inferInterval', () => {
  it('reads 1m, 5m and 1h bars of US equity sessions (the last hour clipped) and daily bars', () => {
    const all = () => true;
    expect(inferInterval(barTimes(3, 390, MINUTE, all), dayOf)).toBe('1m');
    expect(inferInterval(barTimes(3, 390, 5 * MINUTE, all), dayOf)).toBe('5m');
    expect(inferInterval(barTimes(3, 390, 60 * MINUTE, all), dayOf)).toBe('1h');
    // one bar per session, weekends between them: daily, not the spacing across sessions
    expect(
      inferInterval(
        [0, 1, 4, 5, 6].map((d) => OPEN + d * DAY),
        dayOf,
      ),
    ).toBe('1d');
  });

  it('is not fooled by missing bars, nor by the step from one session to the next', () => {
    // every other 1m bar of a session missing but a few: 2m spacings outnumber 1m ones
    const sparse = barTimes(1, 390, MINUTE, (i) => i % 2 === 0 || i < 50);
    expect(inferInterval(sparse, dayOf)).toBe('2m');
    // a 5m file with long gaps still reads 5m
    expect(
      inferInterval(
        barTimes(5, 390, 5 * MINUTE, (i) => i % 10 !== 3 && i % 10 !== 4),
        dayOf,
      ),
    ).toBe('5m');
    // equal counts: the shorter spacing wins
    expect(inferInterval([OPEN, OPEN + MINUTE, OPEN + 3 * MINUTE], dayOf)).toBe('1m');
  });

  it('needs two bars, and a spacing of whole seconds', () => {
    expect(inferInterval([], dayOf)).toBeUndefined();
    expect(inferInterval([OPEN], dayOf)).toBeUndefined();
    expect(inferInterval([OPEN, OPEN + 1_500, OPEN + 3_000], dayOf)).toBeUndefined();
  });

  it('finds the interval of any session length and bar interval with up to a bar in four missing (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 5, 15, 30, 60, 240),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 60, max: 1440 }),
        fc.integer({ min: 4, max: 50 }),
        fc.nat(49),
        (barMinutes, days, sessionMinutes, every, offset) => {
          fc.pre(sessionMinutes >= barMinutes * 20);
          // one bar in `every` missing, never two in a row: one-bar spacings stay the most common
          const times = barTimes(
            days,
            sessionMinutes,
            barMinutes * MINUTE,
            (i) => (i + offset) % every !== 0,
          );
          expect(inferInterval(times, dayOf)).toBe(msToInterval(barMinutes * MINUTE));
          // the same bars one per session are daily
          const firstOfEach = times.filter((t, i) => i === 0 || dayOf(t) !== dayOf(times[i - 1] as number));
          if (firstOfEach.length > 1) expect(inferInterval(firstOfEach, dayOf)).toBe('1d');
        },
      ),
    );
  });
});
