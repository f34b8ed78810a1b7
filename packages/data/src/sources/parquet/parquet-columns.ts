import { DataError } from '@strat/core';
import type { FileMetaData, SchemaElement } from 'hyparquet';
import { clipValue } from '../csv/clip-value';
import { resolveCsvColumns } from '../csv/csv-columns';
import type { ParquetColumnMapping, ParquetTimestampFormat } from './parquet-file-spec';

/** How the values of a column become numbers. */
export type ParquetValueKind =
  /** Numbers (DOUBLE, FLOAT, INT32, INT64, DECIMAL). */
  | 'number'
  /** Text (BYTE_ARRAY strings). */
  | 'text'
  /** A TIMESTAMP (or INT96) column: epoch ms once read, an instant in UTC. */
  | 'instant'
  /** A TIMESTAMP column not adjusted to UTC: epoch ms of a wall-clock reading. */
  | 'wallTime'
  /** A DATE column: days since 1970-01-01. */
  | 'days';

/** One column a Parquet read needs: its name in the file and how to read its values. */
export interface ParquetColumn {
  readonly name: string;
  readonly kind: ParquetValueKind;
}

/** The columns of a Parquet file that hold each field of a bar; time is `timestamp`, or `date` with an optional `time`. */
export interface ParquetColumns {
  timestamp?: ParquetColumn;
  date?: ParquetColumn;
  time?: ParquetColumn;
  open: ParquetColumn;
  high: ParquetColumn;
  low: ParquetColumn;
  close: ParquetColumn;
  volume: ParquetColumn;
}

/**
 * Finds each field's column among the file's top-level columns (by the mapping, or by the CSV source's
 * default names) and checks that its type can hold it.
 * @throws DataError naming the file and the column when a column is missing or of the wrong type.
 */
export function resolveParquetColumns(
  metadata: FileMetaData,
  mapping: ParquetColumnMapping,
  timestampFormat: ParquetTimestampFormat,
  file: string,
): ParquetColumns {
  const elements = topLevelColumns(metadata);
  const names = elements.map((element) => element.name);
  const indexes = resolveCsvColumns(mapping, names, { file });
  const at = (field: string, index: number, allowed: readonly ParquetValueKind[]): ParquetColumn => {
    const element = elements[index] as SchemaElement;
    const kind = valueKind(element);
    if (kind === undefined || !allowed.includes(kind)) {
      throw new DataError(
        `column "${clipValue(element.name)}" (${field}) holds ${describeType(element)}, but ${field} needs ${ALLOWED_TEXT[field]}`,
        { file },
      );
    }
    return { name: element.name, kind };
  };
  const columns: ParquetColumns = {
    open: at('open', indexes.open, ['number']),
    high: at('high', indexes.high, ['number']),
    low: at('low', indexes.low, ['number']),
    close: at('close', indexes.close, ['number']),
    volume: at('volume', indexes.volume, ['number']),
  };
  if (indexes.timestamp >= 0) {
    const timestamp = at('timestamp', indexes.timestamp, ['instant', 'wallTime', 'text', 'number']);
    if (timestamp.kind === 'number' && timestampFormat === 'iso') {
      throw new DataError(
        `column "${clipValue(timestamp.name)}" (timestamp) holds ${describeType(elements[indexes.timestamp] as SchemaElement)} without a TIMESTAMP type: set timestamp_format to epoch_s, epoch_ms, epoch_us or epoch_ns`,
        { file },
      );
    }
    columns.timestamp = timestamp;
  } else {
    columns.date = at('date', indexes.date, ['days', 'text']);
    if (indexes.time >= 0) columns.time = at('time', indexes.time, ['text']);
  }
  return columns;
}

const ALLOWED_TEXT: Record<string, string> = {
  open: 'numbers (DOUBLE, FLOAT, INT32, INT64 or DECIMAL)',
  high: 'numbers (DOUBLE, FLOAT, INT32, INT64 or DECIMAL)',
  low: 'numbers (DOUBLE, FLOAT, INT32, INT64 or DECIMAL)',
  close: 'numbers (DOUBLE, FLOAT, INT32, INT64 or DECIMAL)',
  volume: 'numbers (DOUBLE, FLOAT, INT32, INT64 or DECIMAL)',
  timestamp: 'a TIMESTAMP, text, or numbers with timestamp_format epoch_*',
  date: 'a DATE or text',
  time: 'text (HH:MM or HH:MM:SS)',
};

function topLevelColumns(metadata: FileMetaData): SchemaElement[] {
  const schema = metadata.schema;
  const columns: SchemaElement[] = [];
  // schema[0] is the root; each top-level field is followed by its children, depth first.
  let i = 1;
  const skip = (): void => {
    const element = schema[i++] as SchemaElement;
    for (let c = 0; c < (element.num_children ?? 0); c++) skip();
  };
  while (i < schema.length) {
    columns.push(schema[i] as SchemaElement);
    skip();
  }
  return columns;
}

function valueKind(element: SchemaElement): ParquetValueKind | undefined {
  if ((element.num_children ?? 0) > 0 || element.repetition_type === 'REPEATED') return undefined;
  const logical = element.logical_type;
  const converted = element.converted_type;
  if (logical?.type === 'TIMESTAMP') return logical.isAdjustedToUTC ? 'instant' : 'wallTime';
  if (converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS' || element.type === 'INT96') {
    return 'instant';
  }
  if (logical?.type === 'DATE' || converted === 'DATE') return 'days';
  if (logical?.type === 'STRING' || converted === 'UTF8') return 'text';
  if (logical !== undefined && logical.type !== 'INTEGER' && logical.type !== 'DECIMAL') return undefined;
  if (converted !== undefined && !NUMERIC_CONVERTED.has(converted)) return undefined;
  switch (element.type) {
    case 'INT32':
    case 'INT64':
    case 'FLOAT':
    case 'DOUBLE':
      return 'number';
    case 'FIXED_LEN_BYTE_ARRAY':
    case 'BYTE_ARRAY':
      return converted === 'DECIMAL' || logical?.type === 'DECIMAL' ? 'number' : 'text';
    default:
      return undefined;
  }
}

const NUMERIC_CONVERTED = new Set<string>([
  'DECIMAL',
  'UINT_8',
  'UINT_16',
  'UINT_32',
  'UINT_64',
  'INT_8',
  'INT_16',
  'INT_32',
  'INT_64',
]);

/** The column's type as a message names it: `DOUBLE`, `BYTE_ARRAY (STRING)`, `INT64 (TIMESTAMP)`. */
export function describeType(element: SchemaElement): string {
  if ((element.num_children ?? 0) > 0) return 'a group of columns';
  const annotation = element.logical_type?.type ?? element.converted_type;
  return `${element.type ?? 'no values'}${annotation === undefined ? '' : ` (${annotation})`}`;
}
