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
      'execution',
    ]);
    expect(schema.properties.data_config?.default).toEqual({ source: 'generator' });
    expect(schema.properties.session_data_config?.properties?.streams?.default).toEqual(['1m']);
  });

  it('describes the execution section, its defaults and the per-strategy override', () => {
    const schema = sessionConfigJsonSchema() as {
      properties: Record<string, JsonSchemaNode>;
    };
    const execution = schema.properties.execution as JsonSchemaNode;
    expect(execution.additionalProperties).toBe(false);
    expect(execution.description).toMatch(/paper account/);
    expect(Object.keys(execution.properties ?? {})).toEqual([
      'initial_cash',
      'fill',
      'slippage_bps',
      'commission',
      'sizing',
      'allow_short',
      'risk_free_rate',
    ]);
    expect(execution.properties?.initial_cash?.default).toBe(100_000);
    expect(execution.properties?.fill?.enum).toEqual(['next_open', 'close']);
    expect(execution.properties?.sizing?.default).toEqual({ percent_equity: 100, lot_size: 1 });
    expect(execution.properties?.commission?.properties?.minimum?.default).toBe(0);
    const strategies = schema.properties.session_data_config?.properties?.strategies as JsonSchemaNode;
    const override = strategies.items?.properties?.execution as JsonSchemaNode;
    expect(override.additionalProperties).toBe(false);
    expect(override.properties?.initial_cash?.default).toBeUndefined();
    expect(override.required).toBeUndefined();
  });
});

interface JsonSchemaNode {
  description?: string;
  default?: unknown;
  enum?: unknown[];
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchemaNode;
  properties?: Record<string, JsonSchemaNode>;
}
