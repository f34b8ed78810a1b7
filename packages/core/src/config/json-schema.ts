import { z } from 'zod';
import { sessionConfigSchema } from './session-config';

/**
 * The JSON Schema (draft 2020-12) of a session config file as written (defaults not applied), for
 * editors: point a config's `$schema` at the committed `session-config.schema.json`.
 * Cross-field rules (end after start, streams multiple of the base, ...) are checked only by
 * `parseSessionConfig`.
 */
export function sessionConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(sessionConfigSchema, { io: 'input' }) as Record<string, unknown>;
}
