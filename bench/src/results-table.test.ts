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
      ratioTarget: { op: '>=' as const, value: 4 },
    };
    const row = toRow(measurement, { values: { wall: 15 }, note: 'grademark', details: {} });
    expect(row).toMatchObject({ baseline: 15, ratio: 5, target: '>= 4x', met: true, targetOnRatio: true });
    expect(toRow(measurement, { values: { wall: 9 }, note: 'grademark', details: {} }).met).toBe(false);
    const skipped = toRow(measurement, {
      values: {},
      note: 'skipped',
      skipped: 'skipped: grademark not installed',
      details: {},
    });
    expect(skipped).toMatchObject({ baseline: null, ratio: null, met: null });
    const apart = toRow(
      { workload: 'WP', metric: 'import', value: 2, unit: 's', better: 'lower', noBaseline: true },
      { values: {}, note: 'skipped', skipped: 'skipped: grademark not installed', details: {} },
    );
    expect(apart.baselineSkipped).toBeUndefined();
    expect(formatMarkdownTable([row, skipped]).split('\n').slice(2)).toEqual([
      '| WP | wall | 3.00 s | 15.0 s | 5.0x | >= 4x vs baseline | met |',
      '| WP | wall | 3.00 s | skipped: grademark not installed | - | >= 4x vs baseline |  |',
    ]);
  });

  it('formats numbers for people', () => {
    expect(formatNumber(0.4567, '%')).toBe('0.46');
    expect(formatNumber(12.345, 'us')).toBe('12.3');
    expect(formatNumber(49.012, 'B/bar')).toBe('49.0');
    expect(formatNumber(250.4, 'us')).toBe('250');
  });
});
