import { readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import {
  type CalendarPreset,
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
  ParquetBarSource,
  type ParquetColumnMapping,
  type ParquetFileSpec,
  type ParquetTimestampFormat,
  type SourceProblem,
  TradingCalendar,
} from '@strat/data';
import { prepareOutputFolder } from '../output-folder';
import { UsageError } from '../usage-error';

/** Options of {@link importCatalog}: `strat data import`'s flags. */
export interface ImportCatalogOptions {
  /** CSV and Parquet files (`.parquet`, `.pq`), each read with the settings below; or none with `config`. */
  files: readonly string[];
  /** The catalog folder (made when missing; series are added to a catalog that is there). */
  to: string;
  /** A session config whose CSV or Parquet `data_config.files` are imported with their own settings. */
  config?: string;
  /** The symbol of every file (default: the file name up to its first `-` or `.`). */
  symbol?: string;
  /** Default: the `-<interval>` in the file name (`AAPL-5m.csv`), else `1m`. */
  interval?: Interval;
  /** Which column holds what (names, any case), as a file entry's `columns` (default: the usual names). */
  columns?: ParquetColumnMapping;
  timezone?: string;
  timeLabel?: 'start' | 'end';
  /** `epoch_us` and `epoch_ns` are for Parquet files only. */
  timestampFormat?: ParquetTimestampFormat;
  dateFormat?: CsvFileSpec['date_format'];
  /** For CSV files only. */
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
  /** The kind of the files the series was read from. */
  format: ImportFormat;
  rows: number;
  partitions: number;
  /** First and last bar start, ISO UTC. */
  first: string | undefined;
  last: string | undefined;
  files: string[];
  rowsSkipped: number;
  problems: SourceProblem[];
}

/** The kinds of files `strat data import` reads. */
export type ImportFormat = 'csv' | 'parquet';

/** `.parquet` and `.pq` files are Parquet; every other file is read as CSV. */
export function importFormatOf(path: string): ImportFormat {
  const ext = extname(path).toLowerCase();
  return ext === '.parquet' || ext === '.pq' ? 'parquet' : 'csv';
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

/** One file to import, with the settings of its kind. */
type ImportFile = { format: 'csv'; spec: CsvFileSpec } | { format: 'parquet'; spec: ParquetFileSpec };

/** What to import: the files (grouped by symbol later), the calendar, where relative paths start. */
interface ImportPlan {
  files: ImportFile[];
  calendar: TradingCalendar;
  baseDir: string;
  onBadRow: 'fail' | 'skip';
}

const FORMAT_NAMES: Record<ImportFormat, string> = { csv: 'CSV', parquet: 'Parquet' };

function planFromFiles(options: ImportCatalogOptions): ImportPlan {
  if (options.files.length === 0) throw new UsageError('name CSV or Parquet files to import, or --config');
  const files = options.files.map((path): ImportFile => {
    const named = namedByFile(path);
    const common = {
      path,
      symbol: options.symbol ?? named.symbol,
      interval: options.interval ?? named.interval ?? '1m',
      columns: options.columns,
      timezone: options.timezone,
      time_label: options.timeLabel,
      date_format: options.dateFormat,
    };
    if (importFormatOf(path) === 'parquet') {
      if (options.delimiter !== undefined) {
        throw new UsageError(`--delimiter is for CSV files; ${path} is a Parquet file`);
      }
      return { format: 'parquet', spec: { ...common, timestamp_format: options.timestampFormat } };
    }
    const format = options.timestampFormat;
    if (format === 'epoch_us' || format === 'epoch_ns') {
      throw new UsageError(
        `--timestamp-format ${format} is for Parquet files; ${path} is read as CSV (iso, epoch_s or epoch_ms)`,
      );
    }
    return { format: 'csv', spec: { ...common, timestamp_format: format, delimiter: options.delimiter } };
  });
  return {
    files,
    calendar: TradingCalendar.fromConfig({ preset: options.calendar ?? 'us_equities' }),
    baseDir: process.cwd(),
    onBadRow: options.onBadRow ?? 'fail',
  };
}

function planFromConfig(path: string, options: ImportCatalogOptions): ImportPlan {
  if (options.files.length > 0) throw new UsageError('name CSV or Parquet files or --config, not both');
  let config: SessionConfig;
  try {
    config = parseSessionConfigText(readFileSync(path, 'utf8'), { file: path });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError(`--config ${path}: no such file`);
    throw error;
  }
  const data = config.data_config;
  let files: ImportFile[];
  if (data.source === 'csv') files = data.files.map((f) => ({ format: 'csv', spec: { ...f } }));
  else if (data.source === 'parquet') files = data.files.map((f) => ({ format: 'parquet', spec: { ...f } }));
  else {
    throw new UsageError(
      `--config ${path}: its data_config.source is "${data.source}"; import reads CSV and Parquet files`,
    );
  }
  return {
    files,
    calendar: TradingCalendar.fromConfig(config.session_data_config.calendar),
    baseDir: dirname(resolve(path)),
    onBadRow: options.onBadRow ?? data.on_bad_row,
  };
}

/** The files of one symbol: all of one kind, read by that kind's session source. */
function sourceOf(
  symbol: string,
  files: ImportFile[],
  plan: ImportPlan,
  configPath: string,
): CsvBarSource | ParquetBarSource {
  const format = (files[0] as ImportFile).format;
  const other = files.find((f) => f.format !== format);
  if (other !== undefined) {
    throw new UsageError(
      `the files of ${symbol} are ${FORMAT_NAMES[format]} (${files[0]?.spec.path}) and ${FORMAT_NAMES[other.format]} (${other.spec.path}): import a symbol's files of one kind`,
    );
  }
  const common = { calendar: plan.calendar, onBadRow: plan.onBadRow, baseDir: plan.baseDir, configPath };
  return format === 'csv'
    ? new CsvBarSource({ ...common, files: files.map((f) => f.spec as CsvFileSpec) })
    : new ParquetBarSource({ ...common, files: files.map((f) => f.spec as ParquetFileSpec) });
}

/**
 * Converts CSV and Parquet files into the Arrow IPC catalog in `to`: the files of a symbol (in the
 * order given, all of one kind) become one series, read by the CSV or Parquet source itself, so
 * columns, time zones, time labels and row checks are exactly a session's. Nothing is visible until
 * every series is written.
 * @throws UsageError for bad arguments; ConfigError, DataError as the CSV and Parquet sources throw
 *   them (naming the file, and the column or line).
 */
export async function importCatalog(options: ImportCatalogOptions): Promise<ImportedSeries[]> {
  const plan =
    options.config === undefined ? planFromFiles(options) : planFromConfig(options.config, options);
  const bySymbol = new Map<string, ImportFile[]>();
  for (const file of plan.files) {
    bySymbol.set(file.spec.symbol, [...(bySymbol.get(file.spec.symbol) ?? []), file]);
  }
  const configPath = options.config === undefined ? 'options' : 'data_config';
  const sources = [...bySymbol].map(([symbol, files]) => ({
    symbol,
    files,
    source: sourceOf(symbol, files, plan, configPath),
  }));
  prepareOutputFolder(`--to ${options.to}`, options.to);
  const writer = await CatalogWriter.open(options.to, { replace: options.force === true });
  const imported: ImportedSeries[] = [];
  try {
    for (const { symbol, files, source } of sources) {
      await source.preflight();
      const checksums = [];
      for (const { spec } of files) {
        checksums.push({ path: spec.path, ...(await fileSha256(resolve(plan.baseDir, spec.path))) });
      }
      const first = files[0] as ImportFile;
      const series = await writer.add({
        symbol,
        interval: source.interval,
        source,
        sources: checksums,
        applied: {
          source: first.format,
          timezone: first.spec.timezone ?? plan.calendar.timezone,
          time_label: first.spec.time_label ?? 'start',
        },
      });
      const report = source.report();
      imported.push({
        symbol,
        interval: series.interval,
        format: first.format,
        rows: series.rows,
        partitions: series.partitions.length,
        first: iso(series.first),
        last: iso(series.last),
        files: files.map((f) => f.spec.path),
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
