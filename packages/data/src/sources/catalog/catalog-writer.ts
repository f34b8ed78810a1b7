import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DataError, type Interval } from '@strat/core';
import type { BarChunk } from '../bar-source';
import { encodePartition, type PartitionColumns } from './arrow-partition';
import {
  CATALOG_FORMAT,
  CATALOG_FORMAT_VERSION,
  CATALOG_MANIFEST_FILE,
  type CatalogManifest,
  type CatalogPartition,
  type CatalogSeries,
  checkCatalogManifest,
  partitioningFor,
  partitionOf,
  symbolFolderName,
} from './catalog-manifest';

/** Anything that reads bars of a symbol in time order, like a {@link BarSource}. */
export interface BarReader {
  read(symbol: string, from: number, to: number): AsyncIterable<BarChunk>;
}

/** One series to add to a catalog: every bar `source` has for `symbol`. */
export interface CatalogSeriesInput {
  symbol: string;
  interval: Interval;
  /** Read once over all time; bars must be start-labelled UTC and strictly increasing. */
  source: BarReader;
  /** The files the bars come from, with checksums ({@link fileSha256}). */
  sources: CatalogSeries['sources'];
  /** How the source's times were turned into UTC bar starts. */
  applied: CatalogSeries['applied'];
}

/** Options of {@link CatalogWriter.open}. */
export interface CatalogWriterOptions {
  /** Replace a series the catalog already holds (default: adding one it holds is an error). */
  replace?: boolean;
}

/** SHA-256 of a file's content, hex. */
export async function fileSha256(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Bars of one partition, growing as they come. */
class PartitionBuffer {
  length = 0;
  private columns: Float64Array[] = [];

  constructor(
    readonly key: string,
    readonly end: number,
  ) {
    this.grow(4096);
  }

  append(chunk: BarChunk, from: number, to: number): void {
    const count = to - from;
    if (this.length + count > (this.columns[0] as Float64Array).length) {
      this.grow(Math.max(this.length + count, (this.columns[0] as Float64Array).length * 2));
    }
    const sources = [chunk.time, chunk.open, chunk.high, chunk.low, chunk.close, chunk.volume];
    for (let c = 0; c < 6; c++) {
      (this.columns[c] as Float64Array).set((sources[c] as Float64Array).subarray(from, to), this.length);
    }
    this.length += count;
  }

  toColumns(): PartitionColumns {
    const [time, open, high, low, close, volume] = this.columns.map((c) => c.subarray(0, this.length));
    return {
      length: this.length,
      time: time as Float64Array,
      open: open as Float64Array,
      high: high as Float64Array,
      low: low as Float64Array,
      close: close as Float64Array,
      volume: volume as Float64Array,
    };
  }

  private grow(capacity: number): void {
    this.columns = Array.from({ length: 6 }, (_, c) => {
      const column = new Float64Array(capacity);
      const old = this.columns[c];
      if (old !== undefined) column.set(old.subarray(0, this.length));
      return column;
    });
  }
}

async function writeFileFully(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes series into an Arrow IPC catalog: one file per symbol, interval and UTC year (month for
 * intervals under a minute) and `manifest.json`. Nothing is visible half-written: partitions go to
 * temporary names and are renamed on {@link commit}, which then replaces the manifest in one rename.
 * Partition file names carry their content hash, so a commit never overwrites a file the previous
 * manifest names; files no longer named are removed after the new manifest is in place.
 */
export class CatalogWriter {
  private readonly pending: { temp: string; final: string }[] = [];
  private readonly added: CatalogSeries[] = [];
  private readonly tempTag = `${process.pid}-${randomBytes(4).toString('hex')}`;

  private constructor(
    /** The catalog folder. */
    readonly dir: string,
    private readonly previous: CatalogManifest | undefined,
    private readonly options: CatalogWriterOptions,
  ) {}

  /**
   * Opens the catalog in `dir` for adding series (the folder and manifest are made when missing).
   * @throws DataError when `dir` holds a manifest that is not a catalog's.
   */
  static async open(dir: string, options: CatalogWriterOptions = {}): Promise<CatalogWriter> {
    const manifestPath = join(dir, CATALOG_MANIFEST_FILE);
    let previous: CatalogManifest | undefined;
    let text: string | undefined;
    try {
      text = await readFile(manifestPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new DataError(
          `not valid JSON: ${(error as Error).message}`,
          { file: manifestPath },
          { cause: error },
        );
      }
      previous = checkCatalogManifest(parsed, manifestPath);
    }
    await mkdir(dir, { recursive: true });
    return new CatalogWriter(dir, previous, options);
  }

  /**
   * Reads every bar of the series and writes its partitions under temporary names.
   * @throws DataError when the catalog (or this writer) already holds the series and `replace` is off,
   *   or when the bars are not in strictly increasing time; what the source throws.
   */
  async add(input: CatalogSeriesInput): Promise<CatalogSeries> {
    const { symbol, interval } = input;
    const id = (s: { symbol: string; interval: string }) => `${s.symbol} ${s.interval}`;
    if (this.added.some((s) => id(s) === id(input))) {
      throw new DataError(`${id(input)} is given twice: list all of a symbol's files in one import`);
    }
    if (this.options.replace !== true && this.previous?.series.some((s) => id(s) === id(input))) {
      throw new DataError(
        `the catalog already holds ${id(input)}; replace it on purpose (strat data import --force, the writer's replace option)`,
        {
          file: join(this.dir, CATALOG_MANIFEST_FILE),
        },
      );
    }
    const partitioning = partitioningFor(interval);
    const folder = join(symbolFolderName(symbol), interval);
    const partitions: CatalogPartition[] = [];
    let buffer: PartitionBuffer | undefined;
    let previous = Number.NEGATIVE_INFINITY;
    for await (const chunk of input.source.read(symbol, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)) {
      let from = 0;
      for (let i = 0; i < chunk.length; i++) {
        const t = chunk.time[i] as number;
        if (!(t > previous)) {
          throw new DataError(`${id(input)}: bar at ${t} is not after the bar before it (${previous})`);
        }
        previous = t;
        if (buffer !== undefined && t < buffer.end) continue;
        if (buffer !== undefined) {
          buffer.append(chunk, from, i);
          partitions.push(await this.writePartition(folder, buffer));
        }
        const p = partitionOf(t, partitioning);
        buffer = new PartitionBuffer(p.key, p.end);
        from = i;
      }
      buffer?.append(chunk, from, chunk.length);
    }
    if (buffer !== undefined && buffer.length > 0) partitions.push(await this.writePartition(folder, buffer));
    const rows = partitions.reduce((sum, p) => sum + p.rows, 0);
    const series: CatalogSeries = {
      symbol,
      interval,
      partitioning,
      rows,
      first: partitions[0]?.first,
      last: partitions.at(-1)?.last,
      partitions,
      sources: input.sources,
      applied: input.applied,
    };
    this.added.push(series);
    return series;
  }

  /**
   * Moves the written partitions to their names and replaces the manifest; then removes the files
   * of replaced series.
   */
  async commit(): Promise<CatalogManifest> {
    const addedIds = new Set(this.added.map((s) => `${s.symbol} ${s.interval}`));
    const kept = (this.previous?.series ?? []).filter((s) => !addedIds.has(`${s.symbol} ${s.interval}`));
    const series = [...kept, ...this.added].sort(
      (a, b) => a.symbol.localeCompare(b.symbol) || a.interval.localeCompare(b.interval),
    );
    const manifest: CatalogManifest = {
      format: CATALOG_FORMAT,
      version: CATALOG_FORMAT_VERSION,
      time: { unit: 'ms', zone: 'UTC', label: 'start' },
      series,
    };
    for (const { temp, final } of this.pending) await rename(temp, final);
    this.pending.length = 0;
    const manifestPath = join(this.dir, CATALOG_MANIFEST_FILE);
    const temp = `${manifestPath}.${this.tempTag}.tmp`;
    await writeFileFully(temp, new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
    await rename(temp, manifestPath);
    const named = new Set(series.flatMap((s) => s.partitions.map((p) => p.file)));
    for (const old of this.previous?.series ?? []) {
      for (const p of old.partitions)
        if (!named.has(p.file)) await rm(join(this.dir, p.file), { force: true });
    }
    return manifest;
  }

  /** Removes the partitions written so far; the catalog stays as it was. */
  async abort(): Promise<void> {
    for (const { temp } of this.pending.splice(0)) await rm(temp, { force: true });
  }

  private async writePartition(folder: string, buffer: PartitionBuffer): Promise<CatalogPartition> {
    const columns = buffer.toColumns();
    const bytes = await encodePartition(columns);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const file = join(folder, `${buffer.key}.${sha256.slice(0, 12)}.arrow`)
      .split('\\')
      .join('/');
    const final = join(this.dir, file);
    const temp = `${final}.${this.tempTag}.tmp`;
    await mkdir(dirname(final), { recursive: true });
    this.pending.push({ temp, final });
    await writeFileFully(temp, bytes);
    return {
      key: buffer.key,
      file,
      bytes: bytes.length,
      sha256,
      rows: columns.length,
      first: columns.time[0] as number,
      last: columns.time[columns.length - 1] as number,
    };
  }
}
