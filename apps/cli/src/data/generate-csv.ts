import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CalendarPreset, Interval } from '@strat/core';
import { GeneratorBarSource, TradingCalendar } from '@strat/data';
import { prepareOutputFolder } from '../output-folder';
import { UsageError } from '../usage-error';
import { type CalendarOption, calendarConfigOf, calendarNameOf } from './calendar-option';
import type { writeParquetBars } from './generate-parquet';

/** Options of {@link generateCsvFiles}: `strat data generate`'s flags. */
export interface GenerateCsvOptions {
  symbols: readonly string[];
  /** First session date, `YYYY-MM-DD`. */
  from: string;
  /** Last session date, `YYYY-MM-DD`, inclusive. */
  to: string;
  interval: Interval;
  /** The folder the files go to (made when missing). */
  outDir: string;
  seed: number;
  /** Share of bars left out, 0 to 0.5. */
  missingBarRate: number;
  /** A preset's name, or a calendar read from a file (`--calendar FILE`). */
  calendar: CalendarPreset | CalendarOption;
  /** Replace files that exist. */
  force?: boolean;
  /** File format (default `csv`): CSV text, or Parquet (see {@link writeParquetBars}). */
  format?: GeneratedFormat;
}

/** The formats `strat data generate` writes. */
export type GeneratedFormat = 'csv' | 'parquet';

/** One file written by {@link generateCsvFiles}. */
export interface GeneratedCsvFile {
  symbol: string;
  path: string;
  bars: number;
  /** First and last bar start, ISO UTC (undefined when no bar was made). */
  first: string | undefined;
  last: string | undefined;
}

/** The header of generated files: the CSV source's default column names. */
export const GENERATED_CSV_HEADER = 'timestamp,open,high,low,close,volume';

/** `2024-01-02T14:30:00Z`: ISO UTC, start of the bar. */
export function formatTimestamp(time: number): string {
  return new Date(time).toISOString().replace('.000Z', 'Z');
}

/** The file name of a symbol's bars: `AAPL-1m.csv` (characters unsafe in file names become `_`). */
export function csvFileName(symbol: string, interval: Interval, format: GeneratedFormat = 'csv'): string {
  return `${symbol.replace(/[^A-Za-z0-9._-]/g, '_')}-${interval}.${format}`;
}

/** `writeSync` may write fewer bytes than asked: write the rest until none is left. */
function writeFully(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

/**
 * Writes one CSV per symbol with the bars the embedded generator makes for the same seed, calendar
 * and interval: `timestamp,open,high,low,close,volume`, times ISO UTC labelling the bar's start.
 * Prices are written in JavaScript's shortest round-trip form, so the CSV source reads back exactly
 * the generator's numbers and a session on the files journals the same signals. With `format:
 * 'parquet'`, one Parquet file per symbol with the same columns (exact doubles, TIMESTAMP times).
 * @throws UsageError when a file exists (without `force`) or no session falls in the range;
 *   ConfigError for generator settings out of range.
 */
export async function generateCsvFiles(options: GenerateCsvOptions): Promise<GeneratedCsvFile[]> {
  const calendar = TradingCalendar.fromConfig(calendarConfigOf(options.calendar));
  const sessions = calendar.sessions(options.from, options.to);
  const first = sessions[0];
  const last = sessions[sessions.length - 1];
  if (first === undefined || last === undefined) {
    throw new UsageError(
      `no ${calendarNameOf(options.calendar)} trading sessions from ${options.from} to ${options.to}`,
    );
  }
  const source = new GeneratorBarSource({
    calendar,
    interval: options.interval,
    seed: options.seed,
    missing_bar_rate: options.missingBarRate,
    configPath: 'options',
  });
  const targets = options.symbols.map((symbol) => ({
    symbol,
    path: join(options.outDir, csvFileName(symbol, options.interval, options.format)),
  }));
  const existing = targets.filter((t) => existsSync(t.path)).map((t) => t.path);
  if (existing.length > 0 && options.force !== true) {
    throw new UsageError(
      `${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}; pass --force to replace`,
    );
  }
  prepareOutputFolder(`--out ${options.outDir}`, options.outDir);

  const written: GeneratedCsvFile[] = [];
  for (const { symbol, path } of targets) {
    if (options.format === 'parquet') {
      // Loaded when used: the Parquet writer would slow every command's start.
      const { writeParquetBars: write } = await import('./generate-parquet');
      const result = await write(path, source.read(symbol, first.open, last.close));
      written.push({
        symbol,
        path,
        bars: result.bars,
        first: result.first === undefined ? undefined : formatTimestamp(result.first),
        last: result.last === undefined ? undefined : formatTimestamp(result.last),
      });
      continue;
    }
    const fd = openSync(path, 'w');
    let bars = 0;
    let firstTime: number | undefined;
    let lastTime: number | undefined;
    try {
      writeFully(fd, `${GENERATED_CSV_HEADER}\n`);
      for await (const chunk of source.read(symbol, first.open, last.close)) {
        let text = '';
        for (let i = 0; i < chunk.length; i++) {
          text += `${formatTimestamp(chunk.time[i] as number)},${chunk.open[i]},${chunk.high[i]},${chunk.low[i]},${chunk.close[i]},${chunk.volume[i]}\n`;
        }
        if (chunk.length > 0) {
          firstTime ??= chunk.time[0];
          lastTime = chunk.time[chunk.length - 1];
        }
        bars += chunk.length;
        writeFully(fd, text);
      }
    } finally {
      closeSync(fd);
    }
    written.push({
      symbol,
      path,
      bars,
      first: firstTime === undefined ? undefined : formatTimestamp(firstTime),
      last: lastTime === undefined ? undefined : formatTimestamp(lastTime),
    });
  }
  return written;
}
