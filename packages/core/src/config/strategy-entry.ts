import { z } from 'zod';
import {
  executorSchema,
  freeFormConfigSchema,
  modulePathSchema,
  notificationLimitSchema,
  timeBudgetSchema,
} from './config-fields';
import { executionOverrideSchema } from './execution-config';

/** One entry of `session_data_config.strategies`: which strategy module to run and its config. */
export const strategyEntrySchema = z.strictObject({
  module: modulePathSchema,
  enabled: z.boolean().default(true).meta({ description: 'Set to false to keep the entry but not run it.' }),
  name: z.string().min(1).optional().meta({
    description: 'Name in logs, metrics and the signal journal (default: derived from the module).',
  }),
  executor: executorSchema
    .optional()
    .meta({ description: 'worker (own thread) or inline; default: session_data_config.streaming.executor.' }),
  time_budget_ms: timeBudgetSchema.optional().meta({
    description: 'Per-notification time budget; default: session_data_config.streaming.time_budget_ms.',
  }),
  notification_limit_ms: notificationLimitSchema.optional().meta({
    description:
      'Limit on one notification before the strategy is terminated (timed_out); default: ' +
      'session_data_config.streaming.notification_limit_ms.',
  }),
  execution: executionOverrideSchema.optional().meta({
    description:
      "This strategy's paper execution: fields merged over the session's execution (commission field by " +
      "field, sizing whole). The strategy is paper-traded when this or the session's execution is present.",
  }),
  config: freeFormConfigSchema
    .default({})
    .meta({ description: "The strategy's own settings, passed as is." }),
});

/** A parsed strategy entry, defaults applied. */
export type StrategyEntry = z.output<typeof strategyEntrySchema>;
