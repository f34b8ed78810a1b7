import { open, readFile, stat } from 'node:fs/promises';
import { DataError } from '@strat/core';
import {
  Field,
  Float64,
  makeData,
  Precision,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMillisecond,
  TimeUnit,
  Type,
  tableFromIPC,
  tableToIPC,
} from 'apache-arrow';
import { PARTITION_COLUMNS, type PartitionColumns, type PartitionScratch } from './arrow-partition';
import type { CatalogPartition } from './catalog-manifest';

const PRICE_COLUMNS = ['open', 'high', 'low', 'close', 'volume'] as const;

const partitionSchema = new Schema([
  new Field('time', new TimestampMillisecond('UTC'), false),
  ...PRICE_COLUMNS.map((name) => new Field(name, new Float64(), false)),
]);

/** The Arrow IPC file (Feather v2) of one partition's bars. */
export function encodePartition(columns: PartitionColumns): Uint8Array {
  const n = columns.length;
  const time = new BigInt64Array(n);
  for (let i = 0; i < n; i++) time[i] = BigInt(columns.time[i] as number);
  const children = [
    makeData({ type: new TimestampMillisecond('UTC'), length: n, nullCount: 0, data: time }),
    ...PRICE_COLUMNS.map((name) =>
      makeData({ type: new Float64(), length: n, nullCount: 0, data: columns[name].subarray(0, n) }),
    ),
  ];
  const batch = new RecordBatch(
    partitionSchema,
    makeData({ type: new Struct(partitionSchema.fields), length: n, nullCount: 0, children }),
  );
  return tableToIPC(new Table([batch]), 'file');
}

function describeType(type: { typeId: Type; toString(): string }): string {
  return String(type);
}

/**
 * Epoch ms from Arrow's int64 values without a BigInt per row: the high word scaled plus the low
 * word unsigned (exact for every time a Float64 holds exactly).
 */
function int64ToFloat64(values: BigInt64Array, target: Float64Array, at: number): void {
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let i = 0, w = 0; i < values.length; i++, w += 2) {
    target[at + i] = (words[w + 1] as number) * 4294967296 + ((words[w] as number) >>> 0);
  }
}

/**
 * Reads one partition file and checks it against its manifest entry: size, readable Arrow IPC,
 * the six columns with their types and no nulls, row count, times strictly increasing inside the
 * partition and equal to the manifest's first and last. Price columns are the Arrow buffers
 * themselves when the file has one record batch (the usual case), else one copy.
 * @param path - The file on disk.
 * @param label - The file as messages name it.
 * @throws DataError naming the file (and the column) for each of those problems.
 */
export async function readPartition(
  path: string,
  label: string,
  entry: CatalogPartition,
  range: { start: number; end: number },
  scratch?: PartitionScratch,
): Promise<PartitionColumns> {
  let bytes: Uint8Array;
  try {
    const size = (await stat(path)).size;
    if (size !== entry.bytes) {
      throw new DataError(
        `the file is ${size} bytes but the manifest says ${entry.bytes}: it was truncated or replaced after the import`,
        { file: label },
      );
    }
    bytes = scratch === undefined ? await readFile(path) : await readInto(path, scratch.bytes(size));
  } catch (error) {
    if (DataError.isInstance(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(
      code === 'ENOENT'
        ? 'the partition is listed in the manifest but the file is missing'
        : `cannot read the partition: ${(error as Error).message}`,
      { file: label },
      { cause: error },
    );
  }
  let table: Table;
  try {
    table = tableFromIPC(bytes);
    if (table.schema.fields.length === 0) throw new Error('no columns');
  } catch (error) {
    throw new DataError(
      `not a readable Arrow IPC file (truncated or damaged): ${(error as Error).message}`,
      { file: label },
      { cause: error },
    );
  }
  const columns = columnsOf(table, label, scratch);
  if (columns.length !== entry.rows) {
    throw new DataError(`the file holds ${columns.length} rows but the manifest says ${entry.rows}`, {
      file: label,
    });
  }
  checkTimes(columns, label, entry, range);
  return columns;
}

/** The whole file into `target` (its size); a file that ends early was truncated meanwhile. */
async function readInto(path: string, target: Uint8Array): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    let at = 0;
    while (at < target.length) {
      const { bytesRead } = await file.read(target, at, target.length - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return target.subarray(0, at);
  } finally {
    await file.close();
  }
}

function columnsOf(table: Table, label: string, scratch: PartitionScratch | undefined): PartitionColumns {
  const n = table.numRows;
  const single = table.batches.length === 1;
  const out: Record<string, Float64Array> = {};
  for (const name of PARTITION_COLUMNS) {
    const field = table.schema.fields.find((f) => f.name === name);
    if (field === undefined) {
      throw new DataError(
        `column ${name} is missing (the file has ${table.schema.fields.map((f) => f.name).join(', ')})`,
        { file: label },
      );
    }
    const type = field.type;
    const isTime = name === 'time';
    const fits = isTime
      ? type.typeId === Type.Timestamp && type.unit === TimeUnit.MILLISECOND && type.timezone != null
      : type.typeId === Type.Float && type.precision === Precision.DOUBLE;
    if (!fits) {
      throw new DataError(
        `column ${name} is ${describeType(type)}, expected ${isTime ? 'Timestamp<MILLISECOND, UTC>' : 'Float64'}`,
        { file: label },
      );
    }
    const target =
      isTime && scratch !== undefined ? scratch.time(n) : isTime || !single ? new Float64Array(n) : undefined;
    let at = 0;
    let view: Float64Array | undefined;
    for (const batch of table.batches) {
      const data = batch.getChild(name)?.data[0];
      if (data === undefined) continue;
      if (data.nullCount > 0) {
        throw new DataError(`column ${name} has ${data.nullCount} null values`, { file: label });
      }
      const values = data.values as Float64Array | BigInt64Array;
      const part = values.subarray(data.offset, data.offset + data.length);
      if (isTime) int64ToFloat64(part as BigInt64Array, target as Float64Array, at);
      else if (target !== undefined) target.set(part as Float64Array, at);
      else view = part as Float64Array;
      at += data.length;
    }
    out[name] = target ?? view ?? new Float64Array(0);
  }
  return { length: n, ...(out as Omit<PartitionColumns, 'length'>) };
}

function iso(time: number): string {
  return new Date(time).toISOString().replace('.000Z', 'Z');
}

function checkTimes(
  columns: PartitionColumns,
  label: string,
  entry: CatalogPartition,
  range: { start: number; end: number },
): void {
  const time = columns.time;
  const n = columns.length;
  if (n === 0) return;
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const t = time[i] as number;
    if (!(t > previous)) {
      throw new DataError(
        `column time: row ${i} (${iso(t)}) is not after the row before it (${iso(previous)})`,
        { file: label },
      );
    }
    previous = t;
  }
  const first = time[0] as number;
  if (first < range.start || previous >= range.end) {
    throw new DataError(
      `column time: bars from ${iso(first)} to ${iso(previous)} do not all fall in the partition ${entry.key}`,
      { file: label },
    );
  }
  if (first !== entry.first || previous !== entry.last) {
    throw new DataError(
      `column time runs from ${iso(first)} to ${iso(previous)} but the manifest says ${iso(entry.first)} to ${iso(entry.last)}`,
      { file: label },
    );
  }
}
