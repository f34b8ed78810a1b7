import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTime } from './iso-time';

describe('isoTime', () => {
  it('gives the characters of toISOString for any time, day after day', () => {
    const times = fc.oneof(
      fc.integer({ min: 0, max: 253_402_300_799_999 }),
      fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 }),
      fc.double({ min: -1e15, max: 1e15, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(times, { minLength: 1, maxLength: 20 }), (list) => {
        for (const t of list) expect(isoTime(t)).toBe(new Date(t).toISOString());
      }),
      { numRuns: 500 },
    );
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
    expect(isoTime(Date.UTC(2024, 1, 29, 23, 59, 59, 999))).toBe('2024-02-29T23:59:59.999Z');
    expect(isoTime(Date.UTC(2024, 2, 1))).toBe('2024-03-01T00:00:00.000Z');
  });
});
