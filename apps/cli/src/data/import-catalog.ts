import { readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import {
  type CalendarPreset,
  type CsvFileConfig,
  type Interval,
  parseInterval,
  parseSessionConfigText,
  type SessionConfig,
} from '@strat/core';
import {
  CatalogWriter,
  CsvBarSource,
  type CsvFileSpec,
  fileSha256,
  type SourceProblem,
  TradingCalendar,
} from '@strat/data';
import { prepareOutputFolder } from '../output-folder';
import { UsageError } from '../usage-error';

/** Options of {@link importCatalog}: `strat data import`'s flags. */
export interface ImportCatalogOptions {
  /** CSV files (each read with the settings below), or none with `config`. */
  files: readonly string[];
  /** The catalog folder (made when missing; series are added to a catalog that is there). */
  to: string;
  /** A session config whose CSV `data_config.files` are imported with their own settings. */
  config?: string;
  /** The symbol of every file (default: the file name up to its first `-` or `.`). */
  symbol?: string;
  /** Default: the `-<interval>` in the file name (`AAPL-5m.csv`), else `1m`. */
  interval?: Interval;
  timezone?: string;
  timeLabel?: 'start' | 'end';
  timestampFormat?: CsvFileSpec['timestamp_format'];
  dateFormat?: CsvFileSpec['date_format'];
  delimiter?: string;
  /** Supplies the default time zone and the open of date-only daily bars (default `us_equities`). */
  calendar?: CalendarPreset;
  /** `skip` drops bad rows (reported), `fail` (default) stops at the first. */
  onBadRow?: 'fail' | 'skip';
  /** Replace series the catalog holds. */
  force?: boolean;
}

/** One series written by {@link importCatalog}. */
export interface ImportedSeries {
  symbol: string;
  interval: Interval;
  rows: number;
  partitions: number;
  /** First and last bar start, ISO UTC. */
  first: string | undefined;
  last: string | undefined;
  files: string[];
  rowsSkipped: number;
  problems: SourceProblem[];
}

function iso(time: number | undefined): string | undefined {
  return time === undefined ? undefined : new Date(time).toISOString().replace('.000Z', 'Z');
}

/** `AAPL-5m.csv` names symbol AAPL and, when it parses, interval 5m. */
export function namedByFile(path: string): { symbol: string; interval: Interval | undefined } {
  const stem = basename(path, extname(path));
  const dash = stem.indexOf('-');
  const symbol = dash > 0 ? stem.slice(0, dash) : stem;
  const rest = dash > 0 ? stem.slice(dash + 1) : '';
  let interval: Interval | undefined;
  try {
    interval = rest === '' ? undefined : parseInterval(rest).text;
  } catch {
    interval = undefined;
  }
  return { symbol, interval };
}

/** What to import: file specs (grouped by symbol later), the calendar, where relative paths start. */
interface ImportPlan {
  specs: CsvFileSpec[];
  calendar: TradingCalendar;
  baseDir: string;
  onBadRow: 'fail' | 'skip';
}

function planFromFiles(options: ImportCatalogOptions): ImportPlan {
  if (options.files.length === 0) throw new UsageError('name CSV files to import, or --config');
  const specs = options.files.map((path): CsvFileSpec => {
    const named = namedByFile(path);
    return {
      path,
      symbol: options.symbol ?? named.symbol,
      interval: options.interval ?? named.interval ?? '1m',
      timezone: options.timezone,
      time_label: options.timeLabel,
      timestamp_format: options.timestampFormat,
      date_format: options.dateFormat,
      delimiter: options.delimiter,
    };
  });
  return {
    specs,
    calendar: TradingCalendar.fromConfig({ preset: options.calendar ?? 'us_equities' }),
    baseDir: process.cwd(),
    onBadRow: options.onBadRow ?? 'fail',
  };
}

function planFromConfig(path: string, options: ImportCatalogOptions): ImportPlan {
  if (options.files.length > 0) throw new UsageError('name CSV files or --config, not both');
  let config: SessionConfig;
  try {
    config = parseSessionConfigText(readFileSync(path, 'utf8'), { file: path });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError(`--config ${path}: no such file`);
    throw error;
  }
  const data = config.data_config;
  if (data.source !== 'csv') {
    throw new UsageError(
      `--config ${path}: its data_config.source is "${data.source}"; import reads CSV files`,
    );
  }
  return {
    specs: data.files.map((f: CsvFileConfig) => ({ ...f })),
    calendar: TradingCalendar.fromConfig(config.session_data_config.calendar),
    baseDir: dirname(resolve(path)),
    onBadRow: options.onBadRow ?? data.on_bad_row,
  };
}

/**
 * Converts CSV files into the Arrow IPC catalog in `to`: the files of a symbol (in the order given)
 * become one series, read by the CSV source itself, so columns, time zones, time labels and row
 * checks are exactly a session's. Nothing is visible until every series is written.
 * @throws UsageError for bad arguments; ConfigError, DataError as the CSV source throws them.
 */
export async function importCatalog(options: ImportCatalogOptions): Promise<ImportedSeries[]> {
  const plan =
    options.config === undefined ? planFromFiles(options) : planFromConfig(options.config, options);
  const bySymbol = new Map<string, CsvFileSpec[]>();
  for (const spec of plan.specs) bySymbol.set(spec.symbol, [...(bySymbol.get(spec.symbol) ?? []), spec]);
  prepareOutputFolder(`--to ${options.to}`, options.to);
  const writer = await CatalogWriter.open(options.to, { replace: options.force === true });
  const imported: ImportedSeries[] = [];
  try {
    for (const [symbol, specs] of bySymbol) {
      const source = new CsvBarSource({
        files: specs,
        calendar: plan.calendar,
        onBadRow: plan.onBadRow,
        baseDir: plan.baseDir,
        configPath: options.config === undefined ? 'options' : 'data_config',
      });
      await source.preflight();
      const sources = [];
      for (const spec of specs) {
        sources.push({ path: spec.path, ...(await fileSha256(resolve(plan.baseDir, spec.path))) });
      }
      const first = specs[0] as CsvFileSpec;
      const series = await writer.add({
        symbol,
        interval: source.interval,
        source,
        sources,
        applied: {
          source: 'csv',
          timezone: first.timezone ?? plan.calendar.timezone,
          time_label: first.time_label ?? 'start',
        },
      });
      const report = source.report();
      imported.push({
        symbol,
        interval: series.interval,
        rows: series.rows,
        partitions: series.partitions.length,
        first: iso(series.first),
        last: iso(series.last),
        files: specs.map((s) => s.path),
        rowsSkipped: report.rowsSkipped,
        problems: report.problems,
      });
    }
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return imported;
}
