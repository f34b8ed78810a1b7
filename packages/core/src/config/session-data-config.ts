import { z } from 'zod';
import { DEFAULT_SERIES_WINDOW } from '../bars/series-buffers';
import { isInterval, parseInterval } from '../time/interval';
import { calendarConfigSchema } from './calendar-config';
import {
  DEFAULT_NOTIFICATION_LIMIT_MS,
  evenWithInvalidItems,
  executorSchema,
  freeFormConfigSchema,
  intervalSchema,
  notificationLimitSchema,
  reportDuplicates,
  symbolSchema,
  timeBudgetSchema,
} from './config-fields';
import { scannerEntrySchema } from './scanner-entry';
import { strategyEntrySchema } from './strategy-entry';
import { LONGEST_STREAM_MS, streamTooLongMessage } from './stream-limit';

const streamingConfigSchema = z.strictObject({
  window: z
    .int()
    .min(16)
    .max(1_000_000)
    .default(DEFAULT_SERIES_WINDOW)
    .meta({ description: 'How many recent bars a strategy sees per series.' }),
  executor: executorSchema
    .default('worker')
    .meta({ description: 'Default executor: worker (one thread per strategy) or inline.' }),
  time_budget_ms: timeBudgetSchema
    .default(100)
    .meta({ description: 'Default time budget per notification in clock-driven and live runs.' }),
  notification_limit_ms: notificationLimitSchema.default(DEFAULT_NOTIFICATION_LIMIT_MS).meta({
    description:
      'Default limit on one notification (one call of onBars or another hook) while the session waits for the ' +
      'strategy without a time budget: every wait of a data-driven backtest, and onSymbolAdded in every mode. ' +
      'A strategy still in the same notification past it is terminated and marked timed_out (its teardown does ' +
      'not run); the session goes on with the others. An inline strategy stuck in a synchronous loop cannot be ' +
      'interrupted (it blocks the session thread); one awaiting a promise that never settles can.',
  }),
});

const historicalConfigSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .meta({
        description:
          'Load history before the first streamed bar of every symbol (backtests only): warmup_bars base bars from the ' +
          'sessions before the start, and for a symbol added mid-session from the sessions before the current one. ' +
          'Strategies can read these bars from their first notification on; they are never notified of them.',
      }),
    warmup_bars: z.int().min(0).default(0).meta({
      description: 'How many base bars of history to load per symbol when enabled (at least 1 then).',
    }),
  })
  .superRefine((historical, ctx) => {
    if (historical.enabled && historical.warmup_bars === 0) {
      ctx.addIssue({
        code: 'custom',
        input: historical.warmup_bars,
        path: ['warmup_bars'],
        message:
          'historical.enabled is true but warmup_bars is 0, which loads nothing: set warmup_bars to the base bars of history to load',
      });
    } else if (!historical.enabled && historical.warmup_bars > 0) {
      ctx.addIssue({
        code: 'custom',
        input: historical.enabled,
        path: ['enabled'],
        message: `warmup_bars is ${historical.warmup_bars} but historical.enabled is false, so no history would load: set enabled to true`,
      });
    }
  });

const gapFillerConfigSchema = z.strictObject({
  enabled: z
    .boolean()
    .default(false)
    .meta({ description: 'Fill missing bars by carrying the last close forward (volume 0).' }),
  max_gap_bars: z.int().min(1).default(60).meta({ description: 'Longest gap, in bars, that is filled.' }),
});

const indicatorSchema = z.union([
  z.string().min(1),
  z.strictObject({ name: z.string().min(1), params: freeFormConfigSchema.optional() }),
]);

function intervalMsOrUndefined(text: unknown): number | undefined {
  if (!isInterval(text)) return undefined;
  try {
    return parseInterval(text).ms;
  } catch {
    return undefined;
  }
}

function reportStreamsNotMultipleOfBase(streams: unknown, ctx: z.core.$RefinementCtx): void {
  if (!Array.isArray(streams)) return;
  let base: { text: string; ms: number } | undefined;
  for (const text of streams) {
    const ms = intervalMsOrUndefined(text);
    if (ms !== undefined && (base === undefined || ms < base.ms)) base = { text, ms };
  }
  if (base === undefined) return;
  streams.forEach((text, index) => {
    const ms = intervalMsOrUndefined(text);
    if (ms !== undefined && base !== undefined && ms % base.ms !== 0) {
      ctx.addIssue({
        code: 'custom',
        input: text,
        path: [index],
        message: `"${text}" is not a whole multiple of the base stream "${base.text}" (the shortest stream)`,
      });
    }
  });
}

/** Streams longer than a day are refused (see {@link LONGEST_STREAM_MS}). */
function reportStreamsLongerThanADay(streams: unknown, ctx: z.core.$RefinementCtx): void {
  if (!Array.isArray(streams)) return;
  streams.forEach((text, index) => {
    const ms = intervalMsOrUndefined(text);
    if (ms !== undefined && ms > LONGEST_STREAM_MS) {
      ctx.addIssue({
        code: 'custom',
        input: text,
        path: [index],
        message: streamTooLongMessage(`"${text}"`, '"1d"'),
      });
    }
  });
}

const asString = (item: unknown) => (typeof item === 'string' ? item : undefined);

/** `session_data_config`: symbols, streams and everything that runs on them. */
export const sessionDataConfigSchema = z.strictObject({
  symbols: z
    .array(symbolSchema)
    .min(1)
    .superRefine(reportDuplicates('symbol', asString), evenWithInvalidItems)
    .meta({ description: 'The symbols the session streams (more may be added mid-session by scanners).' }),
  streams: z
    .array(intervalSchema)
    .min(1)
    .superRefine(reportDuplicates('stream', asString), evenWithInvalidItems)
    .superRefine(reportStreamsNotMultipleOfBase, evenWithInvalidItems)
    .superRefine(reportStreamsLongerThanADay, evenWithInvalidItems)
    .default(['1m'])
    .meta({
      description:
        'Bar intervals kept per symbol. The shortest is the base stream; each longer one is built from it ' +
        'and must be a whole multiple of it. Bars are built within one trading session: at most 1d.',
    }),
  streaming: streamingConfigSchema.prefault({}),
  historical: historicalConfigSchema.prefault({}),
  gap_filler: gapFillerConfigSchema.prefault({}),
  indicators: z
    .array(indicatorSchema)
    .default([])
    .meta({ description: 'Indicators the strategies use (informational).' }),
  calendar: calendarConfigSchema.prefault({}),
  scanners: z
    .array(scannerEntrySchema)
    .superRefine(reportDuplicates('scanner name', nameOfEntry), evenWithInvalidItems)
    .default([])
    .meta({ description: 'Scanners that add symbols mid-session.' }),
  strategies: z
    .array(strategyEntrySchema)
    .superRefine(reportDuplicates('strategy name', nameOfEntry), evenWithInvalidItems)
    .default([])
    .meta({ description: 'The strategies to run.' }),
});

function nameOfEntry(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const name = (entry as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/** A parsed `session_data_config`, defaults applied. */
export type SessionDataConfig = z.output<typeof sessionDataConfigSchema>;
