import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fill } from '../execution/execution-types';
import { createOutputFolder } from '../session/create-output-folder';
import { csvLine } from './csv-text';
import { isoTime } from './iso-time';
import { RESULTS_FORMAT, type ResultsFolderData, type SeriesBars } from './results-folder-types';
import { settingsToJson, statsToJson } from './results-json';

/** The header rows of the results folder's CSV files. */
export const RESULTS_CSV_HEADERS = {
  trades: [
    'strategy',
    'symbol',
    'side',
    'quantity',
    'entry_time',
    'entry_price',
    'exit_time',
    'exit_price',
    'gross_pnl',
    'commission',
    'net_pnl',
    'bars_held',
    'mae',
    'mfe',
  ],
  fills: [
    'strategy',
    'symbol',
    'interval',
    'time',
    'signal_seq',
    'side',
    'quantity',
    'price',
    'reference_price',
    'commission',
    'position_after',
  ],
  equity: ['strategy', 'time', 'equity', 'cash', 'exposure'],
  bars: ['symbol', 'interval', 'time', 'open', 'high', 'low', 'close', 'volume'],
} as const;

const ROWS_PER_CHUNK = 10_000;

/**
 * Writes `name` in `dir` whole: the lines go to a temporary file beside it, renamed over `name` at
 * the end, so a reader never sees half a file.
 */
async function writeWhole(dir: string, name: string, lines: Iterable<string>): Promise<void> {
  const target = join(dir, name);
  const temporary = join(dir, `.${name}.${process.pid}.tmp`);
  const file = await open(temporary, 'w');
  try {
    let chunk: string[] = [];
    for (const line of lines) {
      chunk.push(line);
      if (chunk.length === ROWS_PER_CHUNK) {
        await file.write(chunk.join(''));
        chunk = [];
      }
    }
    if (chunk.length > 0) await file.write(chunk.join(''));
    await file.close();
    await rename(temporary, target);
  } catch (error) {
    await file.close().catch(() => {});
    await rm(temporary, { force: true });
    throw error;
  }
}

function* tradeLines(data: ResultsFolderData): Iterable<string> {
  yield csvLine(RESULTS_CSV_HEADERS.trades);
  for (const s of data.results.strategies) {
    const t = s.trades;
    for (let i = 0; i < t.count; i++) {
      yield csvLine([
        s.strategy,
        t.symbols[t.symbol[i] as number] as string,
        t.side[i] === -1 ? 'short' : 'long',
        String(t.quantity[i]),
        isoTime(t.entryTime[i] as number),
        String(t.entryPrice[i]),
        isoTime(t.exitTime[i] as number),
        String(t.exitPrice[i]),
        String(t.grossPnl[i]),
        String(t.commission[i]),
        String(t.netPnl[i]),
        String(t.barsHeld[i]),
        String(t.mae[i]),
        String(t.mfe[i]),
      ]);
    }
  }
}

function* fillLines(fills: readonly Fill[]): Iterable<string> {
  yield csvLine(RESULTS_CSV_HEADERS.fills);
  for (const f of fills) {
    yield csvLine([
      f.strategy,
      f.symbol,
      f.interval,
      isoTime(f.time),
      String(f.signalSeq),
      f.side,
      String(f.quantity),
      String(f.price),
      f.referencePrice === undefined ? '' : String(f.referencePrice),
      String(f.commission),
      String(f.positionAfter),
    ]);
  }
}

function* equityLines(data: ResultsFolderData): Iterable<string> {
  yield csvLine(RESULTS_CSV_HEADERS.equity);
  for (const s of data.results.strategies) {
    const e = s.equity;
    for (let i = 0; i < e.count; i++) {
      yield csvLine([
        s.strategy,
        isoTime(e.time[i] as number),
        String(e.equity[i]),
        String(e.cash[i]),
        String(e.exposure[i]),
      ]);
    }
  }
}

function* barLines(bars: readonly SeriesBars[]): Iterable<string> {
  yield csvLine(RESULTS_CSV_HEADERS.bars);
  for (const b of bars) {
    for (let i = 0; i < b.time.length; i++) {
      yield csvLine([
        b.symbol,
        b.interval,
        isoTime(b.time[i] as number),
        String(b.open[i]),
        String(b.high[i]),
        String(b.low[i]),
        String(b.close[i]),
        String(b.volume[i]),
      ]);
    }
  }
}

function resultsJson(data: ResultsFolderData): string {
  const { session, results } = data;
  const json = {
    format: RESULTS_FORMAT,
    session: {
      mode: session.mode,
      start: session.start,
      end: session.end,
      config: session.config,
      ...(session.quality === undefined ? {} : { quality: session.quality }),
    },
    strategies: results.strategies.map((s) => ({
      strategy: s.strategy,
      settings: settingsToJson(s.settings),
      stats: statsToJson(s.stats),
      unfilled: s.unfilled,
      open_positions: s.openPositions,
    })),
    total: statsToJson(results.total),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/**
 * Writes a results folder: results.json (the session, each strategy's settings and stats, the
 * total), trades.csv, fills.csv, equity.csv and bars.csv (formats in the runtime README, "Results
 * folder"). Creates `dir` and its missing parents; each file is written whole (a temporary file
 * renamed), results.json last.
 * @returns the folder's absolute path
 * @throws Error when `dir` (or a parent) is a file or cannot be created, or a file cannot be written
 */
export async function writeResultsFolder(dir: string, data: ResultsFolderData): Promise<string> {
  const folder = createOutputFolder(dir);
  await writeWhole(folder, 'trades.csv', tradeLines(data));
  await writeWhole(folder, 'fills.csv', fillLines(data.fills));
  await writeWhole(folder, 'equity.csv', equityLines(data));
  await writeWhole(folder, 'bars.csv', barLines(data.bars));
  await writeWhole(folder, 'results.json', [resultsJson(data)]);
  return folder;
}
