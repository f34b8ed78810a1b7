import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, lineAndColumn } from './json-syntax-error';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('findJsonSyntaxError', () => {
  it('finds nothing wrong in any valid JSON text', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(findJsonSyntaxError(text)).toBeUndefined();
      }),
    );
  });

  it('agrees with JSON.parse about texts with one character changed, dropped or added', () => {
    const edit = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('replace', 'delete', 'insert'),
      char: fc.constantFrom(',', ':', '{', '}', '[', ']', '"', "'", '\\', ' ', '\n', 'x', '1', '-', '.', 'e'),
    });
    fc.assert(
      fc.property(fc.json(), edit, (text, { at, kind, char }) => {
        const i = text.length === 0 ? 0 : at % text.length;
        const broken =
          kind === 'replace'
            ? text.slice(0, i) + char + text.slice(i + 1)
            : kind === 'delete'
              ? text.slice(0, i) + text.slice(i + 1)
              : text.slice(0, i) + char + text.slice(i);
        const problem = findJsonSyntaxError(broken);
        expect(problem === undefined).toBe(parses(broken));
        if (problem !== undefined) {
          expect(problem.offset).toBeGreaterThanOrEqual(0);
          expect(problem.offset).toBeLessThanOrEqual(broken.length);
        }
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['{"a": [1, 2,]}', 11, 'trailing comma before "]"'],
    ['{"a": 1,}', 7, 'trailing comma before "}"'],
    ['{"a" 1}', 5, 'expected ":" after the property name, found \'1\''],
    ['[1 2]', 3, 'expected "," or "]" after an array item, found \'2\''],
    ['"abc', 0, 'unterminated string (missing closing ")'],
    ['{"a": "\\q"}', 7, 'invalid escape \\q in a string'],
    ['{"a": "\\u12"}', 7, '\\u must be followed by four hex digits'],
    ['-', 0, 'malformed number'],
    ['/* x */ {}', 0, 'comments are not allowed in JSON'],
  ])('explains %j', (text, offset, message) => {
    expect(findJsonSyntaxError(text)).toMatchObject({ offset, message });
  });

  it('does not overflow the stack on deep nesting', () => {
    expect(findJsonSyntaxError('['.repeat(5000))?.message).toMatch(/nesting deeper than/);
  });
});

describe('lineAndColumn', () => {
  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('ab\ncd\n', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd\n', 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn('ab\ncd\n', 6)).toEqual({ line: 3, column: 1 });
  });
});
