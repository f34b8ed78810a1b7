import { ConfigError } from '@strat/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combinationAt, gridSize, sweepIndices } from './sweep-grid';
import { MAX_RANGE_VALUES, parseSweepParam, type SweepParam } from './sweep-params';

function refusal(text: string): ConfigError {
  try {
    parseSweepParam(text);
  } catch (error) {
    if (ConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`"${text}" was accepted`);
}

describe('parseSweepParam', () => {
  it('reads lists of numbers, booleans and strings', () => {
    expect(parseSweepParam('sma.fast_period=10,20,40')).toEqual({
      strategy: 'sma',
      key: 'fast_period',
      values: [10, 20, 40],
    });
    expect(parseSweepParam('my.strat.use_volume=true,false').values).toEqual([true, false]);
    expect(parseSweepParam('my.strat.use_volume=true,false').strategy).toBe('my.strat');
    expect(parseSweepParam('rsi.interval=1m, 5m,"15m"').values).toEqual(['1m', '5m', '15m']);
    expect(parseSweepParam('rsi.threshold=-1.5,2e-3').values).toEqual([-1.5, 0.002]);
  });

  it('expands inclusive ranges without float residue', () => {
    expect(parseSweepParam('sma.fast_period=5:30:5').values).toEqual([5, 10, 15, 20, 25, 30]);
    expect(parseSweepParam('sma.fast_period=3:6').values).toEqual([3, 4, 5, 6]);
    expect(parseSweepParam('sma.x=0.1:0.5:0.1').values).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(parseSweepParam('sma.x=5:31:5').values).toEqual([5, 10, 15, 20, 25, 30]);
    expect(parseSweepParam('sma.x=7:7:2').values).toEqual([7]);
  });

  it('refuses what cannot be a parameter, naming it', () => {
    expect(refusal('fast_period=5').message).toMatch(/STRATEGY\.KEY/);
    expect(refusal('sma.fast_period').message).toMatch(/expected STRATEGY\.KEY=VALUES/);
    expect(refusal('sma.fast_period=').message).toMatch(/no values/);
    expect(refusal('sma.fast_period=30:5:5').message).toMatch(/empty range/);
    expect(refusal('sma.fast_period=5:30:0').message).toMatch(/step must be above 0/);
    expect(refusal('sma.fast_period=5:x').message).toMatch(/takes numbers/);
    expect(refusal('sma.fast_period=1,,2').message).toMatch(/empty value/);
    expect(refusal('sma.fast_period=1,2,1').message).toMatch(/listed twice/);
    expect(refusal(`sma.x=0:${MAX_RANGE_VALUES}`).message).toMatch(/at most/);
    expect(refusal('sma.fast_period=30:5').path).toBe('--param sma.fast_period=30:5');
  });
});

describe('the grid', () => {
  const params: SweepParam[] = [
    { strategy: 'a', key: 'x', values: [1, 2] },
    { strategy: 'b', key: 'y', values: ['p', 'q', 'r'] },
  ];

  it('lists every combination once, the first parameter varying slowest', () => {
    expect(gridSize(params)).toBe(6);
    expect(sweepIndices(params).map((i) => combinationAt(params, i))).toEqual([
      { 'a.x': 1, 'b.y': 'p' },
      { 'a.x': 1, 'b.y': 'q' },
      { 'a.x': 1, 'b.y': 'r' },
      { 'a.x': 2, 'b.y': 'p' },
      { 'a.x': 2, 'b.y': 'q' },
      { 'a.x': 2, 'b.y': 'r' },
    ]);
  });

  it('samples distinct combinations, the same for the same seed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (sizes, n, seed) => {
          const ps = sizes.map((size, i) => ({
            strategy: 's',
            key: `k${i}`,
            values: Array.from({ length: size }, (_, v) => v),
          }));
          const picked = sweepIndices(ps, n, seed);
          expect(picked.length).toBe(Math.min(n, gridSize(ps)));
          expect(new Set(picked).size).toBe(picked.length);
          expect(picked.every((i) => i >= 0 && i < gridSize(ps))).toBe(true);
          expect([...picked].sort((a, b) => a - b)).toEqual(picked);
          expect(sweepIndices(ps, n, seed)).toEqual(picked);
        },
      ),
    );
    // Another seed, another sample (of 5 out of 1,000).
    const big: SweepParam[] = [
      { strategy: 's', key: 'k', values: Array.from({ length: 1000 }, (_, i) => i) },
    ];
    expect(sweepIndices(big, 5, 1)).not.toEqual(sweepIndices(big, 5, 2));
  });
});
