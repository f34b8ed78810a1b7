import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import type { CatalogManifest } from '@strat/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogSummary } from '../../src/data/catalog-summary';
import { runStrat, scratchDir } from '../strat-process';

let scratch: ReturnType<typeof scratchDir>;

beforeAll(() => {
  scratch = scratchDir('catalog');
});

afterAll(() => scratch.remove());

const REPO_CSV = join(__dirname, '../../../../session_configs/data/acme-1m-end-labelled.csv');

function sessionConfig(symbols: string[], dates: [string, string], dataConfig: unknown) {
  return {
    mode: 'backtest',
    backtest_config: { start_date: dates[0], end_date: dates[1] },
    session_data_config: {
      symbols,
      streams: ['1m', '5m'],
      gap_filler: { enabled: true, max_gap_bars: 5 },
      strategies: [
        {
          module: 'strategies.examples.simple_ma_cross',
          config: { symbols, interval: '5m', fast_period: 5, slow_period: 15 },
        },
        { module: 'strategies.examples.rsi_strategy', config: { symbols, interval: '1m' } },
      ],
    },
    data_config: dataConfig,
  };
}

async function journalOf(name: string, config: unknown): Promise<string> {
  const path = join(scratch.dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(config));
  const journal = join(scratch.dir, `${name}.jsonl`);
  const result = await runStrat(['run', path, '--out', journal, '--log-level', 'error']);
  expect(result.code, result.stderr).toBe(0);
  return readFileSync(journal, 'utf8');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

describe('strat data import and source "catalog"', () => {
  it('replays the same bars as the CSV files (and a generated catalog): byte-identical journals', async () => {
    const dates: [string, string] = ['2023-12-27', '2024-01-05'];
    const generate = ['data', 'generate', '--symbols', 'AAPL,MSFT', '--from', dates[0], '--to', dates[1]];
    const options = ['--seed', '7', '--missing', '0.01'];
    const csv = await runStrat([...generate, ...options, '--out', join(scratch.dir, 'csv')]);
    expect(csv.code, csv.stderr).toBe(0);
    const imported = await runStrat([
      'data',
      'import',
      join(scratch.dir, 'csv', 'AAPL-1m.csv'),
      join(scratch.dir, 'csv', 'MSFT-1m.csv'),
      '--to',
      join(scratch.dir, 'catalog'),
    ]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    // Seven sessions: 1 January 2024 is a holiday.
    expect(imported.stdout).toMatch(
      /imported AAPL 1m: 2,\d{3} bars in 2 partitions, 2023-12-27T14:30:00Z to 2024-01-05T20:59:00Z/,
    );
    expect(imported.stdout).toContain('"data_config": {"source":"catalog","path":');
    const arrow = await runStrat([
      ...generate,
      ...options,
      '--format',
      'arrow',
      '--out',
      join(scratch.dir, 'generated'),
    ]);
    expect(arrow.code, arrow.stderr).toBe(0);
    expect(arrow.stdout).toMatch(/wrote MSFT 1m: 2,\d{3} bars in 2 partitions/);

    const manifest = JSON.parse(
      readFileSync(join(scratch.dir, 'catalog', 'manifest.json'), 'utf8'),
    ) as CatalogManifest;
    expect(manifest.series.map((s) => [s.symbol, s.partitions.map((p) => p.key)])).toEqual([
      ['AAPL', ['2023', '2024']],
      ['MSFT', ['2023', '2024']],
    ]);
    expect(manifest.series[0]?.sources[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.series[0]?.applied).toEqual({
      source: 'csv',
      timezone: 'America/New_York',
      time_label: 'start',
    });

    const symbols = ['AAPL', 'MSFT'];
    const fromCsv = await journalOf(
      'csv',
      sessionConfig(symbols, dates, {
        source: 'csv',
        files: [
          { path: 'csv/AAPL-1m.csv', symbol: 'AAPL' },
          { path: 'csv/MSFT-1m.csv', symbol: 'MSFT' },
        ],
      }),
    );
    const fromCatalog = await journalOf(
      'catalog',
      sessionConfig(symbols, dates, { source: 'catalog', path: 'catalog' }),
    );
    const fromGenerated = await journalOf(
      'generated',
      sessionConfig(symbols, dates, { source: 'catalog', path: 'generated' }),
    );
    expect(fromCsv.split('\n').length).toBeGreaterThan(20);
    expect(fromCatalog).toBe(fromCsv);
    expect(fromGenerated).toBe(fromCsv);

    // A session of 2024 dates reads only the 2024 partitions.
    const only2024: [string, string] = ['2024-01-02', '2024-01-05'];
    const csv2024 = await journalOf(
      'csv-2024',
      sessionConfig(symbols, only2024, {
        source: 'csv',
        files: [
          { path: 'csv/AAPL-1m.csv', symbol: 'AAPL' },
          { path: 'csv/MSFT-1m.csv', symbol: 'MSFT' },
        ],
      }),
    );
    for (const s of manifest.series)
      unlinkSync(join(scratch.dir, 'catalog', s.partitions[0]?.file as string));
    expect(
      await journalOf(
        'catalog-2024',
        sessionConfig(symbols, only2024, { source: 'catalog', path: 'catalog' }),
      ),
    ).toBe(csv2024);

    // The whole range now needs a missing file: validate and run name it.
    const broken = join(scratch.dir, 'broken.json');
    writeFileSync(
      broken,
      JSON.stringify(sessionConfig(symbols, dates, { source: 'catalog', path: 'catalog' })),
    );
    const run = await runStrat(['run', broken, '--out', join(scratch.dir, 'broken.jsonl')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /AAPL\/1m\/2023\.[0-9a-f]{12}\.arrow: the partition is listed in the manifest but the file is missing/,
    );
    const inspect = await runStrat(['data', 'inspect', join(scratch.dir, 'catalog')]);
    expect(inspect.code).toBe(2);
    expect(inspect.stdout).toMatch(
      /damaged +2 partition files missing or not the size the manifest says: AAPL\/1m\/2023\./,
    );
  }, 300_000);

  it('applies the time zone and end label as the CSV source does: identical journals', async () => {
    const file = join(scratch.dir, 'acme.csv');
    copyFileSync(REPO_CSV, file);
    const imported = await runStrat([
      'data',
      'import',
      file,
      '--time-label',
      'end',
      '--to',
      join(scratch.dir, 'acme'),
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(
      'imported acme 1m: 777 bars in 1 partition, 2024-01-02T14:30:00Z to 2024-01-03T20:59:00Z',
    );
    const dates: [string, string] = ['2024-01-02', '2024-01-03'];
    const fromCsv = await journalOf(
      'acme-csv',
      sessionConfig(['acme'], dates, {
        source: 'csv',
        files: [{ path: 'acme.csv', symbol: 'acme', time_label: 'end' }],
      }),
    );
    const fromCatalog = await journalOf(
      'acme-catalog',
      sessionConfig(['acme'], dates, { source: 'catalog', path: 'acme' }),
    );
    expect(fromCatalog).toBe(fromCsv);

    const summary = await runStrat(['data', 'inspect', join(scratch.dir, 'acme'), '--json']);
    expect(summary.code, summary.stderr).toBe(0);
    const parsed = JSON.parse(summary.stdout) as CatalogSummary;
    expect(parsed).toMatchObject({
      symbols: ['acme'],
      intervals: ['1m'],
      rows: 777,
      damaged: [],
      series: [
        {
          symbol: 'acme',
          first: '2024-01-02T14:30:00Z',
          last: '2024-01-03T20:59:00Z',
          applied: { source: 'csv', timezone: 'America/New_York', time_label: 'end' },
          partitions: [{ key: '2024', rows: 777, present: true }],
        },
      ],
    });
    const text = await runStrat(['data', 'inspect', join(scratch.dir, 'acme')]);
    expect(text.stdout).toMatch(/symbols +acme\nintervals +1m\nrows +777 in 1 partitions/);
    expect(text.stdout).toContain('csv, America/New_York, end-labelled');
  }, 180_000);

  it('imports Parquet files to the same Arrow files as the same bars from CSV', async () => {
    const generate = ['data', 'generate', '--symbols', 'PQ', '--from', '2024-03-08', '--to', '2024-03-12'];
    for (const format of ['csv', 'parquet']) {
      const made = await runStrat([
        ...generate,
        '--format',
        format,
        '--out',
        join(scratch.dir, `pq-${format}`),
      ]);
      expect(made.code, made.stderr).toBe(0);
    }
    const fromCsv = await runStrat([
      'data',
      'import',
      join(scratch.dir, 'pq-csv', 'PQ-1m.csv'),
      '--to',
      join(scratch.dir, 'pq-from-csv'),
    ]);
    expect(fromCsv.code, fromCsv.stderr).toBe(0);
    const fromParquet = await runStrat([
      'data',
      'import',
      join(scratch.dir, 'pq-parquet', 'PQ-1m.parquet'),
      '--columns',
      'timestamp=TIMESTAMP',
      '--to',
      join(scratch.dir, 'pq-from-parquet'),
      '--json',
    ]);
    expect(fromParquet.code, fromParquet.stderr).toBe(0);
    const printed = JSON.parse(fromParquet.stdout) as { series: { format: string; rows: number }[] };
    expect(printed.series.map((s) => s.format)).toEqual(['parquet']);
    expect(fromCsv.stdout).toContain(
      `imported PQ 1m: ${printed.series[0]?.rows.toLocaleString('en-US')} bars`,
    );
    const partitions = (folder: string) =>
      (
        JSON.parse(readFileSync(join(scratch.dir, folder, 'manifest.json'), 'utf8')) as CatalogManifest
      ).series.map((s) => s.partitions.map((p) => [p.key, p.rows, p.sha256]));
    expect(partitions('pq-from-parquet')).toEqual(partitions('pq-from-csv'));

    const badColumns = await runStrat(['data', 'import', 'x.parquet', '--columns', 'price=p', '--to', 'y']);
    expect(badColumns.code).toBe(2);
    expect(badColumns.stderr).toContain('expected field=column pairs');
  }, 120_000);

  it('writes nothing when a file fails half way, and refuses a series it holds without --force', async () => {
    const good = join(scratch.dir, 'GOOD-1m.csv');
    const bad = join(scratch.dir, 'BAD-1m.csv');
    writeFileSync(good, 'timestamp,open,high,low,close,volume\n2024-01-02T14:30:00Z,1,2,0.5,1.5,10\n');
    writeFileSync(
      bad,
      'timestamp,open,high,low,close,volume\n2024-01-02T14:30:00Z,1,2,0.5,1.5,10\n2024-01-02T14:31:00Z,1,0.9,0.5,1.5,10\n',
    );
    const target = join(scratch.dir, 'atomic');
    const failed = await runStrat(['data', 'import', good, bad, '--to', target]);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('BAD-1m.csv:3: high 0.9 is below close 1.5');
    expect(existsSync(target) ? filesUnder(target) : []).toEqual([]);

    const skipped = await runStrat(['data', 'import', good, bad, '--on-bad-row', 'skip', '--to', target]);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stdout).toContain('imported BAD 1m: 1 bars in 1 partition');
    expect(skipped.stdout).toContain('BAD-1m.csv:3: high 0.9 is below close 1.5');
    const again = await runStrat(['data', 'import', good, '--to', target]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('the catalog already holds GOOD 1m');
    const forced = await runStrat(['data', 'import', good, '--to', target, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(filesUnder(target).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    rmSync(target, { recursive: true, force: true });
  }, 120_000);
});
