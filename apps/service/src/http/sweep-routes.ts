import type { FastifyInstance } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ServiceError } from '../errors/service-error';
import { unknownSweep } from '../sweeps/sweep-registry';
import { prepareSweepRequest, type SweepRequestBody } from '../sweeps/sweep-request';
import { commonErrors, errorSchema } from './schemas';
import type { ServiceContext } from './service-context';
import { SweepEventStream } from './sweep-event-stream';
import {
  createdSweepSchema,
  createSweepBodySchema,
  createSweepEnvelopeSchema,
  listSweepsQuerySchema,
  sweepDetailQuerySchema,
  sweepDetailSchema,
  sweepEventsQuerySchema,
  sweepListSchema,
  sweepParamsSchema,
} from './sweep-schemas';

const TAGS = ['sweeps'];

const CREATE_DESCRIPTION = [
  'Runs the config once per combination of the swept parameters (the full grid, or `random` of it),',
  "each as one data-driven session, ranked by `objective` (the sessions' total paper results; the config",
  'needs an `execution` section). The config follows the rules of POST /sessions (named or posted, the',
  'same checks, limits and JSON paths). Everything that can be refused is refused before anything runs',
  '(400 naming the parameter at `body.params[i]`: an unknown strategy or key, an empty range, a value the',
  "strategy's config schema refuses). The sweep runs in a process of its own, its combinations on",
  '`workers` threads there. 429 when the service runs as many sweeps as it may; 422 past its limits of',
  'sessions per sweep and workers.',
].join(' ');

const EVENTS_DESCRIPTION = [
  'Server-Sent Events of one sweep: `row` per finished combination (id = its seq, in the order they',
  'finished; data `{ seq, done, total, failed, window, phase, row }`), `state`, then `end` (`{ state, error,',
  'done, total, failed, best, endedAt }`) and the stream closes. Stored rows after `Last-Event-ID` (or',
  '`?after=`) come first: a client that reconnects misses none. For an ended sweep: its rows and `end`.',
].join(' ');

function parseLastEventId(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[header.length - 1] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^\d{1,15}$/.test(value.trim())) {
    throw new ServiceError(400, 'REQUEST_INVALID', 'Last-Event-ID must be a row sequence number', {
      issues: [
        { path: 'headers.last-event-id', message: `expected a whole number, got ${JSON.stringify(value)}` },
      ],
    });
  }
  return Number(value);
}

/** `POST /sweeps`, `GET /sweeps`, `GET /sweeps/:id`, `POST /sweeps/:id/stop`, `GET /sweeps/:id/events`. */
export function registerSweepRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.post(
    '/sweeps',
    {
      schema: {
        tags: TAGS,
        summary: 'Start a parameter sweep over a config object or a file in session_configs/',
        description: CREATE_DESCRIPTION,
        body: createSweepBodySchema,
        response: {
          201: createdSweepSchema,
          404: errorSchema,
          413: errorSchema,
          422: errorSchema,
          429: errorSchema,
          ...commonErrors,
        },
      },
      validatorCompiler: (route) =>
        validatorCompiler({
          ...route,
          schema:
            route.httpPart === 'body' ? createSweepEnvelopeSchema : (route.schema as unknown as z.ZodType),
        }),
    },
    async (request, reply) => {
      const resolved = await prepareSweepRequest(
        request.body as SweepRequestBody,
        {
          projectRoot: ctx.projectRoot,
          trustedFeedUrls: ctx.trustedFeedUrls,
          feedEnv: ctx.feedEnv,
          limits: ctx.sessions.limits,
        },
        ctx.sweeps.limits,
      );
      const id = await ctx.sweeps.start(resolved);
      return reply
        .code(201)
        .header('location', `/sweeps/${id}`)
        .send({ id, state: 'running', total: resolved.total });
    },
  );

  typed.get(
    '/sweeps',
    {
      schema: {
        tags: TAGS,
        summary: 'List sweeps, newest first',
        querystring: listSweepsQuerySchema,
        response: { 200: sweepListSchema, ...commonErrors },
      },
    },
    async (request) => ({ sweeps: ctx.sweeps.list(request.query) }),
  );

  typed.get(
    '/sweeps/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'A sweep: state, progress and ETA, the ranked rows with every metric, the best, the errors',
        params: sweepParamsSchema,
        querystring: sweepDetailQuerySchema,
        response: { 200: sweepDetailSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => {
      const detail = ctx.sweeps.detail(request.params.id, request.query.top);
      if (detail === undefined) throw unknownSweep(request.params.id);
      return detail;
    },
  );

  typed.post(
    '/sweeps/:id/stop',
    {
      schema: {
        tags: TAGS,
        summary: 'Stop a running sweep (finished rows are kept) and answer once it has ended',
        params: sweepParamsSchema,
        response: { 200: sweepDetailSchema, 404: errorSchema, 409: errorSchema, ...commonErrors },
      },
    },
    async (request) => {
      await ctx.sweeps.stop(request.params.id);
      const detail = ctx.sweeps.detail(request.params.id);
      if (detail === undefined) throw unknownSweep(request.params.id);
      return detail;
    },
  );

  typed.get(
    '/sweeps/:id/events',
    {
      exposeHeadRoute: false,
      // A browser's EventSource cannot send headers: it may give the token as ?access_token=.
      config: { queryToken: true },
      schema: {
        tags: TAGS,
        summary:
          'Stream the progress of a sweep: a row per finished combination, then the end (Server-Sent Events)',
        description: EVENTS_DESCRIPTION,
        params: sweepParamsSchema,
        querystring: sweepEventsQuerySchema,
        produces: ['text/event-stream'],
        response: {
          200: z.string().meta({ description: 'text/event-stream' }),
          404: errorSchema,
          429: errorSchema,
          ...commonErrors,
        },
      },
    },
    (request, reply) => {
      const { id } = request.params;
      const stored = ctx.db.sweeps.get(id);
      if (stored === undefined) throw unknownSweep(id);
      const after = parseLastEventId(request.headers['last-event-id']) ?? request.query.after ?? 0;
      if (ctx.streams.size >= ctx.maxEventStreams) {
        throw new ServiceError(
          429,
          'TOO_MANY_STREAMS',
          `${ctx.maxEventStreams} event streams are open already`,
        );
      }
      reply.hijack();
      const stream = new SweepEventStream({
        response: reply.raw,
        db: ctx.db,
        sweepId: id,
        total: stored.total,
        after,
        heartbeatMs: ctx.heartbeatMs,
      });
      ctx.streams.add(stream);
      stream.onClose(() => ctx.streams.delete(stream));
      stream.open();
      const hub = ctx.sweeps.hub(id);
      if (hub !== undefined) {
        // Subscribing and reading the newest seq in the same tick: no row falls between them.
        const unsubscribe = hub.subscribe((event) => stream.push(event));
        stream.onClose(unsubscribe);
        const view = ctx.sweeps.view(id);
        stream.push({
          kind: 'event',
          name: 'state',
          data: { state: view?.state ?? stored.state, time: Date.now() },
        });
        stream.push({ kind: 'rows', lastSeq: ctx.sweeps.lastSeq(id) });
        return;
      }
      const view = ctx.sweeps.view(id);
      stream.push({ kind: 'event', name: 'state', data: { state: stored.state, time: Date.now() } });
      stream.push({ kind: 'rows', lastSeq: stored.rowCount });
      stream.push({
        kind: 'end',
        data: {
          state: stored.state,
          error: stored.error,
          done: stored.rowCount,
          total: stored.total,
          failed: view?.progress.failed ?? 0,
          best: view?.best ?? null,
          endedAt: stored.endedAt === null ? null : new Date(stored.endedAt).toISOString(),
        },
      });
    },
  );
}
