import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MarketReplayServer, serveFeedFromConfig } from '@strat/data/replay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseClient } from '../support/sse-client';
import { request, startTestService, type TestService, waitForSession } from '../support/test-service';

const KEY = 'service-live-key';
const SECRET = 'service-live-secret-5d1e';
const SYMBOLS = ['AAPL', 'MSFT'];
const DATE = '2024-01-02';

function sessionData() {
  return {
    symbols: SYMBOLS,
    streams: ['1m'],
    strategies: [
      {
        module: 'strategies.examples.simple_ma_cross',
        config: {
          symbols: SYMBOLS,
          interval: '1m',
          fast_period: 2,
          slow_period: 3,
          follow_added_symbols: true,
        },
      },
    ],
  };
}

const DATA = { source: 'generator', seed: 7 };

interface SignalData {
  seq: number;
  signal: { strategy: string; symbol: string; action: string; barTime: string; price: number };
}

const key = (s: SignalData['signal']) => `${s.symbol} ${s.action} ${s.barTime} ${s.price}`;

let service: TestService;
let replay: MarketReplayServer;
let historyDir: string;

beforeAll(async () => {
  service = await startTestService({ sessionLogLevel: 'silent' });
  historyDir = mkdtempSync(join(tmpdir(), 'strat-service-live-'));
  const history = join(historyDir, 'history.json');
  writeFileSync(
    history,
    JSON.stringify({
      mode: 'backtest',
      backtest_config: { start_date: DATE, end_date: DATE },
      session_data_config: sessionData(),
      data_config: DATA,
    }),
  );
  // What `strat feed serve history.json --port 0 --speed 3000` runs: one trading day in about 8 s.
  replay = await serveFeedFromConfig({
    path: history,
    port: 0,
    speed: 3000,
    env: { STRAT_FEED_KEY: KEY, STRAT_FEED_SECRET: SECRET },
  });
});

afterAll(async () => {
  await service?.close();
  await replay?.close();
  rmSync(historyDir, { recursive: true, force: true });
});

describe('a live session through the service, against the local replay server', () => {
  it('starts, streams signals over SSE, takes a symbol, stops; its signals match a data-driven run', async () => {
    const reference = await request(`${service.url}/sessions`, {
      body: {
        config: {
          mode: 'backtest',
          backtest_config: { start_date: DATE, end_date: DATE, speed_multiplier: 0 },
          session_data_config: sessionData(),
          data_config: DATA,
        },
      },
    });
    expect(reference.status).toBe(201);
    await waitForSession(service.url, reference.body.id, (s) => s.state === 'completed');
    const expected = (await request(`${service.url}/sessions/${reference.body.id}/signals?limit=1000`)).body
      .signals as SignalData[];
    expect(expected.length).toBeGreaterThan(20);

    const created = await request(`${service.url}/sessions`, {
      body: {
        config: {
          mode: 'live',
          session_data_config: sessionData(),
          live_config: { feed_url: replay.url, clock: 'feed', key: KEY, secret: SECRET },
        },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const events = await SseClient.open(`${service.url}/sessions/${id}/events`);
    // The symbol is added as soon as the feed streams: at 3000x the replayed day lasts about 8 s, and
    // a busy machine may take seconds to get through the first signals.
    const streaming = (c: SseClient) =>
      c.named<{ state: string }>('feed').some((e) => e.data.state === 'streaming');
    await events.waitFor(streaming, 30_000, 'the feed streaming');
    const added = await request(`${service.url}/sessions/${id}/symbols`, { body: { symbol: 'NVDA' } });
    // Six on the first symbols (the added one's may come first on a busy machine): compared below.
    const onFirstSymbols = (c: SseClient) =>
      c.named<SignalData>('signal').filter((s) => SYMBOLS.includes(s.data.signal.symbol)).length;
    await events.waitFor((c) => onFirstSymbols(c) >= 6, 30_000, '6 live signals on the first symbols');
    expect(events.named<{ state: string }>('feed').map((e) => e.data.state)).toContain('streaming');

    expect(added.body).toEqual({ symbol: 'NVDA', added: true, symbols: ['AAPL', 'MSFT', 'NVDA'] });
    await events.waitFor((c) => c.named('symbolAdded').length === 1, 10_000, 'symbolAdded');
    const nvdaSignal = (c: SseClient) =>
      c.named<SignalData>('signal').some((s) => s.data.signal.symbol === 'NVDA');
    await events.waitFor(nvdaSignal, 30_000, 'a signal on the added symbol');

    const running = await request(`${service.url}/sessions/${id}`);
    expect(running.body).toMatchObject({ mode: 'live', state: 'running' });
    expect(running.body.config.live_config).toMatchObject({ key: '[redacted]', secret: '[redacted]' });
    expect(JSON.stringify(running.body)).not.toContain(SECRET);
    const metrics = (await request(`${service.url}/metrics`)).body as string;
    expect(metrics).toContain(
      `strat_strategy_notifications_total{session="${id}",strategy="simple_ma_cross"}`,
    );

    const stopped = await request(`${service.url}/sessions/${id}/stop`, { method: 'POST' });
    expect(stopped.body).toMatchObject({ state: 'stopped', symbols: ['AAPL', 'MSFT', 'NVDA'] });
    await events.waitForEnd();
    expect(events.events[events.events.length - 1]?.event).toBe('end');

    const received = events.named<SignalData>('signal').map((s) => s.data);
    expect(received.map((s) => s.seq)).toEqual(Array.from({ length: stopped.body.signals }, (_, i) => i + 1));
    // The symbols both runs traded give the same signals, bar for bar, as far as the live run got.
    const live = received.filter((s) => SYMBOLS.includes(s.signal.symbol)).map((s) => key(s.signal));
    expect(live.length).toBeGreaterThanOrEqual(6);
    expect(live).toEqual(expected.slice(0, live.length).map((s) => key(s.signal)));
  });

  it('refuses a live config without feed credentials (400) or with a feed elsewhere (403); fails on wrong ones', async () => {
    const liveConfig = (live: Record<string, unknown>) => ({
      config: { mode: 'live', session_data_config: sessionData(), live_config: { clock: 'feed', ...live } },
    });
    const missing = await request(`${service.url}/sessions`, { body: liveConfig({ feed_url: replay.url }) });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('CONFIG_INVALID');
    expect(missing.body.issues.map((i: { path: string }) => i.path)).toEqual([
      'live_config.key',
      'live_config.secret',
    ]);

    const elsewhere = await request(`${service.url}/sessions`, {
      body: liveConfig({ feed_url: 'wss://feed.example.com/v2/iex', key: KEY, secret: SECRET }),
    });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.issues[0].path).toBe('live_config.feed_url');

    const wrong = await request(`${service.url}/sessions`, {
      body: liveConfig({ feed_url: replay.url, key: KEY, secret: 'not-the-secret-1234' }),
    });
    expect(wrong.status).toBe(201);
    const failed = await waitForSession(service.url, wrong.body.id, (s) => s.endedAt !== null);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/auth/i);
    expect(JSON.stringify(failed)).not.toContain('not-the-secret-1234');
  });
});
