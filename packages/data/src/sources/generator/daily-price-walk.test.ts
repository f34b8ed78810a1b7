import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DailyPriceWalk, WALK_ORIGIN_DAY } from './daily-price-walk';

describe('DailyPriceWalk', () => {
  it('gives a day the same level whatever order days are asked in', () => {
    const reference = new DailyPriceWalk(1234, 0.3);
    const levels = new Map<number, number>();
    for (let day = 19_000; day < 19_100; day++) levels.set(day, reference.levelOn(day));
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 19_000, max: 19_099 }), { minLength: 1, maxLength: 30 }),
        (days) => {
          const walk = new DailyPriceWalk(1234, 0.3);
          walk.levelOn(25_000);
          for (const day of days) expect(walk.levelOn(day)).toBe(levels.get(day));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('starts at 0 in 1900 and refuses earlier days', () => {
    const walk = new DailyPriceWalk(1, 0.3);
    expect(walk.levelOn(WALK_ORIGIN_DAY)).toBe(0);
    expect(walk.levelOn(WALK_ORIGIN_DAY + 1)).not.toBe(0);
    expect(() => walk.levelOn(WALK_ORIGIN_DAY - 1)).toThrow('no bars before 1900-01-01');
  });
});
