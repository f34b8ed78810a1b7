import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DataError, type Interval, isInterval } from '@strat/core';
import type { SeriesQualityRecord } from '@strat/data';
import type { Fill } from '../execution/execution-types';
import { parseCsv } from './csv-text';
import { type EquitySeries, equityColumnsOf, equitySeriesOf, sumEquity } from './equity-series';
import {
  RESULTS_FORMAT,
  type ResultsFolder,
  type ResultsFolderStrategy,
  type ResultsSession,
  type SeriesBars,
} from './results-folder-types';
import { JsonReader, ResultsJsonError, settingsFromJson, statsFromJson } from './results-json';
import type { TradeRecord } from './trade-records';
import { RESULTS_CSV_HEADERS } from './write-results-folder';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The cells of one CSV row, read by type; errors name the file and line. */
class CsvRow {
  constructor(
    private readonly fields: string[],
    private readonly file: string,
    private readonly line: number,
  ) {}

  error(message: string): DataError {
    return new DataError(message, { file: this.file, line: this.line });
  }

  text(i: number): string {
    return this.fields[i] as string;
  }

  number(i: number, column: string): number {
    const s = this.text(i);
    const n = Number(s);
    if (s.trim() === '' || (Number.isNaN(n) && s !== 'NaN'))
      throw this.error(`${column} "${s}" is not a number`);
    return n;
  }

  integer(i: number, column: string): number {
    const n = this.number(i, column);
    if (!Number.isInteger(n)) throw this.error(`${column} "${this.text(i)}" is not a whole number`);
    return n;
  }

  time(i: number, column: string): number {
    const s = this.text(i);
    const t = ISO_TIME.test(s) ? Date.parse(s) : Number.NaN;
    if (Number.isNaN(t))
      throw this.error(`${column} "${s}" is not an ISO 8601 UTC time (2024-01-02T14:30:00.000Z)`);
    return t;
  }

  oneOf<T extends string>(i: number, column: string, choices: readonly T[]): T {
    const s = this.text(i);
    if (!(choices as readonly string[]).includes(s)) {
      throw this.error(`${column} "${s}" is not one of ${choices.join(', ')}`);
    }
    return s as T;
  }

  interval(i: number): Interval {
    const s = this.text(i);
    if (!isInterval(s)) throw this.error(`interval "${s}" is not an interval (1m, 5m, 1h, 1d, ...)`);
    return s;
  }
}

async function readText(folder: string, name: string): Promise<string> {
  const file = join(folder, name);
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'missing' : error instanceof Error ? error.message : String(error);
    throw new DataError(`not readable in a results folder: ${reason}`, { file }, { cause: error });
  }
}

/** The rows of a CSV file of the folder after its header, which must be `header`. */
async function readCsv(folder: string, name: string, header: readonly string[]): Promise<CsvRow[]> {
  const file = join(folder, name);
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(await readText(folder, name));
  } catch (error) {
    if (DataError.isInstance(error)) throw error;
    throw new DataError((error as Error).message, { file }, { cause: error });
  }
  const [head, ...rows] = records;
  if (head === undefined || head.fields.join(',') !== header.join(',')) {
    throw new DataError(`the header row must be ${header.join(',')}`, { file, line: 1 });
  }
  return rows.map((r) => {
    if (r.fields.length !== header.length) {
      throw new DataError(`${r.fields.length} fields where ${header.length} are expected`, {
        file,
        line: r.line,
      });
    }
    return new CsvRow(r.fields, file, r.line);
  });
}

/**
 * Quality records; folders written before the own-interval counts existed read them as the base
 * counts (exact for base series, base bars for derived ones).
 */
function readQuality(json: JsonReader): SeriesQualityRecord[] {
  return json.array().map((q) => {
    const interval = q.at('interval').string() as Interval;
    const expected = q.at('expected').number();
    const received = q.at('received').number();
    const optional = (key: string, fallback: number) => (q.has(key) ? q.at(key).number() : fallback);
    return {
      symbol: q.at('symbol').string(),
      interval,
      expected,
      received,
      filled: q.at('filled').number(),
      percent: q.at('percent').number(),
      baseInterval: (q.has('baseInterval') ? q.at('baseInterval').string() : interval) as Interval,
      expectedBars: optional('expectedBars', expected),
      receivedBars: optional('receivedBars', received),
      partialBars: optional('partialBars', 0),
    };
  });
}

function readSession(json: JsonReader): ResultsSession {
  const session: ResultsSession = {
    mode: json.at('mode').string(),
    start: json.at('start').string(),
    end: json.at('end').string(),
    config: json.object().config ?? null,
  };
  if (json.has('quality')) session.quality = readQuality(json.at('quality'));
  return session;
}

function readOpenPositions(json: JsonReader): Record<string, number> {
  const positions: Record<string, number> = {};
  for (const symbol of Object.keys(json.object())) positions[symbol] = json.at(symbol).number();
  return positions;
}

interface ResultsJson {
  session: ResultsSession;
  strategies: Omit<ResultsFolderStrategy, 'equity'>[];
  total: ResultsFolder['total']['stats'];
}

async function readResultsJson(folder: string): Promise<ResultsJson> {
  const file = join(folder, 'results.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readText(folder, 'results.json'));
  } catch (error) {
    if (DataError.isInstance(error)) throw error;
    throw new DataError(`not valid JSON: ${(error as Error).message}`, { file }, { cause: error });
  }
  const json = new JsonReader(parsed, '');
  try {
    const format = json.at('format').value;
    if (format !== RESULTS_FORMAT) {
      throw new DataError(`format is ${JSON.stringify(format)}, this version reads "${RESULTS_FORMAT}"`, {
        file,
      });
    }
    return {
      session: readSession(json.at('session')),
      strategies: json
        .at('strategies')
        .array()
        .map((s) => ({
          strategy: s.at('strategy').string(),
          settings: settingsFromJson(s.at('settings')),
          stats: statsFromJson(s.at('stats')),
          unfilled: s.at('unfilled').number(),
          openPositions: readOpenPositions(s.at('open_positions')),
        })),
      total: statsFromJson(json.at('total')),
    };
  } catch (error) {
    if (error instanceof ResultsJsonError) throw new DataError(error.message, { file }, { cause: error });
    throw error;
  }
}

function readTrade(row: CsvRow): TradeRecord {
  return {
    strategy: row.text(0),
    symbol: row.text(1),
    side: row.oneOf(2, 'side', ['long', 'short'] as const),
    quantity: row.number(3, 'quantity'),
    entryTime: row.time(4, 'entry_time'),
    entryPrice: row.number(5, 'entry_price'),
    exitTime: row.time(6, 'exit_time'),
    exitPrice: row.number(7, 'exit_price'),
    grossPnl: row.number(8, 'gross_pnl'),
    commission: row.number(9, 'commission'),
    netPnl: row.number(10, 'net_pnl'),
    barsHeld: row.integer(11, 'bars_held'),
    mae: row.number(12, 'mae'),
    mfe: row.number(13, 'mfe'),
  };
}

function readFill(row: CsvRow): Fill {
  return {
    strategy: row.text(0),
    symbol: row.text(1),
    interval: row.interval(2),
    time: row.time(3, 'time'),
    signalSeq: row.integer(4, 'signal_seq'),
    side: row.oneOf(5, 'side', ['buy', 'sell'] as const),
    quantity: row.number(6, 'quantity'),
    price: row.number(7, 'price'),
    referencePrice: row.text(8) === '' ? undefined : row.number(8, 'reference_price'),
    commission: row.number(9, 'commission'),
    positionAfter: row.number(10, 'position_after'),
  };
}

/** equity.csv's rows per strategy of results.json (a row of another strategy is an error). */
function readEquity(rows: CsvRow[], strategies: readonly string[]): Map<string, EquitySeries> {
  const curves = new Map<string, EquitySeries>(
    strategies.map((s) => [s, { time: [], equity: [], cash: [], exposure: [] }]),
  );
  for (const row of rows) {
    const curve = curves.get(row.text(0));
    if (curve === undefined) throw row.error(`strategy "${row.text(0)}" is not in results.json`);
    curve.time.push(row.time(1, 'time'));
    curve.equity.push(row.number(2, 'equity'));
    curve.cash.push(row.number(3, 'cash'));
    curve.exposure.push(row.number(4, 'exposure'));
  }
  return curves;
}

function readBars(rows: CsvRow[]): SeriesBars<number[]>[] {
  const series = new Map<string, SeriesBars<number[]>>();
  for (const row of rows) {
    const symbol = row.text(0);
    const interval = row.interval(1);
    const key = `${symbol}\u0000${interval}`;
    let bars = series.get(key);
    if (bars === undefined) {
      bars = { symbol, interval, time: [], open: [], high: [], low: [], close: [], volume: [] };
      series.set(key, bars);
    }
    bars.time.push(row.time(2, 'time'));
    bars.open.push(row.number(3, 'open'));
    bars.high.push(row.number(4, 'high'));
    bars.low.push(row.number(5, 'low'));
    bars.close.push(row.number(6, 'close'));
    bars.volume.push(row.number(7, 'volume'));
  }
  return [...series.values()];
}

/**
 * Reads a results folder written by {@link writeResultsFolder} back: every number as written
 * (`null` stats as Infinity), times as epoch ms, and the total's equity curve summed from the
 * strategies' (as {@link combineResults} sums it).
 * @throws DataError naming the file (and line) that is missing or not in the format
 */
export async function readResultsFolder(dir: string): Promise<ResultsFolder> {
  const folder = resolve(dir);
  const info = await stat(folder).catch((error: unknown) => {
    throw new DataError(
      `no results folder here: ${(error as Error).message}`,
      { file: folder },
      { cause: error },
    );
  });
  if (!info.isDirectory()) throw new DataError('is a file, not a results folder', { file: folder });
  const json = await readResultsJson(folder);
  const names = json.strategies.map((s) => s.strategy);
  const curves = readEquity(await readCsv(folder, 'equity.csv', RESULTS_CSV_HEADERS.equity), names);
  const strategies = json.strategies.map((s) => ({ ...s, equity: curves.get(s.strategy) as EquitySeries }));
  const total = sumEquity(
    strategies.map((s) => ({ initialCash: s.settings.initialCash, equity: equityColumnsOf(s.equity) })),
  );
  return {
    format: RESULTS_FORMAT,
    session: json.session,
    strategies,
    total: { stats: json.total, equity: equitySeriesOf(total) },
    trades: (await readCsv(folder, 'trades.csv', RESULTS_CSV_HEADERS.trades)).map(readTrade),
    fills: (await readCsv(folder, 'fills.csv', RESULTS_CSV_HEADERS.fills)).map(readFill),
    bars: readBars(await readCsv(folder, 'bars.csv', RESULTS_CSV_HEADERS.bars)),
  };
}
