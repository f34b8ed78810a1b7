import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closestName, describeIssue, describeValue, toConfigIssues } from './config-issues';

describe('describeValue', () => {
  it.each([
    [undefined, 'nothing'],
    [null, 'null'],
    [42, '42'],
    [false, 'false'],
    ['abc', '"abc"'],
    [[1], 'an array'],
    [{ a: 1 }, 'an object'],
  ])('%j reads as %s', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });

  it('shortens long strings', () => {
    const text = describeValue('x'.repeat(500));
    expect(text.length).toBeLessThan(70);
    expect(text.endsWith('..."')).toBe(true);
  });
});

describe('closestName', () => {
  const known = ['module', 'enabled', 'name', 'config', 'time_budget_ms'];

  it('suggests the intended name for small typos, whatever the case', () => {
    expect(closestName('modul', known)).toBe('module');
    expect(closestName('Enabled', known)).toBe('enabled');
    expect(closestName('confg', known)).toBe('config');
    expect(closestName('time_budget', known)).toBe('time_budget_ms');
  });

  it('suggests nothing for unrelated names', () => {
    expect(closestName('symbols', known)).toBeUndefined();
    expect(closestName('x', [])).toBeUndefined();
  });
});

describe('toConfigIssues', () => {
  const schema = z.strictObject({ a: z.strictObject({ b: z.number() }), list: z.array(z.string()) });

  it('writes JSON paths under a base path and follows document order', () => {
    const input = { list: ['ok', 1], a: { b: 'x' } };
    const result = schema.safeParse(input, { error: describeIssue, reportInput: true });
    expect(result.success).toBe(false);
    expect(toConfigIssues(result.error?.issues ?? [], input, 'root[2]')).toEqual([
      { path: 'root[2].list[1]', message: 'expected a string, got 1' },
      { path: 'root[2].a.b', message: 'expected a number, got "x"' },
    ]);
  });
});
