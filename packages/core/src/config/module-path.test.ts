import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyModulePath, validateModulePath } from './module-path';

describe('classifyModulePath', () => {
  it.each([
    ['strategies.examples.simple_ma_cross', 'dotted'],
    ['a.b', 'dotted'],
    ['@strat/examples/rsi', 'package'],
    ['some-pkg', 'package'],
    ['lodash', 'package'],
    ['./x.ts', 'relative'],
    ['../y/z.js', 'relative'],
  ] as const)('%s is %s', (spec, kind) => {
    expect(classifyModulePath(spec)).toBe(kind);
  });
});

describe('validateModulePath', () => {
  it.each([
    'strategies.examples.simple_ma_cross',
    'strategies.production.momentum_v2',
    '@strat/examples/rsi',
    '@strat/examples',
    'some-pkg',
    'some-pkg/sub/path.js',
    './x.ts',
    '../y/z.js',
    '../../shared/strategies/a.mts',
  ])('accepts %s', (spec) => {
    expect(validateModulePath(spec)).toBeUndefined();
  });

  it.each([
    ['', /empty/],
    ['/etc/passwd.ts', /absolute/],
    ['/strategies/x.ts', /absolute/],
    ['C:/strategies/x.ts', /absolute or a URL/],
    ['file:///tmp/x.js', /absolute or a URL/],
    ['https://example.com/x.js', /absolute or a URL/],
    ['node:fs', /absolute or a URL/],
    ['data:text/javascript,export default 1', /spaces|URL/],
    ['..\\x.ts', /backslashes/],
    ['strategies.examples. x', /spaces/],
    ['./', /folder/],
    ['../', /folder/],
    ['./a/../b.ts', /"\." or "\.\." segments/],
    ['./a//b.ts', /empty segment/],
    ['@strat', /scoped package/],
    ['@/x', /scoped package/],
    ['some-pkg/../../etc', /"\." or "\.\." segments/],
    ['some-pkg/', /empty segment/],
    ['.hidden', /is not a dotted path/],
    ['_private', /is not a dotted path/],
    ['a'.repeat(600), /at most 512/],
  ])('refuses %j', (spec, problem) => {
    expect(validateModulePath(spec)).toMatch(problem);
  });

  it('accepts every identifier path with at least two segments, as dotted', () => {
    const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,11}$/);
    fc.assert(
      fc.property(fc.array(identifier, { minLength: 2, maxLength: 5 }), (segments) => {
        const spec = segments.join('.');
        expect(validateModulePath(spec)).toBeUndefined();
        expect(classifyModulePath(spec)).toBe('dotted');
      }),
    );
  });

  it('refuses every absolute path whatever follows the slash', () => {
    fc.assert(
      fc.property(fc.string(), (rest) => {
        expect(validateModulePath(`/${rest}`)).toBeDefined();
      }),
    );
  });
});
