import { sessionConfigSchema } from '@strat/core';
import { z } from 'zod';

/** The JSON body of every error answer. */
export const errorSchema = z
  .object({
    error: z.string().meta({ description: 'What went wrong, written for a person.' }),
    code: z.string().meta({ description: 'A stable machine-readable code such as CONFIG_INVALID.' }),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Every problem found, each with its JSON path.' }),
  })
  .meta({ id: 'Error' });

/** Answers every route may give besides its own. */
export const commonErrors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 500: errorSchema };

const STATES = [
  'created',
  'starting',
  'running',
  'stopping',
  'completed',
  'stopped',
  'failed',
  'interrupted',
] as const;

/** Where a session is. `interrupted`: the service stopped (or died) while it ran. */
export const sessionStateSchema = z.enum(STATES).meta({ id: 'SessionState' });

/** `:id` of the session routes. */
export const sessionParamsSchema = z.object({ id: z.string().min(1).max(64) });

const CREATE_DESCRIPTION =
  'Exactly one of config (a session config object, validated like a file in session_configs/) or ' +
  'name (a file in session_configs/, with or without .json).';

/** The body of `POST /sessions` as the OpenAPI document shows it. */
export const createSessionBodySchema = z
  .strictObject({
    config: sessionConfigSchema.optional(),
    name: z.string().optional().meta({ description: 'A file in session_configs/, such as demo.' }),
  })
  .meta({ description: CREATE_DESCRIPTION });

/**
 * The body of `POST /sessions` as it is checked before the config itself: only the envelope, so
 * that `parseSessionConfig` reports every problem of the config with its JSON path.
 */
export const createSessionEnvelopeSchema = z
  .strictObject({
    config: z.record(z.string(), z.unknown()).optional(),
    name: z.string().min(1).max(105).optional(),
  })
  .refine((body) => (body.config === undefined) !== (body.name === undefined), {
    error: `expected ${CREATE_DESCRIPTION}`,
  });

/** The answer of `POST /sessions`. */
export const createdSessionSchema = z.object({ id: z.string(), state: sessionStateSchema });

const progressSchema = z
  .object({
    barsDone: z.number(),
    barsTotal: z.number(),
    time: z.number().meta({ description: 'Session time (epoch ms) of the newest bar delivered.' }),
    sessionDate: z.string(),
  })
  .nullable();

const strategyMetricsSchema = z.object({
  strategy: z.string(),
  executor: z.enum(['worker', 'inline']),
  state: z.string(),
  notifications_processed: z.number(),
  signals_generated: z.number(),
  errors: z.number(),
  queue_size: z.number().meta({ description: 'Notifications not handled yet: the backlog.' }),
  avg_processing_time_us: z.number(),
  max_processing_time_us: z.number(),
  p99_processing_time_us: z.number(),
  overruns: z.number(),
});

/** The runtime's aggregated strategy metrics. */
export const metricsSchema = z
  .object({
    total_notifications_processed: z.number(),
    total_signals_generated: z.number(),
    total_errors: z.number(),
    total_overruns: z.number(),
    total_queue_size: z.number(),
    active_strategies: z.number(),
    strategies: z.number(),
    subscriptions: z.number(),
    slowest_strategy: z.object({ strategy: z.string(), avg_processing_time_us: z.number() }).optional(),
    per_strategy: z.array(strategyMetricsSchema),
  })
  .meta({ id: 'Metrics' });

/** A session in lists. */
export const sessionViewSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    mode: z.string(),
    state: sessionStateSchema,
    error: z.string().nullable(),
    createdAt: z.string(),
    endedAt: z.string().nullable(),
    signals: z.number().meta({ description: 'Signals stored; also the newest signal sequence number.' }),
    symbols: z.array(z.string()),
    progress: progressSchema,
    metrics: metricsSchema.nullable(),
  })
  .meta({ id: 'Session' });

/** One session with its config and summary. */
export const sessionDetailSchema = sessionViewSchema
  .extend({
    config: z.unknown().meta({ description: 'The validated config, defaults applied, secrets redacted.' }),
    summary: z.unknown().meta({ description: 'The session summary once it ended, else null.' }),
  })
  .meta({ id: 'SessionDetail' });

/** Query of `GET /sessions`. */
export const listSessionsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  state: sessionStateSchema.optional(),
});

/** Answer of `GET /sessions`. */
export const sessionListSchema = z.object({ sessions: z.array(sessionViewSchema) });

/** A signal as the signal journal writes it (ISO times), with the times in epoch ms beside them. */
export const stampedSignalSchema = z
  .looseObject({
    seq: z.number().meta({ description: "The strategy's own sequence number." }),
    strategy: z.string(),
    time: z.string().meta({
      description: 'Close time of the bar that produced it, ISO 8601 UTC (as in the signal journal).',
    }),
    barTime: z.string().meta({ description: 'Start time (label) of that bar, ISO 8601 UTC.' }),
    interval: z.string(),
    symbol: z.string(),
    action: z.string(),
    quantity: z.number().optional(),
    price: z.number().optional(),
    reason: z.string(),
    metadata: z.record(z.string(), z.unknown()),
    timeMs: z.number().meta({ description: '`time` in epoch ms.' }),
    barTimeMs: z.number().meta({ description: '`barTime` in epoch ms.' }),
  })
  .meta({ id: 'Signal' });

/** A stored signal with its session-wide sequence number. */
export const storedSignalSchema = z
  .object({
    seq: z.number().meta({ description: 'Session-wide sequence number, from 1, in journal order.' }),
    signal: stampedSignalSchema,
  })
  .meta({ id: 'StoredSignal' });

/** Query of `GET /sessions/:id/signals`. */
export const signalsQuerySchema = z.object({
  after: z.coerce.number().int().min(0).default(0).meta({ description: 'Return signals after this seq.' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** Answer of `GET /sessions/:id/signals`. */
export const signalPageSchema = z.object({
  signals: z.array(storedSignalSchema),
  lastSeq: z.number().meta({ description: 'The newest signal stored for the session.' }),
  next: z
    .number()
    .meta({ description: 'The after of the next page: the last seq returned (or the given after).' }),
  hasMore: z.boolean().meta({ description: 'Whether signals after next are stored already.' }),
});

/** Query of `GET /sessions/:id/events`. */
export const eventsQuerySchema = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: 'Resume after this signal seq (the Last-Event-ID header wins); default 0: all.' }),
  access_token: z
    .string()
    .optional()
    .meta({
      description:
        "The API token, for clients that cannot send the Authorization header (a browser's EventSource); " +
        'accepted on the event streams only, and redacted from the logs.',
    }),
});

// Core keeps its symbol schema private; this is the same rule.
const SYMBOL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-:/]*$/;

/** Body of `POST /sessions/:id/symbols`. */
export const addSymbolBodySchema = z.strictObject({
  symbol: z
    .string()
    .max(32)
    .regex(SYMBOL_PATTERN, { error: 'expected a symbol of letters, digits and . _ - : / (at most 32)' }),
});

/** Answer of `POST /sessions/:id/symbols`. */
export const addedSymbolSchema = z.object({
  symbol: z.string(),
  added: z.boolean().meta({ description: 'false when the session trades the symbol already.' }),
  symbols: z.array(z.string()),
});

/** Answer of `GET /healthz`. */
export const healthSchema = z.object({ status: z.literal('ok') });
