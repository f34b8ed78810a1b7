import type { Interval } from '@strat/core';
import { CatalogWriter, GeneratorBarSource, readCatalogManifest, TradingCalendar } from '@strat/data';
import { prepareOutputFolder } from '../output-folder';
import { UsageError } from '../usage-error';
import { calendarConfigOf, calendarNameOf } from './calendar-option';
import { formatTimestamp, type GenerateCsvOptions } from './generate-csv';

/** One series written by {@link generateCatalog}. */
export interface GeneratedSeries {
  symbol: string;
  interval: Interval;
  bars: number;
  partitions: number;
  /** First and last bar start, ISO UTC (undefined when no bar was made). */
  first: string | undefined;
  last: string | undefined;
}

/**
 * Writes the generator's bars (the same ones {@link generateCsvFiles} writes as CSV) straight into an
 * Arrow IPC catalog in `outDir`, one series per symbol: a session with `data_config.source
 * "catalog"` on it replays the generator's bars exactly.
 * @throws UsageError when the catalog holds a series already (without `force`) or no session falls
 *   in the range; ConfigError for generator settings out of range.
 */
export async function generateCatalog(options: GenerateCsvOptions): Promise<GeneratedSeries[]> {
  const calendar = TradingCalendar.fromConfig(calendarConfigOf(options.calendar));
  const sessions = calendar.sessions(options.from, options.to);
  const first = sessions[0];
  const last = sessions[sessions.length - 1];
  if (first === undefined || last === undefined) {
    throw new UsageError(
      `no ${calendarNameOf(options.calendar)} trading sessions from ${options.from} to ${options.to}`,
    );
  }
  const generator = new GeneratorBarSource({
    calendar,
    interval: options.interval,
    seed: options.seed,
    missing_bar_rate: options.missingBarRate,
    configPath: 'options',
  });
  prepareOutputFolder(`--out ${options.outDir}`, options.outDir);
  if (options.force !== true) {
    let held: string[] = [];
    try {
      const manifest = readCatalogManifest(options.outDir);
      held = manifest.series
        .filter((s) => s.interval === options.interval && options.symbols.includes(s.symbol))
        .map((s) => s.symbol);
    } catch {
      // No catalog there yet (or not one): the writer says what is wrong with it.
    }
    if (held.length > 0) {
      throw new UsageError(
        `the catalog ${options.outDir} holds ${options.interval} bars of ${held.join(', ')} already; pass --force to replace`,
      );
    }
  }
  const source = {
    read: (symbol: string) => generator.read(symbol, first.open, last.close),
  };
  const writer = await CatalogWriter.open(options.outDir, { replace: options.force === true });
  const written: GeneratedSeries[] = [];
  try {
    for (const symbol of options.symbols) {
      const series = await writer.add({
        symbol,
        interval: options.interval,
        source,
        sources: [],
        applied: { source: `generator seed ${options.seed}, ${calendarNameOf(options.calendar)} calendar` },
      });
      written.push({
        symbol,
        interval: series.interval,
        bars: series.rows,
        partitions: series.partitions.length,
        first: series.first === undefined ? undefined : formatTimestamp(series.first),
        last: series.last === undefined ? undefined : formatTimestamp(series.last),
      });
    }
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return written;
}
