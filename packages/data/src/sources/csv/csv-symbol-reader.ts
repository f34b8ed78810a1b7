import { createReadStream } from 'node:fs';
import { CsvError, type Options as CsvParseOptions } from 'csv-parse';
import type { TradingCalendar } from '../../calendar/trading-calendar';
import { BarChunkBuilder } from '../bar-chunk-builder';
import type { BarChunk } from '../bar-source';
import { rowOrderProblem } from '../row-order';
import type { SourceReportRecorder } from '../source-report-recorder';
import { clipQuotedValues } from './clip-value';
import { readCleanChunks } from './csv-clean-chunks';
import { CsvDataProblem, type CsvFileName, csvProblemOf } from './csv-data-problem';
import { CsvLineTrackingParser, type CsvParsedItem } from './csv-line-tracking-parser';
import { CsvRowDecoder, type CsvRowDecoderOptions } from './csv-row-decoder';

/** Bytes per read of a CSV file (measured: larger reads are no faster through csv-parse). */
const READ_CHUNK_BYTES = 1 << 16;

/**
 * One CSV file of a symbol with its header already read: everything reading its rows needs, as
 * plain data (it is posted to the parsing thread as it is).
 */
export interface CsvReadableFile extends CsvFileName {
  readonly hasHeader: boolean;
  readonly parseOptions: CsvParseOptions;
  /** Lines up to the end of the header (0 without one). */
  readonly headerLines: number;
  /** How its rows become bars (the calendar comes apart: it is not plain data). */
  readonly decoding: Omit<CsvRowDecoderOptions, 'calendar'>;
}

/** What {@link readCsvSymbol} reads, and how. */
export interface CsvSymbolReadOptions {
  readonly symbol: string;
  /** Bars starting in [from, to). */
  readonly from: number;
  readonly to: number;
  /** The symbol's files, in time order. */
  readonly files: readonly CsvReadableFile[];
  /** Date-only daily rows start at this calendar's open on their date. */
  readonly calendar: Pick<TradingCalendar, 'hoursOn'>;
  readonly skipBadRows: boolean;
  /** Bytes per read of the uDSV fast path (default 64 KiB; 0 turns it off). */
  readonly fastPathChunkBytes: number | undefined;
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
 * The bars of one symbol from its CSV files, in chunks of up to 4096 (see `CsvBarSource` for what
 * is accepted and checked), counting rows and skips in `recorder`. Plain stretches are split by
 * uDSV; from the first row that is not plain or not a good bar on, csv-parse reads the file.
 * @throws CsvDataProblem for a bad row (policy `fail`), a row csv-parse cannot split, a file that
 *   cannot be read (the caller makes it a DataError); no @strat/core here, for the parsing thread
 */
export async function* readCsvSymbol(
  options: CsvSymbolReadOptions,
  recorder: SourceReportRecorder,
): AsyncGenerator<BarChunk> {
  const reader = new CsvSymbolReader(options, recorder);
  yield* reader.read();
}

class CsvSymbolReader {
  private readonly options: CsvSymbolReadOptions;
  private readonly recorder: SourceReportRecorder;

  constructor(options: CsvSymbolReadOptions, recorder: SourceReportRecorder) {
    this.options = options;
    this.recorder = recorder;
  }

  async *read(): AsyncGenerator<BarChunk> {
    const { files, calendar } = this.options;
    const state: ReadState = {
      builder: new BarChunkBuilder(this.options.symbol),
      from: this.options.from,
      to: this.options.to,
      previousTime: Number.NEGATIVE_INFINITY,
      reachedEnd: false,
    };
    for (let f = 0; f < files.length && !state.reachedEnd; f++) {
      const file = files[f] as CsvReadableFile;
      const decoder = new CsvRowDecoder({ ...file.decoding, calendar });
      yield* this.parseFile(file, decoder, state);
    }
    if (state.builder.length > 0) yield state.builder.take();
  }

  private async *parseFile(
    file: CsvReadableFile,
    decoder: CsvRowDecoder,
    state: ReadState,
  ): AsyncGenerator<BarChunk> {
    const rowsTaken =
      this.options.fastPathChunkBytes === 0 ? 0 : yield* this.parsePlainRows(file, decoder, state);
    if (rowsTaken !== undefined) yield* this.parseWithCsvParse(file, decoder, state, rowsTaken);
  }

  /**
   * The fast path: takes rows split by uDSV while they are plain and good bars. Returns how many data
   * rows it took when the rest of the file needs csv-parse, undefined when it read the file to its end
   * (or to `to`).
   */
  private async *parsePlainRows(
    file: CsvReadableFile,
    decoder: CsvRowDecoder,
    state: ReadState,
  ): AsyncGenerator<BarChunk, number | undefined> {
    let taken = 0;
    try {
      for await (const chunk of readCleanChunks({
        absolutePath: file.absolutePath,
        delimiter: file.parseOptions.delimiter as string,
        skipLines: file.headerLines,
        chunkBytes: this.options.fastPathChunkBytes,
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
      throw csvProblemOf(file, error);
    }
    return undefined;
  }

  /** Reads the file with csv-parse, passing over the first `rowsTaken` data rows (the fast path took them). */
  private async *parseWithCsvParse(
    file: CsvReadableFile,
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
      throw csvProblemOf(file, error);
    } finally {
      input.destroy();
    }
  }

  /** Checks one data row and adds its bar when it is in range; sets `reachedEnd` at the first row at or after `to`. */
  private takeRow(
    file: CsvReadableFile,
    decoder: CsvRowDecoder,
    state: ReadState,
    record: readonly string[],
    line: number,
  ): void {
    this.recorder.rowsRead++;
    let problem = decoder.decode(record);
    const time = decoder.time;
    if (problem === undefined) problem = rowOrderProblem(time, state.previousTime);
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

  private badRow(file: CsvReadableFile, line: number, message: string): void {
    if (!this.options.skipBadRows) throw new CsvDataProblem(message, file.label, line);
    this.recorder.recordSkip({ file: file.label, line, message });
  }

  private unsplittableRow(file: CsvReadableFile, error: CsvError): void {
    if (!this.options.skipBadRows) throw error;
    this.recorder.rowsRead++;
    this.recorder.recordSkip({
      file: file.label,
      line: (error as CsvError & { lines?: number }).lines,
      message: `cannot parse CSV: ${clipQuotedValues(error.message)}`,
    });
  }
}
