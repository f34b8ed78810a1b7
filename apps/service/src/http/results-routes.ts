import type { SessionConfig } from '@strat/core';
import { hasPaperExecution } from '@strat/runtime';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ServiceError } from '../errors/service-error';
import { unknownSession } from '../sessions/session-registry';
import type { StoredResults, StoredStrategyResult } from '../store/results-store';
import {
  equityQuerySchema,
  equityRowsSchema,
  sessionResultsSchema,
  tradePageSchema,
  tradesQuerySchema,
} from './results-schemas';
import { commonErrors, errorSchema, sessionParamsSchema } from './schemas';
import type { ServiceContext } from './service-context';

const TAGS = ['results'];
const UNAVAILABLE =
  'Answers 409 while the session runs (its results are stored when it ends), and 404 when it has ' +
  'none: its config has no execution section, or it ended (failed, interrupted) before they were computed.';

/**
 * The stored results of a session.
 * @throws ServiceError 404 for an unknown session or one without results, 409 while it runs
 */
function requireResults(ctx: ServiceContext, id: string): StoredResults {
  const stored = ctx.db.getSession(id);
  if (stored === undefined) throw unknownSession(id);
  const results = ctx.db.results.get(id);
  if (results !== undefined) return results;
  if (ctx.sessions.isRunning(id)) {
    throw new ServiceError(
      409,
      'RESULTS_NOT_READY',
      `Session ${id} is ${ctx.sessions.currentState(id) ?? 'running'}: its results are stored when it ends`,
      { headers: { 'retry-after': '1' } },
    );
  }
  if (!hasPaperExecution(JSON.parse(stored.config) as SessionConfig)) {
    throw new ServiceError(
      404,
      'RESULTS_NONE',
      `Session ${id} has no paper results: its config has no execution section`,
    );
  }
  throw new ServiceError(
    404,
    'RESULTS_NONE',
    `Session ${id} has no paper results: it ended ${stored.state} before they were computed`,
  );
}

/** The strategy named in a query, or 400 naming the query path and the strategies there are. */
function requireStrategy(results: StoredResults, name: string): StoredStrategyResult {
  const found = results.strategies.find((s) => s.strategy === name);
  if (found !== undefined) return found;
  const names = results.strategies.map((s) => s.strategy).join(', ');
  const message = `no strategy ${JSON.stringify(name)} has results in this session (there are: ${names})`;
  throw new ServiceError(
    400,
    'REQUEST_INVALID',
    `Invalid request querystring:\n  - querystring.strategy: ${message}`,
    {
      issues: [{ path: 'querystring.strategy', message }],
    },
  );
}

/** `GET /sessions/:id/results`, `/trades` and `/equity`: a session's paper results, once it ended. */
export function registerResultsRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/sessions/:id/results',
    {
      schema: {
        tags: TAGS,
        summary:
          "Paper results: each strategy's settings, stats, unfilled signals and open positions, and the total",
        description: `Stats as the runtime computes them (an Infinity is null). ${UNAVAILABLE}`,
        params: sessionParamsSchema,
        response: { 200: sessionResultsSchema, 404: errorSchema, 409: errorSchema, ...commonErrors },
      },
    },
    async (request) => {
      const results = requireResults(ctx, request.params.id);
      return {
        strategies: results.strategies.map((s) => ({
          strategy: s.strategy,
          settings: s.settings,
          stats: s.stats,
          unfilled: s.unfilled,
          open_positions: s.openPositions,
        })),
        total: results.total,
      };
    },
  );

  typed.get(
    '/sessions/:id/trades',
    {
      schema: {
        tags: TAGS,
        summary: 'Closed paper trades, strategy by strategy in config order, each in order (paged)',
        description: UNAVAILABLE,
        params: sessionParamsSchema,
        querystring: tradesQuerySchema,
        response: { 200: tradePageSchema, 404: errorSchema, 409: errorSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { strategy, after, limit } = request.query;
      const results = requireResults(ctx, id);
      const only = strategy === undefined ? undefined : requireStrategy(results, strategy);
      const names = results.strategies.map((s) => s.strategy);
      const rows = ctx.db.results.listTrades(id, names, {
        position: only?.position,
        after,
        limit: limit + 1,
      });
      const trades = rows.slice(0, limit);
      const count = (only === undefined ? results.strategies : [only]).reduce((n, s) => n + s.tradeCount, 0);
      return {
        trades,
        count,
        next: trades[trades.length - 1]?.seq ?? after,
        hasMore: rows.length > limit,
      };
    },
  );

  typed.get(
    '/sessions/:id/equity',
    {
      schema: {
        tags: TAGS,
        summary: 'Equity curves: one row per step each account was marked at, strategy by strategy',
        description: `\`every=N\` keeps rows 0, N, 2N, ... of each curve and its last row. ${UNAVAILABLE}`,
        params: sessionParamsSchema,
        querystring: equityQuerySchema,
        response: { 200: equityRowsSchema, 404: errorSchema, 409: errorSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { strategy, every } = request.query;
      const results = requireResults(ctx, id);
      const strategies = strategy === undefined ? results.strategies : [requireStrategy(results, strategy)];
      return { every, rows: strategies.flatMap((s) => ctx.db.results.listEquity(id, s, every)) };
    },
  );
}
