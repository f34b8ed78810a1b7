import type { Interval } from '@strat/core';
import type { CsvDateFormat } from '../csv/csv-file-spec';

/** Which Parquet columns hold what (names, any case); every field is optional, see {@link ParquetFileSpec.columns}. */
export interface ParquetColumnMapping {
  timestamp?: string;
  date?: string;
  time?: string;
  open?: string;
  high?: string;
  low?: string;
  close?: string;
  volume?: string;
}

/** How a timestamp column without a TIMESTAMP type is written. */
export type ParquetTimestampFormat = 'iso' | 'epoch_s' | 'epoch_ms' | 'epoch_us' | 'epoch_ns';

/** One Parquet file of bars: an entry of the Parquet `data_config.files` list, plus where it is on disk. */
export interface ParquetFileSpec {
  /** The path as written in the config (relative to the config's folder); used in messages. */
  path: string;
  /** The resolved path to open; default: `path` resolved against the source's `baseDir`. */
  absolutePath?: string;
  /** The symbol its bars belong to. Several files may serve one symbol: list them in time order. */
  symbol: string;
  /** Bar interval (default `1m`); every file of a source must have the same one. */
  interval?: Interval;
  /**
   * Column mapping. Defaults (names, any case): `timestamp` or `datetime`; else `date` with an
   * optional `time`; and `open`, `high`, `low`, `close`, `volume`. Other columns are not read.
   */
  columns?: ParquetColumnMapping;
  /**
   * How a timestamp column without a TIMESTAMP type is written (default `iso`: text as in CSV files;
   * `epoch_*`: numbers, or text, of that unit since 1970). TIMESTAMP columns carry their unit.
   */
  timestamp_format?: ParquetTimestampFormat;
  /** Format of a text date column (default `YYYY-MM-DD`); DATE columns need none. */
  date_format?: CsvDateFormat;
  /** IANA time zone of local times: text without an offset and TIMESTAMP columns not adjusted to UTC (default: the calendar's). */
  timezone?: string;
  /** Whether a row's time is its bar's start (default) or end; end-labelled rows are moved back one interval. */
  time_label?: 'start' | 'end';
}
