import { DataError } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { checkCatalogManifest, partitioningFor, partitionOf, partitionRange } from './catalog-manifest';

const partition = {
  key: '2024',
  file: 'AAA/1m/2024.0123456789ab.arrow',
  bytes: 100,
  sha256: 'x',
  rows: 2,
  first: Date.UTC(2024, 0, 2, 14, 30),
  last: Date.UTC(2024, 0, 2, 14, 31),
};
const series = {
  symbol: 'AAA',
  interval: '1m',
  partitioning: 'year',
  rows: 2,
  partitions: [partition],
  sources: [],
  applied: { source: 'test' },
};
const manifest = (changes: Record<string, unknown> = {}, seriesChanges: Record<string, unknown> = {}) => ({
  format: 'strat-arrow-catalog',
  version: 1,
  time: { unit: 'ms', zone: 'UTC', label: 'start' },
  series: [{ ...series, ...seriesChanges }],
  ...changes,
});

describe('checkCatalogManifest', () => {
  it('accepts a manifest as the writer makes it', () => {
    expect(checkCatalogManifest(manifest(), 'm.json').series[0]?.symbol).toBe('AAA');
  });

  it.each([
    ['not an object', [], 'expected a JSON object'],
    ['another version', manifest({ version: 2 }), 'version 2 is not one this version reads (1)'],
    ['series not a list', manifest({ series: {} }), 'series is not a list'],
    ['a series not an object', manifest({ series: [1] }), 'series[0] is not an object'],
    ['no symbol', manifest({}, { symbol: '' }), 'series[0].symbol is not a symbol'],
    ['a bad interval', manifest({}, { interval: '2x' }), 'series[0].interval "2x" is not an interval'],
    ['a repeated series', manifest({ series: [series, series] }), 'series[1] repeats AAA 1m'],
    [
      'a bad partitioning',
      manifest({}, { partitioning: 'week' }),
      'series[0].partitioning is not year or month',
    ],
    ['bad rows', manifest({}, { rows: 'x' }), 'series[0].rows is not a count'],
    ['partitions not a list', manifest({}, { partitions: 1 }), 'series[0].partitions is not a list'],
    ['sources not a list', manifest({}, { sources: 1 }), 'series[0].sources is not a list'],
    [
      'a partition not an object',
      manifest({}, { partitions: [1] }),
      'series[0].partitions[0] is not an object',
    ],
    [
      'a bad key',
      manifest({}, { partitions: [{ ...partition, key: '2024-13' }] }),
      'partitions[0].key "2024-13" is not YYYY or YYYY-MM',
    ],
    [
      'a file outside',
      manifest({}, { partitions: [{ ...partition, file: '../x.arrow' }] }),
      'partitions[0].file is not a file inside the catalog',
    ],
    [
      'no rows',
      manifest({}, { partitions: [{ ...partition, rows: 0 }] }),
      'partitions[0].rows is not a positive count',
    ],
    [
      'bad bytes',
      manifest({}, { partitions: [{ ...partition, bytes: -0.5 }] }),
      'partitions[0].bytes is not a size',
    ],
    [
      'bad times',
      manifest({}, { partitions: [{ ...partition, first: 'a' }] }),
      'partitions[0].first/last are not times',
    ],
    [
      'times outside the key',
      manifest({}, { partitions: [{ ...partition, key: '2023' }] }),
      'partitions[0]: first and last are outside the partition 2023',
    ],
    [
      'partitions out of order',
      manifest({}, { rows: 4, partitions: [partition, { ...partition, key: '2024' }] }),
      'partitions[1]: partitions are not in time order',
    ],
  ])('names %s', (_, value, message) => {
    try {
      checkCatalogManifest(value, 'cat/manifest.json');
      throw new Error('expected a DataError');
    } catch (error) {
      expect(DataError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain(`cat/manifest.json: not a catalog manifest: `);
      expect((error as Error).message).toContain(message);
    }
  });
});

describe('partitions', () => {
  it('are UTC years, or UTC months under a minute', () => {
    expect(partitioningFor('1m')).toBe('year');
    expect(partitioningFor('1d')).toBe('year');
    expect(partitioningFor('30s')).toBe('month');
    expect(partitionOf(Date.UTC(2024, 11, 31, 23, 59), 'year')).toEqual({
      key: '2024',
      start: Date.UTC(2024, 0, 1),
      end: Date.UTC(2025, 0, 1),
    });
    expect(partitionOf(Date.UTC(2024, 1, 29, 12), 'month')).toEqual({
      key: '2024-02',
      start: Date.UTC(2024, 1, 1),
      end: Date.UTC(2024, 2, 1),
    });
    expect(partitionRange('2024-12')).toEqual({ start: Date.UTC(2024, 11, 1), end: Date.UTC(2025, 0, 1) });
    expect(partitionRange('24')).toBeUndefined();
  });
});
