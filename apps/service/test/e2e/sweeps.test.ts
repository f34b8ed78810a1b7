import { join } from 'node:path';
import { parseSessionConfig } from '@strat/core';
import { runCombination } from '@strat/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseClient } from '../support/sse-client';
import {
  type Json,
  PROJECT_ROOT,
  request,
  sessionConfig,
  startTestService,
  type TestService,
} from '../support/test-service';

// Real sweeps over generated bars: each combination is a data-driven session in the sweep's process,
// checked against the runtime's runCombination run here, alone.

const CONFIG_DIR = join(PROJECT_ROOT, 'session_configs');
const TOKEN = 'test-token-0123456789abcdef';

function sweepConfig(endDate = '2024-01-02'): Json {
  const config = sessionConfig({ speed: 0, endDate });
  config.execution = { initial_cash: 10_000 };
  return config;
}

/** The oracle: the combination run alone, its stats as JSON gives them (an Infinity is null). */
async function alone(config: Json, index: number, combination: Record<string, number>) {
  const row = await runCombination(parseSessionConfig(config), index, combination, { configDir: CONFIG_DIR });
  expect(row.error).toBeUndefined();
  return { stats: JSON.parse(JSON.stringify(row.stats)), signals: row.signals };
}

async function followToEnd(url: string): Promise<SseClient> {
  const client = await SseClient.open(url);
  expect(client.status).toBe(200);
  await client.waitForEnd(120_000);
  return client;
}

describe('parameter sweeps', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ sweepLimits: { maxRunningSweeps: 1, maxWorkers: 2 } });
  });

  afterAll(async () => {
    await service?.close();
  });

  it('runs a 4-combination sweep whose rows equal each combination run alone, streams it and keeps it', async () => {
    const config = sweepConfig();
    const created = await request(`${service.url}/sweeps`, {
      body: {
        config,
        params: [
          'simple_ma_cross.fast_period=2,3',
          { strategy: 'simple_ma_cross', key: 'slow_period', range: { from: 5, to: 8, step: 3 } },
        ],
        objective: 'total_return',
        workers: 2,
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'running', total: 4 });
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`/sweeps/${id}`);

    const stream = await followToEnd(`${service.url}/sweeps/${id}/events`);
    const rows = stream.named<Json>('row');
    expect(rows.map((r) => r.id)).toEqual(['1', '2', '3', '4']);
    expect(rows.map((r) => r.data.done)).toEqual([1, 2, 3, 4]);
    expect(rows.every((r) => r.data.total === 4 && r.data.row.error === null)).toBe(true);
    const [end] = stream.named<Json>('end');
    expect(end?.data).toMatchObject({ state: 'completed', done: 4, total: 4, failed: 0, error: null });

    const detail = (await request(`${service.url}/sweeps/${id}`)).body;
    expect(detail).toMatchObject({
      state: 'completed',
      progress: { done: 4, total: 4, failed: 0, etaSeconds: null },
      spec: { objective: 'total_return', minimize: false, workers: 2, walkForward: null },
      errors: [],
      windows: null,
    });
    expect(detail.rows.map((r: Json) => r.rank)).toEqual([1, 2, 3, 4]);
    expect(detail.rows.map((r: Json) => r.index).sort()).toEqual([0, 1, 2, 3]);
    // Ranked by the objective, best first.
    const returns = detail.rows.map((r: Json) => r.stats.totalReturn);
    expect(returns).toEqual([...returns].sort((a: number, b: number) => b - a));
    expect(detail.best).toEqual(detail.rows[0]);
    const combinations = [
      { 'simple_ma_cross.fast_period': 2, 'simple_ma_cross.slow_period': 5 },
      { 'simple_ma_cross.fast_period': 2, 'simple_ma_cross.slow_period': 8 },
      { 'simple_ma_cross.fast_period': 3, 'simple_ma_cross.slow_period': 5 },
      { 'simple_ma_cross.fast_period': 3, 'simple_ma_cross.slow_period': 8 },
    ];
    for (const row of detail.rows) {
      expect(row.combination).toEqual(combinations[row.index]);
      const oracle = await alone(config, row.index, combinations[row.index] as Record<string, number>);
      expect(row.stats).toEqual(oracle.stats);
      expect(row.signals).toBe(oracle.signals);
      // The stream carried the same row.
      expect(rows.find((r) => r.data.row.index === row.index)?.data.row.stats).toEqual(oracle.stats);
    }
    // Every metric of the results, not only the objective.
    expect(Object.keys(detail.rows[0].stats)).toEqual(
      expect.arrayContaining(['sharpe', 'maxDrawdown', 'trades']),
    );
    expect((await request(`${service.url}/sweeps/${id}?top=2`)).body.rows).toHaveLength(2);

    const list = (await request(`${service.url}/sweeps`)).body.sweeps;
    expect(list.map((s: Json) => s.id)).toContain(id);
    expect(list.find((s: Json) => s.id === id)).toMatchObject({ state: 'completed', best: detail.best });

    const metrics = await request(`${service.url}/metrics`);
    expect(metrics.body).toMatch(/^strat_sweeps\{state="completed"\} 1$/m);
    expect(metrics.body).toMatch(/^strat_sweeps\{state="running"\} 0$/m);

    // An ended sweep's stream is its history; Last-Event-ID resumes after a row.
    const replay = await SseClient.open(`${service.url}/sweeps/${id}/events`, { 'last-event-id': '2' });
    await replay.waitForEnd();
    expect(replay.named('row').map((r) => r.id)).toEqual(['3', '4']);
    expect(replay.named<Json>('end')[0]?.data.state).toBe('completed');

    // A restart on the same data dir keeps the finished sweep.
    await service.close({ keepData: true });
    service = await startTestService({ dataDir: service.dataDir, sweepLimits: { maxRunningSweeps: 1 } });
    const again = (await request(`${service.url}/sweeps/${id}`)).body;
    expect(again.rows).toEqual(detail.rows);
    expect(again.state).toBe('completed');
  }, 180_000);

  it('refuses bad parameters with 400 before anything runs, naming the parameter', async () => {
    const config = sweepConfig();
    const post = (body: Json) => request(`${service.url}/sweeps`, { body: { config, ...body } });
    const before = (await request(`${service.url}/sweeps`)).body.sweeps.length;
    const cases: [Json, string, RegExp][] = [
      [{ params: ['nope.fast_period=2,3'] }, 'body.params[0]', /no enabled strategy is named "nope"/],
      [
        { params: ['simple_ma_cross.fast_period=2', 'simple_ma_cross.speed=1,2'] },
        'body.params[1]',
        /simple_ma_cross\.speed: .*has no key "speed"/,
      ],
      [{ params: ['simple_ma_cross.fast_period=5:2'] }, 'body.params[0]', /empty range/],
      [
        { params: [{ strategy: 'simple_ma_cross', key: 'fast_period', range: { from: 9, to: 3 } }] },
        'body.params[0]',
        /simple_ma_cross\.fast_period: empty range/,
      ],
      [
        { params: [{ strategy: 'simple_ma_cross', key: 'fast_period', values: [2, 2] }] },
        'body.params[0].values',
        /2 is listed twice/,
      ],
      [
        { params: ['simple_ma_cross.fast_period=2'], objective: 'luck' },
        'body.objective',
        /unknown metric "luck"/,
      ],
      [
        { params: ['simple_ma_cross.fast_period=2'], walk_forward: '9d:9d' },
        'body.walk_forward',
        /holds 1 sessions/,
      ],
    ];
    for (const [body, path, message] of cases) {
      const answer = await post(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.code).toBe('CONFIG_INVALID');
      expect(answer.body.issues[0].path, JSON.stringify(body)).toBe(path);
      expect(answer.body.issues[0].message).toMatch(message);
    }
    // A value the strategy's config schema refuses (fast must stay below slow): found by setting it up.
    const refused = await post({ params: ['simple_ma_cross.fast_period=2,3,4'], workers: 1 });
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([
      {
        path: 'body.params[0]',
        message: 'simple_ma_cross.fast_period=3: must be less than slow_period (3), got 3',
      },
      {
        path: 'body.params[0]',
        message: 'simple_ma_cross.fast_period=4: must be less than slow_period (3), got 4',
      },
    ]);
    // The config follows the rules of POST /sessions, at its JSON paths.
    const noExecution = await request(`${service.url}/sweeps`, {
      body: { config: sessionConfig({ speed: 0 }), params: ['simple_ma_cross.fast_period=2'] },
    });
    expect(noExecution.status).toBe(400);
    expect(noExecution.body.issues[0].path).toBe('execution');
    const badMode = await post({ config: { ...config, mode: 'bactest' }, params: ['a.b=1'] });
    expect(badMode.status).toBe(400);
    expect(badMode.body.issues[0].path).toBe('mode');
    const fileModule = structuredClone(config);
    fileModule.session_data_config.strategies[0].module = './strategies/examples/simple_ma_cross.ts';
    const forbidden = await post({ config: fileModule, params: ['simple_ma_cross.fast_period=2'] });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('PATH_FORBIDDEN');
    expect(forbidden.body.issues[0].path).toBe('session_data_config.strategies[0].module');
    // A named config: its strategies by the names the session gives them.
    const named = await request(`${service.url}/sweeps`, {
      body: { name: 'demo', params: ['sma.fast_period=5'] },
    });
    expect(named.status).toBe(400);
    expect(named.body.issues).toEqual([
      {
        path: 'body.params[0]',
        message:
          'sma.fast_period: no enabled strategy is named "sma" (strategies: simple_ma_cross, rsi_strategy, vwap_strategy)',
      },
    ]);
    const envelope = await request(`${service.url}/sweeps`, { body: { config, params: [] } });
    expect(envelope.status).toBe(400);
    expect(envelope.body.code).toBe('REQUEST_INVALID');
    expect(
      (await request(`${service.url}/sweeps`, { body: { name: 'missing', params: ['a.b=1'] } })).status,
    ).toBe(404);
    const tooMany = await post({
      params: ['simple_ma_cross.fast_period=1:2', 'simple_ma_cross.slow_period=3:9000'],
    });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.issues[0].path).toBe('body.params');
    const workers = await post({ params: ['simple_ma_cross.fast_period=2'], workers: 64 });
    expect(workers.status).toBe(422);
    expect(workers.body.issues[0].path).toBe('body.workers');
    // Nothing was started.
    expect((await request(`${service.url}/sweeps`)).body.sweeps).toHaveLength(before);
  }, 120_000);

  it('stops a running sweep, keeping its finished rows, and holds the limit of running sweeps', async () => {
    const config = sweepConfig('2024-01-03');
    const created = await request(`${service.url}/sweeps`, {
      body: {
        config,
        params: ['simple_ma_cross.fast_period=2:7', 'simple_ma_cross.slow_period=8:12'],
        workers: 1,
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const second = await request(`${service.url}/sweeps`, {
      body: { config, params: ['simple_ma_cross.fast_period=2'] },
    });
    expect(second.status).toBe(429);
    expect(second.body.code).toBe('SWEEP_LIMIT');

    const stream = await SseClient.open(`${service.url}/sweeps/${id}/events`);
    await stream.waitFor((c) => c.named('row').length >= 1, 120_000, 'a first row');
    const running = (await request(`${service.url}/sweeps/${id}`)).body;
    expect(running.state).toBe('running');
    expect(running.progress.total).toBe(30);
    const stopped = await request(`${service.url}/sweeps/${id}/stop`, { method: 'POST' });
    expect(stopped.status).toBe(200);
    expect(stopped.body.state).toBe('stopped');
    const kept = stopped.body.rows as Json[];
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThan(30);
    expect(stopped.body.progress).toMatchObject({ done: kept.length, total: 30 });
    await stream.waitForEnd();
    expect(stream.named('row')).toHaveLength(kept.length);
    expect(stream.named<Json>('end')[0]?.data).toMatchObject({ state: 'stopped', done: kept.length });
    const first = kept.find((r) => r.index === 0) ?? kept[0];
    const oracle = await alone(config, first.index, first.combination);
    expect(first.stats).toEqual(oracle.stats);

    const again = await request(`${service.url}/sweeps/${id}/stop`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('SWEEP_ENDED');
    expect((await request(`${service.url}/sweeps/nope`)).status).toBe(404);
    expect((await request(`${service.url}/sweeps/nope/stop`, { method: 'POST' })).body.code).toBe(
      'SWEEP_NOT_FOUND',
    );
    expect((await request(`${service.url}/sweeps/nope/events`)).status).toBe(404);
  }, 180_000);

  it('runs a walk-forward: per window the grid on its training sessions, the best on its test sessions', async () => {
    const config = sweepConfig('2024-01-08');
    const created = await request(`${service.url}/sweeps`, {
      body: { config, params: ['simple_ma_cross.slow_period=4,6'], walk_forward: '2d:1d', workers: 1 },
    });
    expect(created.status).toBe(201);
    // 2024-01-02..08: 5 sessions, 3 windows of 2 + 1: each trains 2 combinations and tests 1.
    expect(created.body.total).toBe(9);
    await followToEnd(`${service.url}/sweeps/${created.body.id}/events`);
    const detail = (await request(`${service.url}/sweeps/${created.body.id}`)).body;
    expect(detail.state).toBe('completed');
    expect(detail.best).toBeNull();
    expect(detail.windows).toHaveLength(3);
    expect(detail.windows[0].window).toEqual({
      trainStart: '2024-01-02',
      trainEnd: '2024-01-03',
      testStart: '2024-01-04',
      testEnd: '2024-01-04',
    });
    for (const [i, step] of detail.windows.entries()) {
      const train = detail.rows.filter((r: Json) => r.window === i && r.phase === 'train');
      const test = detail.rows.filter((r: Json) => r.window === i && r.phase === 'test');
      expect(train).toHaveLength(2);
      expect(test).toHaveLength(1);
      expect(step.best.index).toBe(train[0].index);
      expect(test[0].index).toBe(train[0].index);
    }
  }, 180_000);
});

describe('parameter sweeps on a non-loopback address', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ listenHost: '0.0.0.0', apiToken: TOKEN });
  });

  afterAll(async () => {
    await service?.close();
  });

  it('refuses every sweep route without the token and serves them with it', async () => {
    const body = { config: sweepConfig(), params: ['simple_ma_cross.fast_period=2'], workers: 1 };
    for (const [path, init] of [
      ['/sweeps', { body }],
      ['/sweeps', {}],
      ['/sweeps/x', {}],
      ['/sweeps/x/events', {}],
      ['/sweeps/x/stop', { method: 'POST' }],
    ] as const) {
      const answer = await request(`${service.url}${path}`, init);
      expect(answer.status, path).toBe(401);
      expect(answer.body.code).toBe('UNAUTHORIZED');
    }
    const auth = { authorization: `Bearer ${TOKEN}` };
    const created = await request(`${service.url}/sweeps`, { body, headers: auth });
    expect(created.status).toBe(201);
    const stream = await SseClient.open(`${service.url}/sweeps/${created.body.id}/events`, auth);
    await stream.waitForEnd(120_000);
    expect(stream.named<Json>('end')[0]?.data.state).toBe('completed');
    expect((await request(`${service.url}/sweeps`, { headers: auth })).body.sweeps).toHaveLength(1);
  }, 120_000);
});
