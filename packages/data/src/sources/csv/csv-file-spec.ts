import type { Interval } from '@strat/core';

/** A CSV column: its header name (matched case-insensitively) or its 0-based index. */
export type CsvColumnRef = string | number;

/** Which CSV columns hold what; every field is optional, see {@link CsvFileSpec.columns}. */
export interface CsvColumnMapping {
  timestamp?: CsvColumnRef;
  date?: CsvColumnRef;
  time?: CsvColumnRef;
  open?: CsvColumnRef;
  high?: CsvColumnRef;
  low?: CsvColumnRef;
  close?: CsvColumnRef;
  volume?: CsvColumnRef;
}

/** How a date column is written. */
export type CsvDateFormat = 'YYYY-MM-DD' | 'YYYYMMDD' | 'MM/DD/YYYY';

/** How a timestamp column is written. */
export type CsvTimestampFormat = 'iso' | 'epoch_s' | 'epoch_ms';

/** One CSV file of bars: an entry of the CSV `data_config.files` list, plus where it is on disk. */
export interface CsvFileSpec {
  /** The path as written in the config (relative to the config's folder); used in messages. */
  path: string;
  /** The resolved path to open; default: `path` resolved against the source's `baseDir`. */
  absolutePath?: string;
  /** The symbol its bars belong to. Several files may serve one symbol: list them in time order. */
  symbol: string;
  /** Bar interval (default `1m`); every file of a source must have the same one. */
  interval?: Interval;
  /** Whether the first row is a header (default true). Without one, columns must be indices. */
  has_header?: boolean;
  /** Field delimiter (default `,`). */
  delimiter?: string;
  /**
   * Column mapping. Defaults (header names, any case): `timestamp` or `datetime`; else `date` with an
   * optional `time`; and `open`, `high`, `low`, `close`, `volume`. Other columns are ignored.
   */
  columns?: CsvColumnMapping;
  /** Format of a timestamp column (default `iso`; ISO without an offset is local time in `timezone`). */
  timestamp_format?: CsvTimestampFormat;
  /** Format of a date column (default `YYYY-MM-DD`). */
  date_format?: CsvDateFormat;
  /** IANA time zone of local times in the file (default: the calendar's). */
  timezone?: string;
  /** Whether a row's time is its bar's start (default) or end; end-labelled rows are moved back one interval. */
  time_label?: 'start' | 'end';
}
