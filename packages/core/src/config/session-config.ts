import { z } from 'zod';
import { isCalendarDate, isoDateSchema } from './config-fields';
import { dataConfigSchema } from './data-config';
import { executionConfigSchema } from './execution-config';
import { liveConfigSchema } from './live-config';
import { sessionDataConfigSchema } from './session-data-config';

const backtestConfigSchema = z
  .strictObject({
    start_date: isoDateSchema.meta({ description: 'First trading day replayed, YYYY-MM-DD.' }),
    end_date: isoDateSchema.meta({ description: 'Last trading day replayed (inclusive), YYYY-MM-DD.' }),
    speed_multiplier: z.number().min(0).default(0).meta({
      description: '0 = data-driven (as fast as strategies allow); n > 0 = n times wall-clock speed.',
    }),
  })
  .superRefine(
    (backtest, ctx) => {
      const { start_date: start, end_date: end } = backtest;
      if (isCalendarDate(start) && isCalendarDate(end) && end < start) {
        ctx.addIssue({
          code: 'custom',
          input: end,
          path: ['end_date'],
          message: `end_date ${end} is before start_date ${start}`,
        });
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );

/** A whole session config: the mode, the replayed dates, the symbols and streams, what runs, where bars come from. */
export const sessionConfigSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'The JSON Schema of this file, for editors.' }),
    mode: z
      .enum(['backtest', 'live'])
      .meta({ description: 'backtest replays history; live follows a real-time feed.' }),
    backtest_config: backtestConfigSchema
      .optional()
      .meta({ description: 'The replayed dates and speed; required when mode is backtest.' }),
    session_data_config: sessionDataConfigSchema,
    data_config: dataConfigSchema
      .prefault({ source: 'generator' })
      .meta({ description: 'Where bars come from: the generator (default) or CSV files.' }),
    live_config: liveConfigSchema.optional().meta({
      description:
        'The real-time feed of a live session (URL, credentials, clock, resilience). Optional: the feed URL, ' +
        'key and secret may come from STRAT_FEED_URL, STRAT_FEED_KEY and STRAT_FEED_SECRET instead.',
    }),
    execution: executionConfigSchema.optional().meta({
      description:
        'Paper execution: each strategy trades its signals in its own paper account (fills, commissions, ' +
        'slippage, sizing). Optional: without it (and without strategies[].execution) nothing is traded.',
    }),
  })
  .superRefine(
    (config, ctx) => {
      if (config.mode === 'live' && config.session_data_config?.historical?.enabled === true) {
        ctx.addIssue({
          code: 'custom',
          input: true,
          path: ['session_data_config', 'historical', 'enabled'],
          message:
            'a live feed has no history to load before the start: historical is for backtests (set enabled to false)',
        });
      }
      if (config.mode === 'backtest' && config.backtest_config === undefined) {
        ctx.addIssue({
          code: 'custom',
          input: undefined,
          path: ['backtest_config'],
          message:
            'missing required field: mode is "backtest", so backtest_config (start_date, end_date) is needed',
        });
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  )
  .meta({
    title: '@strat session config',
    description:
      'A trading session: mode, dates, symbols, streams, strategies, scanners, data source and live feed.',
  });

/** A parsed session config with every default applied: what the runtime consumes. */
export type SessionConfig = z.output<typeof sessionConfigSchema>;

/** A session config as written in a file (defaults not yet applied). */
export type SessionConfigInput = z.input<typeof sessionConfigSchema>;
