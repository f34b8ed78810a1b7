import { join, resolve } from 'node:path';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { type LogLevel, StratError } from '@strat/core';
import { findProjectRoot } from '@strat/runtime';
import Fastify, {
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { installAccessControl, redactAccessToken } from '../http/access-control';
import { registerBarsRoutes } from '../http/bars-routes';
import { registerConfigRoutes } from '../http/config-routes';
import {
  defaultDashboardDir,
  isDashboardRoute,
  isPublicDashboardRequest,
  registerDashboardRoutes,
} from '../http/dashboard-routes';
import { installErrorHandlers } from '../http/error-handler';
import { registerEventRoutes } from '../http/event-routes';
import { registerResultsRoutes } from '../http/results-routes';
import type { ServiceContext } from '../http/service-context';
import { registerSessionRoutes } from '../http/session-routes';
import { registerSweepRoutes } from '../http/sweep-routes';
import { registerSystemRoutes } from '../http/system-routes';
import { createServiceMetrics } from '../metrics/service-metrics';
import { SessionBars } from '../sessions/bars/session-bars';
import { readServiceFeedEnv } from '../sessions/session-feed-env';
import { DEFAULT_SESSION_LIMITS, type SessionLimits } from '../sessions/session-limits';
import { SessionRegistry } from '../sessions/session-registry';
import { SESSION_CONFIGS_FOLDER } from '../sessions/session-request';
import { ServiceDatabase } from '../store/service-database';
import { SweepRegistry } from '../sweeps/sweep-registry';
import { defaultSweepLimits, type SweepLimits } from '../sweeps/sweep-request';
import { isLoopbackHost } from './loopback';

/** Options of {@link buildServer}. */
export interface ServiceOptions {
  /** Where the SQLite database lives (created if missing). */
  dataDir: string;
  /** The address the service will listen on (default `127.0.0.1`); any other than loopback needs `apiToken`. */
  host?: string;
  /** The bearer token every route but `/healthz` then requires (at least 16 characters). */
  apiToken?: string;
  /** The project: strategy roots and `session_configs/` (default: found from the working directory). */
  projectRoot?: string;
  /** Largest request body in bytes (default 256 KiB). */
  bodyLimit?: number;
  /** Sessions that may run at once (default 4). */
  maxRunningSessions?: number;
  /** SSE streams that may be open at once (default 64). */
  maxEventStreams?: number;
  /** Fastify's logger (default off). */
  logger?: FastifyServerOptions['logger'];
  /** Lowest level of session log records passed to the logger (default `warn`). */
  sessionLogLevel?: LogLevel;
  /** How often running sessions publish metrics on their streams (default 1000 ms). */
  metricsIntervalMs?: number;
  /** Interval of SSE keep-alive comments (default 15000 ms). */
  heartbeatMs?: number;
  /** Time each strategy gets to tear down when a session stops (default: the runtime's 5000 ms). */
  stopTimeoutMs?: number;
  /**
   * Feed URLs whose origin a posted config may name in `live_config.feed_url` besides loopback
   * ones (default: `STRAT_FEED_URL` when set).
   */
  trustedFeedUrls?: readonly string[];
  /**
   * Where the service's own feed and its credentials are read: `STRAT_FEED_URL`, `STRAT_FEED_KEY`,
   * `STRAT_FEED_SECRET` (default `process.env`). The credentials go only to sessions whose feed is
   * that URL's origin (or that name no feed_url).
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** The most work one session may ask for; each limit left out keeps its default ({@link DEFAULT_SESSION_LIMITS}). */
  limits?: Partial<SessionLimits>;
  /** The script session processes run (default: `session-process.js` of this package's build). */
  sessionProcessScript?: URL;
  /**
   * Sweeps running at once, sessions per sweep and worker threads per sweep; each left out keeps its
   * default (1 sweep, 10,000 sessions, a thread per core).
   */
  sweepLimits?: Partial<SweepLimits>;
  /** The script sweep processes run (default: `sweep-process.js` of this package's build). */
  sweepProcessScript?: URL;
  /** The built web dashboard served at `/` (default: `dist/web` of this package). */
  dashboardDir?: string;
}

/** The default address: this machine only. */
export const DEFAULT_HOST = '127.0.0.1';
/** The default largest request body (256 KiB). */
export const DEFAULT_BODY_LIMIT = 256 * 1024;
/** The shortest API token accepted. */
export const MIN_TOKEN_LENGTH = 16;

function checkAccessOptions(host: string, token: string | undefined): void {
  // A client sends the token in a header, which cannot carry white space around or in it: such a token could never match.
  if (token !== undefined && /\s/.test(token)) {
    throw new StratError(
      'OPTION_INVALID',
      'STRAT_API_TOKEN must not contain spaces or other white space (try: openssl rand -hex 24)',
    );
  }
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new StratError(
      'TOKEN_TOO_SHORT',
      `STRAT_API_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters long (try: openssl rand -hex 24)`,
    );
  }
  if (!isLoopbackHost(host) && token === undefined) {
    throw new StratError(
      'TOKEN_REQUIRED',
      `Refusing to listen on ${host} without an API token: set STRAT_API_TOKEN (clients then send ` +
        "'Authorization: Bearer <token>'), or listen on 127.0.0.1",
    );
  }
}

/** The request as Fastify logs it, with a token given in the query (`?access_token=`) redacted. */
function requestLogFields(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactAccessToken(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

function withRedactedUrls(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === false || logger === undefined) return logger;
  const options = logger === true ? {} : logger;
  return { ...options, serializers: { req: requestLogFields, ...options.serializers } };
}

/**
 * Builds the HTTP service (Fastify 5): opens the database under `dataDir` (sessions a previous
 * process left running become `interrupted`), and registers the session, event, metrics, health
 * and OpenAPI routes, and the web dashboard at `/`. The caller listens (`app.listen({ host, port })`) on the `host` given here.
 * Closing the app stops running sessions, ends event streams and closes the database.
 * @throws StratError `TOKEN_REQUIRED` for a non-loopback host without a token, `TOKEN_TOO_SHORT`,
 *   `OPTION_INVALID` for a token with white space, `DATA_DIR_IN_USE` when another service holds the database
 */
export async function buildServer(options: ServiceOptions): Promise<FastifyInstance> {
  const host = options.host ?? DEFAULT_HOST;
  const token = options.apiToken === '' ? undefined : options.apiToken;
  checkAccessOptions(host, token);
  const projectRoot = resolve(options.projectRoot ?? findProjectRoot(process.cwd()));
  const feedEnv = readServiceFeedEnv(options.env ?? process.env);
  const db = new ServiceDatabase(resolve(options.dataDir));

  const dashboardDir = resolve(options.dashboardDir ?? defaultDashboardDir());

  const app = Fastify({
    logger: withRedactedUrls(options.logger ?? false),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    requestTimeout: 30_000,
    // Access log lines for every request but the probes.
    logController: new LogController({
      disableRequestLogging: (request) => request.url === '/healthz' || request.url === '/metrics',
    }),
  });
  try {
    const interrupted = db.markInterrupted(Date.now());
    if (interrupted > 0)
      app.log.warn({ interrupted }, 'sessions left running by the previous process are now interrupted');
    const interruptedSweeps = db.sweeps.markInterrupted(Date.now());
    if (interruptedSweeps > 0)
      app.log.warn({ interruptedSweeps }, 'sweeps left running by the previous process are now interrupted');
    const sessions = new SessionRegistry({
      db,
      projectRoot,
      maxRunningSessions: options.maxRunningSessions ?? 4,
      logger: app.log,
      sessionLogLevel: options.sessionLogLevel ?? 'warn',
      metricsIntervalMs: options.metricsIntervalMs ?? 1000,
      stopTimeoutMs: options.stopTimeoutMs,
      limits: { ...DEFAULT_SESSION_LIMITS, ...options.limits },
      sessionProcessScript: options.sessionProcessScript,
    });
    const sweeps = new SweepRegistry({
      db,
      projectRoot,
      limits: { ...defaultSweepLimits(), ...options.sweepLimits },
      logger: app.log,
      sweepProcessScript: options.sweepProcessScript,
    });
    const ctx: ServiceContext = {
      db,
      sessions,
      bars: new SessionBars({ db, sessions, configDir: join(projectRoot, SESSION_CONFIGS_FOLDER) }),
      sweeps,
      projectRoot,
      trustedFeedUrls:
        options.trustedFeedUrls ?? (feedEnv.STRAT_FEED_URL === undefined ? [] : [feedEnv.STRAT_FEED_URL]),
      feedEnv,
      streams: new Set(),
      maxEventStreams: options.maxEventStreams ?? 64,
      heartbeatMs: options.heartbeatMs ?? 15_000,
      metrics: createServiceMetrics({
        sessions: () => sessions.metricsEntries(),
        sessionsByState: () => db.countByState(),
        signalsPersisted: () => sessions.signalsPersisted,
        sweepsByState: () => db.sweeps.countByState(),
      }),
    };

    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    // JSON only: a cross-site form cannot send it without a CORS preflight, which this service never grants.
    app.removeContentTypeParser('text/plain');
    installErrorHandlers(app);
    installAccessControl(
      app,
      token,
      (request) => isDashboardRoute(request) && isPublicDashboardRequest(request, dashboardDir),
    );
    app.addHook('onSend', async (_request, reply) => {
      reply.header('x-content-type-options', 'nosniff');
    });
    app.addHook('preClose', async () => {
      for (const stream of [...ctx.streams]) stream.close();
    });
    app.addHook('onClose', async () => {
      await Promise.all([sessions.close(), sweeps.close()]);
      db.close();
    });

    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: '@strat/service',
          description: 'Start, watch and stop @strat trading sessions and parameter sweeps.',
          version: '0.0.0',
        },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
        security: token === undefined ? [] : [{ bearer: [] }],
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });
    await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
    registerSystemRoutes(app, ctx);
    registerSessionRoutes(app, ctx);
    registerEventRoutes(app, ctx);
    registerResultsRoutes(app, ctx);
    registerBarsRoutes(app, ctx);
    registerSweepRoutes(app, ctx);
    registerConfigRoutes(app, ctx);
    await registerDashboardRoutes(app, dashboardDir);
    await app.ready();
  } catch (error) {
    db.close();
    throw error;
  }
  return app;
}
