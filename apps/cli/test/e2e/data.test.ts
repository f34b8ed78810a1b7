import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionSummary } from '@strat/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CsvInspection } from '../../src/data/inspect-csv';
import { runStrat, scratchDir } from '../strat-process';

let scratch: ReturnType<typeof scratchDir>;

beforeAll(() => {
  scratch = scratchDir('data');
});

afterAll(() => scratch.remove());

function sessionConfig(dataConfig: unknown) {
  return {
    mode: 'backtest',
    backtest_config: { start_date: '2024-01-02', end_date: '2024-01-05' },
    session_data_config: {
      symbols: ['AAPL', 'MSFT'],
      streams: ['1m', '5m'],
      gap_filler: { enabled: true, max_gap_bars: 5 },
      strategies: [
        {
          module: 'strategies.examples.simple_ma_cross',
          config: { symbols: ['AAPL', 'MSFT'], interval: '5m', fast_period: 5, slow_period: 15 },
        },
        { module: 'strategies.examples.rsi_strategy', config: { symbols: ['AAPL', 'MSFT'], interval: '1m' } },
      ],
    },
    data_config: dataConfig,
  };
}

describe('strat data generate', () => {
  it('writes Parquet files that a session reads back as the bars of the same CSV files: identical journals', async () => {
    const journals: string[] = [];
    const summaries: SessionSummary[] = [];
    for (const format of ['csv', 'parquet'] as const) {
      const folder = join(scratch.dir, `same-${format}`);
      const generated = await runStrat([
        'data',
        'generate',
        '--symbols',
        'AAPL,MSFT',
        '--from',
        '2024-01-02',
        '--to',
        '2024-01-05',
        '--seed',
        '11',
        '--missing',
        '0.02',
        '--format',
        format,
        '--out',
        folder,
      ]);
      expect(generated.code, generated.stderr).toBe(0);
      expect(generated.stdout).toMatch(
        new RegExp(`wrote \\S+AAPL-1m\\.${format}: 1,\\d{3} bars, 2024-01-02T14:30:00Z to`),
      );
      expect(generated.stdout).toContain(`"data_config": {"source":"${format}","files":[`);
      const config = join(scratch.dir, `same-${format}.json`);
      writeFileSync(
        config,
        JSON.stringify(
          sessionConfig({
            source: format,
            files: [
              { path: `same-${format}/AAPL-1m.${format}`, symbol: 'AAPL' },
              { path: `same-${format}/MSFT-1m.${format}`, symbol: 'MSFT' },
            ],
          }),
        ),
      );
      const journal = join(scratch.dir, `same-${format}.jsonl`);
      const run = await runStrat(['run', config, '--out', journal, '--json', '--log-level', 'error']);
      expect(run.code, run.stderr).toBe(0);
      summaries.push(JSON.parse(run.stdout) as SessionSummary);
      journals.push(readFileSync(journal, 'utf8'));
    }
    expect(journals[0]?.split('\n').length).toBeGreaterThan(20);
    expect(journals[1]).toBe(journals[0]);
    expect(summaries[1]?.bars?.barsDone).toBe(summaries[0]?.bars?.barsDone);
    expect(summaries[1]?.quality).toEqual(summaries[0]?.quality);
  });

  it('writes CSV files that a session reads back as the same bars as the generator: identical journals', async () => {
    const generated = await runStrat([
      'data',
      'generate',
      '--symbols',
      'AAPL,MSFT',
      '--from',
      '2024-01-02',
      '--to',
      '2024-01-05',
      '--seed',
      '7',
      '--missing',
      '0.01',
      '--out',
      join(scratch.dir, 'data'),
    ]);
    expect(generated.stderr).toBe('');
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout).toMatch(
      /wrote \S+AAPL-1m\.csv: 1,\d{3} bars, 2024-01-02T14:30:00Z to 2024-01-05T20:59:00Z/,
    );
    expect(generated.stdout).toContain('"data_config": {"source":"csv","files":[');
    const csv = readFileSync(join(scratch.dir, 'data', 'AAPL-1m.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('timestamp,open,high,low,close,volume');
    expect(csv[1]).toMatch(/^2024-01-02T14:30:00Z,\d+(\.\d+)?,/);

    const generatorConfig = join(scratch.dir, 'generator.json');
    const csvConfig = join(scratch.dir, 'csv.json');
    writeFileSync(
      generatorConfig,
      JSON.stringify(sessionConfig({ source: 'generator', seed: 7, missing_bar_rate: 0.01 })),
    );
    writeFileSync(
      csvConfig,
      JSON.stringify(
        sessionConfig({
          source: 'csv',
          files: [
            { path: 'data/AAPL-1m.csv', symbol: 'AAPL' },
            { path: 'data/MSFT-1m.csv', symbol: 'MSFT' },
          ],
        }),
      ),
    );
    const runs: SessionSummary[] = [];
    for (const [config, journal] of [
      [generatorConfig, 'generator.jsonl'],
      [csvConfig, 'csv.jsonl'],
    ] as const) {
      const result = await runStrat([
        'run',
        config,
        '--out',
        join(scratch.dir, journal),
        '--json',
        '--log-level',
        'error',
      ]);
      expect(result.code, result.stderr).toBe(0);
      runs.push(JSON.parse(result.stdout) as SessionSummary);
    }
    const fromGenerator = readFileSync(join(scratch.dir, 'generator.jsonl'), 'utf8');
    const fromCsv = readFileSync(join(scratch.dir, 'csv.jsonl'), 'utf8');
    expect(fromGenerator.split('\n').length).toBeGreaterThan(20);
    expect(fromCsv).toBe(fromGenerator);
    expect(runs[1]?.bars?.barsDone).toBe(runs[0]?.bars?.barsDone);
    expect(runs[1]?.quality).toEqual(runs[0]?.quality);
    // The missing bars are there to see: quality below 100%, gaps filled.
    expect(runs[0]?.quality.some((q) => q.percent < 100 && q.filled > 0)).toBe(true);

    const again = await runStrat([
      'data',
      'generate',
      '--symbols',
      'AAPL',
      '--from',
      '2024-01-02',
      '--to',
      '2024-01-02',
      '--out',
      join(scratch.dir, 'data'),
    ]);
    expect(again.code, again.stderr).toBe(2);
    expect(again.stderr).toContain('AAPL-1m.csv already exists; pass --force to replace');
  });

  it('refuses bad options with exit 2', async () => {
    const base = ['data', 'generate', '--from', '2024-01-02', '--to', '2024-01-02', '--out', scratch.dir];
    for (const extra of [
      ['--symbols', 'A,,B'],
      ['--symbols', 'A', '--missing', '0.9'],
      ['--symbols', 'A', '--interval', '2x'],
    ]) {
      const result = await runStrat([...base, ...extra]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/^error: option '--\w+ <\w+>' argument '[^']+' is invalid\. /);
    }
    const tooLong = await runStrat([...base, '--symbols', 'A', '--interval', '2d']);
    expect(tooLong.code, tooLong.stderr).toBe(2);
    expect(tooLong.stderr).toContain('the generator makes bars up to 1d, not 2d');
    const weekend = await runStrat([
      'data',
      'generate',
      '--symbols',
      'A',
      '--from',
      '2024-01-06',
      '--to',
      '2024-01-07',
      '--out',
      scratch.dir,
    ]);
    expect(weekend.code, weekend.stderr).toBe(2);
    expect(weekend.stderr).toContain('no us_equities trading sessions from 2024-01-06 to 2024-01-07');
  });
});

describe('strat data inspect', () => {
  it('reports rows, range, sessions, gaps, quality per session and bad rows', async () => {
    const open = Date.UTC(2024, 0, 2, 14, 30);
    const rows = ['Timestamp,Open,High,Low,Close,Volume'];
    for (let i = 0; i < 390; i++) {
      if (i >= 100 && i < 104) continue; // a 4-bar gap
      if (i === 200) continue; // a 1-bar gap
      rows.push(`${new Date(open + i * 60_000).toISOString()},10,11,9,10.5,100`);
    }
    rows.splice(50, 0, '2024-01-02T15:19:30Z,10,9,11,10,100'); // high below low: a bad row at line 51
    rows.push('not a time,1,1,1,1,1');
    const nextDay = Date.UTC(2024, 0, 3, 14, 30);
    for (let i = 0; i < 390; i++)
      rows.push(`${new Date(nextDay + i * 60_000).toISOString()},10,11,9,10.5,100`);
    const file = join(scratch.dir, 'bars.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);

    const json = await runStrat(['data', 'inspect', file, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as CsvInspection;
    expect(report).toMatchObject({
      rows: 777,
      bars: 775,
      rowsSkipped: 2,
      first: '2024-01-02T14:30:00.000Z',
      last: '2024-01-03T20:59:00.000Z',
      gapCount: 2,
      largestGap: { date: '2024-01-02', bars: 4, from: '2024-01-02T16:10:00.000Z' },
      emptySessions: [],
      barsOutsideSessions: 0,
    });
    expect(report.sessions).toEqual([
      { date: '2024-01-02', bars: 385, expected: 390, quality: (385 / 390) * 100, gaps: 2, largestGap: 4 },
      { date: '2024-01-03', bars: 390, expected: 390, quality: 100, gaps: 0, largestGap: 0 },
    ]);
    expect(report.problems.map((p) => p.line)).toEqual([51, 388]);

    const text = await runStrat(['data', 'inspect', file]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('rows      777 (775 bars, 2 bad rows skipped)');
    expect(text.stdout).toContain('gaps      2 (largest: 4 bars from 2024-01-02 11:10)');
    expect(text.stdout).toMatch(/│ 2024-01-02 │ +385 │ +390 │ +98\.7% │ +2 │ +4 bars │/);
    expect(text.stdout).toContain(`${file}:51: high 9 is below`);
  });

  it('exits 2 for a file that is not there', async () => {
    const result = await runStrat(['data', 'inspect', join(scratch.dir, 'nope.csv')]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('no such file');
  });
});

describe('strat data inspect on the repository CSV', () => {
  it('suggests --time-label end for end-labelled rows, and is satisfied with it', async () => {
    const file = join('session_configs', 'data', 'acme-1m-end-labelled.csv');
    const asStart = await runStrat(['data', 'inspect', file]);
    expect(asStart.code, asStart.stderr).toBe(0);
    // Read by start, both days' 16:00 rows fall after the close: the last one too (it used to go uncounted).
    expect(asStart.stdout).toContain('outside   2 bars outside session hours');
    expect(asStart.stdout).toContain('rows      777 (777 bars)');
    expect(asStart.stdout).toContain('the rows may be labelled by bar end (try --time-label end)');
    const asEnd = await runStrat(['data', 'inspect', file, '--time-label', 'end', '--json']);
    const report = JSON.parse(asEnd.stdout) as CsvInspection;
    expect(report).toMatchObject({ bars: 777, barsOutsideSessions: 0, first: '2024-01-02T14:30:00.000Z' });
    expect(report.hint).toBeUndefined();
    expect(report.sessions.map((s) => s.date)).toEqual(['2024-01-02', '2024-01-03']);
  });
});

describe('strat data inspect names holidays (issue 15)', () => {
  // 30-minute bars, 09:30-16:00 New York (EST), every weekday of January 2024 but Monday 15
  // January, Martin Luther King Jr. Day.
  const tradingDays: string[] = [];
  for (let day = 2; day <= 31; day++) {
    const date = `2024-01-${String(day).padStart(2, '0')}`;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && date !== '2024-01-15') tradingDays.push(date);
  }
  const bars = (dates: string[]) => {
    const rows = ['Timestamp,Open,High,Low,Close,Volume'];
    for (const date of dates) {
      const open = Date.parse(`${date}T14:30:00Z`);
      for (let i = 0; i < 13; i++)
        rows.push(`${new Date(open + i * 1_800_000).toISOString()},10,11,9,10.5,1000`);
    }
    return `${rows.join('\n')}\n`;
  };

  it('a file with every trading day is 100 %: the holiday is named, not missing', async () => {
    const file = join(scratch.dir, 'jan-30m.csv');
    writeFileSync(file, bars(tradingDays));
    const json = await runStrat(['data', 'inspect', file, '--interval', '30m', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as CsvInspection;
    expect(report.sessions).toHaveLength(21);
    expect(report).toMatchObject({
      quality: 100,
      emptySessions: [],
      holidays: [{ date: '2024-01-15', name: 'Martin Luther King Jr. Day' }],
      barsOutsideSessions: 0,
      barsOnClosedDays: 0,
    });
    const text = await runStrat(['data', 'inspect', file, '--interval', '30m']);
    expect(text.stdout).toContain('holidays  1 (2024-01-15 Martin Luther King Jr. Day): closed, not missing');
  });

  it('reports bars on a closed day, with a hint at the time zone', async () => {
    const file = join(scratch.dir, 'jan-30m-holiday.csv');
    writeFileSync(file, bars([...tradingDays, '2024-01-15'].sort()));
    const json = await runStrat(['data', 'inspect', file, '--interval', '30m', '--json']);
    const report = JSON.parse(json.stdout) as CsvInspection;
    expect(report).toMatchObject({
      quality: 100,
      barsOutsideSessions: 13,
      barsOnClosedDays: 13,
      closedDaysWithBars: [{ date: '2024-01-15', name: 'Martin Luther King Jr. Day', bars: 13 }],
    });
    expect(report.hint).toMatch(
      /13 bars fall on days the exchange is closed \(first 2024-01-15, Martin Luther King Jr\. Day\): the time zone may be wrong/,
    );
    const text = await runStrat(['data', 'inspect', file, '--interval', '30m']);
    expect(text.stdout).toContain(
      'closed    13 bars on days the exchange is closed (2024-01-15 Martin Luther King Jr. Day)',
    );
  });
});

describe('strat run on a CSV big enough for a parsing thread', () => {
  it('gives the journal the generator gives, and a bad row as the same file:line error, exit 2', async () => {
    // From 16 MiB on a symbol's CSV is parsed on a thread of its own (@strat/data's dist/csv-parse-worker.js).
    const generated = await runStrat([
      'data',
      'generate',
      '--symbols',
      'SPY',
      '--from',
      '2020-01-02',
      '--to',
      '2023-12-29',
      '--seed',
      '5',
      '--out',
      join(scratch.dir, 'big'),
    ]);
    expect(generated.code, generated.stderr).toBe(0);
    const file = join(scratch.dir, 'big', 'SPY-1m.csv');
    expect(statSync(file).size).toBeGreaterThan(16 * 2 ** 20);
    const config = (dataConfig: unknown) => ({
      mode: 'backtest',
      backtest_config: { start_date: '2020-01-02', end_date: '2023-12-29' },
      session_data_config: {
        symbols: ['SPY'],
        streams: ['1m', '5m'],
        strategies: [
          {
            module: 'strategies.examples.simple_ma_cross',
            config: { symbols: ['SPY'], interval: '1m', fast_period: 10, slow_period: 20 },
          },
        ],
      },
      data_config: dataConfig,
    });
    const journals: string[] = [];
    for (const [name, dataConfig] of [
      ['big-generator', { source: 'generator', seed: 5 }],
      ['big-csv', { source: 'csv', files: [{ path: 'big/SPY-1m.csv', symbol: 'SPY' }] }],
    ] as const) {
      const path = join(scratch.dir, `${name}.json`);
      writeFileSync(path, JSON.stringify(config(dataConfig)));
      const journal = join(scratch.dir, `${name}.jsonl`);
      const run = await runStrat(['run', path, '--out', journal, '--log-level', 'error', '-q']);
      expect(run.code, run.stderr).toBe(0);
      journals.push(readFileSync(journal, 'utf8'));
    }
    expect(journals[0]?.split('\n').length).toBeGreaterThan(1000);
    expect(journals[1]).toBe(journals[0]);

    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').length;
    appendFileSync(file, '2023-12-29T21:00:00Z,2,1,0.5,2,10\n');
    const failing = await runStrat(['run', join(scratch.dir, 'big-csv.json'), '-q']);
    expect(failing.code, failing.stderr).toBe(2);
    expect(failing.stderr).toContain(`big/SPY-1m.csv:${lines + 1}: high 1 is below open 2`);
  });
});
