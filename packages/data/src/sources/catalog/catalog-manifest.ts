import { DataError, type Interval, parseInterval } from '@strat/core';

/** The catalog's manifest, in the catalog folder. */
export const CATALOG_MANIFEST_FILE = 'manifest.json';

/** The `format` of a catalog manifest. */
export const CATALOG_FORMAT = 'strat-arrow-catalog';

/** The manifest layout this version writes and reads. */
export const CATALOG_FORMAT_VERSION = 1;

/** One Arrow IPC file of a series: the bars whose start falls in one UTC year (or month). */
export interface CatalogPartition {
  /** `2024` (yearly) or `2024-03` (monthly), in UTC. */
  key: string;
  /** The file, relative to the catalog folder (`AAPL/1m/2024.arrow`). */
  file: string;
  /** Its size in bytes. */
  bytes: number;
  /** Its SHA-256, hex. */
  sha256: string;
  rows: number;
  /** First and last bar start, epoch ms UTC. */
  first: number;
  last: number;
}

/** A file a series was imported from. */
export interface CatalogSourceFile {
  /** The path as given to `strat data import`. */
  path: string;
  bytes: number;
  /** SHA-256 of its content, hex. */
  sha256: string;
}

/** The bars of one symbol at one interval. */
export interface CatalogSeries {
  symbol: string;
  interval: Interval;
  /** `year` (UTC years), or `month` for intervals under a minute. */
  partitioning: 'year' | 'month';
  rows: number;
  /** First and last bar start, epoch ms UTC (undefined when the series has no bar). */
  first: number | undefined;
  last: number | undefined;
  /** In time order. */
  partitions: CatalogPartition[];
  /** Where the bars came from, with checksums. */
  sources: CatalogSourceFile[];
  /**
   * How the source's times were read before they were stored as UTC bar starts: its time zone and
   * time label (for CSV), or a description such as `generator seed 42`.
   */
  applied: { source: string; timezone?: string; time_label?: 'start' | 'end' };
}

/** `manifest.json`: what a catalog holds. Stored times are UTC bar starts in epoch ms. */
export interface CatalogManifest {
  format: typeof CATALOG_FORMAT;
  version: typeof CATALOG_FORMAT_VERSION;
  /** How times are stored: always UTC bar starts in epoch milliseconds. */
  time: { unit: 'ms'; zone: 'UTC'; label: 'start' };
  series: CatalogSeries[];
}

/** The partitioning of a series at `interval`: by month under a minute, else by year. */
export function partitioningFor(interval: Interval): 'year' | 'month' {
  return parseInterval(interval).ms < 60_000 ? 'month' : 'year';
}

/** The partition a bar starting at `time` belongs to, with that partition's [start, end) in epoch ms UTC. */
export function partitionOf(
  time: number,
  partitioning: 'year' | 'month',
): { key: string; start: number; end: number } {
  const date = new Date(time);
  const year = date.getUTCFullYear();
  if (partitioning === 'year') {
    return { key: String(year), start: Date.UTC(year, 0, 1), end: Date.UTC(year + 1, 0, 1) };
  }
  const month = date.getUTCMonth();
  return {
    key: `${year}-${String(month + 1).padStart(2, '0')}`,
    start: Date.UTC(year, month, 1),
    end: Date.UTC(year, month + 1, 1),
  };
}

/** The [start, end) of a partition key, epoch ms UTC. */
export function partitionRange(key: string): { start: number; end: number } | undefined {
  const match = /^(\d{4})(?:-(\d{2}))?$/.exec(key);
  if (match === null) return undefined;
  const year = Number(match[1]);
  if (match[2] === undefined) return { start: Date.UTC(year, 0, 1), end: Date.UTC(year + 1, 0, 1) };
  const month = Number(match[2]) - 1;
  if (month < 0 || month > 11) return undefined;
  return { start: Date.UTC(year, month, 1), end: Date.UTC(year, month + 1, 1) };
}

/** A symbol as a folder name: characters unsafe in file names become `_`. */
export function symbolFolderName(symbol: string): string {
  return symbol.replace(/[^A-Za-z0-9._-]/g, '_');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Checks the shape of a parsed manifest.
 * @param label - The manifest file, for messages.
 * @throws DataError naming the manifest and the entry that is wrong.
 */
export function checkCatalogManifest(value: unknown, label: string): CatalogManifest {
  const fail = (message: string) => new DataError(`not a catalog manifest: ${message}`, { file: label });
  if (!isRecord(value)) throw fail('expected a JSON object');
  if (value.format !== CATALOG_FORMAT) {
    throw fail(`format is ${JSON.stringify(value.format)}, expected "${CATALOG_FORMAT}"`);
  }
  if (value.version !== CATALOG_FORMAT_VERSION) {
    throw fail(
      `version ${JSON.stringify(value.version)} is not one this version reads (${CATALOG_FORMAT_VERSION})`,
    );
  }
  if (!Array.isArray(value.series)) throw fail('series is not a list');
  const seen = new Set<string>();
  for (const [i, series] of (value.series as unknown[]).entries()) {
    const at = `series[${i}]`;
    if (!isRecord(series)) throw fail(`${at} is not an object`);
    if (typeof series.symbol !== 'string' || series.symbol === '') throw fail(`${at}.symbol is not a symbol`);
    try {
      parseInterval(series.interval as Interval);
    } catch {
      throw fail(`${at}.interval ${JSON.stringify(series.interval)} is not an interval`);
    }
    const id = `${series.symbol} ${series.interval}`;
    if (seen.has(id)) throw fail(`${at} repeats ${id}`);
    seen.add(id);
    if (series.partitioning !== 'year' && series.partitioning !== 'month') {
      throw fail(`${at}.partitioning is not year or month`);
    }
    if (!Number.isSafeInteger(series.rows)) throw fail(`${at}.rows is not a count`);
    if (!Array.isArray(series.partitions)) throw fail(`${at}.partitions is not a list`);
    if (!Array.isArray(series.sources)) throw fail(`${at}.sources is not a list`);
    let total = 0;
    let previousEnd = Number.NEGATIVE_INFINITY;
    for (const [j, p] of (series.partitions as unknown[]).entries()) {
      const pat = `${at}.partitions[${j}]`;
      if (!isRecord(p)) throw fail(`${pat} is not an object`);
      const range = typeof p.key === 'string' ? partitionRange(p.key) : undefined;
      if (range === undefined) throw fail(`${pat}.key ${JSON.stringify(p.key)} is not YYYY or YYYY-MM`);
      if (typeof p.file !== 'string' || p.file === '' || p.file.split(/[\\/]/).includes('..')) {
        throw fail(`${pat}.file is not a file inside the catalog`);
      }
      if (!Number.isSafeInteger(p.rows) || (p.rows as number) <= 0)
        throw fail(`${pat}.rows is not a positive count`);
      if (!Number.isSafeInteger(p.bytes)) throw fail(`${pat}.bytes is not a size`);
      if (!isTime(p.first) || !isTime(p.last) || p.first > p.last)
        throw fail(`${pat}.first/last are not times`);
      if (p.first < range.start || p.last >= range.end) {
        throw fail(`${pat}: first and last are outside the partition ${p.key}`);
      }
      if (range.start < previousEnd) throw fail(`${pat}: partitions are not in time order`);
      previousEnd = range.end;
      total += p.rows as number;
    }
    if (total !== series.rows) throw fail(`${at}.rows is ${series.rows} but its partitions hold ${total}`);
  }
  return value as unknown as CatalogManifest;
}
