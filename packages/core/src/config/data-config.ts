import { z } from 'zod';
import { intervalSchema, symbolSchema, timeZoneSchema } from './config-fields';
import { describeValue } from './config-issues';

const columnRefSchema = z
  .union([z.string().min(1), z.int().min(0)], {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `expected a header name or a 0-based column index, got ${describeValue(issue.input)}`
        : undefined,
  })
  .meta({ description: 'A header name or a 0-based column index.' });

const CSV_COLUMN_KEYS = ['timestamp', 'date', 'time', 'open', 'high', 'low', 'close', 'volume'] as const;

/** One CSV file of `data_config.files`: where it is, which symbol and interval it holds, how to read it. */
export const csvFileConfigSchema = z
  .strictObject({
    path: z.string().min(1).meta({ description: "The file, relative to the config file's folder." }),
    symbol: symbolSchema,
    interval: intervalSchema.default('1m').meta({ description: 'The interval of the bars in the file.' }),
    has_header: z.boolean().default(true).meta({ description: 'Whether the first row names the columns.' }),
    delimiter: z
      .string()
      .min(1)
      .regex(/^[^"\r\n]+$/, { error: 'expected a delimiter without quotes or line breaks' })
      .default(',')
      .meta({ description: 'The field separator, "," by default ("\\t" for tab-separated files).' }),
    columns: z
      .strictObject({
        timestamp: columnRefSchema.optional(),
        date: columnRefSchema.optional(),
        time: columnRefSchema.optional(),
        open: columnRefSchema.optional(),
        high: columnRefSchema.optional(),
        low: columnRefSchema.optional(),
        close: columnRefSchema.optional(),
        volume: columnRefSchema.optional(),
      })
      .optional()
      .meta({
        description:
          'Where each value is: header names or 0-based indices. Default: the case-insensitive headers ' +
          'timestamp (or datetime) or date and time, then open, high, low, close, volume.',
      }),
    timestamp_format: z
      .enum(['iso', 'epoch_s', 'epoch_ms'])
      .default('iso')
      .meta({ description: 'How the timestamp column is written.' }),
    date_format: z
      .enum(['YYYY-MM-DD', 'YYYYMMDD', 'MM/DD/YYYY'])
      .default('YYYY-MM-DD')
      .meta({ description: 'How the date column is written (when date and time are separate columns).' }),
    timezone: timeZoneSchema
      .optional()
      .meta({ description: "Time zone of times written without an offset (default: the calendar's)." }),
    time_label: z
      .enum(['start', 'end'])
      .default('start')
      .meta({ description: "Whether a row's time is the start or the end of its bar." }),
  })
  .superRefine((file, ctx) => {
    if (file.has_header || file.columns === undefined) return;
    for (const key of CSV_COLUMN_KEYS) {
      const ref = file.columns[key];
      if (typeof ref === 'string') {
        ctx.addIssue({
          code: 'custom',
          input: ref,
          path: ['columns', key],
          message: `has_header is false, so columns are found by 0-based index, not by name (got ${JSON.stringify(ref)})`,
        });
      }
    }
  });

/** A parsed CSV file entry, defaults applied. */
export type CsvFileConfig = z.output<typeof csvFileConfigSchema>;

/** `data_config` with `source: "generator"`: deterministic synthetic bars (random walk) for demos and tests. */
export const generatorDataConfigSchema = z.strictObject({
  source: z.literal('generator'),
  seed: z.int().default(42).meta({ description: 'Random seed: the same seed gives the same bars.' }),
  missing_bar_rate: z
    .number()
    .min(0)
    .max(0.5)
    .default(0)
    .meta({ description: 'Share of bars left out on purpose, to exercise gap handling (0 to 0.5).' }),
  start_price: z.number().gt(0).default(100).meta({ description: 'First price of every symbol.' }),
  volatility: z
    .number()
    .gt(0)
    .default(0.3)
    .meta({ description: 'Annualised volatility of the random walk.' }),
});

/** A parsed generator data config, defaults applied. */
export type GeneratorDataConfig = z.output<typeof generatorDataConfigSchema>;

/** `data_config` with `source: "csv"`: bars read from CSV files. */
export const csvDataConfigSchema = z.strictObject({
  source: z.literal('csv'),
  on_bad_row: z.enum(['fail', 'skip']).default('fail').meta({
    description: 'fail stops at the first bad row (naming file and line); skip logs it and goes on.',
  }),
  files: z.array(csvFileConfigSchema).min(1),
});

/** A parsed CSV data config, defaults applied. */
export type CsvDataConfig = z.output<typeof csvDataConfigSchema>;

const parquetColumnSchema = z
  .string()
  .min(1)
  .meta({ description: 'A column name (matched case-insensitively).' });

/** One Parquet file of `data_config.files`: where it is, which symbol and interval it holds, how to read it. */
export const parquetFileConfigSchema = z.strictObject({
  path: z.string().min(1).meta({ description: "The file, relative to the config file's folder." }),
  symbol: symbolSchema,
  interval: intervalSchema.default('1m').meta({ description: 'The interval of the bars in the file.' }),
  columns: z
    .strictObject({
      timestamp: parquetColumnSchema.optional(),
      date: parquetColumnSchema.optional(),
      time: parquetColumnSchema.optional(),
      open: parquetColumnSchema.optional(),
      high: parquetColumnSchema.optional(),
      low: parquetColumnSchema.optional(),
      close: parquetColumnSchema.optional(),
      volume: parquetColumnSchema.optional(),
    })
    .optional()
    .meta({
      description:
        'Which column holds what. Default: the case-insensitive names timestamp (or datetime) or date ' +
        'and time, then open, high, low, close, volume.',
    }),
  timestamp_format: z
    .enum(['iso', 'epoch_s', 'epoch_ms', 'epoch_us', 'epoch_ns'])
    .default('iso')
    .meta({
      description:
        'How a timestamp column without a TIMESTAMP type is written: ISO text, or numbers (or text) ' +
        'of seconds, milliseconds, microseconds or nanoseconds since 1970. TIMESTAMP columns need nothing.',
    }),
  date_format: z
    .enum(['YYYY-MM-DD', 'YYYYMMDD', 'MM/DD/YYYY'])
    .default('YYYY-MM-DD')
    .meta({ description: 'How a text date column is written (when date and time are separate columns).' }),
  timezone: timeZoneSchema.optional().meta({
    description:
      "Time zone of local times: text without an offset, and TIMESTAMP columns not adjusted to UTC (default: the calendar's).",
  }),
  time_label: z
    .enum(['start', 'end'])
    .default('start')
    .meta({ description: "Whether a row's time is the start or the end of its bar." }),
});

/** A parsed Parquet file entry, defaults applied. */
export type ParquetFileConfig = z.output<typeof parquetFileConfigSchema>;

/** `data_config` with `source: "parquet"`: bars read from Parquet files, row group by row group. */
export const parquetDataConfigSchema = z.strictObject({
  source: z.literal('parquet'),
  on_bad_row: z.enum(['fail', 'skip']).default('fail').meta({
    description: 'fail stops at the first bad row (naming file and row); skip logs it and goes on.',
  }),
  files: z.array(parquetFileConfigSchema).min(1),
});

/** A parsed Parquet data config, defaults applied. */
export type ParquetDataConfig = z.output<typeof parquetDataConfigSchema>;

/** `data_config` with `source: "catalog"`: bars read from an Arrow IPC catalog made by `strat data import`. */
export const catalogDataConfigSchema = z.strictObject({
  source: z.literal('catalog'),
  path: z.string().min(1).meta({
    description: "The catalog folder (the one holding manifest.json), relative to the config file's folder.",
  }),
  interval: intervalSchema.optional().meta({
    description:
      "The interval of the catalog's bars to replay (default: the session's shortest stream, or the catalog's only interval).",
  }),
});

/** A parsed catalog data config. */
export type CatalogDataConfig = z.output<typeof catalogDataConfigSchema>;

/** `data_config`: where bars come from, the generator (the default), CSV files, Parquet files or an Arrow IPC catalog. */
export const dataConfigSchema = z.discriminatedUnion('source', [
  generatorDataConfigSchema,
  csvDataConfigSchema,
  parquetDataConfigSchema,
  catalogDataConfigSchema,
]);

/** A parsed `data_config`. */
export type DataConfig = z.output<typeof dataConfigSchema>;
