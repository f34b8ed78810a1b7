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
 * @throws DataError naming the file (and the column) for each of those problems.
 */
export async function readPartition(
  path: string,
  label: string,
  entry: CatalogPartition,
  range: { start: number; end: number },
): Promise<PartitionColumns> {
  return (await loadCodec()).readPartition(path, label, entry, range);
}
