import { MAX_RANGE_VALUES } from '@strat/runtime';
import { z } from 'zod';
import { createSessionBodySchema } from './schemas';

const valueSchema = z.union([z.number(), z.string().max(200), z.boolean()]);

/** One swept parameter: `STRATEGY.KEY=VALUES` as `strat sweep --param` reads it, or structured. */
export const sweepParamSchema = z
  .union([
    z.string().min(1).max(2000).meta({
      description:
        'STRATEGY.KEY=VALUES as strat sweep --param reads it: a list (10,20,40) or an inclusive range FROM:TO:STEP (5:30:5).',
    }),
    z
      .strictObject({
        strategy: z
          .string()
          .min(1)
          .max(200)
          .meta({ description: 'The strategy by the name the session gives it.' }),
        key: z.string().min(1).max(200).meta({ description: 'A key its config already has.' }),
        values: z.array(valueSchema).min(1).max(MAX_RANGE_VALUES).optional(),
        range: z
          .strictObject({ from: z.number(), to: z.number(), step: z.number().optional() })
          .optional()
          .meta({ description: 'Inclusive; step 1 when left out.' }),
      })
      .refine((p) => (p.values === undefined) !== (p.range === undefined), {
        error: 'expected exactly one of values or range',
      }),
  ])
  .meta({ id: 'SweepParam' });

const SPEC_FIELDS = {
  params: z.array(sweepParamSchema).min(1).max(16),
  random: z
    .int()
    .min(1)
    .optional()
    .meta({ description: 'Run this many random combinations of the grid (seeded).' }),
  seed: z.int().optional().meta({ description: 'Seed of random (default 1): same seed, same sample.' }),
  objective: z.string().max(50).optional().meta({
    description: 'The metric to rank by (default sharpe): any result metric, such as total_return.',
  }),
  minimize: z.boolean().optional().meta({ description: 'Rank lowest first (for max_drawdown, ...).' }),
  top: z
    .int()
    .min(1)
    .optional()
    .meta({ description: 'Rows GET /sweeps/:id shows by default (default: all).' }),
  workers: z
    .int()
    .min(1)
    .optional()
    .meta({ description: "Worker threads (default: the service's limit, a thread per core)." }),
  walk_forward: z.string().max(50).optional().meta({
    description: 'TRAIN:TEST in trading sessions (60d:20d): optimise per window, test the best after it.',
  }),
};

const CREATE_DESCRIPTION =
  'Exactly one of config (a session config object, validated like POST /sessions) or name (a file in ' +
  'session_configs/), and the sweep: params, and optionally random, seed, objective, minimize, top, workers, walk_forward.';

/** The body of `POST /sweeps` as the OpenAPI document shows it. */
export const createSweepBodySchema = createSessionBodySchema
  .extend(SPEC_FIELDS)
  .meta({ description: CREATE_DESCRIPTION });

/** The body of `POST /sweeps` as checked before the config itself (which parseSessionConfig checks with every JSON path). */
export const createSweepEnvelopeSchema = z
  .strictObject({
    config: z.record(z.string(), z.unknown()).optional(),
    name: z.string().min(1).max(105).optional(),
    ...SPEC_FIELDS,
  })
  .refine((body) => (body.config === undefined) !== (body.name === undefined), {
    error: `expected ${CREATE_DESCRIPTION}`,
  });

const STATES = ['created', 'running', 'stopping', 'completed', 'stopped', 'failed', 'interrupted'] as const;

/** Where a sweep is. `interrupted`: the service stopped (or died) while it ran. */
export const sweepStateSchema = z.enum(STATES).meta({ id: 'SweepState' });

/** `:id` of the sweep routes. */
export const sweepParamsSchema = z.object({ id: z.string().min(1).max(64) });

/** The answer of `POST /sweeps`. */
export const createdSweepSchema = z.object({ id: z.string(), state: sweepStateSchema, total: z.number() });

const combinationSchema = z.record(z.string(), valueSchema);

/** One finished combination. */
export const sweepRowSchema = z
  .object({
    rank: z
      .number()
      .meta({ description: 'From 1, best first by the objective (per walk-forward window and phase).' }),
    index: z.number().meta({ description: 'Its index in the full grid (first parameter varying slowest).' }),
    combination: combinationSchema,
    stats: z.record(z.string(), z.number().nullable()).nullable().meta({
      description:
        "The session's total paper results, every metric (an Infinity is null); null when it failed.",
    }),
    signals: z.number().nullable(),
    error: z.string().nullable(),
    ms: z.number().nullable().meta({ description: 'Wall time of the session.' }),
    window: z.number().nullable().meta({ description: 'The walk-forward window (from 0), else null.' }),
    phase: z.enum(['train', 'test']).nullable(),
  })
  .meta({ id: 'SweepRow' });

const specSchema = z.object({
  params: z.array(z.object({ strategy: z.string(), key: z.string(), values: z.array(valueSchema) })),
  objective: z.string(),
  minimize: z.boolean(),
  top: z.number().nullable(),
  workers: z.number(),
  random: z.number().nullable(),
  seed: z.number(),
  walkForward: z.object({ train: z.number(), test: z.number() }).nullable(),
});

/** A sweep in lists. */
export const sweepViewSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    state: sweepStateSchema,
    error: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    spec: specSchema,
    progress: z.object({
      done: z.number(),
      total: z.number(),
      failed: z.number(),
      etaSeconds: z
        .number()
        .nullable()
        .meta({ description: 'Seconds left at the pace so far; null before the first row and once ended.' }),
    }),
    best: sweepRowSchema.nullable().meta({ description: 'The best combination so far (plain sweeps).' }),
  })
  .meta({ id: 'Sweep' });

/** A sweep with its ranked rows. */
export const sweepDetailSchema = sweepViewSchema
  .extend({
    rows: z.array(sweepRowSchema),
    errors: z.array(
      z.object({
        index: z.number(),
        combination: combinationSchema,
        error: z.string(),
        window: z.number().nullable(),
        phase: z.enum(['train', 'test']).nullable(),
      }),
    ),
    windows: z.array(z.unknown()).nullable().meta({
      description: 'Walk-forward: per window its dates, the best training row and its test row, once ended.',
    }),
    config: z.unknown().meta({ description: 'The validated config, defaults applied, secrets redacted.' }),
  })
  .meta({ id: 'SweepDetail' });

/** Query of `GET /sweeps`. */
export const listSweepsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  state: sweepStateSchema.optional(),
});

/** Query of `GET /sweeps/:id`. */
export const sweepDetailQuerySchema = z.object({
  top: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .meta({ description: 'Only the best K rows (of each walk-forward window and phase).' }),
});

/** Answer of `GET /sweeps`. */
export const sweepListSchema = z.object({ sweeps: z.array(sweepViewSchema) });

/** Query of `GET /sweeps/:id/events`. */
export const sweepEventsQuerySchema = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: 'Resume after this row seq (the Last-Event-ID header wins); default 0: all.' }),
  access_token: z
    .string()
    .optional()
    .meta({
      description:
        "The API token, for clients that cannot send the Authorization header (a browser's EventSource); " +
        'accepted on the event streams only, and redacted from the logs.',
    }),
});
