import type { AsyncBuffer, ColumnData, FileMetaData, ParquetParsers } from 'hyparquet';
import type { ParquetColumn, ParquetColumns } from './parquet-columns';

function floorDiv(value: bigint, by: bigint): bigint {
  const quotient = value / by;
  return value % by < 0n ? quotient - 1n : quotient;
}

/** hyparquet's conversions of time columns: epoch ms (TIMESTAMP, INT96) and days (DATE) as plain numbers, no Date objects. */
export const TIME_PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (millis: bigint) => Number(millis),
  timestampFromMicroseconds: (micros: bigint) => Number(floorDiv(micros, 1_000n)),
  timestampFromNanoseconds: (nanos: bigint) => Number(floorDiv(nanos, 1_000_000n)),
  dateFromDays: (days: number) => days,
};

const PRICE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

/** One row group's columns: prices as doubles, time columns as read, and what is wrong with each bad row. */
export interface RowGroupColumns {
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly timestamp: ArrayLike<unknown> | undefined;
  readonly date: ArrayLike<unknown> | undefined;
  readonly time: ArrayLike<unknown> | undefined;
  /** The first problem of row `i`'s prices (empty, not finite), or undefined. */
  problem(i: number): string | undefined;
}

/**
 * Reads the columns a bar needs from one row group (rows [start, start + rows) of the file).
 * @throws whatever hyparquet throws for a damaged file.
 */
export async function readRowGroup(
  buffer: AsyncBuffer,
  metadata: FileMetaData,
  columns: ParquetColumns,
  start: number,
  rows: number,
): Promise<RowGroupColumns> {
  const wanted: ParquetColumn[] = [];
  for (const field of [...PRICE_FIELDS, 'timestamp', 'date', 'time'] as const) {
    const column = columns[field];
    if (column !== undefined && !wanted.some((w) => w.name === column.name)) wanted.push(column);
  }
  const pieces = new Map<string, ColumnData[]>();
  const { parquetRead } = await import('hyparquet');
  await parquetRead({
    file: buffer,
    metadata,
    rowStart: start,
    rowEnd: start + rows,
    columns: wanted.map((column) => column.name),
    parsers: TIME_PARSERS,
    onChunk: (chunk) => {
      const list = pieces.get(chunk.columnName);
      if (list === undefined) pieces.set(chunk.columnName, [chunk]);
      else list.push(chunk);
    },
  });
  const gather = (column: ParquetColumn | undefined): ArrayLike<unknown> | undefined => {
    if (column === undefined) return undefined;
    const list = pieces.get(column.name) ?? [];
    const only = list[0];
    if (
      list.length === 1 &&
      only !== undefined &&
      only.rowStart === start &&
      only.columnData.length === rows
    ) {
      return only.columnData as ArrayLike<unknown>;
    }
    const values = new Array<unknown>(rows);
    for (const piece of list) {
      const data = piece.columnData as ArrayLike<unknown>;
      for (let k = 0; k < data.length; k++) {
        const i = piece.rowStart - start + k;
        if (i >= 0 && i < rows) values[i] = data[k];
      }
    }
    return values;
  };
  const problems = new Map<number, string>();
  const prices = (field: (typeof PRICE_FIELDS)[number]): Float64Array => {
    const values = gather(columns[field]) as ArrayLike<unknown>;
    if (values instanceof Float64Array) {
      for (let i = 0; i < rows; i++) {
        const value = values[i] as number;
        if (!Number.isFinite(value) && !problems.has(i))
          problems.set(i, `${field} ${value} is not a finite number`);
      }
      return values;
    }
    const doubles = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const value = values[i];
      const number = typeof value === 'bigint' ? Number(value) : (value as number | null | undefined);
      if (number === null || number === undefined) {
        if (!problems.has(i)) problems.set(i, `${field} is empty`);
        doubles[i] = Number.NaN;
      } else {
        if (!Number.isFinite(number) && !problems.has(i))
          problems.set(i, `${field} ${number} is not a finite number`);
        doubles[i] = number;
      }
    }
    return doubles;
  };
  return {
    open: prices('open'),
    high: prices('high'),
    low: prices('low'),
    close: prices('close'),
    volume: prices('volume'),
    timestamp: gather(columns.timestamp),
    date: gather(columns.date),
    time: gather(columns.time),
    problem: (i) => problems.get(i),
  };
}
