import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MarketReplayServer, serveFeedFromConfig } from '@strat/data/replay';
import { BarRecorder, Session } from '@strat/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Json,
  PROJECT_ROOT,
  request,
  sessionConfig,
  startTestService,
  type TestService,
  waitForSession,
} from '../support/test-service';

const KEY = 'bars-live-key';
const SECRET = 'bars-live-secret-9a7c';

/** The bars a session's strategies saw, recorded in this process by a Session of the same config. */
async function recordedBars(config: Json, symbol: string, interval: string) {
  const session = Session.fromConfig(config, {
    roots: [PROJECT_ROOT],
    configDir: join(PROJECT_ROOT, 'session_configs'),
    logLevel: 'silent',
  });
  const recorder = new BarRecorder(session);
  await session.start();
  await session.shutdown();
  const [series] = recorder.bars([{ symbol, interval: interval as never }]);
  if (series === undefined) throw new Error('no bars recorded');
  return Array.from(series.time, (time, i) => ({
    time: time / 1000,
    open: series.open[i],
    high: series.high[i],
    low: series.low[i],
    close: series.close[i],
    volume: series.volume[i],
  }));
}

let service: TestService;

beforeAll(async () => {
  service = await startTestService({ sessionLogLevel: 'silent' });
});

afterAll(async () => {
  await service?.close();
});

describe('GET /sessions/:id/bars of a backtest', () => {
  let id: string;
  let config: Json;

  beforeAll(async () => {
    config = sessionConfig({ speed: 0, symbols: ['AAPL', 'MSFT'] });
    config.session_data_config.streams = ['1m', '5m'];
    const created = await request(`${service.url}/sessions`, { body: { config } });
    expect(created.status).toBe(201);
    id = created.body.id;
    await waitForSession(service.url, id, (s) => s.state === 'completed');
  });

  it('answers the bars its strategies saw, read again from its source, times in epoch seconds', async () => {
    for (const interval of ['1m', '5m']) {
      const { status, body } = await request(
        `${service.url}/sessions/${id}/bars?symbol=MSFT&interval=${interval}`,
      );
      expect(status, interval).toBe(200);
      expect(body).toMatchObject({
        symbol: 'MSFT',
        interval,
        source: 'source',
        complete: true,
        bucket: null,
      });
      expect(body.bars).toEqual(await recordedBars(config, 'MSFT', interval));
      expect(body.count).toBe(body.bars.length);
      // One trading day: 390 one-minute bars from 9:30 New York (14:30 UTC).
      expect(body.bars.length).toBe(interval === '1m' ? 390 : 78);
      expect(body.bars[0].time).toBe(Date.UTC(2024, 0, 2, 14, 30) / 1000);
    }
  });

  it('aggregates to at most max_points bars: first open, highest high, lowest low, last close, summed volume', async () => {
    const all = (await request(`${service.url}/sessions/${id}/bars?symbol=AAPL&interval=1m`)).body.bars;
    const { body } = await request(
      `${service.url}/sessions/${id}/bars?symbol=AAPL&interval=1m&max_points=30`,
    );
    expect(body.count).toBe(390);
    expect(body.bucket).toBe('15m');
    expect(body.bars).toHaveLength(26);
    const first = all.slice(0, 15);
    expect(body.bars[0]).toEqual({
      time: all[0].time,
      open: first[0].open,
      high: Math.max(...first.map((b: Json) => b.high)),
      low: Math.min(...first.map((b: Json) => b.low)),
      close: first[14].close,
      volume: first.reduce((sum: number, b: Json) => sum + b.volume, 0),
    });
    const total = (bars: Json[]) => bars.reduce((sum, b) => sum + b.volume, 0);
    expect(total(body.bars)).toBeCloseTo(total(all), 6);
  });

  it('keeps the bars from..to (epoch seconds or ISO times), both ends included', async () => {
    const all = (await request(`${service.url}/sessions/${id}/bars?symbol=AAPL&interval=1m`)).body.bars;
    const range = await request(
      `${service.url}/sessions/${id}/bars?symbol=AAPL&interval=1m&from=${all[10].time}&to=${all[19].time}`,
    );
    expect(range.body.bars).toEqual(all.slice(10, 20));
    const iso = await request(
      `${service.url}/sessions/${id}/bars?symbol=AAPL&interval=1m&from=2024-01-02T14:40:00Z&to=2024-01-02T14:49:00Z`,
    );
    expect(iso.body.bars).toEqual(all.slice(10, 20));
    const after = await request(
      `${service.url}/sessions/${id}/bars?symbol=AAPL&interval=1m&from=${all[389].time + 1}`,
    );
    expect(after.body).toMatchObject({ count: 0, bars: [] });
  });

  it('answers 404 for an unknown session and 400 naming the symbols and streams there are', async () => {
    const unknown = await request(`${service.url}/sessions/nope/bars?symbol=AAPL&interval=1m`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('SESSION_NOT_FOUND');
    const bad = await request(`${service.url}/sessions/${id}/bars?symbol=ZZZ&interval=15m`);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('REQUEST_INVALID');
    expect(bad.body.issues).toEqual([
      { path: 'querystring.symbol', message: expect.stringContaining('(it streams: AAPL, MSFT)') },
      { path: 'querystring.interval', message: expect.stringContaining('(its streams: 1m, 5m)') },
    ]);
    for (const query of [
      'interval=1m',
      'symbol=AAPL',
      'symbol=AAPL&interval=1m&max_points=0',
      'symbol=AAPL&interval=1m&from=soon',
    ]) {
      const refused = await request(`${service.url}/sessions/${id}/bars?${query}`);
      expect(refused.status, query).toBe(400);
      expect(refused.body.issues[0].path, query).toMatch(/^querystring\./);
    }
  });

  it('is in the OpenAPI document', async () => {
    const spec = (await request(`${service.url}/openapi.json`)).body;
    const route = spec.paths['/sessions/{id}/bars'].get;
    expect(route.parameters.map((p: Json) => p.name)).toEqual(
      expect.arrayContaining(['id', 'symbol', 'interval', 'from', 'to', 'max_points']),
    );
    expect(route.responses['200']).toBeDefined();
  });
});

describe('GET /sessions/:id/bars of a running backtest', () => {
  it('answers the bars its clock has closed, more as it runs, and stays at where it stopped', async () => {
    const config = sessionConfig({ speed: 600, symbols: ['AAPL'] });
    const created = await request(`${service.url}/sessions`, { body: { config } });
    const id = created.body.id as string;
    const url = `${service.url}/sessions/${id}/bars?symbol=AAPL&interval=1m`;
    const running = await waitForSession(
      service.url,
      id,
      (s) => s.state === 'running' && s.progress?.barsDone >= 5,
    );
    const early = (await request(url)).body;
    expect(early).toMatchObject({ source: 'source', complete: false });
    expect(early.count).toBeLessThan(390);
    const clock = (await request(`${service.url}/sessions/${id}`)).body.progress.time / 1000;
    for (const bar of early.bars) expect(bar.time + 60).toBeLessThanOrEqual(clock);
    expect(running.progress.time).toBeGreaterThan(0);
    // Ten more minutes of the session's day.
    await waitForSession(service.url, id, (s) => s.progress.time / 1000 >= clock + 600);
    const later = (await request(url)).body;
    expect(later.count).toBeGreaterThan(early.count);
    expect(later.bars.slice(0, early.bars.length)).toEqual(early.bars);

    const stopped = await request(`${service.url}/sessions/${id}/stop`, { method: 'POST' });
    expect(stopped.body.state).toBe('stopped');
    const final = (await request(url)).body;
    expect(final.complete).toBe(true);
    expect(final.count).toBeLessThan(390);
    expect(final.bars.at(-1).time + 60).toBeLessThanOrEqual(stopped.body.progress.time / 1000);
  });
});

describe('GET /sessions/:id/bars of a live session', () => {
  let replay: MarketReplayServer;
  let historyDir: string;
  const symbols = ['AAPL'];
  const data = () => ({
    symbols,
    streams: ['1m'],
    strategies: [
      {
        module: 'strategies.examples.simple_ma_cross',
        config: { symbols, interval: '1m', fast_period: 2, slow_period: 3 },
      },
    ],
  });

  beforeAll(async () => {
    historyDir = mkdtempSync(join(tmpdir(), 'strat-bars-live-'));
    const history = join(historyDir, 'history.json');
    writeFileSync(
      history,
      JSON.stringify({
        mode: 'backtest',
        backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
        session_data_config: data(),
        data_config: { source: 'generator', seed: 7 },
      }),
    );
    replay = await serveFeedFromConfig({
      path: history,
      port: 0,
      speed: 600,
      env: { STRAT_FEED_KEY: KEY, STRAT_FEED_SECRET: SECRET },
    });
  });

  afterAll(async () => {
    await replay?.close();
    rmSync(historyDir, { recursive: true, force: true });
  });

  it("answers from the session's store while it runs (the same bars as the backtest), and 404 once it ended", async () => {
    const reference = sessionConfig({ speed: 0, symbols });
    const backtest = await request(`${service.url}/sessions`, { body: { config: reference } });
    await waitForSession(service.url, backtest.body.id, (s) => s.state === 'completed');
    const expected = (
      await request(`${service.url}/sessions/${backtest.body.id}/bars?symbol=AAPL&interval=1m`)
    ).body.bars as Json[];

    const created = await request(`${service.url}/sessions`, {
      body: {
        config: {
          mode: 'live',
          session_data_config: data(),
          live_config: { feed_url: replay.url, clock: 'feed', key: KEY, secret: SECRET },
        },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const url = `${service.url}/sessions/${id}/bars?symbol=AAPL&interval=1m`;
    await waitForSession(service.url, id, (s) => s.state === 'running' && s.signals >= 2);
    const live = (await request(url)).body;
    expect(live).toMatchObject({ symbol: 'AAPL', interval: '1m', source: 'store', complete: false });
    expect(live.bars.length).toBeGreaterThan(3);
    const start = expected.findIndex((b) => b.time === live.bars[0].time);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(live.bars).toEqual(expected.slice(start, start + live.bars.length));
    const since = (await request(`${url}&from=${live.bars.at(-1).time}`)).body;
    expect(since.bars[0]).toEqual(live.bars.at(-1));

    await request(`${service.url}/sessions/${id}/stop`, { method: 'POST' });
    const ended = await request(url);
    expect(ended.status).toBe(404);
    expect(ended.body.error).toMatch(/live feed.*only while it runs/);
  });
});
