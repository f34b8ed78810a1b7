import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sessionConfigJsonSchema } from './json-schema';

const COMMITTED = new URL('../../session-config.schema.json', import.meta.url);

describe('sessionConfigJsonSchema', () => {
  it('matches the committed session-config.schema.json', () => {
    const fresh = `${JSON.stringify(sessionConfigJsonSchema(), null, 2)}\n`;
    const committed = readFileSync(COMMITTED, 'utf8');
    if (committed !== fresh) {
      expect.fail(
        'session-config.schema.json is stale: run `pnpm --filter @strat/core build && pnpm --filter @strat/core schema:write`',
      );
    }
  });

  it('describes the file as written: strict objects, a $schema key, defaults and required fields', () => {
    const schema = sessionConfigJsonSchema() as {
      additionalProperties: boolean;
      required: string[];
      properties: Record<string, { default?: unknown; properties?: Record<string, { default?: unknown }> }>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['mode', 'session_data_config']);
    expect(Object.keys(schema.properties)).toEqual([
      '$schema',
      'mode',
      'backtest_config',
      'session_data_config',
      'data_config',
      'live_config',
    ]);
    expect(schema.properties.data_config?.default).toEqual({ source: 'generator' });
    expect(schema.properties.session_data_config?.properties?.streams?.default).toEqual(['1m']);
  });
});
