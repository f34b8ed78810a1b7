import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseSessionConfig } from '@strat/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TradingCalendar } from '../../calendar/trading-calendar';
import { checkDataConfig } from '../check-data-config';
import { createBarSource } from '../create-bar-source';
import { CatalogBarSource } from './catalog-bar-source';
import { CatalogWriter } from './catalog-writer';

const calendar = TradingCalendar.usEquities();
let dir: string;
let files: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strat-catalog-check-'));
  const writer = await CatalogWriter.open(join(dir, 'catalog'));
  const series = await writer.add({
    symbol: 'AAA',
    interval: '1m',
    source: {
      async *read(symbol) {
        const time = Float64Array.from([
          Date.parse('2023-12-29T14:30:00Z'),
          Date.parse('2024-01-02T14:30:00Z'),
        ]);
        const one = Float64Array.from([1, 1]);
        yield { symbol, length: 2, time, open: one, high: one, low: one, close: one, volume: one };
      },
    },
    sources: [],
    applied: { source: 'test' },
  });
  await writer.commit();
  files = series.partitions.map((p) => p.file);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function config(data: unknown, symbols = ['AAA'], dates = ['2024-01-02', '2024-01-03']) {
  return parseSessionConfig({
    mode: 'backtest',
    backtest_config: { start_date: dates[0], end_date: dates[1] },
    session_data_config: {
      symbols,
      streams: ['1m'],
      strategies: [{ module: 'strategies.x', config: { symbols, interval: '1m' } }],
    },
    data_config: data,
  });
}

describe('data_config source "catalog"', () => {
  it('makes a catalog source with the path relative to the config folder and the session base stream', () => {
    const source = createBarSource(
      { source: 'catalog', path: basename(join(dir, 'catalog')) },
      { calendar, baseDir: dir, baseInterval: '1m' },
    );
    expect(source).toBeInstanceOf(CatalogBarSource);
    expect(source.description).toBe('catalog catalog (1m)');
    expect(source.symbols).toEqual(['AAA']);
  });

  it('is checked before a run: the symbols, the interval and the partitions the dates need', async () => {
    const ok = await checkDataConfig(config({ source: 'catalog', path: 'catalog' }), {
      calendar,
      baseDir: dir,
    });
    expect(ok.issues).toEqual([]);
    const unknown = await checkDataConfig(config({ source: 'catalog', path: 'catalog' }, ['AAA', 'BBB']), {
      calendar,
      baseDir: dir,
    });
    expect(unknown.issues).toEqual([
      { path: 'session_data_config.symbols[1]', message: 'the catalog has no 1m bars of BBB (it has AAA)' },
    ]);
    const noCatalog = await checkDataConfig(config({ source: 'catalog', path: 'nowhere' }), {
      calendar,
      baseDir: dir,
    });
    expect(noCatalog.issues).toEqual([
      {
        path: 'data_config',
        message: `${join('nowhere', 'manifest.json')}: no catalog here: manifest.json is missing (make one with strat data import)`,
      },
    ]);
    const wrongInterval = await checkDataConfig(
      config({ source: 'catalog', path: 'catalog', interval: '5m' }),
      {
        calendar,
        baseDir: dir,
      },
    );
    expect(wrongInterval.issues[0]?.message).toContain('the catalog has no 5m bars (it has 1m)');

    // The 2023 partition is not needed by 2024 dates; once gone, only a range that needs it fails.
    await unlink(join(dir, 'catalog', files[0] as string));
    expect(
      (await checkDataConfig(config({ source: 'catalog', path: 'catalog' }), { calendar, baseDir: dir }))
        .issues,
    ).toEqual([]);
    const needs2023 = await checkDataConfig(
      config({ source: 'catalog', path: 'catalog' }, ['AAA'], ['2023-12-29', '2024-01-02']),
      { calendar, baseDir: dir },
    );
    expect(needs2023.issues).toEqual([
      {
        path: 'data_config.path',
        message: `${join('catalog', files[0] as string)}: the partition is listed in the manifest but the file is missing`,
      },
    ]);
    expect(dirname(files[0] as string)).toBe('AAA/1m');
  });
});
