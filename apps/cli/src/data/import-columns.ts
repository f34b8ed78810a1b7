import type { ParquetColumnMapping } from '@strat/data';
import { InvalidArgumentError } from 'commander';

const FIELDS = ['timestamp', 'date', 'time', 'open', 'high', 'low', 'close', 'volume'] as const;

/**
 * `--columns timestamp=ts,close=Close` -> `{ timestamp: 'ts', close: 'Close' }`: the `columns` of a
 * CSV or Parquet file entry (fields not named keep their default column names).
 */
export function parseColumnsOption(value: string): ParquetColumnMapping {
  const mapping: ParquetColumnMapping = {};
  for (const pair of value.split(',')) {
    const at = pair.indexOf('=');
    const field = pair.slice(0, at).trim() as (typeof FIELDS)[number];
    const column = pair.slice(at + 1).trim();
    if (at < 0 || column === '' || !FIELDS.includes(field)) {
      throw new InvalidArgumentError(
        `expected field=column pairs separated by commas, such as timestamp=ts,close=Close; the fields are ${FIELDS.join(', ')}.`,
      );
    }
    if (mapping[field] !== undefined) throw new InvalidArgumentError(`${field} is mapped twice.`);
    mapping[field] = column;
  }
  return mapping;
}
