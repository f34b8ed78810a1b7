import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { civilDayNumber, civilWeekday, formatCivilDate, parseCivilDate } from './civil-date';

describe('civil dates', () => {
  it('parses real dates and rejects impossible ones', () => {
    expect(parseCivilDate('1970-01-01')).toBe(0);
    expect(parseCivilDate('2024-02-29')).toBe(19_782);
    expect(parseCivilDate('2023-02-29')).toBeUndefined();
    expect(parseCivilDate('2024-13-01')).toBeUndefined();
    expect(parseCivilDate('2024-1-01')).toBeUndefined();
    expect(civilDayNumber(1900, 2, 29)).toBeUndefined();
    expect(civilDayNumber(2000, 2, 29)).toBe(11_016);
  });

  it('knows weekdays (0 = Sunday)', () => {
    expect(civilWeekday(0)).toBe(4);
    expect(civilWeekday(parseCivilDate('2024-03-10') as number)).toBe(0);
    expect(civilWeekday(parseCivilDate('1969-12-28') as number)).toBe(0);
  });

  it('formats and parses back every day', () => {
    fc.assert(
      fc.property(fc.integer({ min: -300_000, max: 2_900_000 }), (day) => {
        const text = formatCivilDate(day);
        expect(parseCivilDate(text)).toBe(day);
        expect(civilWeekday(day)).toBe(new Date(day * 86_400_000).getUTCDay());
      }),
    );
  });
});
