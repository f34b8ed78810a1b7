import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '@strat/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExecutionSettings, Fill, StrategyResult } from '../execution/execution-types';
import { combinedEquity, combineResults } from './combine-results';
import { computeStats } from './compute-stats';
import { csvLine, parseCsv } from './csv-text';
import { equityColumnsOf, equitySeriesOf } from './equity-series';
import { readResultsFolder } from './read-results-folder';
import type { ResultsFolderData } from './results-folder-types';
import { tradeColumnsOf, tradeRecordsOf } from './trade-records';
import { writeResultsFolder } from './write-results-folder';

const root = mkdtempSync(join(tmpdir(), 'strat-results-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const T0 = Date.UTC(2024, 0, 2, 14, 30);
const MIN = 60_000;
const ODD_NAME = 'sma "fast", v2';

const settings: ExecutionSettings = {
  initialCash: 100_000,
  fill: 'next_open',
  slippageBps: 2.5,
  commission: { perUnit: 0.005, percent: 0.1, minimum: 1 },
  sizing: { kind: 'percent_equity', percent: 50, lotSize: 10 },
  allowShort: true,
  riskFreeRate: 0.02,
};

function strategy(name: string, own: ExecutionSettings, pnl: number[]): StrategyResult {
  const equity = equityColumnsOf({
    time: [T0, T0 + MIN, T0 + 2 * MIN, T0 + 1_440 * MIN],
    equity: [
      own.initialCash - 1.1,
      own.initialCash + 0.1 + 0.2,
      own.initialCash * 0.97,
      own.initialCash + 1e-7,
    ],
    cash: [0.30000000000000004, -2.5, own.initialCash, own.initialCash + 1e-7],
    exposure: [own.initialCash, own.initialCash / 3, 0, 0],
  });
  const trades = tradeColumnsOf(
    pnl.map((p, i) => ({
      symbol: i % 2 === 0 ? 'AAPL' : 'BRK,B',
      side: i % 2 === 0 ? ('long' as const) : ('short' as const),
      quantity: 10 * (i + 1),
      entryTime: T0 + i * MIN,
      entryPrice: 185.123,
      exitTime: T0 + (i + 1) * MIN,
      exitPrice: 185.123 + p / 10,
      grossPnl: p + 1 / 3,
      commission: 1 / 3,
      netPnl: p,
      barsHeld: i + 1,
      // (-0 would print as 0: JS prints numbers so, and the file holds what it prints.)
      mae: 0 - Math.abs(p) / 7,
      mfe: Math.abs(p) / 9,
    })),
  );
  return {
    strategy: name,
    settings: own,
    stats: computeStats({
      equity,
      trades,
      commissions: 2 / 3,
      notional: 12_345.678,
      initialCash: own.initialCash,
    }),
    trades,
    equity,
    unfilled: 2,
    openPositions: { AAPL: 10, 'BRK,B': -5 },
  };
}

const winners = strategy(ODD_NAME, settings, [12.5, 3]);
const plain = strategy(
  'rsi',
  { ...settings, initialCash: 50_000, sizing: { kind: 'units', units: 7 } },
  [-4, 8.25, 0],
);

const fills: Fill[] = [
  {
    strategy: ODD_NAME,
    symbol: 'BRK,B',
    interval: '1m',
    time: T0,
    signalSeq: 0,
    side: 'sell',
    quantity: 20,
    price: 412.0997,
    referencePrice: 412.2,
    commission: 1,
    positionAfter: -20,
  },
  {
    strategy: 'rsi',
    symbol: 'AAPL',
    interval: '5m',
    time: T0 + 5 * MIN,
    signalSeq: 3,
    side: 'buy',
    quantity: 7,
    price: 185.5,
    referencePrice: undefined,
    commission: 1.2345,
    positionAfter: 7,
  },
];

const data: ResultsFolderData = {
  session: {
    mode: 'backtest',
    start: '2024-01-02',
    end: '2024-01-03',
    config: { mode: 'backtest', session_data_config: { symbols: ['AAPL', 'BRK,B'] } },
    quality: [
      {
        symbol: 'AAPL',
        interval: '1m',
        expected: 390,
        received: 386,
        filled: 4,
        percent: (386 / 390) * 100,
        baseInterval: '1m',
        expectedBars: 390,
        receivedBars: 386,
        partialBars: 0,
      },
      {
        symbol: 'AAPL',
        interval: '5m',
        expected: 390,
        received: 386,
        filled: 0,
        percent: (386 / 390) * 100,
        baseInterval: '1m',
        expectedBars: 78,
        receivedBars: 78,
        partialBars: 4,
      },
    ],
  },
  results: { strategies: [winners, plain], total: combineResults([winners, plain]) },
  fills,
  bars: [
    {
      symbol: 'AAPL',
      interval: '1m',
      time: Float64Array.from([T0, T0 + MIN]),
      open: Float64Array.from([185.1, 185.2]),
      high: Float64Array.from([185.3, 185.25]),
      low: Float64Array.from([185, 185.05]),
      close: Float64Array.from([185.2, 185.1]),
      volume: Float64Array.from([12_000, 0]),
    },
    {
      symbol: 'BRK,B',
      interval: '5m',
      time: [T0],
      open: [412.2],
      high: [413],
      low: [411.5],
      close: [412.75],
      volume: [1_234.5],
    },
  ],
};

describe('writeResultsFolder / readResultsFolder', () => {
  it('reads back every number written', async () => {
    const dir = join(root, 'round-trip', 'nested');
    expect(await writeResultsFolder(dir, data)).toBe(dir);
    const folder = await readResultsFolder(dir);
    expect(folder.format).toBe('strat-results/1');
    expect(folder.session).toEqual(data.session);
    expect(folder.strategies).toEqual(
      [winners, plain].map((s) => ({
        strategy: s.strategy,
        settings: s.settings,
        stats: s.stats,
        unfilled: 2,
        openPositions: { AAPL: 10, 'BRK,B': -5 },
        equity: equitySeriesOf(s.equity),
      })),
    );
    expect(folder.strategies[0]?.stats.profitFactor).toBe(Number.POSITIVE_INFINITY);
    expect(folder.total).toEqual({
      stats: data.results.total,
      equity: equitySeriesOf(combinedEquity([winners, plain])),
    });
    expect(folder.trades).toEqual([
      ...tradeRecordsOf(ODD_NAME, winners.trades),
      ...tradeRecordsOf('rsi', plain.trades),
    ]);
    expect(folder.fills).toEqual(fills);
    expect(folder.bars).toEqual(
      data.bars.map((b) => ({
        symbol: b.symbol,
        interval: b.interval,
        time: Array.from(b.time),
        open: Array.from(b.open),
        high: Array.from(b.high),
        low: Array.from(b.low),
        close: Array.from(b.close),
        volume: Array.from(b.volume),
      })),
    );
    // Whole files only: no temporary file is left.
    expect(readdirSync(dir).sort()).toEqual([
      'bars.csv',
      'equity.csv',
      'fills.csv',
      'results.json',
      'trades.csv',
    ]);
  });

  it('writes the documented formats', async () => {
    const dir = join(root, 'formats');
    await writeResultsFolder(dir, data);
    const text = (name: string) => readFileSync(join(dir, name), 'utf8');
    const json = JSON.parse(text('results.json'));
    expect(json.format).toBe('strat-results/1');
    expect(json.strategies[0].strategy).toBe(ODD_NAME);
    expect(json.strategies[0].stats.profit_factor).toBeNull();
    expect(json.strategies[1].settings).toEqual({
      initial_cash: 50_000,
      fill: 'next_open',
      slippage_bps: 2.5,
      commission: { per_unit: 0.005, percent: 0.1, minimum: 1 },
      sizing: { units: 7 },
      allow_short: true,
      risk_free_rate: 0.02,
    });
    expect(json.strategies[0].settings.sizing).toEqual({ percent_equity: 50, lot_size: 10 });
    expect(json.strategies[1].open_positions).toEqual({ AAPL: 10, 'BRK,B': -5 });
    expect(Object.keys(json.total)).toContain('max_drawdown_duration_ms');
    expect(text('fills.csv')).toBe(
      'strategy,symbol,interval,time,signal_seq,side,quantity,price,reference_price,commission,position_after\n' +
        '"sma ""fast"", v2","BRK,B",1m,2024-01-02T14:30:00.000Z,0,sell,20,412.0997,412.2,1,-20\n' +
        'rsi,AAPL,5m,2024-01-02T14:35:00.000Z,3,buy,7,185.5,,1.2345,7\n',
    );
    expect(text('equity.csv').split('\n').slice(0, 2)).toEqual([
      'strategy,time,equity,cash,exposure',
      '"sma ""fast"", v2",2024-01-02T14:30:00.000Z,99998.9,0.30000000000000004,100000',
    ]);
    expect(text('trades.csv').split('\n').slice(0, 3)).toEqual([
      'strategy,symbol,side,quantity,entry_time,entry_price,exit_time,exit_price,gross_pnl,commission,net_pnl,bars_held,mae,mfe',
      `"sma ""fast"", v2",AAPL,long,10,2024-01-02T14:30:00.000Z,185.123,2024-01-02T14:31:00.000Z,${185.123 + 1.25},${12.5 + 1 / 3},${1 / 3},12.5,1,${-12.5 / 7},${12.5 / 9}`,
      `"sma ""fast"", v2","BRK,B",short,20,2024-01-02T14:31:00.000Z,185.123,2024-01-02T14:32:00.000Z,${185.123 + 0.3},${3 + 1 / 3},${1 / 3},3,2,${-3 / 7},${3 / 9}`,
    ]);
    expect(text('bars.csv')).toBe(
      'symbol,interval,time,open,high,low,close,volume\n' +
        'AAPL,1m,2024-01-02T14:30:00.000Z,185.1,185.3,185,185.2,12000\n' +
        'AAPL,1m,2024-01-02T14:31:00.000Z,185.2,185.25,185.05,185.1,0\n' +
        '"BRK,B",5m,2024-01-02T14:30:00.000Z,412.2,413,411.5,412.75,1234.5\n',
    );
  });

  it('reads the quality of a folder written before the own-interval counts, as base counts', async () => {
    const dir = join(root, 'old-quality');
    await writeResultsFolder(dir, data);
    const file = join(dir, 'results.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.session.quality = json.session.quality.map(
      ({ symbol, interval, expected, received, filled, percent }: Record<string, unknown>) => ({
        symbol,
        interval,
        expected,
        received,
        filled,
        percent,
      }),
    );
    writeFileSync(file, JSON.stringify(json));
    const folder = await readResultsFolder(dir);
    expect(
      folder.session.quality?.map((q) => [
        q.interval,
        q.baseInterval,
        q.expectedBars,
        q.receivedBars,
        q.partialBars,
      ]),
    ).toEqual([
      ['1m', '1m', 390, 386, 0],
      ['5m', '5m', 390, 386, 0],
    ]);
  });

  it('refuses a folder path that is a file, writing nothing', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    await expect(writeResultsFolder(file, data)).rejects.toThrow(/is not a folder/);
    await expect(writeResultsFolder(join(file, 'below'), data)).rejects.toThrow(/is not a folder/);
    await expect(readResultsFolder(file)).rejects.toThrow(/is a file, not a results folder/);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('leaves no temporary file when a file cannot be replaced', async () => {
    const dir = join(root, 'blocked');
    mkdirSync(join(dir, 'equity.csv'), { recursive: true });
    await expect(writeResultsFolder(dir, data)).rejects.toThrow(/equity\.csv/);
    expect(readdirSync(dir).sort()).toEqual(['equity.csv', 'fills.csv', 'trades.csv']);
  });

  it('names the file and line of what it cannot read', async () => {
    const dir = join(root, 'broken');
    await writeResultsFolder(dir, data);
    const broken = async (name: string, change: (text: string) => string) => {
      const original = readFileSync(join(dir, name), 'utf8');
      writeFileSync(join(dir, name), change(original));
      try {
        return await readResultsFolder(dir).then(
          () => undefined,
          (error: unknown) => error,
        );
      } finally {
        writeFileSync(join(dir, name), original);
      }
    };
    const badNumber = await broken('equity.csv', (t) => t.replace('99998.9', '99998.9x'));
    expect(DataError.isInstance(badNumber)).toBe(true);
    expect((badNumber as DataError).message).toBe(
      `${join(dir, 'equity.csv')}:2: equity "99998.9x" is not a number`,
    );
    const badTime = await broken('trades.csv', (t) =>
      t.replace('2024-01-02T14:31:00.000Z', '2024-01-02 14:31'),
    );
    expect((badTime as Error).message).toMatch(
      /trades\.csv:2: exit_time "2024-01-02 14:31" is not an ISO 8601/,
    );
    const badHeader = await broken('fills.csv', (t) => t.replace('signal_seq', 'seq'));
    expect((badHeader as Error).message).toMatch(/fills\.csv:1: the header row must be strategy,symbol,/);
    const shortRow = await broken('bars.csv', (t) => `${t}AAPL,1m\n`);
    expect((shortRow as Error).message).toMatch(/bars\.csv:5: 2 fields where 8 are expected/);
    const otherStrategy = await broken('equity.csv', (t) => `${t}ghost,2024-01-02T14:30:00.000Z,1,1,0\n`);
    expect((otherStrategy as Error).message).toMatch(
      /equity\.csv:10: strategy "ghost" is not in results\.json/,
    );
    const format = await broken('results.json', (t) => t.replace('strat-results/1', 'strat-results/9'));
    expect((format as Error).message).toMatch(
      /results\.json: format is "strat-results\/9", this version reads/,
    );
    const badStat = await broken('results.json', (t) => t.replace('"sharpe": ', '"sharpe": "x", "was": '));
    expect((badStat as Error).message).toMatch(
      /results\.json: strategies\[0\]\.stats\.sharpe: expected a number/,
    );
    const notJson = await broken('results.json', (t) => t.slice(0, 20));
    expect((notJson as Error).message).toMatch(/results\.json: not valid JSON/);
    rmSync(join(dir, 'bars.csv'));
    await expect(readResultsFolder(dir)).rejects.toThrow(
      /bars\.csv: not readable in a results folder: missing/,
    );
    await expect(readResultsFolder(join(root, 'nowhere'))).rejects.toThrow(/no results folder here/);
  });
});

describe('CSV text', () => {
  it('quotes fields with commas, quotes and line breaks, and parses them back', () => {
    const fields = ['plain', 'a,b', 'say "hi"', 'two\nlines', '', 'cr\r\nlf'];
    const line = csvLine(fields);
    expect(line).toBe('plain,"a,b","say ""hi""","two\nlines",,"cr\r\nlf"\n');
    expect(parseCsv(`${line}\r\nx,y\r\n`)).toEqual([
      { fields, line: 1 },
      { fields: ['x', 'y'], line: 5 },
    ]);
    expect(parseCsv('a,b')).toEqual([{ fields: ['a', 'b'], line: 1 }]);
    expect(() => parseCsv('"open')).toThrow('line 1: a quoted field is not closed');
    expect(() => parseCsv('"a"b')).toThrow('line 1: text after a closing quote');
  });

  it('parses back any fields it writes, and any number as JavaScript prints it', () => {
    const field = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', 'é') });
    fc.assert(
      fc.property(fc.array(field, { minLength: 2, maxLength: 5 }), fc.double(), (fields, n) => {
        const [record] = parseCsv(csvLine([...fields, String(n)]));
        expect(record?.fields).toEqual([...fields, String(n)]);
        expect(Object.is(Number(record?.fields.at(-1)), n === 0 ? 0 : n)).toBe(true);
      }),
    );
  });
});
