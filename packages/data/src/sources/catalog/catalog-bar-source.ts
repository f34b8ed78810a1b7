import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DataError, type Interval, intervalToMs } from '@strat/core';
import {
  type BarChunk,
  type BarSource,
  MAX_CHUNK_BARS,
  type ReadOptions,
  type SourceReport,
} from '../bar-source';
import { SourceReportRecorder } from '../source-report-recorder';
import {
  type PartitionColumns,
  PartitionScratch,
  preloadPartitionCodec,
  readPartition,
} from './arrow-partition';
import {
  CATALOG_MANIFEST_FILE,
  type CatalogManifest,
  type CatalogPartition,
  type CatalogSeries,
  checkCatalogManifest,
  partitionRange,
} from './catalog-manifest';

/** Options of {@link CatalogBarSource}. */
export interface CatalogBarSourceOptions {
  /** The catalog folder, as written in the config (messages name files relative to it). */
  path: string;
  /** Folder a relative `path` is resolved against (the config file's folder; default: the working directory). */
  baseDir?: string;
  /**
   * The interval to replay. Default: `preferredInterval` when the catalog has it, else the
   * catalog's only interval.
   */
  interval?: Interval;
  /** The session's shortest stream, used when `interval` is not given. */
  preferredInterval?: Interval;
}

/** Reads and checks a catalog's manifest. */
export function readCatalogManifest(dir: string, label = dir): CatalogManifest {
  const file = join(label, CATALOG_MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(join(dir, CATALOG_MANIFEST_FILE), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(
      code === 'ENOENT'
        ? `no catalog here: ${CATALOG_MANIFEST_FILE} is missing (make one with strat data import)`
        : `cannot read the catalog manifest: ${(error as Error).message}`,
      { file },
      { cause: error },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DataError(`not valid JSON: ${(error as Error).message}`, { file }, { cause: error });
  }
  return checkCatalogManifest(parsed, file);
}

function chooseInterval(
  manifest: CatalogManifest,
  options: CatalogBarSourceOptions,
  label: string,
): Interval {
  const intervals = [...new Set(manifest.series.map((s) => s.interval))];
  if (options.interval !== undefined) {
    if (!intervals.some((i) => intervalToMs(i) === intervalToMs(options.interval as Interval))) {
      throw new DataError(
        `the catalog has no ${options.interval} bars (it has ${intervals.join(', ') || 'no series'})`,
        { file: label },
      );
    }
    return intervals.find((i) => intervalToMs(i) === intervalToMs(options.interval as Interval)) as Interval;
  }
  const preferred = options.preferredInterval;
  const match =
    preferred === undefined ? undefined : intervals.find((i) => intervalToMs(i) === intervalToMs(preferred));
  if (match !== undefined) return match;
  if (intervals.length === 1) return intervals[0] as Interval;
  throw new DataError(
    intervals.length === 0
      ? 'the catalog holds no series'
      : `the catalog has ${intervals.join(', ')} bars: set data_config.interval to choose one`,
    { file: label },
  );
}

/**
 * Bars from an Arrow IPC catalog written by `strat data import` (see {@link CatalogWriter}). A
 * read opens only the partitions of its symbol that overlap [from, to), one at a time, and hands
 * out chunks that are views of that partition's Arrow buffers (no object or copy per bar); a
 * partition is dropped once its last chunk is handed out. Each partition is checked against the
 * manifest as it is opened (size, columns and types, rows, first and last time).
 */
export class CatalogBarSource implements BarSource {
  /** 'catalog data/catalog (1m)'. */
  readonly description: string;
  readonly interval: Interval;
  /** Symbols with bars at {@link interval}. */
  readonly symbols: readonly string[];
  /** The manifest, as read when the source was made. */
  readonly manifest: CatalogManifest;
  private readonly dir: string;
  private readonly label: string;
  private readonly series: Map<string, CatalogSeries>;
  private readonly recorder = new SourceReportRecorder();

  /**
   * Reads the manifest (a small JSON file) and picks the interval.
   * @throws DataError naming the manifest when it is missing, not a catalog's, or lacks the interval.
   */
  constructor(options: CatalogBarSourceOptions) {
    this.label = options.path;
    this.dir = resolve(options.baseDir ?? process.cwd(), options.path);
    this.manifest = readCatalogManifest(this.dir, this.label);
    this.interval = chooseInterval(this.manifest, options, join(this.label, CATALOG_MANIFEST_FILE));
    this.series = new Map(
      this.manifest.series.filter((s) => s.interval === this.interval).map((s) => [s.symbol, s]),
    );
    this.symbols = [...this.series.keys()];
    this.description = `catalog ${options.path} (${this.interval})`;
  }

  /** Loads the Arrow reader while the session's strategies start (see `BarSource.prepare`). */
  prepare(): Promise<void> {
    return preloadPartitionCodec();
  }

  /** Rows handed out so far (a catalog holds no bad rows: they were dropped or refused at import). */
  report(): SourceReport {
    return this.recorder.snapshot();
  }

  /**
   * Checks that every partition the symbols need for [from, to) is there with the manifest's size,
   * so a missing or truncated file shows up before a session starts.
   * @throws DataError naming the symbol or the file.
   */
  async preflight(symbols: readonly string[], from: number, to: number): Promise<void> {
    for (const symbol of symbols) {
      for (const p of this.partitionsOf(symbol, from, to)) {
        const size = await stat(join(this.dir, p.file)).then(
          (s) => s.size,
          () => undefined,
        );
        const file = join(this.label, p.file);
        if (size === undefined) {
          throw new DataError('the partition is listed in the manifest but the file is missing', { file });
        }
        if (size !== p.bytes) {
          throw new DataError(
            `the file is ${size} bytes but the manifest says ${p.bytes}: it was truncated or replaced after the import`,
            { file },
          );
        }
      }
    }
  }

  /**
   * Bars of `symbol` starting in [from, to), in chunks of up to 4096. With `options.reuse`, every
   * partition of the read goes into the same memory (the file's bytes and the time column), grown
   * to the largest: a replay of years touches a few megabytes instead of the whole series.
   * @throws DataError for a symbol the catalog lacks at this interval, or a partition that is
   *   missing, damaged or disagrees with the manifest.
   */
  async *read(symbol: string, from: number, to: number, options?: ReadOptions): AsyncGenerator<BarChunk> {
    const scratch = options?.reuse === true ? new PartitionScratch() : undefined;
    for (const entry of this.partitionsOf(symbol, from, to)) {
      const range = partitionRange(entry.key) as { start: number; end: number };
      const columns = await readPartition(
        join(this.dir, entry.file),
        join(this.label, entry.file),
        entry,
        range,
        scratch,
      );
      const start = lowerBound(columns.time, from);
      const end = lowerBound(columns.time, to);
      for (let i = start; i < end; i += MAX_CHUNK_BARS) {
        const stop = Math.min(i + MAX_CHUNK_BARS, end);
        this.recorder.rowsRead += stop - i;
        yield chunkOf(symbol, columns, i, stop);
      }
    }
  }

  private partitionsOf(symbol: string, from: number, to: number): CatalogPartition[] {
    const series = this.series.get(symbol);
    if (series === undefined) {
      const elsewhere = this.manifest.series.filter((s) => s.symbol === symbol).map((s) => s.interval);
      throw new DataError(
        elsewhere.length > 0
          ? `the catalog has ${symbol} at ${elsewhere.join(', ')}, not ${this.interval}`
          : `the catalog has no symbol "${symbol}" (it has: ${this.symbols.join(', ') || 'none'} at ${this.interval})`,
        { file: join(this.label, CATALOG_MANIFEST_FILE) },
      );
    }
    return series.partitions.filter((p) => p.last >= from && p.first < to);
  }
}

function lowerBound(time: Float64Array, value: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((time[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function chunkOf(symbol: string, c: PartitionColumns, from: number, to: number): BarChunk {
  return {
    symbol,
    length: to - from,
    time: c.time.subarray(from, to),
    open: c.open.subarray(from, to),
    high: c.high.subarray(from, to),
    low: c.low.subarray(from, to),
    close: c.close.subarray(from, to),
    volume: c.volume.subarray(from, to),
  };
}
