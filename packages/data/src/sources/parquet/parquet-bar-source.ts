import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, type ConfigIssue, DataError, type Interval, parseInterval } from '@strat/core';
import type { AsyncBuffer, FileMetaData } from 'hyparquet';
import { DAY_MS } from '../../calendar/civil-date';
import type { TradingCalendar } from '../../calendar/trading-calendar';
import { assertTimeZone } from '../../calendar/zoned-time';
import { BarChunkBuilder } from '../bar-chunk-builder';
import { type BarChunk, type BarSource, describeFileSource, type SourceReport } from '../bar-source';
import type { BadRowPolicy } from '../csv/csv-bar-source';
import type { CsvDateFormat } from '../csv/csv-file-spec';
import { barProblem, CsvRowDecoder } from '../csv/csv-row-decoder';
import { fileOpenReason } from '../file-open-reason';
import { rowOrderProblem } from '../row-order';
import { SourceReportRecorder } from '../source-report-recorder';
import { type ParquetColumn, type ParquetColumns, resolveParquetColumns } from './parquet-columns';
import type { ParquetFileSpec } from './parquet-file-spec';
import { type RowGroupColumns, readRowGroup, TIME_PARSERS } from './parquet-row-group';

/** Options of {@link ParquetBarSource}. */
export interface ParquetBarSourceOptions {
  /** The files, in the shape of the Parquet `data_config.files` entries. */
  files: readonly ParquetFileSpec[];
  /** Supplies the default time zone, and the session opens that label date-only daily bars. */
  calendar: TradingCalendar;
  /** `fail` (default): the first bad row throws a DataError; `skip`: bad rows are counted and reported. */
  onBadRow?: BadRowPolicy;
  /** Folder that relative `path`s are resolved against (the config file's folder; default: the working directory). */
  baseDir?: string;
  /** JSON path of the data section, for error messages (default `data_config`). */
  configPath?: string;
}

interface ParquetFile {
  readonly spec: ParquetFileSpec;
  readonly label: string;
  readonly absolutePath: string;
  opened: { buffer: AsyncBuffer; metadata: FileMetaData; columns: ParquetColumns } | undefined;
}

/** Where a read is, across the files of its symbol. */
interface ReadState {
  readonly builder: BarChunkBuilder;
  readonly from: number;
  readonly to: number;
  previousTime: number;
  reachedEnd: boolean;
}

/**
 * Bars from Parquet files (read with hyparquet), one row group at a time. Columns are found by name
 * like the CSV source's (`timestamp` or `datetime`, or `date` and `time`; `open` ... `volume`);
 * timestamps may be TIMESTAMP columns of any unit (those not adjusted to UTC are local times in
 * `timezone`), INT96, numbers with `timestamp_format: epoch_*`, or text read by the CSV rules. Rows
 * are checked like CSV rows; a bad row throws `DataError` ("es.parquet: row 1234: high 3601 is below
 * close 3602") or, with `onBadRow: 'skip'`, is counted in {@link report}.
 */
export class ParquetBarSource implements BarSource {
  /** 'parquet es.parquet'. */
  readonly description: string;
  /** The interval shared by every file. */
  readonly interval: Interval;
  /** The symbols the files provide, in file order. */
  readonly symbols: readonly string[];
  private readonly files: ParquetFile[];
  private readonly calendar: TradingCalendar;
  private readonly intervalMs: number;
  private readonly skipBadRows: boolean;
  private readonly recorder = new SourceReportRecorder();

  /**
   * Checks the file entries without opening any file.
   * @throws ConfigError naming the JSON path of every bad entry (unknown time zone, mixed intervals, ...).
   */
  constructor(options: ParquetBarSourceOptions) {
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
            message: `every file of one Parquet source needs the same interval: ${spec.path} is ${interval}, ${options.files[0]?.path} is ${firstInterval}`,
          });
        }
      } catch (error) {
        issues.push({ path: `${path}.interval`, message: (error as Error).message });
      }
      if (spec.timezone !== undefined) {
        try {
          assertTimeZone(spec.timezone, `${path}.timezone`);
        } catch (error) {
          if (!ConfigError.isInstance(error)) throw error;
          issues.push(...error.issues);
        }
      }
      const columns = spec.columns ?? {};
      if (columns.timestamp !== undefined && (columns.date !== undefined || columns.time !== undefined)) {
        issues.push({
          path: `${path}.columns.timestamp`,
          message: 'map either timestamp, or date (with time), not both',
        });
      }
      if (columns.time !== undefined && columns.date === undefined) {
        issues.push({
          path: `${path}.columns.time`,
          message: 'a time column needs a date column (columns.date)',
        });
      }
    });
    if (issues.length > 0) throw new ConfigError(issues, { summary: 'Invalid Parquet data settings' });

    this.calendar = options.calendar;
    this.interval = firstInterval;
    this.intervalMs = parseInterval(firstInterval).ms;
    this.skipBadRows = options.onBadRow === 'skip';
    this.files = options.files.map((spec) => ({
      spec,
      label: spec.path,
      absolutePath: spec.absolutePath ?? resolve(options.baseDir ?? process.cwd(), spec.path),
      opened: undefined,
    }));
    this.symbols = [...new Set(options.files.map((spec) => spec.symbol))];
    this.description = describeFileSource(
      'parquet',
      this.files.map((file) => file.label),
    );
  }

  /** Rows read and skipped so far, over every read, with the first 100 problems. */
  report(): SourceReport {
    return this.recorder.snapshot();
  }

  /**
   * Opens every file and reads its footer, so a missing or truncated file or a missing or mistyped
   * column shows up before a session starts.
   * @throws DataError naming the file (and the column).
   */
  async preflight(): Promise<void> {
    for (const file of this.files) await this.open(file);
  }

  /**
   * Bars of `symbol` starting in [from, to), in chunks of up to 4096, reading the symbol's files in
   * order, one row group at a time; the read stops at the first row at or after `to`.
   * @throws DataError for an unknown symbol, a missing or unreadable file, a missing or mistyped
   *   column, or (policy `fail`) a bad row.
   */
  async *read(symbol: string, from: number, to: number): AsyncGenerator<BarChunk> {
    const files = this.files.filter((file) => file.spec.symbol === symbol);
    if (files.length === 0) {
      throw new DataError(
        `no Parquet file provides symbol "${symbol}" (the files provide: ${this.symbols.join(', ')})`,
      );
    }
    for (const file of files) await this.open(file);
    const state: ReadState = {
      builder: new BarChunkBuilder(symbol),
      from,
      to,
      previousTime: Number.NEGATIVE_INFINITY,
      reachedEnd: false,
    };
    for (let f = 0; f < files.length && !state.reachedEnd; f++) {
      yield* this.readFile(files[f] as ParquetFile, state);
    }
    if (state.builder.length > 0) yield state.builder.take();
  }

  private async *readFile(file: ParquetFile, state: ReadState): AsyncGenerator<BarChunk> {
    const { buffer, metadata, columns } = file.opened as NonNullable<ParquetFile['opened']>;
    const spec = file.spec;
    const decoder = new CsvRowDecoder({
      columns: { timestamp: 0, date: -1, time: -1, open: -1, high: -1, low: -1, close: -1, volume: -1 },
      dateFormat: spec.date_format ?? 'YYYY-MM-DD',
      timestampFormat:
        spec.timestamp_format === 'epoch_s' || spec.timestamp_format === 'epoch_ms'
          ? spec.timestamp_format
          : 'iso',
      timezone: spec.timezone ?? this.calendar.timezone,
      intervalMs: this.intervalMs,
      labelEnd: spec.time_label === 'end',
      calendar: this.calendar,
    });
    const times = new TimeColumnReader(decoder, columns, spec, this.intervalMs);
    let groupStart = 0;
    for (const group of metadata.row_groups) {
      const rows = Number(group.num_rows);
      let data: RowGroupColumns;
      try {
        data = await readRowGroup(buffer, metadata, columns, groupStart, rows);
      } catch (error) {
        throw this.unreadable(file, error);
      }
      for (let i = 0; i < rows; i++) {
        this.takeRow(file, data, times, state, i, groupStart + i + 1);
        if (state.reachedEnd) return;
        if (state.builder.isFull) yield state.builder.take();
      }
      groupStart += rows;
    }
  }

  private takeRow(
    file: ParquetFile,
    data: RowGroupColumns,
    times: TimeColumnReader,
    state: ReadState,
    i: number,
    row: number,
  ): void {
    this.recorder.rowsRead++;
    const open = data.open[i] as number;
    const high = data.high[i] as number;
    const low = data.low[i] as number;
    const close = data.close[i] as number;
    const volume = data.volume[i] as number;
    let problem = data.problem(i);
    let time = Number.NaN;
    if (problem === undefined) {
      time = times.timeAt(data, i);
      problem = times.problem;
    }
    if (problem === undefined) problem = barProblem(open, high, low, close, volume);
    if (problem === undefined) problem = rowOrderProblem(time, state.previousTime);
    if (problem !== undefined) {
      const message = `row ${row}: ${problem}`;
      if (!this.skipBadRows) throw new DataError(message, { file: file.label });
      this.recorder.recordSkip({ file: file.label, message });
      return;
    }
    state.previousTime = time;
    if (time >= state.to) {
      state.reachedEnd = true;
      return;
    }
    if (time < state.from) return;
    state.builder.push(time, open, high, low, close, volume);
  }

  /** Loads hyparquet while the session's strategies start (see `BarSource.prepare`). */
  prepare(): Promise<void> {
    return import('hyparquet').then(
      () => undefined,
      () => undefined,
    );
  }

  private async open(file: ParquetFile): Promise<NonNullable<ParquetFile['opened']>> {
    if (file.opened !== undefined) return file.opened;
    let isFile: boolean;
    try {
      isFile = (await stat(file.absolutePath)).isFile();
    } catch (error) {
      throw fileError(file, error);
    }
    if (!isFile) throw new DataError(`${file.absolutePath} is not a file`, { file: file.label });
    let buffer: AsyncBuffer;
    let metadata: FileMetaData;
    try {
      // Loaded here, not at import: only sessions that read Parquet pay for loading hyparquet.
      const { asyncBufferFromFile, parquetMetadataAsync } = await import('hyparquet');
      buffer = await asyncBufferFromFile(file.absolutePath);
      metadata = await parquetMetadataAsync(buffer, { parsers: TIME_PARSERS });
    } catch (error) {
      throw this.unreadable(file, error);
    }
    const columns = resolveParquetColumns(
      metadata,
      file.spec.columns ?? {},
      file.spec.timestamp_format ?? 'iso',
      file.label,
    );
    if (columns.timestamp === undefined && columns.time === undefined && this.intervalMs < DAY_MS) {
      throw new DataError(
        `the file has a date column but no time column, which only works for daily or longer bars (its interval is ${this.interval}); map columns.time`,
        { file: file.label },
      );
    }
    file.opened = { buffer, metadata, columns };
    return file.opened;
  }

  private unreadable(file: ParquetFile, error: unknown): DataError {
    if (DataError.isInstance(error)) return error;
    if (isFileSystemError(error)) return fileError(file, error);
    const reason = error instanceof Error ? error.message : String(error);
    return new DataError(
      `cannot read Parquet: ${reason} (is the file whole, and Parquet?)`,
      { file: file.label },
      { cause: error },
    );
  }
}

/** Bar start times of a file's rows, from its timestamp column or its date and time columns. */
class TimeColumnReader {
  /** What was wrong with the last row's time, or undefined. */
  problem: string | undefined;
  private readonly scaleToMs: number;

  constructor(
    private readonly decoder: CsvRowDecoder,
    private readonly columns: ParquetColumns,
    private readonly spec: ParquetFileSpec,
    private readonly intervalMs: number,
  ) {
    const format = spec.timestamp_format ?? 'iso';
    this.scaleToMs =
      format === 'epoch_s' ? 1000 : format === 'epoch_us' ? 1e-3 : format === 'epoch_ns' ? 1e-6 : 1;
  }

  timeAt(data: RowGroupColumns, i: number): number {
    this.problem = undefined;
    const timestamp = this.columns.timestamp;
    if (timestamp !== undefined) return this.timestampAt(timestamp, data.timestamp?.[i]);
    const date = this.columns.date as ParquetColumn;
    const dateValue = data.date?.[i];
    if (dateValue === null || dateValue === undefined) return this.fail('date is empty');
    const timeValue = this.columns.time === undefined ? undefined : data.time?.[i];
    if (
      this.columns.time !== undefined &&
      (timeValue === null || timeValue === undefined || timeValue === '')
    ) {
      return this.fail('time is empty');
    }
    const dateText =
      date.kind === 'days'
        ? civilDateText(dateValue as number, this.spec.date_format ?? 'YYYY-MM-DD')
        : String(dateValue);
    if (dateText === '') return this.fail('date is empty');
    return this.fromDecoder(this.decoder.dateTimeOf(dateText, timeValue as string | undefined));
  }

  private timestampAt(column: ParquetColumn, value: unknown): number {
    if (value === null || value === undefined || value === '') return this.fail('timestamp is empty');
    const labelEnd = this.spec.time_label === 'end';
    switch (column.kind) {
      case 'instant':
        return labelEnd ? (value as number) - this.intervalMs : (value as number);
      case 'wallTime':
        return this.decoder.wallTimeOf(value as number);
      case 'number': {
        const ms = this.epochMs(value as number | bigint);
        return labelEnd ? ms - this.intervalMs : ms;
      }
      default: {
        const text = value as string;
        const format = this.spec.timestamp_format ?? 'iso';
        if (format === 'epoch_us' || format === 'epoch_ns') {
          const ms = Number(text) * this.scaleToMs;
          if (text.trim() === '' || !Number.isFinite(ms)) {
            return this.fail(
              `timestamp "${text}" is not a number of ${format === 'epoch_us' ? 'microseconds' : 'nanoseconds'} since 1970`,
            );
          }
          return labelEnd ? Math.round(ms) - this.intervalMs : Math.round(ms);
        }
        return this.fromDecoder(this.decoder.timestampOf(text));
      }
    }
  }

  private epochMs(value: number | bigint): number {
    if (typeof value === 'bigint') {
      if (this.scaleToMs === 1e-6) return Number(floorDiv(value, 1_000_000n));
      if (this.scaleToMs === 1e-3) return Number(floorDiv(value, 1_000n));
      return Number(value) * this.scaleToMs;
    }
    return Math.round(value * this.scaleToMs);
  }

  private fromDecoder(time: number): number {
    this.problem = this.decoder.lastProblem;
    return time;
  }

  private fail(problem: string): number {
    this.problem = problem;
    return Number.NaN;
  }
}

function floorDiv(value: bigint, by: bigint): bigint {
  const quotient = value / by;
  return value % by < 0n ? quotient - 1n : quotient;
}

/** A DATE column's day written the way `format` reads it back. */
function civilDateText(days: number, format: CsvDateFormat): string {
  const iso = new Date(days * DAY_MS).toISOString();
  const [year, month, day] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  if (format === 'YYYYMMDD') return `${year}${month}${day}`;
  if (format === 'MM/DD/YYYY') return `${month}/${day}/${year}`;
  return `${year}-${month}-${day}`;
}

function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'syscall' in error
  );
}

function fileError(file: ParquetFile, error: unknown): DataError {
  return new DataError(
    `cannot open ${file.absolutePath}: ${fileOpenReason(error)}`,
    { file: file.label },
    { cause: error },
  );
}
