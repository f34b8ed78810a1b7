import { MAX_CHART_BARS } from '@strat/runtime';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, errorSchema, sessionParamsSchema } from './schemas';
import type { ServiceContext } from './service-context';

/** The most bars one answer may carry. */
export const MAX_BARS_POINTS = 50_000;

/** Epoch seconds (digits) or an ISO 8601 date or time, as epoch ms. */
const timeParam = z
  .string()
  .transform((text, ctx) => {
    const ms = /^\d{1,12}$/.test(text) ? Number(text) * 1000 : Date.parse(text);
    if (Number.isFinite(ms)) return ms;
    ctx.addIssue({ code: 'custom', message: 'expected epoch seconds or an ISO 8601 date or time' });
    return z.NEVER;
  })
  .optional();

const barsQuerySchema = z.object({
  symbol: z.string().min(1).max(32).meta({ description: 'A symbol the session streams.' }),
  interval: z.string().min(1).max(8).meta({ description: "One of the session's streams (1m, 5m, 1d, ...)." }),
  from: timeParam.meta({
    description:
      'Bars starting at or after this time: epoch seconds, or an ISO 8601 date or time (UTC unless it says).',
  }),
  to: timeParam.meta({ description: 'Bars starting at or before this time (same forms as from).' }),
  max_points: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_BARS_POINTS)
    .default(MAX_CHART_BARS)
    .meta({
      description:
        `At most this many bars (default ${MAX_CHART_BARS}): more are aggregated into the first coarser bucket ` +
        '(1m, 5m, 15m, 30m, 1h, 2h, 4h, 1d, 1w, then multiples of weeks; UTC, weeks from Monday) that fits: ' +
        "first open, highest high, lowest low, last close, summed volume. The HTML report's charts do the same.",
    }),
});

const barSchema = z.object({
  time: z
    .number()
    .int()
    .meta({ description: "The bar's start, epoch seconds (UTC): lightweight-charts' UTCTimestamp." }),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
});

const barsSchema = z
  .object({
    symbol: z.string(),
    interval: z
      .string()
      .meta({ description: 'The stream asked for (the bars may be aggregated: see bucket).' }),
    source: z.enum(['store', 'source']).meta({
      description:
        "store: a running live session's store, its last streaming.window bars; source: a backtest's source read " +
        "again through the session's data path (the bars its strategies saw), up to the session's clock while it runs.",
    }),
    complete: z.boolean().meta({ description: 'False while the session runs: more bars will come.' }),
    count: z.number().int().meta({ description: 'Bars in the range before aggregation.' }),
    bucket: z.string().nullable().meta({
      description: 'The interval the bars were aggregated to (15m, 1d, 2w, ...), or null: as published.',
    }),
    bars: z.array(barSchema).meta({ description: 'Oldest first.' }),
  })
  .meta({ id: 'SessionBars' });

const DESCRIPTION = [
  "A backtest's bars are read again from its source through the session's own data path (calendar, aggregation,",
  'gap filling, warm-up): the bars its strategies saw, while it runs (those closed by its clock: a chart grows with',
  'the session) and after it ended. A running live session answers from its store: the last streaming.window bars',
  'of the series; a client that polls with from= keeps the earlier ones. An ended live session has none (404).',
  '400 names the symbols and streams the session has when symbol or interval is not one of them.',
].join(' ');

/** `GET /sessions/:id/bars`: a series' bars for charts, downsampled on request. */
export function registerBarsRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/sessions/:id/bars',
    {
      schema: {
        tags: ['sessions'],
        summary: "A series' bars (OHLCV) for charts, aggregated to at most max_points",
        description: DESCRIPTION,
        params: sessionParamsSchema,
        querystring: barsQuerySchema,
        response: { 200: barsSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { symbol, interval, from, to, max_points } = request.query;
      return ctx.bars.get(request.params.id, { symbol, interval, from, to, maxPoints: max_points });
    },
  );
}
