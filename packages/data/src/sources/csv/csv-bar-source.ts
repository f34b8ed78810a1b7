import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, type ConfigIssue, DataError, type Interval, parseInterval } from '@strat/core';
import { CsvError, type Options as CsvParseOptions, parse } from 'csv-parse';
import type { TradingCalendar } from '../../calendar/trading-calendar';
import { assertTimeZone } from '../../calendar/zoned-time';
import { BarChunkBuilder } from '../bar-chunk-builder';
import { type BarChunk, type BarSource, describeFileSource, type SourceReport } from '../bar-source';
import { SourceReportRecorder } from '../source-report-recorder';
import { clipQuotedValues } from './clip-value';
import { readCleanChunks } from './csv-clean-chunks';
import { type CsvColumnIndexes, checkCsvColumnMapping, resolveCsvColumns } from './csv-columns';
import type { CsvFileSpec } from './csv-file-spec';
import { CsvLineTrackingParser, type CsvParsedItem } from './csv-line-tracking-parser';
import { CsvRowDecoder } from './csv-row-decoder';

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
   * Bytes per read of the uDSV fast path (default 1 MiB; 0 turns it off, for tests that compare the
   * two paths); tests make it small to cross many reads.
   * @internal
   */
  fastPathChunkBytes?: number;
}

/** Bytes per read of a CSV file (measured: larger reads are no faster through csv-parse). */
const READ_CHUNK_BYTES = 1 << 16;

/** Where a read is, across the files of its symbol. */
interface ReadState {
  readonly builder: BarChunkBuilder;
  readonly from: number;
  readonly to: number;
  previousTime: number;
  reachedEnd: boolean;
}

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
}

/**
 * Bars from CSV files (quoted fields, CRLF, a BOM, blank lines and extra columns are fine). Plain
 * stretches of a file (no quotes, no blank lines) are split by uDSV a megabyte at a time; at the
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
    const decoders: CsvRowDecoder[] = [];
    for (const file of files) decoders.push(this.decoderFor(file, await this.columnsOf(file)));

    const state: ReadState = {
      builder: new BarChunkBuilder(symbol),
      from,
      to,
      previousTime: Number.NEGATIVE_INFINITY,
      reachedEnd: false,
    };
    for (let f = 0; f < files.length && !state.reachedEnd; f++) {
      const file = files[f] as CsvFile;
      const decoder = decoders[f] as CsvRowDecoder;
      yield* this.parseFile(file, decoder, state);
    }
    if (state.builder.length > 0) yield state.builder.take();
  }

  private async *parseFile(
    file: CsvFile,
    decoder: CsvRowDecoder,
    state: ReadState,
  ): AsyncGenerator<BarChunk> {
    const rowsTaken = this.fastPathChunkBytes === 0 ? 0 : yield* this.parsePlainRows(file, decoder, state);
    if (rowsTaken !== undefined) yield* this.parseWithCsvParse(file, decoder, state, rowsTaken);
  }

  /**
   * The fast path: takes rows split by uDSV while they are plain and good bars. Returns how many data
   * rows it took when the rest of the file needs csv-parse, undefined when it read the file to its end
   * (or to `to`).
   */
  private async *parsePlainRows(
    file: CsvFile,
    decoder: CsvRowDecoder,
    state: ReadState,
  ): AsyncGenerator<BarChunk, number | undefined> {
    let taken = 0;
    try {
      for await (const chunk of readCleanChunks({
        absolutePath: file.absolutePath,
        delimiter: file.parseOptions.delimiter as string,
        skipLines: file.headerLines,
        chunkBytes: this.fastPathChunkBytes,
      })) {
        if (chunk === undefined) return taken;
        const { columns, rows } = chunk;
        const record: string[] = new Array<string>(columns.length);
        for (let i = 0; i < rows; i++) {
          for (let k = 0; k < columns.length; k++) record[k] = (columns[k] as string[])[i] as string;
          if (decoder.decode(record) !== undefined || decoder.time <= state.previousTime) return taken;
          taken++;
          this.recorder.rowsRead++;
          const time = decoder.time;
          state.previousTime = time;
          if (time >= state.to) {
            state.reachedEnd = true;
            return undefined;
          }
          if (time < state.from) continue;
          state.builder.push(time, decoder.open, decoder.high, decoder.low, decoder.close, decoder.volume);
          if (state.builder.isFull) yield state.builder.take();
        }
      }
    } catch (error) {
      throw this.asDataError(file, error);
    }
    return undefined;
  }

  /** Reads the file with csv-parse, passing over the first `rowsTaken` data rows (the fast path took them). */
  private async *parseWithCsvParse(
    file: CsvFile,
    decoder: CsvRowDecoder,
    state: ReadState,
    rowsTaken: number,
  ): AsyncGenerator<BarChunk> {
    const input = createReadStream(file.absolutePath, { highWaterMark: READ_CHUNK_BYTES });
    const parser = input.pipe(new CsvLineTrackingParser(file.parseOptions));
    input.on('error', (error) => parser.destroy(error));
    let headerPending = file.hasHeader;
    let toPass = rowsTaken;
    try {
      for await (const record of parser as AsyncIterable<CsvParsedItem>) {
        const line = parser.takeLine();
        if (record instanceof CsvError) {
          this.unsplittableRow(file, record);
          continue;
        }
        if (headerPending) {
          headerPending = false;
          continue;
        }
        if (toPass > 0) {
          toPass--;
          continue;
        }
        this.takeRow(file, decoder, state, record, line);
        if (state.reachedEnd) break;
        if (state.builder.isFull) yield state.builder.take();
      }
    } catch (error) {
      throw this.asDataError(file, error);
    } finally {
      input.destroy();
    }
  }

  /** Checks one data row and adds its bar when it is in range; sets `reachedEnd` at the first row at or after `to`. */
  private takeRow(
    file: CsvFile,
    decoder: CsvRowDecoder,
    state: ReadState,
    record: readonly string[],
    line: number,
  ): void {
    this.recorder.rowsRead++;
    let problem = decoder.decode(record);
    const time = decoder.time;
    if (problem === undefined && time <= state.previousTime) {
      problem = `time ${isoTime(time)} is not after the previous row's ${isoTime(state.previousTime)}: rows must be in strictly increasing time`;
    }
    if (problem !== undefined) {
      this.badRow(file, line, problem);
      return;
    }
    state.previousTime = time;
    if (time >= state.to) {
      state.reachedEnd = true;
      return;
    }
    if (time < state.from) return;
    state.builder.push(time, decoder.open, decoder.high, decoder.low, decoder.close, decoder.volume);
  }

  private badRow(file: CsvFile, line: number, message: string): void {
    if (!this.skipBadRows) throw new DataError(message, { file: file.label, line });
    this.recorder.recordSkip({ file: file.label, line, message });
  }

  private asDataError(file: CsvFile, error: unknown): unknown {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      return new DataError(
        `cannot parse CSV: ${clipQuotedValues(error.message)}`,
        { file: file.label, line },
        { cause: error },
      );
    }
    if (isFileSystemError(error)) return fileError(file, error);
    return error;
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
    };
  }

  private unsplittableRow(file: CsvFile, error: CsvError): void {
    if (!this.skipBadRows) throw error;
    this.recorder.rowsRead++;
    this.recorder.recordSkip({
      file: file.label,
      line: (error as CsvError & { lines?: number }).lines,
      message: `cannot parse CSV: ${clipQuotedValues(error.message)}`,
    });
  }

  private decoderFor(file: CsvFile, columns: CsvColumnIndexes): CsvRowDecoder {
    return new CsvRowDecoder({
      columns,
      dateFormat: file.spec.date_format ?? 'YYYY-MM-DD',
      timestampFormat: file.spec.timestamp_format ?? 'iso',
      timezone: file.spec.timezone ?? this.calendar.timezone,
      intervalMs: this.intervalMs,
      labelEnd: file.spec.time_label === 'end',
      calendar: this.calendar,
    });
  }

  private async columnsOf(file: CsvFile): Promise<CsvColumnIndexes> {
    if (file.columns !== undefined) return file.columns;
    let isFile: boolean;
    try {
      isFile = (await stat(file.absolutePath)).isFile();
    } catch (error) {
      throw fileError(file, error);
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
      throw this.asDataError(file, error);
    } finally {
      input.destroy();
    }
    throw new DataError('the file is empty: expected a header row', { file: file.label });
  }
}

function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'syscall' in error
  );
}

function fileError(file: CsvFile, error: unknown): DataError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a folder'
          : (error as Error).message;
  return new DataError(`cannot open ${file.absolutePath}: ${reason}`, { file: file.label }, { cause: error });
}

function isoTime(time: number): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : date.toISOString().replace('.000Z', 'Z');
}
