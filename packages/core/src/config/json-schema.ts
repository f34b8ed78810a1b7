import { z } from 'zod';
import { sessionConfigSchema } from './session-config';
import { strategyEntrySchema } from './strategy-entry';

/**
 * The JSON Schema (draft 2020-12) of a session config file as written (defaults not applied), for
 * editors: point a config's `$schema` at the committed `session-config.schema.json`.
 * Cross-field rules (end after start, streams multiple of the base, ...) are checked only by
 * `parseSessionConfig`.
 */
export function sessionConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(sessionConfigSchema, {
    io: 'input',
    // A strategy class (`strategy`) exists only in configs built in code: a file names the module.
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema !== strategyEntrySchema) return;
      delete jsonSchema.properties?.strategy;
      if (jsonSchema.required === undefined) jsonSchema.required = ['module'];
      else jsonSchema.required.unshift('module');
    },
  }) as Record<string, unknown>;
}
