import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSessionConfig } from '@strat/core';
import {
  equitySeriesOf,
  type Fill,
  Session,
  type SessionResults,
  type TradeRecord,
  tradeRecordsOf,
} from '@strat/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReceivedEvent, SseClient } from '../support/sse-client';
import {
  type Json,
  PROJECT_ROOT,
  request,
  sessionConfig,
  startTestService,
  type TestService,
  waitForSession,
} from '../support/test-service';

const SYMBOLS = ['AAPL', 'MSFT'];

/** Two days, two strategies with paper accounts (the second with its own settings), data-driven unless `speed`. */
function tradingConfig(speed = 0): Json {
  const config = sessionConfig({ speed, symbols: SYMBOLS, endDate: '2024-01-03' });
  config.session_data_config.strategies.push({
    module: 'strategies.examples.rsi_strategy',
    config: { symbols: SYMBOLS, interval: '1m', rsi_period: 5 },
    execution: { fill: 'close', allow_short: true, sizing: { units: 25 } },
  });
  config.execution = {
    initial_cash: 50_000,
    slippage_bps: 2,
    commission: { per_unit: 0.01, percent: 0.05, minimum: 1 },
    sizing: { percent_equity: 40, lot_size: 5 },
  };
  return config;
}

/** What the service's routes should give: the in-process run's results through JSON (Infinity becomes null). */
interface Expected {
  results: SessionResults;
  fills: Fill[];
  /** The run's signal journal, line by line. */
  journal: string[];
}

async function runInProcess(config: Json): Promise<Expected> {
  const journalDir = mkdtempSync(join(tmpdir(), 'strat-service-journal-'));
  const journalPath = join(journalDir, 'signals.jsonl');
  const session = new Session(parseSessionConfig(config), {
    configDir: join(PROJECT_ROOT, 'session_configs'),
    roots: [PROJECT_ROOT],
    executor: 'worker',
    logLevel: 'silent',
    journalPath,
  });
  const fills: Fill[] = [];
  let results: SessionResults | undefined;
  session.on('fill', (fill) => fills.push(fill));
  session.on('result', (r) => {
    results = r;
  });
  try {
    const summary = await session.start();
    expect(summary.state).toBe('completed');
  } finally {
    await session.shutdown();
  }
  if (results === undefined) throw new Error('the in-process session gave no results');
  const journal = readFileSync(journalPath, 'utf8').trimEnd().split('\n');
  rmSync(journalDir, { recursive: true, force: true });
  return { results, fills, journal };
}

const viaJson = <T>(value: T): Json => JSON.parse(JSON.stringify(value));

async function allTrades(url: string, id: string, query = ''): Promise<Json[]> {
  const trades: Json[] = [];
  let after = 0;
  for (;;) {
    const page = await request(`${url}/sessions/${id}/trades?after=${after}&limit=7${query}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    trades.push(...page.body.trades);
    after = page.body.next;
    if (!page.body.hasMore) return trades;
  }
}

function equityRows(expected: Expected, every = 1): Json[] {
  return expected.results.strategies.flatMap((s) => {
    const series = equitySeriesOf(s.equity);
    const n = series.time.length;
    return series.time.flatMap((time, i) =>
      i % every === 0 || i === n - 1
        ? [
            {
              strategy: s.strategy,
              time,
              equity: series.equity[i],
              cash: series.cash[i],
              exposure: series.exposure[i],
            },
          ]
        : [],
    );
  });
}

function expectedTrades(expected: Expected): (TradeRecord & { seq: number })[] {
  return expected.results.strategies
    .flatMap((s) => tradeRecordsOf(s.strategy, s.trades))
    .map((trade, i) => ({ seq: i + 1, ...trade }));
}

/** Every stored event (signals and fills) of a stream, in the order sent. */
const stored = (events: ReceivedEvent[]) => events.filter((e) => e.event === 'signal' || e.event === 'fill');

let service: TestService;
let expected: Expected;
let id: string;
let replayed: ReceivedEvent[];

beforeAll(async () => {
  service = await startTestService({ sessionLogLevel: 'silent' });
  const [inProcess, created] = await Promise.all([
    runInProcess(tradingConfig()),
    request(`${service.url}/sessions`, { body: { config: tradingConfig() } }),
  ]);
  expected = inProcess;
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  id = created.body.id;
  const stream = await SseClient.open(`${service.url}/sessions/${id}/events`);
  await stream.waitForEnd(60_000);
  replayed = stream.events;
});

afterAll(async () => {
  await service?.close();
});

describe('paper results of a session with execution', () => {
  it('the in-process run traded (the comparison below is not empty)', () => {
    expect(expected.results.strategies.map((s) => s.strategy)).toEqual(['simple_ma_cross', 'rsi_strategy']);
    for (const s of expected.results.strategies) {
      expect(s.trades.count).toBeGreaterThan(3);
      expect(s.equity.count).toBeGreaterThan(700);
    }
  });

  it('GET /results gives the stats, settings, unfilled and open positions of the in-process Session', async () => {
    const { status, body } = await request(`${service.url}/sessions/${id}/results`);
    expect(status).toBe(200);
    expect(body).toEqual(
      viaJson({
        strategies: expected.results.strategies.map((s) => ({
          strategy: s.strategy,
          settings: s.settings,
          stats: s.stats,
          unfilled: s.unfilled,
          open_positions: s.openPositions,
        })),
        total: expected.results.total,
      }),
    );
    const summary = (await request(`${service.url}/sessions/${id}`)).body.summary;
    expect(summary.results.total).toEqual(body.total);
  });

  it('GET /trades pages through every trade in order, whole or per strategy', async () => {
    const all = expectedTrades(expected);
    expect(await allTrades(service.url, id)).toEqual(viaJson(all));
    const rsi = await allTrades(service.url, id, '&strategy=rsi_strategy');
    expect(rsi).toEqual(viaJson(all.filter((t) => t.strategy === 'rsi_strategy')));
    const first = await request(`${service.url}/sessions/${id}/trades?limit=2&strategy=rsi_strategy`);
    expect(first.body).toMatchObject({ count: rsi.length, next: rsi[1].seq, hasMore: true });
  });

  it('GET /equity gives every row, or every Nth and the last, whole or per strategy', async () => {
    const whole = await request(`${service.url}/sessions/${id}/equity`);
    expect(whole.status).toBe(200);
    expect(whole.body).toEqual({ every: 1, rows: equityRows(expected) });
    const sampled = await request(`${service.url}/sessions/${id}/equity?every=50&strategy=simple_ma_cross`);
    expect(sampled.body).toEqual({
      every: 50,
      rows: equityRows(expected, 50).filter((r) => r.strategy === 'simple_ma_cross'),
    });
  });

  it('the event stream carries every fill of the in-process run, in order with the signals', () => {
    const fills = replayed.filter((e) => e.event === 'fill');
    // Times as the journal and fills.csv write them (ISO), epoch ms beside them.
    expect(fills.map((e) => JSON.parse(e.data))).toEqual(
      viaJson(
        expected.fills.map((fill, i) => ({
          seq: i + 1,
          fill: { ...fill, time: new Date(fill.time).toISOString(), timeMs: fill.time },
        })),
      ),
    );
    // A fill follows the signal it fills (next_open and close alike).
    let lastSignal = 0;
    const seen = new Set<string>();
    for (const event of stored(replayed)) {
      const data = JSON.parse(event.data);
      if (event.event === 'signal') {
        lastSignal = data.seq;
        expect(event.id).toBe(String(data.seq));
        seen.add(`${data.signal.strategy} ${data.signal.seq}`);
      } else {
        expect(event.id).toBe(`${lastSignal}:${data.seq}`);
        expect(seen.has(`${data.fill.strategy} ${data.fill.signalSeq}`)).toBe(true);
      }
    }
    const end = replayed.find((e) => e.event === 'end');
    expect(JSON.parse(end?.data ?? '{}')).toMatchObject({ state: 'completed', fills: fills.length });
  });

  it("the event stream's signals are the journal's lines, with the times in epoch ms beside the ISO ones", async () => {
    const signals = replayed.filter((e) => e.event === 'signal').map((e) => JSON.parse(e.data));
    expect(signals).toHaveLength(expected.journal.length);
    signals.forEach(({ seq, signal }, i) => {
      expect(seq).toBe(i + 1);
      const { timeMs, barTimeMs, ...line } = signal;
      expect(JSON.stringify(line)).toBe(expected.journal[i]);
      expect(timeMs).toBe(Date.parse(signal.time));
      expect(barTimeMs).toBe(Date.parse(signal.barTime));
    });
    // GET /sessions/:id/signals gives the same objects.
    const page = await request(`${service.url}/sessions/${id}/signals?limit=1000`);
    expect(page.body.signals).toEqual(signals.slice(0, 1000));
  });

  it('a stream resumed after Last-Event-ID sends exactly the rest, from a fill id or a signal id', async () => {
    const events = stored(replayed);
    const fillAt = events.findIndex((e, i) => e.event === 'fill' && i > events.length / 2);
    const signalAt = events.findIndex((e, i) => e.event === 'signal' && i > events.length / 3);
    for (const at of [fillAt, signalAt]) {
      const stream = await SseClient.open(`${service.url}/sessions/${id}/events`, {
        'last-event-id': events[at]?.id ?? '',
      });
      await stream.waitForEnd();
      expect(stored(stream.events)).toEqual(events.slice(at + 1));
    }
    const bad = await request(`${service.url}/sessions/${id}/events`, {
      headers: { 'last-event-id': '3:x' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('headers.last-event-id');
  });

  it('answers 400 with the JSON path for bad query parameters', async () => {
    const cases: [string, string][] = [
      ['trades?limit=0', 'querystring.limit'],
      ['trades?limit=1001', 'querystring.limit'],
      ['trades?after=-1', 'querystring.after'],
      ['trades?strategy=nope', 'querystring.strategy'],
      ['equity?every=0', 'querystring.every'],
      ['equity?every=x', 'querystring.every'],
      ['equity?strategy=nope', 'querystring.strategy'],
    ];
    for (const [query, path] of cases) {
      const { status, body } = await request(`${service.url}/sessions/${id}/${query}`);
      expect(status, query).toBe(400);
      expect(body.code, query).toBe('REQUEST_INVALID');
      expect(
        body.issues.map((i: { path: string }) => i.path),
        query,
      ).toEqual([path]);
    }
  });

  it('answers 404 for an unknown session and for a session without an execution section', async () => {
    for (const route of ['results', 'trades', 'equity']) {
      const unknown = await request(`${service.url}/sessions/no-such-session/${route}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('SESSION_NOT_FOUND');
    }
    const created = await request(`${service.url}/sessions`, {
      body: { config: sessionConfig({ speed: 0 }) },
    });
    const plain = created.body.id;
    await waitForSession(service.url, plain, (s) => s.state === 'completed');
    for (const route of ['results', 'trades', 'equity']) {
      const { status, body } = await request(`${service.url}/sessions/${plain}/${route}`);
      expect(status).toBe(404);
      expect(body).toEqual({
        error: `Session ${plain} has no paper results: its config has no execution section`,
        code: 'RESULTS_NONE',
      });
    }
  });

  it('answers 409 while the session runs; a running stream carries fills and equity, the last equity being the last rows', async () => {
    // Clock-driven: one trading day in about 4 s of wall time, so the stream below sees it run.
    const config = tradingConfig(6000);
    config.backtest_config.end_date = '2024-01-02';
    const created = await request(`${service.url}/sessions`, { body: { config } });
    expect(created.status).toBe(201);
    const running = created.body.id;
    const stream = await SseClient.open(`${service.url}/sessions/${running}/events`);
    const early = await request(`${service.url}/sessions/${running}/results`);
    await stream.waitForEnd(60_000);
    const states = stream.named<{ state: string }>('state').map((e) => e.data.state);
    // Precondition of what follows: this stream joined while the session ran (not its history).
    expect(['created', 'starting', 'running']).toContain(states[0]);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatch(/: its results are stored when it ends$/);
    expect(early.body.code).toBe('RESULTS_NOT_READY');
    expect(early.headers.get('retry-after')).toBe('1');

    const trades = await allTrades(service.url, running);
    const fills = stream.named<{ fill: Fill }>('fill');
    expect(fills.length).toBeGreaterThan(0);
    expect(fills.length).toBeGreaterThanOrEqual(trades.length);
    const equity = stream.named<{ strategy: string; time: number; equity: number }[]>('equity');
    expect(equity.length).toBeGreaterThan(0);
    const rows = (await request(`${service.url}/sessions/${running}/equity`)).body.rows as Json[];
    const lastRows = ['simple_ma_cross', 'rsi_strategy'].map((s) =>
      rows.filter((r) => r.strategy === s).at(-1),
    );
    expect(equity.at(-1)?.data).toEqual(lastRows);
    expect(equity.every((e) => e.id === undefined)).toBe(true);
  });

  it('serves the same results, trades, equity and fills after a restart of the service', async () => {
    const before = await Promise.all(
      ['results', 'trades?limit=1000', 'equity?every=3'].map((r) =>
        request(`${service.url}/sessions/${id}/${r}`),
      ),
    );
    await service.close({ keepData: true });
    service = await startTestService({ dataDir: service.dataDir, sessionLogLevel: 'silent' });
    const after = await Promise.all(
      ['results', 'trades?limit=1000', 'equity?every=3'].map((r) =>
        request(`${service.url}/sessions/${id}/${r}`),
      ),
    );
    expect(after.map((a) => a.body)).toEqual(before.map((b) => b.body));
    const stream = await SseClient.open(`${service.url}/sessions/${id}/events`);
    await stream.waitForEnd();
    expect(stored(stream.events)).toEqual(stored(replayed));
  });
});
