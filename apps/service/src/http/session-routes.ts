import type { FastifyInstance } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { SessionLimits } from '../sessions/session-limits';
import { unknownSession } from '../sessions/session-registry';
import { prepareSessionRequest } from '../sessions/session-request';
import { clientSignal } from './client-times';
import {
  addedSymbolSchema,
  addSymbolBodySchema,
  commonErrors,
  createdSessionSchema,
  createSessionBodySchema,
  createSessionEnvelopeSchema,
  errorSchema,
  listSessionsQuerySchema,
  sessionDetailSchema,
  sessionListSchema,
  sessionParamsSchema,
  signalPageSchema,
  signalsQuerySchema,
} from './schemas';
import type { ServiceContext } from './service-context';

const TAGS = ['sessions'];

/** What the OpenAPI document says about where sessions run and how large they may be. */
function createDescription(limits: SessionLimits): string {
  const n = (value: number) => value.toLocaleString('en-US');
  return (
    'Each session runs in a process of its own and its strategies in worker threads there ' +
    '(a config asking for the inline executor gets worker threads too). A config that is valid but asks ' +
    'for more than this service allows is answered 422, naming every limit passed with its JSON path and ' +
    `setting. Limits here: ${n(limits.maxSymbols)} symbols with the scanners' universes (--max-symbols), ` +
    `${n(limits.maxStreams)} streams (--max-streams), a streaming.window of ${n(limits.maxWindow)} (--max-window), ` +
    `${n(limits.maxBarsHeld)} bars held = symbols x streams x window (--max-bars-held), ` +
    `${n(limits.maxBacktestDays)} calendar days of backtest (--max-backtest-days), ` +
    `${n(limits.maxStrategies)} enabled strategies (--max-strategies). A live config whose feed_url is not ` +
    "the service's own feed (STRAT_FEED_URL) must carry live_config.key and secret: the service sends its " +
    'credentials to its own feed only.'
  );
}

/** `POST /sessions`, `GET /sessions`, `GET /sessions/:id`, stop, symbols and the signal history. */
export function registerSessionRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.post(
    '/sessions',
    {
      schema: {
        tags: TAGS,
        summary: 'Start a session from a config object or a file in session_configs/',
        description: createDescription(ctx.sessions.limits),
        body: createSessionBodySchema,
        response: {
          201: createdSessionSchema,
          404: errorSchema,
          413: errorSchema,
          422: errorSchema,
          429: errorSchema,
          ...commonErrors,
        },
      },
      // The document shows the whole session config; the envelope is checked here and the config by
      // parseSessionConfig in the handler, which names every problem with its JSON path.
      validatorCompiler: (route) =>
        validatorCompiler({
          ...route,
          schema:
            route.httpPart === 'body' ? createSessionEnvelopeSchema : (route.schema as unknown as z.ZodType),
        }),
    },
    async (request, reply) => {
      const body = request.body as { config?: unknown; name?: string };
      const resolved = await prepareSessionRequest(body, {
        projectRoot: ctx.projectRoot,
        trustedFeedUrls: ctx.trustedFeedUrls,
        feedEnv: ctx.feedEnv,
        limits: ctx.sessions.limits,
      });
      const id = await ctx.sessions.start(resolved);
      return reply.code(201).header('location', `/sessions/${id}`).send({ id, state: 'created' });
    },
  );

  typed.get(
    '/sessions',
    {
      schema: {
        tags: TAGS,
        summary: 'List sessions, newest first',
        querystring: listSessionsQuerySchema,
        response: { 200: sessionListSchema, ...commonErrors },
      },
    },
    async (request) => ({ sessions: ctx.sessions.list(request.query) }),
  );

  typed.get(
    '/sessions/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'A session: state, progress, metrics, config and (once ended) its summary',
        params: sessionParamsSchema,
        response: { 200: sessionDetailSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => {
      const view = ctx.sessions.view(request.params.id);
      if (view === undefined) throw unknownSession(request.params.id);
      return view;
    },
  );

  typed.post(
    '/sessions/:id/stop',
    {
      schema: {
        tags: TAGS,
        summary: 'Stop a running session (strategies tear down) and answer once it has ended',
        params: sessionParamsSchema,
        response: { 200: sessionDetailSchema, 404: errorSchema, 409: errorSchema, ...commonErrors },
      },
    },
    async (request) => {
      await ctx.sessions.stop(request.params.id);
      const view = ctx.sessions.view(request.params.id);
      if (view === undefined) throw unknownSession(request.params.id);
      return view;
    },
  );

  typed.post(
    '/sessions/:id/symbols',
    {
      schema: {
        tags: TAGS,
        summary: 'Add a symbol to a running session (its bars stream from the next time step)',
        description:
          'Answers 422 when the session streams as many symbols as the service allows (--max-symbols).',
        params: sessionParamsSchema,
        body: addSymbolBodySchema,
        response: {
          200: addedSymbolSchema,
          404: errorSchema,
          409: errorSchema,
          422: errorSchema,
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const added = await ctx.sessions.addSymbol(id, request.body.symbol);
      return { symbol: request.body.symbol, added, symbols: ctx.sessions.view(id)?.symbols ?? [] };
    },
  );

  typed.get(
    '/sessions/:id/signals',
    {
      schema: {
        tags: TAGS,
        summary: 'Stored signals after a sequence number, oldest first (paged)',
        params: sessionParamsSchema,
        querystring: signalsQuerySchema,
        response: { 200: signalPageSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (ctx.db.getSession(id) === undefined) throw unknownSession(id);
      const { after, limit } = request.query;
      const rows = ctx.db.listSignals(id, after, limit);
      const lastSeq = ctx.sessions.lastSeq(id);
      const last = rows[rows.length - 1];
      return {
        signals: rows.map((row) => ({ seq: row.seq, signal: clientSignal(row.json) })),
        lastSeq,
        next: last?.seq ?? after,
        hasMore: (last?.seq ?? after) < lastSeq,
      };
    },
  );
}
