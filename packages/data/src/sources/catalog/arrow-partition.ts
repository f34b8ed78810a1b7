import type { CatalogPartition } from './catalog-manifest';

/** The columns of a partition, in file order: `time` is timestamp[ms, UTC], the others float64. */
export const PARTITION_COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

/** The bars of one partition, columnar, times as epoch ms UTC bar starts. */
export interface PartitionColumns {
  readonly length: number;
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/**
 * Memory one read reuses for each of its partitions in turn: the file's bytes (the price columns are
 * views of them) and the time column. A partition read into it is valid until the next one is.
 */
export class PartitionScratch {
  #bytes = new Uint8Array(0);
  #time = new Float64Array(0);

  /** `size` bytes for a file (new memory only when larger than any before, with room to spare). */
  bytes(size: number): Uint8Array {
    if (this.#bytes.length < size) this.#bytes = new Uint8Array(roomFor(size));
    return this.#bytes.subarray(0, size);
  }

  /** A time column of `rows` (new memory only when longer than any before, with room to spare). */
  time(rows: number): Float64Array {
    if (this.#time.length < rows) this.#time = new Float64Array(roomFor(rows));
    return this.#time.subarray(0, rows);
  }
}

/**
 * A quarter more than asked: a year's partition is often a few bars longer than the year before, and
 * growing by exactly that much would take fresh memory for nearly every partition.
 */
function roomFor(n: number): number {
  return n + (n >> 2);
}

type PartitionCodec = typeof import('./arrow-partition-codec');

let codec: Promise<PartitionCodec> | undefined;

// apache-arrow takes about 0.2 s of CPU to load: only a process that reads or writes a catalog pays it.
function loadCodec(): Promise<PartitionCodec> {
  codec ??= import('./arrow-partition-codec');
  return codec;
}

/** Loads the Arrow codec ahead of the first partition (see `BarSource.prepare`); never rejects. */
export function preloadPartitionCodec(): Promise<void> {
  return loadCodec().then(
    () => undefined,
    () => undefined,
  );
}

/** The Arrow IPC file (Feather v2) of one partition's bars. */
export async function encodePartition(columns: PartitionColumns): Promise<Uint8Array> {
  return (await loadCodec()).encodePartition(columns);
}

/**
 * Reads one partition file and checks it against its manifest entry: size, readable Arrow IPC,
 * the six columns with their types and no nulls, row count, times strictly increasing inside the
 * partition and equal to the manifest's first and last.
 * @param path - The file on disk.
 * @param label - The file as messages name it.
 * @param scratch - Memory to read into (the columns are then valid until its next partition), else new memory.
 * @throws DataError naming the file (and the column) for each of those problems.
 */
export async function readPartition(
  path: string,
  label: string,
  entry: CatalogPartition,
  range: { start: number; end: number },
  scratch?: PartitionScratch,
): Promise<PartitionColumns> {
  return (await loadCodec()).readPartition(path, label, entry, range, scratch);
}
