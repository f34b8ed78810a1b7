import { z } from 'zod';
import { isStrategyClass, type StrategyClass } from '../strategy/base-strategy';
import {
  executorSchema,
  freeFormConfigSchema,
  modulePathSchema,
  notificationLimitSchema,
  timeBudgetSchema,
} from './config-fields';
import { executionOverrideSchema } from './execution-config';

/** A strategy class, named in a config built in code (never in a JSON file). */
const strategyClassSchema = z
  .custom<StrategyClass>(isStrategyClass, {
    error: (issue) =>
      typeof issue.input === 'string'
        ? `expected a strategy class (a module path goes in "module"), got ${JSON.stringify(issue.input)}`
        : 'expected a class extending BaseStrategy',
  })
  .meta({
    description:
      'The strategy class itself, instead of "module" (only in a config built in code: Session.fromConfig).',
  });

// Checked even when other fields are invalid, so a missing module is reported with them.
const ENTRY_OBJECTS = {
  when: (payload: z.core.ParsePayload): boolean =>
    typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
};

/**
 * One entry of `session_data_config.strategies`: which strategy to run (a module path, or in a
 * config built in code the class itself) and its config.
 */
export const strategyEntrySchema = z
  .strictObject({
    module: modulePathSchema.optional(),
    enabled: z
      .boolean()
      .default(true)
      .meta({ description: 'Set to false to keep the entry but not run it.' }),
    name: z.string().min(1).optional().meta({
      description: 'Name in logs, metrics and the signal journal (default: derived from the module).',
    }),
    executor: executorSchema.optional().meta({
      description: 'worker (own thread) or inline; default: session_data_config.streaming.executor.',
    }),
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
    config: freeFormConfigSchema.default({}).meta({
      description: "The strategy's own settings, validated by its class's configSchema when it declares one.",
    }),
    export: z
      .string()
      .regex(/^[A-Za-z_$][\w$]*$/, { error: 'expected the name of an export (a JavaScript identifier)' })
      .optional()
      .meta({
        description:
          'The export of the module to run, when the class is not named after the module (a module exporting ' +
          'several strategy classes). Default: the export named after the module (simple_ma_cross -> ' +
          'SimpleMaCrossStrategy), else the only strategy class the module exports.',
      }),
    strategy: strategyClassSchema.optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.module !== undefined && entry.strategy !== undefined) {
      ctx.addIssue({
        code: 'custom',
        input: entry.module,
        path: ['module'],
        message: 'give either "module" or "strategy" (a class), not both',
      });
    } else if (entry.export !== undefined && entry.strategy !== undefined) {
      ctx.addIssue({
        code: 'custom',
        input: entry.export,
        path: ['export'],
        message: '"export" names a class of "module"; a "strategy" entry is the class itself',
      });
    } else if (entry.module === undefined && entry.strategy === undefined) {
      ctx.addIssue({
        code: 'custom',
        input: undefined,
        path: ['module'],
        message: 'missing required field (expected a string)',
      });
    }
  }, ENTRY_OBJECTS);

/** A parsed strategy entry, defaults applied. */
export type StrategyEntry = z.output<typeof strategyEntrySchema>;

/** A strategy entry as written, before defaults (in a JSON file, or in a config built in code). */
export type StrategyEntryInput = z.input<typeof strategyEntrySchema>;

/**
 * The config a strategy class accepts: what its `configSchema` takes (fields with defaults
 * optional), else the config type `C` of its `BaseStrategy<C>`.
 */
export type StrategyConfigOf<S extends StrategyClass> = NonNullable<ConstructorParameters<S>[1]>;

/** The fields of a class entry besides the class and its config (`name`, `executor`, `execution`, ...). */
export type StrategyEntryOptions = Omit<StrategyEntryInput, 'module' | 'export' | 'strategy' | 'config'>;

/**
 * A strategy entry for a config built in code, its `config` typed by the class (so `tsc` finds a
 * misspelt or missing field before the run does). The session still validates it against the
 * class's `configSchema` when it starts.
 * @example
 * ```ts
 * strategies: [
 *   strategyEntry(SmaCross, { fast_period: 10, slow_period: 30 }),
 *   strategyEntry(Breakout, { symbols: ['AAPL'] }, { executor: 'inline' }),
 * ]
 * ```
 */
export function strategyEntry<S extends StrategyClass>(
  strategy: S,
  config: StrategyConfigOf<S>,
  options: StrategyEntryOptions = {},
): StrategyEntryInput {
  return { ...options, strategy, config: config as Record<string, unknown> };
}
