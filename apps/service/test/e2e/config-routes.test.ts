import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, request, startTestService, type TestService } from '../support/test-service';

describe("the project's named configs", () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService();
  });

  afterAll(async () => {
    await service.close();
  });

  it('lists every file of session_configs/ with its mode, symbols, strategies and dates', async () => {
    const { status, body } = await request(`${service.url}/configs`);
    expect(status).toBe(200);
    const demoFile = JSON.parse(readFileSync(join(PROJECT_ROOT, 'session_configs', 'demo.json'), 'utf8'));
    const demo = body.configs.find((c: { name: string }) => c.name === 'demo');
    expect(demo).toEqual({
      name: 'demo',
      file: 'session_configs/demo.json',
      valid: true,
      error: null,
      mode: 'backtest',
      symbols: demoFile.session_data_config.symbols,
      strategies: demoFile.session_data_config.strategies.map((s: { module: string }) => ({
        name: s.module.split('.').pop(),
        module: s.module,
      })),
      streams: demoFile.session_data_config.streams,
      startDate: demoFile.backtest_config.start_date,
      endDate: demoFile.backtest_config.end_date,
      paperExecution: demoFile.execution !== undefined,
    });
    const names = body.configs.map((c: { name: string }) => c.name);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('live_replay');
    expect(body.configs.find((c: { name: string }) => c.name === 'live_replay').mode).toBe('live');
    for (const config of body.configs) expect(config.valid, config.name).toBe(true);
  });

  it("answers a config's JSON as its file holds it, and 404 or 400 for names that are not files", async () => {
    const demo = await request(`${service.url}/configs/demo`);
    expect(demo.status).toBe(200);
    expect(demo.body).toEqual(
      JSON.parse(readFileSync(join(PROJECT_ROOT, 'session_configs', 'demo.json'), 'utf8')),
    );
    expect((await request(`${service.url}/configs/demo.json`)).body).toEqual(demo.body);
    const missing = await request(`${service.url}/configs/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('CONFIG_NOT_FOUND');
    for (const name of ['..%2Fpackage', '.hidden', 'a%20b']) {
      const bad = await request(`${service.url}/configs/${name}`);
      expect(bad.status, name).toBe(400);
      expect(bad.body.issues[0].path, name).toBe('params.name');
    }
  });

  it('publishes the JSON Schema of session configs, the one @strat/core ships', async () => {
    const schema = await request(`${service.url}/schema/session-config.json`);
    expect(schema.status).toBe(200);
    expect(schema.headers.get('content-type')).toMatch(/^application\/schema\+json/);
    const published = JSON.parse(
      readFileSync(join(PROJECT_ROOT, 'packages', 'core', 'session-config.schema.json'), 'utf8'),
    );
    expect(schema.body).toEqual(published);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const spec = await request(`${service.url}/openapi.json`);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining(['/configs', '/configs/{name}', '/schema/session-config.json']),
    );
    expect(spec.body.paths['/']).toBeUndefined();
  });
});

describe('a project with odd files in session_configs/', () => {
  let service: TestService;
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'strat-configs-'));
    const dir = join(root, 'session_configs');
    mkdirSync(join(dir, 'nested.json'), { recursive: true });
    writeFileSync(join(dir, 'broken.json'), '{ "mode": ');
    writeFileSync(join(dir, 'wrong.json'), JSON.stringify({ mode: 'sideways', session_data_config: {} }));
    writeFileSync(join(dir, 'not a name.json'), '{}');
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    writeFileSync(
      join(dir, 'gen.json'),
      JSON.stringify({
        mode: 'backtest',
        backtest_config: { start_date: '2024-01-02', end_date: '2024-01-03' },
        session_data_config: {
          symbols: ['AAA'],
          streams: ['1m'],
          strategies: [
            { module: 'strategies.examples.simple_ma_cross', config: { symbols: ['AAA'] } },
            { module: 'strategies.examples.simple_ma_cross', config: { symbols: ['AAA'] } },
            { module: 'strategies.examples.rsi_strategy', enabled: false, config: {} },
          ],
        },
        execution: {},
      }),
    );
    service = await startTestService({ projectRoot: root });
  });

  afterAll(async () => {
    await service.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists the configs by name, the invalid ones with their error, and leaves other files out', async () => {
    const { body } = await request(`${service.url}/configs`);
    expect(body.configs.map((c: { name: string }) => c.name)).toEqual(['broken', 'gen', 'wrong']);
    const [broken, gen, wrong] = body.configs;
    expect(broken).toMatchObject({ valid: false, mode: null, symbols: [], strategies: [] });
    expect(broken.error).toMatch(/broken\.json/);
    expect(wrong.valid).toBe(false);
    expect(wrong.error).toMatch(/mode/);
    expect(gen).toMatchObject({
      valid: true,
      mode: 'backtest',
      symbols: ['AAA'],
      strategies: [
        { name: 'simple_ma_cross', module: 'strategies.examples.simple_ma_cross' },
        { name: 'simple_ma_cross_2', module: 'strategies.examples.simple_ma_cross' },
      ],
      paperExecution: true,
    });
    const file = await request(`${service.url}/configs/broken`);
    expect(file.status).toBe(400);
    expect(file.body.code).toBe('CONFIG_INVALID');
    expect((await request(`${service.url}/configs/wrong`)).body.mode).toBe('sideways');
  });

  it('answers an empty list for a project without session_configs/', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'strat-bare-'));
    const other = await startTestService({ projectRoot: bare });
    try {
      expect((await request(`${other.url}/configs`)).body).toEqual({ configs: [] });
    } finally {
      await other.close();
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
