import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ServiceError } from '../errors/service-error';
import { unknownSession } from '../sessions/session-registry';
import { commonErrors, errorSchema, eventsQuerySchema, sessionParamsSchema } from './schemas';
import type { ServiceContext } from './service-context';
import { SessionEventStream } from './session-event-stream';

const EVENTS_DESCRIPTION = [
  'Server-Sent Events of one session. Events: `signal` (id = the signal seq; data `{ seq, signal }`),',
  '`fill` (paper execution; id = `SIGNAL:FILL`, the newest signal before it and the fill seq; data',
  "`{ seq, fill }`), `equity` (paper execution; each account's last equity row, about once a second",
  'and at the end; live only, not replayed), `metrics` (`{ metrics, progress }`, about once a second),',
  '`state`, `overrun`, `quality`, `gap` and `feed` (live sessions), `symbolAdded`, `strategyError`, and',
  '`end` (then the stream closes). Stored signals and fills after `Last-Event-ID` (or `?after=`, a',
  'signal seq, default 0) are sent first, in the order they were stored, so a client that reconnects',
  'misses none. For a session that has ended the stream sends its stored signals, fills and `end`.',
  "A signal is the signal journal's line (ISO times) plus `timeMs` and `barTimeMs`; a fill's `time` is",
  'ISO too, with `timeMs` beside it.',
].join(' ');

/** Where a stream resumes: after signal `seq` and fill `fill` (undefined: the fills stored before that signal). */
interface ResumePoint {
  seq: number;
  fill: number | undefined;
}

function parseLastEventId(header: string | string[] | undefined): ResumePoint | undefined {
  const value = Array.isArray(header) ? header[header.length - 1] : header;
  if (value === undefined || value.trim() === '') return undefined;
  const match = /^(\d{1,15})(?::(\d{1,15}))?$/.exec(value.trim());
  if (match === null) {
    throw new ServiceError(
      400,
      'REQUEST_INVALID',
      'Last-Event-ID must be a signal sequence number, or SIGNAL:FILL (the id of a fill event)',
      {
        issues: [
          {
            path: 'headers.last-event-id',
            message: `expected a whole number or two joined by ':', got ${JSON.stringify(value)}`,
          },
        ],
      },
    );
  }
  return { seq: Number(match[1]), fill: match[2] === undefined ? undefined : Number(match[2]) };
}

/** `GET /sessions/:id/events`: the session's Server-Sent Events stream. */
export function registerEventRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/sessions/:id/events',
    {
      // A HEAD request would hold a stream open for nothing.
      exposeHeadRoute: false,
      // A browser's EventSource cannot send headers: it may give the token as ?access_token=.
      config: { queryToken: true },
      schema: {
        tags: ['sessions'],
        summary:
          'Stream signals, fills, equity, metrics, state, overruns, quality and gaps (Server-Sent Events)',
        description: EVENTS_DESCRIPTION,
        params: sessionParamsSchema,
        querystring: eventsQuerySchema,
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
      const stored = ctx.db.getSession(id);
      if (stored === undefined) throw unknownSession(id);
      const resume = parseLastEventId(request.headers['last-event-id']) ?? {
        seq: request.query.after ?? 0,
        fill: undefined,
      };
      const after = resume.seq;
      const afterFill = resume.fill ?? ctx.db.fillsBeforeSignal(id, after);
      if (ctx.streams.size >= ctx.maxEventStreams) {
        throw new ServiceError(
          429,
          'TOO_MANY_STREAMS',
          `${ctx.maxEventStreams} event streams are open already`,
        );
      }
      reply.hijack();
      const stream = new SessionEventStream({
        response: reply.raw,
        db: ctx.db,
        sessionId: id,
        after,
        afterFill,
        heartbeatMs: ctx.heartbeatMs,
      });
      ctx.streams.add(stream);
      stream.onClose(() => ctx.streams.delete(stream));
      stream.open();
      const hub = ctx.sessions.hub(id);
      if (hub !== undefined && ctx.sessions.isRunning(id)) {
        // Subscribing and reading the newest seq in the same tick: no signal falls between them.
        const unsubscribe = hub.subscribe((event) => stream.push(event));
        stream.onClose(unsubscribe);
        const view = ctx.sessions.view(id);
        stream.push({
          kind: 'event',
          name: 'state',
          data: { state: view?.state ?? stored.state, time: Date.now() },
        });
        stream.push({
          kind: 'signals',
          lastSeq: ctx.sessions.lastSeq(id),
          lastFill: ctx.sessions.lastFill(id),
        });
        return;
      }
      stream.push({ kind: 'event', name: 'state', data: { state: stored.state, time: Date.now() } });
      const lastFill = ctx.db.lastFillSeq(id);
      stream.push({ kind: 'signals', lastSeq: stored.signalCount, lastFill });
      stream.push({
        kind: 'end',
        data: {
          state: stored.state,
          error: stored.error,
          signals: stored.signalCount,
          fills: lastFill,
          endedAt: stored.endedAt === null ? null : new Date(stored.endedAt).toISOString(),
        },
      });
    },
  );
}
