import { describe, expect, it } from 'vitest';
import { CLIPPED_VALUE_LENGTH, clipQuotedValues, clipValue, listValues } from './clip-value';

describe('clipValue', () => {
  it('keeps short values whole and clips long ones to 80 characters and an ellipsis', () => {
    expect(CLIPPED_VALUE_LENGTH).toBe(80);
    expect(clipValue('')).toBe('');
    expect(clipValue('x'.repeat(80))).toBe('x'.repeat(80));
    expect(clipValue('x'.repeat(81))).toBe(`${'x'.repeat(80)}…`);
    expect(clipValue('y'.repeat(50_000_000))).toBe(`${'y'.repeat(80)}…`);
  });

  it('never splits a surrogate pair', () => {
    const text = `${'x'.repeat(79)}😀tail`;
    expect(clipValue(text)).toBe(`${'x'.repeat(79)}…`);
  });
});

describe('clipQuotedValues', () => {
  it('clips every long double-quoted run of a message, escapes included, and leaves short ones', () => {
    const long = `${'z'.repeat(100)}\\"${'w'.repeat(100)}`;
    expect(clipQuotedValues(`value is "${long}", field "open", again "${long}"`)).toBe(
      `value is "${'z'.repeat(80)}…", field "open", again "${'z'.repeat(80)}…"`,
    );
    expect(clipQuotedValues('no quotes at all')).toBe('no quotes at all');
  });
});

describe('listValues', () => {
  it('lists at most 30 values, each clipped, then how many more', () => {
    expect(listValues(['a', 'b'])).toBe('a, b');
    const names = Array.from({ length: 45 }, (_, i) => (i === 0 ? 'n'.repeat(200) : `c${i}`));
    const listed = listValues(names);
    expect(listed.startsWith(`${'n'.repeat(80)}…, c1, c2, `)).toBe(true);
    expect(listed.endsWith(', c29 and 15 more')).toBe(true);
  });
});
