import type { DataConfig, Interval } from '@strat/core';
import type { TradingCalendar } from '../calendar/trading-calendar';
import type { BarSource } from './bar-source';
import { CatalogBarSource } from './catalog/catalog-bar-source';
import { CsvBarSource } from './csv/csv-bar-source';
import { GeneratorBarSource } from './generator/generator-bar-source';
import { ParquetBarSource } from './parquet/parquet-bar-source';

/** Where a session's `data_config` is resolved from. */
export interface CreateBarSourceOptions {
  /** The session calendar (generator sessions, CSV default time zone and daily bar labels). */
  calendar: TradingCalendar;
  /** Folder relative CSV, Parquet and catalog paths are resolved against: the config file's folder. */
  baseDir?: string;
  /** The interval of generated bars, and of catalog bars by default: the session's base stream (default `1m`). */
  baseInterval?: Interval;
}

/**
 * Builds the bar source a session config's `data_config` names: the deterministic generator when
 * absent or `source: "generator"`, CSV files for `source: "csv"`, Parquet files for `source: "parquet"`,
 * an Arrow IPC catalog for `source: "catalog"` (its manifest is read here).
 */
export function createBarSource(config: DataConfig | undefined, options: CreateBarSourceOptions): BarSource {
  if (config === undefined || config.source === 'generator') {
    return new GeneratorBarSource({
      calendar: options.calendar,
      interval: options.baseInterval ?? '1m',
      seed: config?.seed,
      missing_bar_rate: config?.missing_bar_rate,
      start_price: config?.start_price,
      volatility: config?.volatility,
    });
  }
  if (config.source === 'parquet') {
    return new ParquetBarSource({
      files: config.files,
      calendar: options.calendar,
      onBadRow: config.on_bad_row,
      baseDir: options.baseDir,
    });
  }
  if (config.source === 'catalog') {
    return new CatalogBarSource({
      path: config.path,
      baseDir: options.baseDir,
      interval: config.interval,
      preferredInterval: options.baseInterval,
    });
  }
  return new CsvBarSource({
    files: config.files,
    calendar: options.calendar,
    onBadRow: config.on_bad_row,
    baseDir: options.baseDir,
  });
}
