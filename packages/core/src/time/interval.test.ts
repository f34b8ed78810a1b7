import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntervalError } from '../errors/interval-error';
import { StratError } from '../errors/strat-error';
import { compareIntervals, intervalToMs, isInterval, parseInterval } from './interval';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const unit = fc.constantFrom(...(Object.keys(UNIT_MS) as (keyof typeof UNIT_MS)[]));

describe('parseInterval', () => {
  it.each([
    ['1s', 1, 's', 1_000],
    ['1m', 1, 'm', 60_000],
    ['5m', 5, 'm', 300_000],
    ['15m', 15, 'm', 900_000],
    ['1h', 1, 'h', 3_600_000],
    ['4h', 4, 'h', 14_400_000],
    ['1d', 1, 'd', 86_400_000],
    ['1w', 1, 'w', 604_800_000],
  ])('parses %s', (text, count, u, ms) => {
    expect(parseInterval(text)).toEqual({ text, count, unit: u, ms });
    expect(intervalToMs(text)).toBe(ms);
    expect(isInterval(text)).toBe(true);
  });

  it.each(['', '0m', '05m', 'm', '5', '5x', 'm5', '1.5h', '-1m', ' 1m', '1m ', '1M', '1 m', '1mm'])(
    'refuses %j',
    (text) => {
      expect(isInterval(text)).toBe(false);
      expect(() => parseInterval(text)).toThrow(IntervalError);
    },
  );

  it('refuses counts whose length in milliseconds is not a safe integer', () => {
    expect(isInterval('99999999999999w')).toBe(true);
    expect(() => parseInterval('99999999999999w')).toThrow(IntervalError);
  });

  it('throws an IntervalError the user can read', () => {
    let error: unknown;
    try {
      parseInterval('5x');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StratError);
    expect(IntervalError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'INTERVAL_INVALID', name: 'IntervalError' });
    expect((error as Error).message).toMatch(/^Invalid interval "5x": expected a positive whole count/);
  });

  it('round-trips count and unit through text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), unit, (count, u) => {
        const text = `${count}${u}`;
        const parsed = parseInterval(text);
        expect(parsed).toEqual({ text, count, unit: u, ms: count * UNIT_MS[u] });
        expect(parseInterval(parsed.text)).toEqual(parsed);
      }),
    );
  });

  it('accepts exactly the strings isInterval accepts (within safe lengths)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 6 }), fc.stringMatching(/^[0-9]{1,4}[smhdwx]$/)),
        (text) => {
          if (isInterval(text)) expect(parseInterval(text).text).toBe(text);
          else expect(() => parseInterval(text)).toThrow(IntervalError);
        },
      ),
    );
  });
});

describe('compareIntervals', () => {
  it('orders by length, not by text', () => {
    expect(['1d', '5m', '1h', '30s', '15m'].sort(compareIntervals)).toEqual(['30s', '5m', '15m', '1h', '1d']);
    expect(compareIntervals('60m', '1h')).toBe(0);
  });
});
