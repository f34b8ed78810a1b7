import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSchema } from '../../web/src/json-schema';
import { type Json, PROJECT_ROOT } from '../support/test-service';

/** The dashboard's JSON Schema check against the schema @strat/core publishes (the service serves it). */
const schema = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'packages', 'core', 'session-config.schema.json'), 'utf8'),
) as Record<string, unknown>;
const configDir = join(PROJECT_ROOT, 'session_configs');

describe('checkSchema (the pasted-config check of the dashboard)', () => {
  it('passes every config of session_configs/', () => {
    const files = readdirSync(configDir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const config = JSON.parse(readFileSync(join(configDir, file), 'utf8')) as unknown;
      expect(checkSchema(schema, config), file).toEqual([]);
    }
  });

  it('finds each problem at its JSON path', () => {
    const demo: Json = JSON.parse(readFileSync(join(configDir, 'demo.json'), 'utf8'));
    demo.mode = 'bactest';
    demo.session_data_config.symbols = [];
    demo.session_data_config.strategies[1].config = 'nope';
    demo.session_data_config.surprise = 1;
    delete demo.session_data_config.strategies[0].module;
    demo.execution.initial_cash = -5;
    const issues = checkSchema(schema, demo);
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'mode',
        'session_data_config.symbols',
        'session_data_config.strategies[0].module',
        'session_data_config.strategies[1].config',
        'session_data_config.surprise',
        'execution.initial_cash',
      ]),
    );
    expect(issues.find((i) => i.path === 'mode')!.message).toBe(
      'expected one of "backtest", "live", got "bactest"',
    );
    expect(issues.find((i) => i.path === 'session_data_config.strategies[0].module')!.message).toBe(
      'is required',
    );
    expect(checkSchema(schema, [])).toEqual([{ path: '', message: 'expected object, got array' }]);
  });
});
