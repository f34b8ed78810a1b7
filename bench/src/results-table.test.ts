import { describe, expect, it } from 'vitest';
import { median, meets, ratioToBaseline } from './measurement.mjs';
import { formatMarkdownTable, formatNumber, formatTextTable, toRow } from './results-table.mjs';

describe('results', () => {
  it('says how many times better than the baseline, whichever way is better', () => {
    expect(ratioToBaseline(2_000_000, 50_000, 'higher')).toBe(40);
    expect(ratioToBaseline(20, 80, 'lower')).toBe(4);
    expect(ratioToBaseline(20, undefined, 'lower')).toBeUndefined();
    expect(ratioToBaseline(20, 0, 'higher')).toBeUndefined();
  });

  it('checks targets and takes medians', () => {
    expect(meets(1_000_000, { op: '>=', value: 1_000_000 })).toBe(true);
    expect(meets(0.5, { op: '<', value: 0.5 })).toBe(false);
    expect(meets(49, { op: '<=', value: 56 })).toBe(true);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });

  it('turns a measurement and its baseline into a row and a table', () => {
    const row = toRow(
      {
        workload: 'W1',
        metric: 'bars/s',
        value: 1_234_567.8,
        unit: 'bars/s',
        better: 'higher',
        target: { op: '>=', value: 1_000_000 },
      },
      { values: { 'bars/s': 41_152.26 }, note: 'naive', details: {} },
    );
    expect(row).toEqual({
      workload: 'W1',
      metric: 'bars/s',
      value: 1_234_567.8,
      unit: 'bars/s',
      baseline: 41_152.26,
      ratio: 1_234_567.8 / 41_152.26,
      target: '>= 1,000,000',
      met: true,
    });
    const missed = toRow(
      {
        workload: 'W3',
        metric: 'latency p50',
        value: 60,
        unit: 'us',
        better: 'lower',
        target: { op: '<=', value: 50 },
      },
      undefined,
    );
    expect(missed).toMatchObject({ baseline: null, ratio: null, met: false });
    const text = formatTextTable([row, missed]).split('\n');
    expect(text).toHaveLength(4);
    expect(text[2]).toContain('1,234,568 bars/s');
    expect(text[2]).toContain('30.0x');
    expect(text[2]).toMatch(/met$/);
    expect(text[3]).toMatch(/MISSED$/);
    const markdown = formatMarkdownTable([row]).split('\n');
    expect(markdown[0]).toBe('| id | metric | value | baseline | vs baseline | target | met |');
    expect(markdown[2]).toBe(
      '| W1 | bars/s | 1,234,568 bars/s | 41,152 bars/s | 30.0x | >= 1,000,000 bars/s | met |',
    );
  });

  it('checks a target on the ratio to the baseline, and shows why a baseline was skipped', () => {
    const measurement = {
      workload: 'WP',
      metric: 'wall',
      value: 3,
      unit: 's',
      better: 'lower' as const,
      target: { op: '>=' as const, value: 4 },
      targetOn: 'ratio' as const,
    };
    const row = toRow(measurement, { values: { wall: 15 }, note: 'grademark', details: {} });
    expect(row).toMatchObject({ baseline: 15, ratio: 5, target: '>= 4.00x', met: true, targetOn: 'ratio' });
    expect(toRow(measurement, { values: { wall: 9 }, note: 'grademark', details: {} }).met).toBe(false);
    const skipped = toRow(measurement, {
      values: {},
      note: 'skipped',
      skipped: 'skipped: grademark not installed',
      details: {},
    });
    expect(skipped).toMatchObject({
      baseline: null,
      ratio: null,
      met: null,
      baselineSkipped: 'skipped: grademark not installed',
    });
    const apart = toRow(
      { workload: 'WP', metric: 'import', value: 2, unit: 's', better: 'lower', noBaseline: true },
      { values: {}, note: 'skipped', skipped: 'skipped: grademark not installed', details: {} },
    );
    expect(apart.baselineSkipped).toBeUndefined();
    expect(formatMarkdownTable([row, skipped]).split('\n').slice(2)).toEqual([
      '| WP | wall | 3.00 s | 15.0 s | 5.00x | >= 4.00x | met |',
      '| WP | wall | 3.00 s | skipped: grademark not installed | - | >= 4.00x |  |',
    ]);
  });

  it('takes a baseline the workload measured itself, and a target on the ratio to it', () => {
    const sweep = toRow(
      {
        workload: 'S1',
        metric: '16 combinations, 2 workers',
        value: 7.5,
        unit: 's',
        better: 'lower',
        baseline: 13.5,
        targetOn: 'ratio',
        target: { op: '>=', value: 1.7 },
      },
      { values: { '16 combinations, 2 workers': 99 }, note: 'not this one', details: {} },
    );
    expect(sweep).toEqual({
      workload: 'S1',
      metric: '16 combinations, 2 workers',
      value: 7.5,
      unit: 's',
      baseline: 13.5,
      ratio: 1.8,
      target: '>= 1.70x',
      met: true,
      targetOn: 'ratio',
    });
    const slower = toRow(
      {
        workload: 'S1',
        metric: 'wall',
        value: 9,
        unit: 's',
        better: 'lower',
        baseline: 10,
        targetOn: 'ratio',
        target: { op: '>=', value: 1.7 },
      },
      undefined,
    );
    expect(slower).toMatchObject({ ratio: 10 / 9, met: false });
    const text = formatTextTable([sweep, slower]).split('\n');
    expect(text[2]).toMatch(/^S1 +16 combinations, 2 workers +7\.50 s +13\.5 s +1\.80x +>= 1\.70x +met$/);
    expect(text[3]).toMatch(/1\.11x +>= 1\.70x +MISSED$/);
  });

  it('shows a skipped measurement as skipped, with no ratio and no verdict', () => {
    const row = toRow(
      {
        workload: 'S2',
        metric: 'queue overhead per job',
        value: Number.NaN,
        unit: 'ms',
        better: 'lower',
        target: { op: '<', value: 20 },
        skipped: 'redis-server not installed',
      },
      undefined,
    );
    expect(row).toMatchObject({ ratio: null, met: null, skipped: 'redis-server not installed' });
    expect(JSON.parse(JSON.stringify(row)).value).toBeNull();
    const text = formatTextTable([row]).split('\n');
    expect(text[2]).toMatch(
      /^S2 +queue overhead per job +skipped: redis-server not installed +- +- +< 20\.0 ms$/,
    );
    expect(formatMarkdownTable([row]).split('\n')[2]).toBe(
      '| S2 | queue overhead per job | skipped: redis-server not installed | - | - | < 20.0 ms |  |',
    );
  });

  it('formats numbers for people', () => {
    expect(formatNumber(0.4567, '%')).toBe('0.46');
    expect(formatNumber(12.345, 'us')).toBe('12.3');
    expect(formatNumber(49.012, 'B/bar')).toBe('49.0');
    expect(formatNumber(250.4, 'us')).toBe('250');
  });
});
