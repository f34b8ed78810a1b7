import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, healthSchema } from './schemas';
import type { ServiceContext } from './service-context';

/** `GET /healthz`, `GET /metrics` and `GET /openapi.json`. */
export function registerSystemRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/healthz',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness: answers without a token',
        security: [],
        response: { 200: healthSchema },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  typed.get(
    '/metrics',
    {
      schema: {
        tags: ['system'],
        summary: 'Prometheus metrics: per-strategy counters and processing time, sessions by state',
        produces: ['text/plain'],
        response: { 200: z.string().meta({ description: 'Prometheus text format 0.0.4' }), ...commonErrors },
      },
    },
    async (_request, reply) => {
      const text = await ctx.metrics.metrics();
      return reply
        .type(ctx.metrics.contentType)
        .serializer((payload) => payload as string)
        .send(text);
    },
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
