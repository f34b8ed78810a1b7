import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseClient } from '../support/sse-client';
import {
  request,
  sessionConfig,
  startTestService,
  type TestService,
  waitForSession,
} from '../support/test-service';

let service: TestService;
let url: string;

beforeAll(async () => {
  service = await startTestService();
  url = service.url;
});

afterAll(async () => {
  await service.close();
});

async function createSession(body: unknown): Promise<string> {
  const created = await request(`${url}/sessions`, { body });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

describe('POST /sessions', () => {
  it('starts a session from a file in session_configs/ and runs it to completion', async () => {
    const created = await request(`${url}/sessions`, { body: { name: 'test_single_strategy' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), state: 'created' });
    expect(created.headers.get('location')).toBe(`/sessions/${created.body.id}`);
    const done = await waitForSession(url, created.body.id, (s) => s.state === 'completed');
    expect(done).toMatchObject({ name: 'test_single_strategy', mode: 'backtest', error: null });
    expect(done.endedAt).toEqual(expect.any(String));
    expect(done.summary).toMatchObject({ state: 'completed', signals: done.signals });
    expect(done.metrics.total_signals_generated).toBe(done.signals);
    expect(done.progress.barsDone).toBeGreaterThan(0);
  });

  it('answers 400 with every JSON path of an invalid config', async () => {
    const config = sessionConfig({ speed: 0 });
    config.mode = 'bactest';
    config.session_data_config.streams = ['1m', '7x'];
    config.session_data_config.strategies[0].modul = 'x';
    const { status, body } = await request(`${url}/sessions`, { body: { config } });
    expect(status).toBe(400);
    expect(body.code).toBe('CONFIG_INVALID');
    const paths = body.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'mode',
        'session_data_config.streams[1]',
        'session_data_config.strategies[0].modul',
      ]),
    );
    expect(body.error).not.toMatch(/\n\s+at /);
  });

  it('answers 400 for a body that is not JSON, is empty, or is not an envelope', async () => {
    const broken = await request(`${url}/sessions`, { rawBody: '{"config": {' });
    expect(broken.status).toBe(400);
    expect(broken.body).toEqual({ error: 'The body is not valid JSON', code: 'INVALID_JSON' });

    const neither = await request(`${url}/sessions`, { body: {} });
    expect(neither.status).toBe(400);
    expect(neither.body.code).toBe('REQUEST_INVALID');

    const both = await request(`${url}/sessions`, { body: { name: 'demo', config: {} } });
    expect(both.status).toBe(400);

    const unknownKey = await request(`${url}/sessions`, { body: { name: 'demo', journal: '/etc/x' } });
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body.issues[0].path).toBe('body');

    const text = await request(`${url}/sessions`, {
      rawBody: 'name=demo',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect(text.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses module and CSV paths a request may not choose (403), and names that are not config files', async () => {
    const config = sessionConfig({ speed: 0 });
    config.session_data_config.strategies[0].module = './evil_strategy.ts';
    config.session_data_config.scanners = [{ module: '../scanners/x.ts' }];
    config.data_config = { source: 'csv', files: [{ path: '../../etc/passwd', symbol: 'AAPL' }] };
    const { status, body } = await request(`${url}/sessions`, { body: { config } });
    expect(status).toBe(403);
    expect(body.code).toBe('PATH_FORBIDDEN');
    expect(body.issues.map((i: { path: string }) => i.path)).toEqual([
      'session_data_config.strategies[0].module',
      'session_data_config.scanners[0].module',
      'data_config.files[0].path',
    ]);

    const absolute = sessionConfig({ speed: 0 });
    absolute.session_data_config.strategies[0].module = '/tmp/evil.ts';
    const refused = await request(`${url}/sessions`, { body: { config: absolute } });
    expect(refused.status).toBe(400);
    expect(refused.body.issues[0].path).toBe('session_data_config.strategies[0].module');

    const csvAbsolute = sessionConfig({ speed: 0 });
    csvAbsolute.data_config = { source: 'csv', files: [{ path: '/etc/hosts', symbol: 'AAPL' }] };
    expect((await request(`${url}/sessions`, { body: { config: csvAbsolute } })).status).toBe(403);

    const traversal = await request(`${url}/sessions`, { body: { name: '../package' } });
    expect(traversal.status).toBe(400);
    const missing = await request(`${url}/sessions`, { body: { name: 'no_such_config' } });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('CONFIG_NOT_FOUND');
  });

  it('answers 400 naming a module that does not exist, before anything runs', async () => {
    const config = sessionConfig({ speed: 0 });
    config.session_data_config.strategies[0].module = 'strategies.examples.no_such_strategy';
    const { status, body } = await request(`${url}/sessions`, { body: { config } });
    expect(status).toBe(400);
    expect(body.code).toBe('CONFIG_INVALID');
    expect(body.issues[0].path).toBe('session_data_config.strategies[0].module');
  });

  it('accepts a CSV file inside session_configs/', async () => {
    const id = await createSession({
      config: {
        mode: 'backtest',
        backtest_config: { start_date: '2024-01-02', end_date: '2024-01-03' },
        session_data_config: {
          symbols: ['ACME'],
          streams: ['1m', '5m'],
          streaming: { executor: 'inline' },
          strategies: [
            {
              module: '@strat/examples/sma-cross',
              config: { symbols: ['ACME'], interval: '5m', fast_period: 3, slow_period: 6, min_quality: 0 },
            },
          ],
        },
        data_config: {
          source: 'csv',
          files: [
            {
              path: 'data/acme-1m-end-labelled.csv',
              symbol: 'ACME',
              columns: {
                date: 'Date',
                time: 'Time',
                open: 'Open',
                high: 'High',
                low: 'Low',
                close: 'Close',
                volume: 'Volume',
              },
              timezone: 'America/New_York',
              time_label: 'end',
            },
          ],
        },
      },
    });
    const done = await waitForSession(url, id, (s) => s.endedAt !== null);
    expect(done.state, done.error).toBe('completed');
    expect(done.signals).toBeGreaterThan(0);
  });
});

describe('session routes', () => {
  it('lists sessions newest first and filters by state', async () => {
    const a = await createSession({ config: sessionConfig({ speed: 0 }) });
    await waitForSession(url, a, (s) => s.state === 'completed');
    const { status, body } = await request(`${url}/sessions?limit=2`);
    expect(status).toBe(200);
    expect(body.sessions.length).toBeLessThanOrEqual(2);
    expect(body.sessions[0].id).toBe(a);
    const completed = await request(`${url}/sessions?state=completed`);
    expect(completed.body.sessions.every((s: { state: string }) => s.state === 'completed')).toBe(true);
    const bad = await request(`${url}/sessions?limit=0&state=nope`);
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'querystring.limit',
      'querystring.state',
    ]);
  });

  it('answers 404 as JSON for an unknown session on every session route', async () => {
    const id = '00000000-0000-0000-0000-000000000000';
    for (const [method, path, body] of [
      ['GET', `/sessions/${id}`, undefined],
      ['POST', `/sessions/${id}/stop`, undefined],
      ['POST', `/sessions/${id}/symbols`, { symbol: 'AMD' }],
      ['GET', `/sessions/${id}/signals`, undefined],
      ['GET', `/sessions/${id}/events`, undefined],
    ] as const) {
      const answer = await request(`${url}${path}`, { method, body });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body).toEqual({ error: `There is no session ${id}`, code: 'SESSION_NOT_FOUND' });
    }
  });

  it('answers 404 as JSON for an unknown route', async () => {
    const { status, body } = await request(`${url}/nope?x=1`);
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'There is no route GET /nope', code: 'NOT_FOUND' });
  });

  it('pages the signal history by sequence number', async () => {
    const id = await createSession({ config: sessionConfig({ speed: 0 }) });
    const done = await waitForSession(url, id, (s) => s.state === 'completed');
    expect(done.signals).toBeGreaterThan(20);
    const seen: number[] = [];
    let after = 0;
    for (;;) {
      const page = await request(`${url}/sessions/${id}/signals?after=${after}&limit=7`);
      expect(page.status).toBe(200);
      expect(page.body.lastSeq).toBe(done.signals);
      for (const s of page.body.signals) seen.push(s.seq);
      after = page.body.next;
      if (!page.body.hasMore) break;
    }
    expect(seen).toEqual(Array.from({ length: done.signals }, (_, i) => i + 1));
    const first = await request(`${url}/sessions/${id}/signals?limit=1`);
    expect(first.body.signals[0]).toEqual({
      seq: 1,
      signal: expect.objectContaining({
        strategy: 'simple_ma_cross',
        action: expect.any(String),
        symbol: 'AAPL',
      }),
    });
    const bad = await request(`${url}/sessions/${id}/signals?after=-1&limit=5000`);
    expect(bad.status).toBe(400);
  });

  it('stops a running session; a second stop is 409', async () => {
    const id = await createSession({ config: sessionConfig({ speed: 30 }) });
    await waitForSession(url, id, (s) => s.state === 'running');
    const stopped = await request(`${url}/sessions/${id}/stop`, { method: 'POST' });
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ id, state: 'stopped', summary: { state: 'stopped' } });
    const again = await request(`${url}/sessions/${id}/stop`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('SESSION_ENDED');
  });

  it('adds a symbol to a running session, says when it is there already, refuses an ended session', async () => {
    const id = await createSession({ config: sessionConfig({ speed: 30 }) });
    await waitForSession(url, id, (s) => s.state === 'running');
    const events = await SseClient.open(`${url}/sessions/${id}/events`);
    const added = await request(`${url}/sessions/${id}/symbols`, { body: { symbol: 'NVDA' } });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ symbol: 'NVDA', added: true, symbols: ['AAPL', 'MSFT', 'NVDA'] });
    await events.waitFor((c) => c.named('symbolAdded').length > 0, 10_000, 'symbolAdded');
    expect(events.named<{ symbol: string }>('symbolAdded')[0]?.data.symbol).toBe('NVDA');
    const again = await request(`${url}/sessions/${id}/symbols`, { body: { symbol: 'NVDA' } });
    expect(again.body.added).toBe(false);
    const bad = await request(`${url}/sessions/${id}/symbols`, { body: { symbol: 'not a symbol!' } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('body.symbol');
    const view = await request(`${url}/sessions/${id}`);
    expect(view.body.symbols).toEqual(['AAPL', 'MSFT', 'NVDA']);
    await request(`${url}/sessions/${id}/stop`, { method: 'POST' });
    await events.waitForEnd();
    const late = await request(`${url}/sessions/${id}/symbols`, { body: { symbol: 'AMD' } });
    expect(late.status).toBe(409);
  });
});

describe('GET /sessions/:id/events', () => {
  it('streams every signal in order with its seq as the event id, metrics, state, then end', async () => {
    const id = await createSession({
      config: sessionConfig({ speed: 3000, symbols: ['AAPL', 'MSFT', 'NVDA'] }),
    });
    const events = await SseClient.open(`${url}/sessions/${id}/events`);
    expect(events.status).toBe(200);
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await events.waitFor((c) => c.named('signal').length >= 10, 30_000, '10 signals');
    await events.waitFor((c) => c.named('metrics').length > 0, 10_000, 'metrics');
    await events.waitForEnd(60_000);
    const signals = events.named<{ seq: number; signal: { strategy: string } }>('signal');
    const view = await request(`${url}/sessions/${id}`);
    expect(view.body.state).toBe('completed');
    expect(signals.map((s) => s.data.seq)).toEqual(
      Array.from({ length: view.body.signals }, (_, i) => i + 1),
    );
    expect(signals.map((s) => s.id)).toEqual(signals.map((s) => String(s.data.seq)));
    const stored = await request(`${url}/sessions/${id}/signals?limit=1000`);
    expect(signals.map((s) => s.data)).toEqual(stored.body.signals);
    const metrics = events.named<{ metrics: { per_strategy: unknown[] }; progress: { barsDone: number } }>(
      'metrics',
    );
    // A snapshot taken while the session is still starting (its source already reading) may list no
    // strategy yet; once the strategy exists, every snapshot lists it.
    const listed = metrics.map((m) => m.data.metrics.per_strategy.length);
    expect(listed.at(-1)).toBe(1);
    expect(listed.slice(listed.indexOf(1))).toEqual(listed.slice(listed.indexOf(1)).map(() => 1));
    const states = events.named<{ state: string }>('state').map((s) => s.data.state);
    expect(states[states.length - 1]).toBe('completed');
    const names = events.events.map((e) => e.event);
    expect(names[names.length - 1]).toBe('end');
    expect(events.named<{ state: string; signals: number }>('end')[0]?.data).toMatchObject({
      state: 'completed',
      signals: view.body.signals,
    });
  });

  it('resumes after Last-Event-ID (or ?after=) and replays an ended session from its history', async () => {
    const id = await createSession({ config: sessionConfig({ speed: 0 }) });
    const done = await waitForSession(url, id, (s) => s.state === 'completed');
    const resumed = await SseClient.open(`${url}/sessions/${id}/events`, { 'last-event-id': '5' });
    await resumed.waitForEnd();
    const seqs = resumed.named<{ seq: number }>('signal').map((s) => s.data.seq);
    expect(seqs).toEqual(Array.from({ length: done.signals - 5 }, (_, i) => i + 6));
    expect(resumed.events[0]?.event).toBe('state');
    expect(resumed.events[resumed.events.length - 1]?.event).toBe('end');

    const byQuery = await SseClient.open(`${url}/sessions/${id}/events?after=${done.signals - 2}`);
    await byQuery.waitForEnd();
    expect(byQuery.named('signal')).toHaveLength(2);

    const bad = await request(`${url}/sessions/${id}/events`, { headers: { 'last-event-id': 'abc' } });
    expect(bad.status).toBe(400);
  });
});

describe('service routes', () => {
  it('GET /healthz', async () => {
    expect(await request(`${url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('GET /metrics gives Prometheus text with per-strategy counters, processing time and sessions by state', async () => {
    const id = await createSession({ config: sessionConfig({ speed: 0 }) });
    await waitForSession(url, id, (s) => s.state === 'completed');
    const { status, headers, body } = await request(`${url}/metrics`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    const text = body as string;
    const labels = `session="${id}",strategy="simple_ma_cross"`;
    expect(text).toMatch(new RegExp(`strat_strategy_notifications_total\\{${labels}\\} 780\\b`));
    expect(text).toMatch(new RegExp(`strat_strategy_signals_total\\{${labels}\\} [1-9]`));
    expect(text).toContain('# TYPE strat_strategy_processing_time_seconds summary');
    expect(text).toMatch(new RegExp(`strat_strategy_processing_time_seconds_count\\{${labels}\\} 780\\b`));
    expect(text).toMatch(/strat_sessions\{state="completed"\} [1-9]/);
    expect(text).toMatch(/strat_service_signals_stored_total [1-9]/);
  });

  it('serves the OpenAPI document generated from the zod schemas, and the docs page', async () => {
    const { status, body } = await request(`${url}/openapi.json`);
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/sessions',
        '/sessions/{id}',
        '/sessions/{id}/stop',
        '/sessions/{id}/symbols',
        '/sessions/{id}/signals',
        '/sessions/{id}/events',
        '/metrics',
        '/healthz',
      ]),
    );
    const createBody = body.paths['/sessions'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(createBody)).toContain('session_data_config');
    expect(body.components.schemas).toHaveProperty('Session');
    const docs = await fetch(`${url}/docs`, { redirect: 'follow' });
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });
});
