import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, type ConfigIssue, DataError, type Interval, parseInterval } from '@strat/core';
import { type Options as CsvParseOptions, parse } from 'csv-parse';
import { DAY_MS } from '../../calendar/civil-date';
import type { TradingCalendar } from '../../calendar/trading-calendar';
import { assertTimeZone } from '../../calendar/zoned-time';
import { type BarChunk, type BarSource, describeFileSource, type SourceReport } from '../bar-source';
import { SourceReportRecorder } from '../source-report-recorder';
import { type CsvColumnIndexes, checkCsvColumnMapping, resolveCsvColumns } from './csv-columns';
import { asCsvDataError, asDataError, csvFileError } from './csv-data-errors';
import type { CsvFileSpec } from './csv-file-spec';
import { readCsvSymbolInThread, reserveCsvParseThread } from './csv-parse-thread';
import { type CsvReadableFile, readCsvSymbol } from './csv-symbol-reader';

/** What to do with a CSV row that fails validation. */
export type BadRowPolicy = 'fail' | 'skip';

/** Options of {@link CsvBarSource}. */
export interface CsvBarSourceOptions {
  /** The files, in the shape of the CSV `data_config.files` entries. */
  files: readonly CsvFileSpec[];
  /** Supplies the default time zone, and the session opens that label date-only daily bars. */
  calendar: TradingCalendar;
  /** `fail` (default): the first bad row throws a DataError; `skip`: bad rows are counted and reported. */
  onBadRow?: BadRowPolicy;
  /** Folder that relative `path`s are resolved against (the config file's folder; default: the working directory). */
  baseDir?: string;
  /** JSON path of the data section, for error messages (default `data_config`). */
  configPath?: string;
  /**
   * Bytes per read of the uDSV fast path (default 64 KiB; 0 turns it off, for tests that compare the
   * two paths); tests make it small to cross many reads.
   * @internal
   */
  fastPathChunkBytes?: number;
  /**
   * A symbol whose files hold at least this many bytes together is parsed on a worker thread of its
   * own while the session replays (default {@link CSV_PARSE_THREAD_MIN_BYTES}; 0: always, Infinity:
   * never); tests set it to compare the two ways.
   * @internal
   */
  parseThreadMinBytes?: number;
}

/**
 * From this many bytes on (a symbol's files together) a CSV is parsed on a thread of its own. The
 * thread costs 0.1-0.2 s of CPU and 15-40 MB more peak memory; the session's thread saves about
 * 14 ms of CPU a megabyte. Measured whole `strat run`s on 2 cores (load average 3 to 4): at 1, 5 and
 * 15 MB the thread did not shorten the run, at 51 MB it did by about an eighth.
 */
export const CSV_PARSE_THREAD_MIN_BYTES = 16 << 20;

interface CsvFile {
  readonly spec: CsvFileSpec;
  /** The path as written, for messages. */
  readonly label: string;
  readonly absolutePath: string;
  readonly hasHeader: boolean;
  readonly parseOptions: CsvParseOptions;
  columns: CsvColumnIndexes | undefined;
  /** Lines up to the end of the header (0 without one), once {@link CsvBarSource.columnsOf} has read it. */
  headerLines: number;
  /** Its size, once {@link CsvBarSource.columnsOf} has looked. */
  bytes: number;
}

/**
 * Bars from CSV files (quoted fields, CRLF, a BOM, blank lines and extra columns are fine). Plain
 * stretches of a file (no quotes, no blank lines) are split by uDSV 64 KiB at a time; at the
 * first row that is not plain or not a good bar the file is read again with csv-parse from that row
 * on, so what is accepted and every message are csv-parse's. Rows are checked as they are read: numbers finite, high >= max(open, close),
 * low <= min(open, close), volume >= 0, time strictly increasing per symbol (across the symbol's files,
 * which must be listed in time order). A bad row throws `DataError` ("es.csv:1234: high 3601 is below close 3602") or, with
 * `onBadRow: 'skip'`, is counted in {@link report}. Line numbers are where a row ends (as csv-parse
 * counts them), and problems come in file order.
 */
export class CsvBarSource implements BarSource {
  /** 'csv es.csv'. */
  readonly description: string;
  /** The interval shared by every file. */
  readonly interval: Interval;
  /** The symbols the files provide, in file order. */
  readonly symbols: readonly string[];
  private readonly files: CsvFile[];
  private readonly calendar: TradingCalendar;
  private readonly intervalMs: number;
  private readonly skipBadRows: boolean;
  private readonly fastPathChunkBytes: number | undefined;
  private readonly parseThreadMinBytes: number;
  private readonly recorder = new SourceReportRecorder();

  /**
   * Checks the file entries without opening any file.
   * @throws ConfigError naming the JSON path of every bad entry (unknown time zone, mixed intervals,
   *   a header-less file mapped by name, ...).
   */
  constructor(options: CsvBarSourceOptions) {
    const configPath = options.configPath ?? 'data_config';
    const issues: ConfigIssue[] = [];
    if (options.files.length === 0)
      issues.push({ path: `${configPath}.files`, message: 'list at least one file' });
    const firstInterval = options.files[0]?.interval ?? '1m';
    options.files.forEach((spec, i) => {
      const path = `${configPath}.files[${i}]`;
      if (spec.symbol.trim() === '') issues.push({ path: `${path}.symbol`, message: 'expected a symbol' });
      const interval = spec.interval ?? '1m';
      try {
        parseInterval(interval);
        if (interval !== firstInterval) {
          issues.push({
            path: `${path}.interval`,
            message: `every file of one CSV source needs the same interval: ${spec.path} is ${interval}, ${options.files[0]?.path} is ${firstInterval}`,
          });
        }
      } catch (error) {
        issues.push({ path: `${path}.interval`, message: (error as Error).message });
      }
      if (spec.delimiter === '')
        issues.push({ path: `${path}.delimiter`, message: 'expected a non-empty delimiter' });
      if (spec.timezone !== undefined) {
        try {
          assertTimeZone(spec.timezone, `${path}.timezone`);
        } catch (error) {
          if (!ConfigError.isInstance(error)) throw error;
          issues.push(...error.issues);
        }
      }
      issues.push(...checkCsvColumnMapping(spec.columns ?? {}, spec.has_header ?? true, path));
    });
    if (issues.length > 0) throw new ConfigError(issues, { summary: 'Invalid CSV data settings' });

    this.calendar = options.calendar;
    this.interval = firstInterval;
    this.intervalMs = parseInterval(firstInterval).ms;
    this.skipBadRows = options.onBadRow === 'skip';
    this.fastPathChunkBytes = options.fastPathChunkBytes;
    this.parseThreadMinBytes = options.parseThreadMinBytes ?? CSV_PARSE_THREAD_MIN_BYTES;
    this.files = options.files.map((spec) => this.describeFile(spec, options.baseDir));
    this.symbols = [...new Set(options.files.map((spec) => spec.symbol))];
    this.description = describeFileSource(
      'csv',
      this.files.map((file) => file.label),
    );
  }

  /** Rows read and skipped so far, over every read, with the first 100 problems. */
  report(): SourceReport {
    return this.recorder.snapshot();
  }

  /**
   * Opens every file and maps its header, so a missing file or unknown column shows up before a
   * session starts rather than at its first read of that symbol.
   * @throws DataError for a missing or unreadable file, an empty file, or a column not in the header.
   */
  async preflight(): Promise<void> {
    for (const file of this.files) await this.columnsOf(file);
  }

  /**
   * Bars of `symbol` starting in [from, to), in chunks of up to 4096, reading the symbol's files in order.
   * Every file of the symbol is opened and its header checked before the first bar is yielded; the
   * read stops at the first row at or after `to`.
   * @throws DataError for an unknown symbol, a missing file, an unknown column, or (policy `fail`) a bad row.
   */
  async *read(symbol: string, from: number, to: number): AsyncGenerator<BarChunk> {
    const files = this.files.filter((file) => file.spec.symbol === symbol);
    if (files.length === 0) {
      throw new DataError(
        `no CSV file provides symbol "${symbol}" (the files provide: ${this.symbols.join(', ')})`,
      );
    }
    const readable: CsvReadableFile[] = [];
    let bytes = 0;
    for (const file of files) {
      readable.push(this.readableOf(file, await this.columnsOf(file)));
      bytes += file.bytes;
    }
    const options = {
      symbol,
      from,
      to,
      files: readable,
      skipBadRows: this.skipBadRows,
      fastPathChunkBytes: this.fastPathChunkBytes,
    };
    // Date-only daily rows need the calendar, which stays here; they are small files anyway.
    if (this.intervalMs < DAY_MS && bytes >= this.parseThreadMinBytes && reserveCsvParseThread()) {
      yield* readCsvSymbolInThread(options, this.recorder);
    } else {
      try {
        yield* readCsvSymbol({ ...options, calendar: this.calendar }, this.recorder);
      } catch (error) {
        throw asDataError(error);
      }
    }
  }

  private describeFile(spec: CsvFileSpec, baseDir: string | undefined): CsvFile {
    const hasHeader = spec.has_header ?? true;
    return {
      spec,
      label: spec.path,
      absolutePath: spec.absolutePath ?? resolve(baseDir ?? process.cwd(), spec.path),
      hasHeader,
      parseOptions: {
        bom: true,
        cast: false,
        delimiter: spec.delimiter ?? ',',
        relax_column_count: true,
        skip_empty_lines: true,
        trim: true,
      },
      columns: undefined,
      headerLines: 0,
      bytes: 0,
    };
  }

  private readableOf(file: CsvFile, columns: CsvColumnIndexes): CsvReadableFile {
    return {
      label: file.label,
      absolutePath: file.absolutePath,
      hasHeader: file.hasHeader,
      parseOptions: file.parseOptions,
      headerLines: file.headerLines,
      decoding: {
        columns,
        dateFormat: file.spec.date_format ?? 'YYYY-MM-DD',
        timestampFormat: file.spec.timestamp_format ?? 'iso',
        timezone: file.spec.timezone ?? this.calendar.timezone,
        intervalMs: this.intervalMs,
        labelEnd: file.spec.time_label === 'end',
      },
    };
  }

  private async columnsOf(file: CsvFile): Promise<CsvColumnIndexes> {
    if (file.columns !== undefined) return file.columns;
    let isFile: boolean;
    try {
      const stats = await stat(file.absolutePath);
      isFile = stats.isFile();
      file.bytes = stats.size;
    } catch (error) {
      throw csvFileError(file, error);
    }
    if (!isFile) throw new DataError(`${file.absolutePath} is not a file`, { file: file.label });
    const header = file.hasHeader ? await this.readHeader(file) : undefined;
    const columns = resolveCsvColumns(file.spec.columns ?? {}, header?.fields, {
      file: file.label,
      line: header?.line,
    });
    if (columns.timestamp < 0 && columns.time < 0 && this.intervalMs < 86_400_000) {
      throw new DataError(
        `the file has a date column but no time column, which only works for daily or longer bars (its interval is ${this.interval}); map columns.time`,
        { file: file.label, line: header?.line },
      );
    }
    file.columns = columns;
    file.headerLines = header?.line ?? 0;
    return columns;
  }

  private async readHeader(file: CsvFile): Promise<{ fields: string[]; line: number }> {
    const input = createReadStream(file.absolutePath);
    const parser = input.pipe(parse({ ...file.parseOptions, info: true, to: 1 }));
    input.on('error', (error) => parser.destroy(error));
    try {
      for await (const { record, info } of parser as AsyncIterable<{
        record: string[];
        info: { lines: number };
      }>) {
        return { fields: record, line: info.lines };
      }
    } catch (error) {
      throw asCsvDataError(file, error);
    } finally {
      input.destroy();
    }
    throw new DataError('the file is empty: expected a header row', { file: file.label });
  }
}
