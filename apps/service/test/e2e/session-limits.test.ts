import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  request,
  sessionConfig,
  startTestService,
  type TestService,
  waitForSession,
} from '../support/test-service';

let service: TestService;

beforeAll(async () => {
  service = await startTestService({
    sessionLogLevel: 'silent',
    limits: { maxSymbols: 3, maxStreams: 2, maxWindow: 5000, maxBacktestDays: 31, maxStrategies: 1 },
  });
});

afterAll(async () => {
  await service.close();
});

describe('the limits of one session', () => {
  it('answers 422 naming each limit passed, its setting and the JSON path; nothing starts', async () => {
    const config = sessionConfig({ speed: 0, symbols: ['A', 'B', 'C', 'D'], endDate: '2024-02-05' });
    config.session_data_config.streams = ['1m', '5m', '15m'];
    config.session_data_config.streaming.window = 5001;
    config.session_data_config.strategies.push({
      ...config.session_data_config.strategies[0],
      name: 'second',
    });
    const { status, body } = await request(`${service.url}/sessions`, { body: { config } });
    expect(status).toBe(422);
    expect(body.code).toBe('CONFIG_INVALID');
    expect(body.issues).toEqual([
      {
        path: 'session_data_config.symbols',
        message: expect.stringMatching(/^4 symbols .*limit is 3 \(--max-symbols/),
      },
      {
        path: 'session_data_config.streams',
        message: expect.stringMatching(/^3 streams: .*limit is 2 \(--max-streams/),
      },
      {
        path: 'session_data_config.streaming.window',
        message: expect.stringMatching(/5,001 bars: .*limit is 5,000 \(--max-window/),
      },
      {
        path: 'backtest_config.end_date',
        message: expect.stringMatching(/^35 days .*limit is 31 \(--max-backtest-days/),
      },
      {
        path: 'session_data_config.strategies',
        message: expect.stringMatching(/^2 enabled strategies: .*limit is 1 \(--max-strategies/),
      },
    ]);
    expect(body.error).toMatch(/^The session asks for more than this service allows:\n/);
    expect((await request(`${service.url}/sessions`)).body.sessions).toEqual([]);
  });

  it('counts the symbols of scanner universes, and holds named configs to the limits too', async () => {
    const config = sessionConfig({ speed: 0, symbols: ['A', 'B'] });
    config.session_data_config.scanners = [
      { module: '@strat/examples/volume-spike-scanner', config: { universe: ['A', 'C', 'D'] } },
    ];
    const scanned = await request(`${service.url}/sessions`, { body: { config } });
    expect(scanned.status).toBe(422);
    expect(scanned.body.issues[0].path).toBe('session_data_config.scanners[0].config.universe');

    const named = await request(`${service.url}/sessions`, { body: { name: 'five_strategies' } });
    expect(named.status).toBe(422);
    expect(named.body.issues.map((i: { path: string }) => i.path)).toContain(
      'session_data_config.strategies',
    );
  });

  it('answers 422 when a symbol added mid-session would pass the limit', async () => {
    const created = await request(`${service.url}/sessions`, {
      body: { config: sessionConfig({ speed: 30, symbols: ['AAPL', 'MSFT'] }) },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    await waitForSession(service.url, id, (s) => s.state === 'running');
    expect(
      (await request(`${service.url}/sessions/${id}/symbols`, { body: { symbol: 'NVDA' } })).body,
    ).toMatchObject({ added: true, symbols: ['AAPL', 'MSFT', 'NVDA'] });
    const again = await request(`${service.url}/sessions/${id}/symbols`, { body: { symbol: 'NVDA' } });
    expect(again.body.added).toBe(false);
    const past = await request(`${service.url}/sessions/${id}/symbols`, { body: { symbol: 'AMD' } });
    expect(past.status).toBe(422);
    expect(past.body.issues).toEqual([
      {
        path: 'body.symbol',
        message: expect.stringMatching(/streams 3 symbols: .*limit is 3 \(--max-symbols/),
      },
    ]);
    await request(`${service.url}/sessions/${id}/stop`, { method: 'POST' });
  });

  it('documents the limits of this service in the OpenAPI document, with the 422 answers', async () => {
    const { body } = await request(`${service.url}/openapi.json`);
    const create = body.paths['/sessions'].post;
    expect(create.responses).toHaveProperty('422');
    expect(create.description).toMatch(/Limits here: 3 symbols .*--max-symbols.*2 streams/);
    expect(body.paths['/sessions/{id}/symbols'].post.responses).toHaveProperty('422');
  });
});

describe('the limit of running sessions', () => {
  it('counts a session still starting its process: of two requests at once, one gets 429', async () => {
    const single = await startTestService({ sessionLogLevel: 'silent', maxRunningSessions: 1 });
    try {
      const body = { config: sessionConfig({ speed: 30 }) };
      const answers = await Promise.all([
        request(`${single.url}/sessions`, { body }),
        request(`${single.url}/sessions`, { body }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 429]);
      expect(answers.find((a) => a.status === 429)?.body.code).toBe('SESSION_LIMIT');
    } finally {
      await single.close();
    }
  });
});
