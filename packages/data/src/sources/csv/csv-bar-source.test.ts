import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, DataError } from '@strat/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TradingCalendar } from '../../calendar/trading-calendar';
import type { BarChunk, BarSource } from '../bar-source';
import { CsvBarSource, type CsvBarSourceOptions } from './csv-bar-source';
import type { CsvFileSpec } from './csv-file-spec';

const FIXTURES = resolve(__dirname, '../../../test/fixtures');
const at = (text: string): number => Date.parse(text);
const us = TradingCalendar.usEquities();
const utc = TradingCalendar.always();

interface PlainBar {
  time: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

async function readChunks(
  source: BarSource,
  symbol: string,
  from = -Infinity,
  to = Infinity,
): Promise<BarChunk[]> {
  const chunks: BarChunk[] = [];
  for await (const chunk of source.read(symbol, from, to)) chunks.push(chunk);
  return chunks;
}

async function readBars(
  source: BarSource,
  symbol: string,
  from = -Infinity,
  to = Infinity,
): Promise<PlainBar[]> {
  const bars: PlainBar[] = [];
  for (const c of await readChunks(source, symbol, from, to)) {
    for (let i = 0; i < c.length; i++) {
      bars.push({
        time: new Date(c.time[i] as number).toISOString(),
        open: c.open[i] as number,
        high: c.high[i] as number,
        low: c.low[i] as number,
        close: c.close[i] as number,
        volume: c.volume[i] as number,
      });
    }
  }
  return bars;
}

function source(files: CsvFileSpec[], options: Partial<CsvBarSourceOptions> = {}): CsvBarSource {
  return new CsvBarSource({ calendar: us, baseDir: FIXTURES, files, ...options });
}

async function errorOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'strat-csv-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function tempCsv(name: string, text: string): Promise<string> {
  const path = join(tmp, name);
  await writeFile(path, text);
  return path;
}

describe('CsvBarSource: time formats and labels', () => {
  it('reads Date,Time files labelled by their end, in the calendar time zone, across a DST change', async () => {
    const csv = source([{ path: 'es-end-labelled.csv', symbol: 'ES', time_label: 'end' }]);
    const bars = await readBars(csv, 'ES');
    expect(bars.map((b) => b.time)).toEqual([
      '2024-03-08T14:30:00.000Z',
      '2024-03-08T14:31:00.000Z',
      '2024-03-08T14:32:00.000Z',
      '2024-03-11T13:30:00.000Z',
      '2024-03-11T13:31:00.000Z',
    ]);
    expect(bars[0]).toMatchObject({ open: 5100.25, high: 5101, low: 5099.5, close: 5100.75, volume: 1200 });
    expect(csv.interval).toBe('1m');
    expect(csv.symbols).toEqual(['ES']);
    expect(csv.description).toBe('csv es-end-labelled.csv');
  });

  it('keeps start-labelled rows where they are, and honours a file time zone', async () => {
    const start = await readBars(source([{ path: 'es-end-labelled.csv', symbol: 'ES' }]), 'ES');
    expect(start[0]?.time).toBe('2024-03-08T14:31:00.000Z');
    const berlin = await readBars(
      source([{ path: 'es-end-labelled.csv', symbol: 'ES', timezone: 'Europe/Berlin' }]),
      'ES',
    );
    expect(berlin[0]?.time).toBe('2024-03-08T08:31:00.000Z');
  });

  it('labels date-only daily bars at the session open of their date', async () => {
    const daily = source([{ path: 'daily.csv', symbol: 'ABC', interval: '1d' }]);
    const bars = await readBars(daily, 'ABC');
    expect(bars.map((b) => b.time)).toEqual([
      '2024-03-08T14:30:00.000Z',
      '2024-03-11T13:30:00.000Z',
      '2024-03-12T13:30:00.000Z',
    ]);
    expect(bars[1]).toEqual({
      time: '2024-03-11T13:30:00.000Z',
      open: 10.2,
      high: 10.9,
      low: 10.1,
      close: 10.8,
      volume: 1_200_000,
    });
  });

  it('reads ISO timestamps with and without offsets (local time in the file zone)', async () => {
    const path = await tempCsv(
      'iso.csv',
      [
        'timestamp,open,high,low,close,volume',
        '2024-03-11T09:30:00,1,1,1,1,1',
        '2024-03-11T09:31:00-04:00,1,1,1,1,1',
        '2024-03-11 13:32:00Z,1,1,1,1,1',
        '2024-03-11T09:33:00.500-0400,1,1,1,1,1',
        '2024-03-11T14:34+01,1,1,1,1,1',
        '2024-03-11 09:35,1,1,1,1,1',
      ].join('\n'),
    );
    const bars = await readBars(source([{ path, symbol: 'X' }]), 'X');
    expect(bars.map((b) => b.time)).toEqual([
      '2024-03-11T13:30:00.000Z',
      '2024-03-11T13:31:00.000Z',
      '2024-03-11T13:32:00.000Z',
      '2024-03-11T13:33:00.500Z',
      '2024-03-11T13:34:00.000Z',
      '2024-03-11T13:35:00.000Z',
    ]);
  });

  it('reads epoch seconds and epoch milliseconds', async () => {
    const seconds = await tempCsv(
      'epoch-s.csv',
      'time,o,h,l,c,v\n1704205800,1,2,0.5,1.5,10\n1704205860,1,2,0.5,1.5,10\n',
    );
    const millis = await tempCsv('epoch-ms.csv', 'time,o,h,l,c,v\n1704205800000,1,2,0.5,1.5,10\n');
    const columns = { timestamp: 'time', open: 'o', high: 'h', low: 'l', close: 'c', volume: 'v' };
    const csv = source([
      { path: seconds, symbol: 'S', timestamp_format: 'epoch_s', columns },
      { path: millis, symbol: 'M', timestamp_format: 'epoch_ms', columns },
    ]);
    expect((await readBars(csv, 'S')).map((b) => b.time)).toEqual([
      '2024-01-02T14:30:00.000Z',
      '2024-01-02T14:31:00.000Z',
    ]);
    expect((await readBars(csv, 'M')).map((b) => b.time)).toEqual(['2024-01-02T14:30:00.000Z']);
  });

  it('reads MM/DD/YYYY dates with H:MM times', async () => {
    const path = await tempCsv(
      'us-dates.csv',
      'Date,Time,Open,High,Low,Close,Volume\n03/08/2024,9:30,1,1,1,1,0\n',
    );
    const bars = await readBars(source([{ path, symbol: 'X', date_format: 'MM/DD/YYYY' }]), 'X');
    expect(bars.map((b) => b.time)).toEqual(['2024-03-08T14:30:00.000Z']);
  });

  it('reads a header-less file mapped by index, with another delimiter and YYYYMMDD dates', async () => {
    const csv = source([
      {
        path: 'no-header-semicolon.csv',
        symbol: 'DAX',
        has_header: false,
        delimiter: ';',
        date_format: 'YYYYMMDD',
        timezone: 'Europe/Berlin',
        columns: { date: 0, time: 1, open: 2, high: 3, low: 4, close: 5, volume: 6 },
      },
    ]);
    const bars = await readBars(csv, 'DAX');
    expect(bars).toHaveLength(3);
    expect(bars[0]).toEqual({
      time: '2024-01-02T08:30:00.000Z',
      open: 100,
      high: 101,
      low: 99.5,
      close: 100.5,
      volume: 10,
    });
    expect(csv.report()).toEqual({ rowsRead: 3, rowsSkipped: 0, problems: [] });
  });
});

describe('CsvBarSource: file syntax', () => {
  it('handles a BOM, CRLF, quoted fields, extra columns and blank trailing lines', async () => {
    const csv = source([{ path: 'iso-quoted-crlf-bom.csv', symbol: 'Q' }], { calendar: utc });
    const bars = await readBars(csv, 'Q');
    expect(bars).toEqual([
      { time: '2024-01-02T14:30:00.000Z', open: 1, high: 2, low: 0.5, close: 1.5, volume: 100 },
      { time: '2024-01-02T14:31:00.000Z', open: 1.5, high: 2.5, low: 1.25, close: 2, volume: 200 },
      { time: '2024-01-02T14:32:00.000Z', open: 2, high: 2.25, low: 1.75, close: 2.125, volume: 300 },
    ]);
    expect(csv.report().rowsRead).toBe(3);
  });

  it('maps columns by header name in any case, or by index next to a header', async () => {
    const csv = source([
      {
        path: 'daily.csv',
        symbol: 'ABC',
        interval: '1d',
        columns: { date: 'DATE', close: 5, volume: 'VoLuMe' },
      },
    ]);
    const bars = await readBars(csv, 'ABC');
    expect(bars.map((b) => b.close)).toEqual([10.1, 10.7, 10.4]);
  });

  it('turns a CSV syntax error into a DataError with the file, or skips it', async () => {
    const path = await tempCsv(
      'unclosed.csv',
      'timestamp,open,high,low,close,volume\n2024-01-02T14:30:00Z,1,1,1,1,1\n"2024-01-02T14:31:00Z,1,1,1,1,1\n',
    );
    const error = await errorOf(readBars(source([{ path, symbol: 'X' }], { calendar: utc }), 'X'));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(/unclosed\.csv:\d+: cannot parse CSV: Quote Not Closed/);
    const skipping = source([{ path, symbol: 'X' }], { calendar: utc, onBadRow: 'skip' });
    expect(await readBars(skipping, 'X')).toHaveLength(1);
    expect(skipping.report().rowsSkipped).toBe(1);
  });
});

describe('CsvBarSource: unusual syntax and line numbers', () => {
  const header = 'timestamp,open,high,low,close,volume\n';

  it('goes on after a stray quote, keeping file order and line numbers', async () => {
    const path = await tempCsv(
      'stray-quote.csv',
      `${header}2024-01-02T14:30:00Z,1,2,0.5,1.5,100\n"2024-01-02T14:31:00Z",1,2,0.5,1.5,"1\n00"\n` +
        '2024-01-02T14:32:00Z,1,2,0.5,1.5,1x"0\n2024-01-02T14:33:00Z,1,0.5,0.5,1.5,100\n' +
        '2024-01-02T14:34:00Z,1,2,0.5,1.5,100\n',
    );
    const failing = await errorOf(readBars(source([{ path, symbol: 'X' }], { calendar: utc }), 'X'));
    expect((failing as DataError).line).toBe(4);
    const csv = source([{ path, symbol: 'X' }], { calendar: utc, onBadRow: 'skip' });
    expect((await readBars(csv, 'X')).map((b) => b.time)).toEqual([
      '2024-01-02T14:30:00.000Z',
      '2024-01-02T14:34:00.000Z',
    ]);
    const report = csv.report();
    expect(report.rowsRead).toBe(5);
    expect(report.problems.map((p) => p.line)).toEqual([4, 5, 6]);
    expect(report.problems[0]?.message).toBe('volume "1\n00" is not a finite number');
    expect(report.problems[1]?.message).toMatch(/^cannot parse CSV: Invalid Opening Quote/);
    expect(report.problems[2]?.message).toBe('high 0.5 is below close 1.5');
  });

  it('reads multi-character delimiters and lone CRs', async () => {
    const multi = await tempCsv(
      'multi.csv',
      'timestamp::open::high::low::close::volume\n2024-01-02T14:30:00Z::1::2::0.5::1.5::1\n' +
        '2024-01-02T14:31:00Z::1::2::0.5::1.5::-1\n2024-01-02T14:32:00Z::1::2::0.5::1.5::3\n',
    );
    const csv = source([{ path: multi, symbol: 'M', delimiter: '::' }], { calendar: utc, onBadRow: 'skip' });
    expect((await readBars(csv, 'M')).map((b) => b.volume)).toEqual([1, 3]);
    expect(csv.report().problems).toEqual([{ file: multi, line: 3, message: 'volume -1 is negative' }]);

    const loneCr = await tempCsv(
      'lone-cr.csv',
      `${header}2024-01-02T14:30:00Z,1,2,0.5,1.5,1\n2024-01-02T14:31:00Z,1,2,0.5,1.5,1\r2024-01-02T14:32:00Z,1,2,0.5,1.5,1\n` +
        '2024-01-02T14:33:00Z,1,2,0.5,9,1\n',
    );
    const skipping = source([{ path: loneCr, symbol: 'C' }], { calendar: utc, onBadRow: 'skip' });
    expect(await readBars(skipping, 'C')).toHaveLength(1);
    expect(skipping.report().problems.map((p) => p.line)).toEqual([4, 5]);
  });

  it('reads vendor-style local timestamps across DST changes', async () => {
    const path = await tempCsv(
      'dst.csv',
      `${header}2024-03-10 01:59:00,1,1,1,1,1\n2024-03-10 03:00,1,1,1,1,1\n2024-11-03 01:30:00,1,1,1,1,1\n` +
        '2024-11-03T02:00:00,1,1,1,1,1\n2024-11-04 09:30:00.000,1,1,1,1,1\n',
    );
    const bars = await readBars(source([{ path, symbol: 'D' }]), 'D');
    expect(bars.map((b) => b.time)).toEqual([
      '2024-03-10T06:59:00.000Z',
      '2024-03-10T07:00:00.000Z',
      '2024-11-03T05:30:00.000Z',
      '2024-11-03T07:00:00.000Z',
      '2024-11-04T14:30:00.000Z',
    ]);
  });
});

describe('CsvBarSource: row validation', () => {
  const badRows: CsvFileSpec = { path: 'bad-rows.csv', symbol: 'BAD' };

  it('fails on the first bad row, naming file and line', async () => {
    const error = await errorOf(readBars(source([badRows], { calendar: utc }), 'BAD'));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe('bad-rows.csv:3: high 10.4 is below open 10.5');
    expect((error as DataError).file).toBe('bad-rows.csv');
    expect((error as DataError).line).toBe(3);
  });

  it('with the skip policy, reports every bad row and keeps the good ones', async () => {
    const csv = source([badRows], { calendar: utc, onBadRow: 'skip' });
    const bars = await readBars(csv, 'BAD');
    expect(bars.map((b) => b.time)).toEqual(['2024-01-02T14:30:00.000Z', '2024-01-02T14:38:00.000Z']);
    const report = csv.report();
    expect(report.rowsRead).toBe(11);
    expect(report.rowsSkipped).toBe(9);
    expect(report.problems).toEqual([
      { file: 'bad-rows.csv', line: 3, message: 'high 10.4 is below open 10.5' },
      { file: 'bad-rows.csv', line: 4, message: 'low 10.3 is above open 10.2' },
      { file: 'bad-rows.csv', line: 5, message: 'volume -5 is negative' },
      { file: 'bad-rows.csv', line: 6, message: 'open "abc" is not a finite number' },
      { file: 'bad-rows.csv', line: 7, message: 'close is empty' },
      {
        file: 'bad-rows.csv',
        line: 8,
        message:
          "time 2024-01-02T14:30:00Z is not after the previous row's 2024-01-02T14:30:00Z: rows must be in strictly increasing time",
      },
      { file: 'bad-rows.csv', line: 9, message: 'no volume value: the row has only 5 fields' },
      {
        file: 'bad-rows.csv',
        line: 10,
        message:
          'timestamp "not-a-time" is not an ISO 8601 date-time such as 2024-03-08T09:30:00 or 2024-03-08T14:30:00Z',
      },
      {
        file: 'bad-rows.csv',
        line: 11,
        message:
          'timestamp "2024-02-30T14:37:00Z" is not an ISO 8601 date-time such as 2024-03-08T09:30:00 or 2024-03-08T14:30:00Z',
      },
    ]);
  });

  it('names close when it is the value above high, and checks low against close', async () => {
    const path = await tempCsv(
      'close-checks.csv',
      'timestamp,open,high,low,close,volume\n2024-01-02T14:30:00Z,3600,3601,3590,3602,1\n2024-01-02T14:31:00Z,3600,3601,3590,3589,1\n',
    );
    const csv = source([{ path, symbol: 'ES' }], { calendar: utc, onBadRow: 'skip' });
    await readBars(csv, 'ES');
    expect(csv.report().problems.map((p) => p.message)).toEqual([
      'high 3601 is below close 3602',
      'low 3590 is above close 3589',
    ]);
  });

  it('keeps at most 100 problems but counts them all', async () => {
    const lines = ['timestamp,open,high,low,close,volume'];
    for (let i = 0; i < 150; i++) lines.push(`2024-01-02T14:30:00Z,1,0,1,1,1`);
    const path = await tempCsv('many-bad.csv', lines.join('\n'));
    const csv = source([{ path, symbol: 'X' }], { calendar: utc, onBadRow: 'skip' });
    await readBars(csv, 'X');
    const report = csv.report();
    expect(report.rowsSkipped).toBe(150);
    expect(report.problems).toHaveLength(100);
    expect(report.problems[99]?.line).toBe(101);
  });

  it('rejects date-only rows in an intraday file before reading bars', async () => {
    const csv = source([{ path: 'daily.csv', symbol: 'ABC' }]);
    const error = await errorOf(csv.preflight());
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toContain('no time column');
  });
});

describe('CsvBarSource: long values in messages', () => {
  const big = 'x'.repeat(1_000_000);
  const clipped = `${'x'.repeat(80)}…`;
  const header = 'timestamp,open,high,low,close,volume\n';

  it('quotes at most 80 characters of a bad field, whatever its length', async () => {
    const path = await tempCsv('big-open.csv', `${header}2024-01-02T14:30:00Z,${big},1,1,1,1\n`);
    const error = await errorOf(readBars(source([{ path, symbol: 'X' }], { calendar: utc }), 'X'));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(`${path}:2: open "${clipped}" is not a finite number`);
    const stamp = await tempCsv('big-stamp.csv', `${header}${big},1,1,1,1,1\n`);
    const csv = source([{ path: stamp, symbol: 'X' }], { calendar: utc, onBadRow: 'skip' });
    await readBars(csv, 'X');
    expect(csv.report().problems).toEqual([
      {
        file: stamp,
        line: 2,
        message: `timestamp "${clipped}" is not an ISO 8601 date-time such as 2024-03-08T09:30:00 or 2024-03-08T14:30:00Z`,
      },
    ]);
  });

  it('clips the values the CSV parser quotes, and long or many column names', async () => {
    const quote = await tempCsv(
      'big-quote.csv',
      `${header}2024-01-02T14:30:00Z,1,1,1,1,1\n2024-01-02T14:31:00Z,${big}"a",1,1,1,1\n`,
    );
    const error = await errorOf(readBars(source([{ path: quote, symbol: 'X' }], { calendar: utc }), 'X'));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(
      `${quote}:3: cannot parse CSV: Invalid Opening Quote: a quote is found on field 1 at line 3, value is "${clipped}"`,
    );
    const names = [big, ...Array.from({ length: 40 }, (_, i) => `c${i}`)];
    const wide = await tempCsv('wide-header.csv', `${names.join(',')}\n`);
    const columns = await errorOf(readBars(source([{ path: wide, symbol: 'X' }], { calendar: utc }), 'X'));
    expect(columns.message).toBe(
      `${wide}:1: no time column: expected a "timestamp", "datetime" or "date" column, or map columns.timestamp or ` +
        `columns.date; the columns found are: ${clipped}, ${names.slice(1, 30).join(', ')} and 11 more`,
    );
  });
});

describe('CsvBarSource: setup errors', () => {
  it('reports a missing file before any bar, and in preflight', async () => {
    const csv = source([
      { path: 'es-end-labelled.csv', symbol: 'ES' },
      { path: 'missing.csv', symbol: 'ES' },
    ]);
    const iterator = csv.read('ES', -Infinity, Infinity)[Symbol.asyncIterator]();
    const error = await errorOf(iterator.next());
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(`missing.csv: cannot open ${join(FIXTURES, 'missing.csv')}: no such file`);
    await expect(csv.preflight()).rejects.toThrow(/missing\.csv: cannot open/);
  });

  it('names the columns found when a column is unknown', async () => {
    const csv = source([{ path: 'es-end-labelled.csv', symbol: 'ES', columns: { close: 'Last' } }]);
    const error = await errorOf(readBars(csv, 'ES'));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(
      'es-end-labelled.csv:1: no column named "Last" for close; the columns found are: Date, Time, Open, High, Low, Close, Volume, OpenInterest',
    );
    const noVolume = await tempCsv(
      'no-volume.csv',
      'Date,Time,Open,High,Low,Close\n2024-01-02,09:30,1,1,1,1\n',
    );
    await expect(readBars(source([{ path: noVolume, symbol: 'X' }]), 'X')).rejects.toThrow(
      'no column named "volume" for volume (map columns.volume to the right header name or index); the columns found are: Date, Time, Open, High, Low, Close',
    );
    const beyond = source([{ path: 'daily.csv', symbol: 'X', interval: '1d', columns: { volume: 9 } }]);
    await expect(beyond.preflight()).rejects.toThrow(
      'columns.volume is index 9, but the header has only 7 columns',
    );
  });

  it('rejects an unknown symbol and an empty file', async () => {
    const csv = source([{ path: 'daily.csv', symbol: 'ABC', interval: '1d' }]);
    await expect(readBars(csv, 'XYZ')).rejects.toThrow(
      'no CSV file provides symbol "XYZ" (the files provide: ABC)',
    );
    const empty = await tempCsv('empty.csv', '\n\n');
    await expect(source([{ path: empty, symbol: 'E' }]).preflight()).rejects.toThrow('the file is empty');
  });

  it('checks the entries up front with JSON paths', () => {
    let error: unknown;
    try {
      source([
        { path: 'a.csv', symbol: 'A', timezone: 'Nowhere/Town' },
        { path: 'b.csv', symbol: 'B', interval: '5m', has_header: false, columns: { close: 'Close' } },
      ]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues.map((i) => i.path)).toEqual([
      'data_config.files[0].timezone',
      'data_config.files[1].interval',
      'data_config.files[1].columns.close',
      'data_config.files[1].columns',
    ]);
    expect(issues[3]?.message).toContain('timestamp or date, open, high, low, volume');
    expect(() => source([{ path: 'a.csv', symbol: 'A', columns: { timestamp: 0, date: 1 } }])).toThrow(
      /either timestamp, or date/,
    );
    expect(() => source([])).toThrow(ConfigError);
  });
});

describe('CsvBarSource: volume of rows', () => {
  const ROWS = 100_000;
  const START = at('2024-01-01T00:00:00Z');
  let bigPath: string;

  beforeAll(async () => {
    const lines = ['timestamp,open,high,low,close,volume'];
    for (let i = 0; i < ROWS; i++) {
      const open = 100 + (i % 997) / 100;
      const close = 100 + ((i * 7) % 991) / 100;
      const high = Math.max(open, close) + 0.25;
      const low = Math.min(open, close) - 0.25;
      lines.push(`${new Date(START + i * 60_000).toISOString()},${open},${high},${low},${close},${i}`);
    }
    bigPath = await tempCsv('big.csv', `${lines.join('\n')}\n`);
  });

  it('round-trips 100k rows in strictly increasing chunks of at most 4096 with their own arrays', async () => {
    const csv = source([{ path: bigPath, symbol: 'BIG' }], { calendar: utc });
    const chunks = await readChunks(csv, 'BIG');
    expect(chunks.map((c) => c.length)).toEqual([...Array(24).fill(4096), ROWS - 24 * 4096]);
    let previous = Number.NEGATIVE_INFINITY;
    let i = 0;
    const buffers = new Set<ArrayBufferLike>();
    for (const chunk of chunks) {
      expect(chunk.symbol).toBe('BIG');
      expect(chunk.time.length).toBe(chunk.length);
      expect(chunk.volume.length).toBe(chunk.length);
      buffers.add(chunk.time.buffer);
      for (let k = 0; k < chunk.length; k++, i++) {
        const time = chunk.time[k] as number;
        expect(time).toBeGreaterThan(previous);
        previous = time;
        if (time !== START + i * 60_000 || chunk.volume[k] !== i || chunk.open[k] !== 100 + (i % 997) / 100) {
          expect({ i, time, volume: chunk.volume[k] }).toEqual({ i, time: START + i * 60_000, volume: i });
        }
      }
    }
    expect(i).toBe(ROWS);
    expect(buffers.size).toBe(chunks.length);
    expect(csv.report()).toEqual({ rowsRead: ROWS, rowsSkipped: 0, problems: [] });
  });

  it('yields only bars starting in [from, to)', async () => {
    const csv = source([{ path: bigPath, symbol: 'BIG' }], { calendar: utc });
    const from = START + 5000 * 60_000;
    const to = START + 5010 * 60_000;
    const chunks = await readChunks(csv, 'BIG', from, to);
    expect(chunks).toHaveLength(1);
    expect(Array.from(chunks[0]?.time ?? [])).toEqual(
      Array.from({ length: 10 }, (_, k) => from + k * 60_000),
    );
    // The read stops at the first row at or after `to` instead of parsing the rest of the file.
    expect(csv.report().rowsRead).toBe(5011);
  });

  it('reads a symbol split over files in order, checking time order across them', async () => {
    const first = await tempCsv(
      'part1.csv',
      'timestamp,open,high,low,close,volume\n2024-01-02T14:30:00Z,1,1,1,1,1\n',
    );
    const second = await tempCsv(
      'part2.csv',
      'timestamp,open,high,low,close,volume\n2024-01-02T14:31:00Z,2,2,2,2,2\n',
    );
    const inOrder = source(
      [
        { path: first, symbol: 'S' },
        { path: second, symbol: 'S' },
      ],
      { calendar: utc },
    );
    expect((await readBars(inOrder, 'S')).map((b) => b.close)).toEqual([1, 2]);
    const reversed = source(
      [
        { path: second, symbol: 'S' },
        { path: first, symbol: 'S' },
      ],
      { calendar: utc },
    );
    await expect(readBars(reversed, 'S')).rejects.toThrow(
      /part1\.csv:2: time 2024-01-02T14:30:00Z is not after/,
    );
  });
});
