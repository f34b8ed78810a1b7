import { sessionConfigJsonSchema } from '@strat/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listNamedConfigs, readNamedConfigJson } from '../sessions/named-configs';
import { commonErrors, errorSchema } from './schemas';
import type { ServiceContext } from './service-context';

const TAGS = ['configs'];

const namedConfigSchema = z
  .object({
    name: z.string().meta({ description: 'What POST /sessions takes as name: the file name without .json.' }),
    file: z.string().meta({ description: 'The file, relative to the project (session_configs/demo.json).' }),
    valid: z.boolean().meta({
      description:
        'Whether the file is a valid session config (its modules and data are checked when a session starts).',
    }),
    error: z.string().nullable().meta({ description: 'Why it is not valid, each problem at its JSON path.' }),
    mode: z.enum(['backtest', 'live']).nullable(),
    symbols: z.array(z.string()).meta({ description: "The config's symbols (not the scanners' universes)." }),
    strategies: z
      .array(z.object({ name: z.string(), module: z.string().nullable() }))
      .meta({ description: 'The enabled strategies: the name the session gives each, and its module.' }),
    streams: z.array(z.string()),
    startDate: z.string().nullable().meta({ description: 'Backtests: the first day replayed.' }),
    endDate: z.string().nullable().meta({ description: 'Backtests: the last day replayed.' }),
    paperExecution: z
      .boolean()
      .meta({ description: 'Whether it trades on paper: results, trades and equity once it ends.' }),
  })
  .meta({ id: 'NamedConfig' });

const configListSchema = z.object({ configs: z.array(namedConfigSchema) });
const configParamsSchema = z.object({ name: z.string().min(1).max(105) });

/** The published JSON Schema of session configs (the one `pnpm --filter @strat/core schema:write` writes). */
let schemaText: string | undefined;
function sessionConfigSchemaText(): string {
  schemaText ??= `${JSON.stringify(sessionConfigJsonSchema(), null, 2)}\n`;
  return schemaText;
}

/** `GET /configs`, `GET /configs/:name` and `GET /schema/session-config.json`: what a page needs to start a session. */
export function registerConfigRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/configs',
    {
      schema: {
        tags: TAGS,
        summary:
          "The named configs of the project's session_configs/ (start one with POST /sessions { name })",
        response: { 200: configListSchema, ...commonErrors },
      },
    },
    async () => ({ configs: listNamedConfigs(ctx.projectRoot) }),
  );

  typed.get(
    '/configs/:name',
    {
      schema: {
        tags: TAGS,
        summary: 'A named config as its file holds it (defaults not applied)',
        description:
          'Start it with POST /sessions { "name": "<name>" }: a named config is a file of the project and may ' +
          'name modules and CSV files as the CLI does. The same JSON posted as { "config": ... } is held to the ' +
          'rules for configs from the network (dotted module paths, CSV files inside session_configs/), and its ' +
          'relative paths resolve against session_configs/ too.',
        params: configParamsSchema,
        response: {
          200: z.record(z.string(), z.unknown()).meta({ description: 'The session config (JSON).' }),
          404: errorSchema,
          ...commonErrors,
        },
      },
    },
    async (request) => readNamedConfigJson(request.params.name, ctx.projectRoot) as Record<string, unknown>,
  );

  typed.get(
    '/schema/session-config.json',
    {
      schema: {
        tags: TAGS,
        summary: 'The JSON Schema of session configs (draft 2020-12), to check a config before posting it',
        description:
          'The schema @strat/core publishes (session-config.schema.json). POST /sessions checks more than the ' +
          'schema can say (modules, data files, limits): its 400, 403 and 422 answers list every problem with ' +
          'its JSON path in issues[].path (session_data_config.strategies[0].module).',
        produces: ['application/schema+json'],
        response: { 200: z.string().meta({ description: 'A JSON Schema document' }), ...commonErrors },
      },
    },
    async (_request, reply) =>
      reply
        .type('application/schema+json; charset=utf-8')
        .header('cache-control', 'no-cache')
        .serializer((payload) => payload as string)
        .send(sessionConfigSchemaText()),
  );
}
