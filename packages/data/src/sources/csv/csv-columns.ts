import { type ConfigIssue, DataError, type DataErrorLocation } from '@strat/core';
import { clipValue, listValues } from './clip-value';
import type { CsvColumnMapping, CsvColumnRef } from './csv-file-spec';

/** The 0-based column of each field in a CSV file; -1 where the file has none. */
export interface CsvColumnIndexes {
  timestamp: number;
  date: number;
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

const PRICE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;
const ALL_FIELDS = ['timestamp', 'date', 'time', ...PRICE_FIELDS] as const;

/**
 * Checks a column mapping on its own (before any file is opened): references are non-empty names or
 * non-negative integers, `timestamp` is not combined with `date`/`time`, `time` comes with `date`, and a
 * file without a header maps every field by index.
 * @param path JSON path of the file entry, e.g. `data_config.files[0]`.
 */
export function checkCsvColumnMapping(
  mapping: CsvColumnMapping,
  hasHeader: boolean,
  path: string,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const field of ALL_FIELDS) {
    const ref = mapping[field];
    if (ref === undefined) continue;
    const valid = typeof ref === 'number' ? Number.isInteger(ref) && ref >= 0 : ref.trim() !== '';
    if (!valid) {
      issues.push({
        path: `${path}.columns.${field}`,
        message: 'expected a header name or a 0-based column index',
      });
    } else if (!hasHeader && typeof ref !== 'number') {
      issues.push({
        path: `${path}.columns.${field}`,
        message: `the file has no header (has_header is false), so "${ref}" must be a 0-based column index`,
      });
    }
  }
  if (mapping.timestamp !== undefined && (mapping.date !== undefined || mapping.time !== undefined)) {
    issues.push({
      path: `${path}.columns.timestamp`,
      message: 'map either timestamp, or date (with time), not both',
    });
  }
  if (mapping.time !== undefined && mapping.date === undefined) {
    issues.push({
      path: `${path}.columns.time`,
      message: 'a time column needs a date column (columns.date)',
    });
  }
  if (!hasHeader) {
    const missing: string[] = PRICE_FIELDS.filter((field) => mapping[field] === undefined);
    if (mapping.timestamp === undefined && mapping.date === undefined) missing.unshift('timestamp or date');
    if (missing.length > 0) {
      issues.push({
        path: `${path}.columns`,
        message: `the file has no header (has_header is false), so columns must give the index of: ${missing.join(', ')}`,
      });
    }
  }
  return issues;
}

/**
 * Finds each field's column, by the mapping or by the default header names (`timestamp`/`datetime`, or
 * `date` with an optional `time`; `open`, `high`, `low`, `close`, `volume`; any case).
 * @param header the header row, or undefined for a file without one (the mapping then holds indices).
 * @throws DataError naming the columns the header has when a column cannot be found.
 */
export function resolveCsvColumns(
  mapping: CsvColumnMapping,
  header: readonly string[] | undefined,
  location: DataErrorLocation,
): CsvColumnIndexes {
  const names = header?.map((name) => name.trim().toLowerCase());
  const found = (): string => (header === undefined ? '' : `; the columns found are: ${listValues(header)}`);
  const byName = (name: string): number => names?.indexOf(name.trim().toLowerCase()) ?? -1;
  const resolve = (field: keyof CsvColumnMapping, ref: CsvColumnRef): number => {
    if (typeof ref === 'number') {
      if (header !== undefined && ref >= header.length) {
        throw new DataError(
          `columns.${field} is index ${ref}, but the header has only ${header.length} columns${found()}`,
          location,
        );
      }
      return ref;
    }
    const index = byName(ref);
    if (index < 0) {
      const hint =
        mapping[field] === undefined ? ` (map columns.${field} to the right header name or index)` : '';
      throw new DataError(`no column named "${clipValue(ref)}" for ${field}${hint}${found()}`, location);
    }
    return index;
  };

  let timestamp = -1;
  let date = -1;
  let time = -1;
  if (mapping.timestamp !== undefined) {
    timestamp = resolve('timestamp', mapping.timestamp);
  } else if (mapping.date !== undefined) {
    date = resolve('date', mapping.date);
    time = mapping.time !== undefined ? resolve('time', mapping.time) : byName('time');
  } else {
    timestamp = byName('timestamp');
    if (timestamp < 0) timestamp = byName('datetime');
    if (timestamp < 0) {
      date = byName('date');
      if (date < 0) {
        throw new DataError(
          `no time column: expected a "timestamp", "datetime" or "date" column, or map columns.timestamp or columns.date${found()}`,
          location,
        );
      }
      time = byName('time');
    }
  }
  return {
    timestamp,
    date,
    time,
    open: resolve('open', mapping.open ?? 'open'),
    high: resolve('high', mapping.high ?? 'high'),
    low: resolve('low', mapping.low ?? 'low'),
    close: resolve('close', mapping.close ?? 'close'),
    volume: resolve('volume', mapping.volume ?? 'volume'),
  };
}
