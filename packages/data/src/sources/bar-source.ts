import type { Interval } from '@strat/core';

/** The most bars a source puts in one {@link BarChunk}. */
export const MAX_CHUNK_BARS = 4096;

/**
 * Bars of one symbol, columnar, in strictly increasing time. Every array has exactly `length`
 * elements. A chunk's arrays are its own: a source never reuses them for a later chunk, so a
 * consumer may keep a chunk as long as it likes.
 */
export interface BarChunk {
  readonly symbol: string;
  readonly length: number;
  /** Bar start times, epoch ms UTC. */
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** One problem a source met, such as a CSV row skipped by the `skip` policy. */
export interface SourceProblem {
  /** The file, as named in the config. */
  file?: string;
  /** The 1-based line in that file. */
  line?: number;
  message: string;
}

/** What a source has read so far. */
export interface SourceReport {
  /** Data rows read (for the generator: bars produced), including skipped ones. */
  rowsRead: number;
  /** Rows skipped by the `skip` bad-row policy. */
  rowsSkipped: number;
  /** The first problems met (at most {@link MAX_REPORTED_PROBLEMS}), in order. */
  problems: SourceProblem[];
}

/** How many problems a {@link SourceReport} keeps. */
export const MAX_REPORTED_PROBLEMS = 100;

/** How a reader uses what {@link BarSource.read} yields. */
export interface ReadOptions {
  /**
   * The reader is done with a chunk once it asks for the next one (or ends the read): the source may
   * then write later chunks into the same memory (the catalog source reads each partition into one
   * buffer per read). Fresh memory is not free (on a VM a new page can cost ~13 us on first touch);
   * a reader that keeps chunks, or copies of their arrays' views, must not ask for it. Default false.
   */
  readonly reuse?: boolean;
}

/** Where bars come from: CSV files, the generator, a live feed adapter. */
export interface BarSource {
  /** For messages: 'csv es.csv', 'generator seed 42'. */
  readonly description: string;
  /** The interval of the bars it yields. */
  readonly interval: Interval;
  /** Symbols it can provide (undefined = any symbol, like the generator). */
  readonly symbols?: readonly string[] | undefined;
  /**
   * Bars of `symbol` with start time in [from, to), chunks of up to ~4096 bars, strictly increasing.
   * A chunk's arrays stay valid for good, unless `options.reuse` says otherwise.
   */
  read(symbol: string, from: number, to: number, options?: ReadOptions): AsyncIterable<BarChunk>;
  /** Rows skipped by the 'skip' bad-row policy so far, with file, line and reason (first 100 kept). */
  report(): SourceReport;
  /**
   * Optional: gets ready to read, touching no bar (loads a reader's code, such as Arrow's or
   * Parquet's). A session runs it while its strategies start, so that work overlaps theirs. Never
   * rejects: a problem it meets is left for `read` to report.
   */
  prepare?(): Promise<void>;
}

/** A file source's description: its kind and files, the first three named (`csv a.csv, b.csv, c.csv and 2 more`). */
export function describeFileSource(kind: string, labels: readonly string[]): string {
  const named =
    labels.length > 3 ? `${labels.slice(0, 3).join(', ')} and ${labels.length - 3} more` : labels.join(', ');
  return `${kind} ${named}`;
}
