import type { Interval } from '@strat/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { TradingCalendar } from '../calendar/trading-calendar';
import { FeedClock, LiveWallClock } from '../clock/live-clock';
import { MarketReplayServer } from '../replay/market-replay-server';
import { AlpacaBarFeed } from '../sources/feeds/alpaca/alpaca-bar-feed';
import { encodeBar } from '../sources/feeds/alpaca/alpaca-protocol';
import type { FeedBar } from '../sources/feeds/bar-feed';
import { tradingBarsOf } from '../sources/feeds/create-bar-feed';
import { OutageTracker } from '../sources/feeds/outage-tracker';
import { GeneratorBarSource } from '../sources/generator/generator-bar-source';
import { SessionData } from '../store/session-data';
import type { BarConsumer } from './bar-consumer';
import { DataProcessor } from './data-processor';

const calendar = TradingCalendar.usEquities();
const MINUTE = 60_000;
const OPEN = Date.UTC(2024, 0, 2, 14, 30);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Recording extends BarConsumer {
  bars: string[];
  quality: string[];
  steps: number[];
  sessions: string[];
}

function recorder(): Recording {
  const r: Recording = {
    bars: [],
    quality: [],
    steps: [],
    sessions: [],
    onBar: (s, i, idx, t) => r.bars.push(`${s} ${i} ${idx} ${t}`),
    onQuality: (s, i, q) => r.quality.push(`${s} ${i} ${Math.round(q)}`),
    onStep: (t) => {
      r.steps.push(t);
    },
    onSessionStart: (s) => r.sessions.push(`start ${s.date}`),
    onSessionEnd: (s) => {
      r.sessions.push(`end ${s.date}`);
    },
  };
  return r;
}

describe('DataProcessor on a feed, against the replay server', () => {
  it('delivers exactly what a replay of the same generated bars delivers, in the same order', async () => {
    const symbols = ['AAPL', 'MSFT', 'NVDA'];
    const streams: Interval[] = ['1m', '5m', '15m'];
    const source = () => new GeneratorBarSource({ calendar, seed: 5, missing_bar_rate: 0.03 });
    const reference = recorder();
    await new DataProcessor({
      store: new SessionData({ window: 2048 }),
      source: source(),
      calendar,
      symbols,
      streams,
      startDate: '2024-01-02',
      endDate: '2024-01-03',
      consumer: reference,
    }).run();

    const server = new MarketReplayServer({
      source: source(),
      calendar,
      startDate: '2024-01-02',
      endDate: '2024-01-03',
      speed: 15_000,
      key: 'k',
      secret: 's',
      maxBarsPerMessage: 2,
    });
    await server.start();
    cleanups.push(() => server.close());
    const live = recorder();
    const clock = new FeedClock();
    const processor = new DataProcessor({
      store: new SessionData({ window: 2048 }),
      calendar,
      feed: new AlpacaBarFeed({ url: server.url, key: 'k', secret: 's' }),
      clock,
      symbols,
      streams,
      consumer: live,
      endDate: '2024-01-03',
      useAnnouncedSpeed: true,
      // At 15,000x a minute lasts 4 ms: give a loaded machine's network jitter room, so no bar is late.
      minWallGraceMs: 500,
    });
    const summary = await processor.run();
    expect(clock.speed).toBe(15_000);
    expect(summary).toMatchObject({
      stopped: false,
      sessions: 2,
      lateBars: 0,
      startDate: '2024-01-02',
    });
    expect(summary.barsDone).toBe(summary.barsReceived);
    expect(live.sessions).toEqual([
      'start 2024-01-02',
      'end 2024-01-02',
      'start 2024-01-03',
      'end 2024-01-03',
    ]);
    expect(live.bars.length).toBeGreaterThan(2500);
    expect(live.bars).toEqual(reference.bars);
    expect(live.quality).toEqual(reference.quality);
    expect(live.steps).toEqual(reference.steps);
    expect(processor.getQualitySummary()).toEqual(
      expect.arrayContaining([expect.objectContaining({ symbol: 'AAPL', interval: '1m', expected: 780 })]),
    );
  }, 40_000);
});

/** A feed server the test scripts frame by frame. */
async function scriptedServer() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  let client: WebSocket | undefined;
  let onClient: () => void = () => {};
  const connected = new Promise<void>((resolve) => {
    onClient = resolve;
  });
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify([{ T: 'success', msg: 'connected' }]));
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { action: string; bars?: string[] };
      if (m.action === 'auth') ws.send(JSON.stringify([{ T: 'success', msg: 'authenticated' }]));
      if (m.action === 'subscribe') {
        ws.send(JSON.stringify([{ T: 'subscription', trades: [], quotes: [], bars: m.bars }]));
        client = ws;
        onClient();
      }
    });
  });
  const port = (wss.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    connected,
    send: (...bars: FeedBar[]) => client?.send(JSON.stringify(bars.map(encodeBar))),
    /** Sends messages as they are, valid or not. */
    sendRaw: (...messages: Record<string, unknown>[]) => client?.send(JSON.stringify(messages)),
  };
}

const bar = (symbol: string, minute: number, close = 100): FeedBar => ({
  symbol,
  time: OPEN + minute * MINUTE,
  open: close,
  high: close + 1,
  low: close - 1,
  close,
  volume: 10,
});

describe('DataProcessor on a feed: time steps', () => {
  it('waits for every symbol, closes a minute missing a symbol after the grace, drops late bars', async () => {
    const server = await scriptedServer();
    const consumer = recorder();
    const problems: string[] = [];
    const store = new SessionData();
    const processor = new DataProcessor({
      store,
      calendar,
      feed: new AlpacaBarFeed({ url: server.url, key: 'k', secret: 's' }),
      clock: new FeedClock(60),
      symbols: ['AAPL', 'MSFT'],
      streams: ['1m', '5m'],
      consumer,
      stepGraceMs: 3000,
      minWallGraceMs: 400,
      onProblem: (m) => problems.push(m),
    });
    const run = processor.run();
    await server.connected;
    // Minute 0 split over two frames: one step, both bars.
    server.send(bar('AAPL', 0));
    await vi.waitFor(() => expect(processor.report().rowsRead).toBe(1), { timeout: 5000 });
    expect(consumer.steps).toEqual([]);
    server.send(bar('MSFT', 0));
    await vi.waitFor(() => expect(consumer.steps).toEqual([OPEN + MINUTE]), { timeout: 5000 });
    expect(consumer.bars).toEqual([`AAPL 1m 0 ${OPEN + MINUTE}`, `MSFT 1m 0 ${OPEN + MINUTE}`]);
    // Minute 1: MSFT has no bar; the minute closes once the clock passed its end + grace (and 400 ms of wall time).
    server.send(bar('AAPL', 1));
    await vi.waitFor(() => expect(processor.report().rowsRead).toBe(3), { timeout: 5000 });
    expect(consumer.steps).toHaveLength(1);
    await vi.waitFor(() => expect(consumer.steps).toEqual([OPEN + MINUTE, OPEN + 2 * MINUTE]), {
      timeout: 5000,
    });
    // MSFT's bar of minute 1 now is late: dropped and reported, the store does not go back.
    server.send(bar('MSFT', 1), bar('AAPL', 2), bar('MSFT', 2), bar('AAPL', 3, 101));
    await vi.waitFor(
      () => expect(consumer.steps).toEqual([OPEN + MINUTE, OPEN + 2 * MINUTE, OPEN + 3 * MINUTE]),
      { timeout: 5000 },
    );
    expect(problems).toEqual([
      expect.stringMatching(/bar MSFT at 2024-01-02T14:31:00.000Z arrived after its minute/),
    ]);
    // A later bar of one symbol is evidence that the other has none for a minute... only for itself.
    server.send(bar('MSFT', 4));
    await vi.waitFor(
      () =>
        expect(consumer.steps).toEqual([
          OPEN + MINUTE,
          OPEN + 2 * MINUTE,
          OPEN + 3 * MINUTE,
          OPEN + 4 * MINUTE,
        ]),
      { timeout: 5000 },
    );
    expect(consumer.bars.filter((b) => b.includes(' 5m '))).toEqual([]);
    processor.stop();
    const summary = await run;
    expect(summary).toMatchObject({ stopped: true, lateBars: 1, barsReceived: 8, barsDone: 6, sessions: 1 });
    expect(processor.report()).toMatchObject({ rowsRead: 8, rowsSkipped: 1 });
    expect(store.getBars('MSFT', '1m').length).toBe(2);
    // MSFT 1m received 2 of the 4 minutes that ended.
    expect(
      processor.getQualitySummary().find((q) => q.symbol === 'MSFT' && q.interval === '1m'),
    ).toMatchObject({
      received: 2,
    });
  });

  it('adds a symbol mid-session: it streams from the next minute and steps wait for it from then on', async () => {
    const server = await scriptedServer();
    const consumer = recorder();
    const processor = new DataProcessor({
      store: new SessionData(),
      calendar,
      feed: new AlpacaBarFeed({ url: server.url, key: 'k', secret: 's' }),
      clock: new FeedClock(60),
      symbols: ['AAPL'],
      streams: ['1m'],
      consumer,
      // A grace far beyond the test's duration: steps here close because bars arrive, never by time,
      // so a slow machine cannot close the minute before TSLA's bar.
      stepGraceMs: 3_600_000,
      minWallGraceMs: 60_000,
    });
    const run = processor.run();
    await server.connected;
    server.send(bar('AAPL', 0));
    await vi.waitFor(() => expect(consumer.steps).toEqual([OPEN + MINUTE]), { timeout: 5000 });
    expect(processor.addSymbol('TSLA')).toBe(true);
    expect(processor.addSymbol('AAPL')).toBe(false);
    expect(processor.symbols).toEqual(['AAPL', 'TSLA']);
    server.send(bar('AAPL', 1));
    await vi.waitFor(() => expect(processor.report().rowsRead).toBe(2), { timeout: 5000 });
    expect(consumer.steps).toHaveLength(1);
    server.send(bar('TSLA', 1));
    await vi.waitFor(
      () =>
        expect(consumer.bars.slice(1)).toEqual([
          `AAPL 1m 1 ${OPEN + 2 * MINUTE}`,
          `TSLA 1m 0 ${OPEN + 2 * MINUTE}`,
        ]),
      { timeout: 5000 },
    );
    processor.stop();
    await run;
  });
});

describe('DataProcessor on a feed: hostile bars', () => {
  it('skips and counts bad bars (a 1e308 price, a far-future or year-275760 time), logs each kind once, and runs on', async () => {
    const server = await scriptedServer();
    const consumer = recorder();
    const problems: string[] = [];
    const processor = new DataProcessor({
      store: new SessionData(),
      calendar,
      feed: new AlpacaBarFeed({ url: server.url, key: 'k', secret: 's' }),
      clock: new FeedClock(60),
      symbols: ['AAPL'],
      streams: ['1m'],
      consumer,
      endDate: '2024-01-03',
      stepGraceMs: 3_600_000,
      minWallGraceMs: 60_000,
      onProblem: (m) => problems.push(m),
    });
    const run = processor.run();
    await server.connected;
    server.send(bar('AAPL', 0));
    await vi.waitFor(() => expect(consumer.steps).toEqual([OPEN + MINUTE]), { timeout: 5000 });
    const wire = encodeBar(bar('AAPL', 1));
    server.sendRaw(
      { ...wire, o: 1e308, h: 1e308 },
      { ...wire, c: 1e308, h: 1e308 },
      { ...wire, t: '+275760-09-13T00:00:00Z' },
      { ...encodeBar(bar('AAPL', 60 * 24 * 30)) }, // 30 days ahead of the feed clock, past the end date
      { ...wire },
    );
    await vi.waitFor(() => expect(processor.report().rowsRead).toBe(5), { timeout: 5000 });
    server.send(bar('AAPL', 2));
    await vi.waitFor(() => expect(consumer.steps).toEqual([OPEN + MINUTE, OPEN + 2 * MINUTE]), {
      timeout: 5000,
    });
    expect(consumer.bars).toEqual([`AAPL 1m 0 ${OPEN + MINUTE}`, `AAPL 1m 1 ${OPEN + 2 * MINUTE}`]);
    // Two 1e308 bars, one kind: told once; the far-future bar once; the year-275760 one is the feed's own problem.
    expect(problems).toEqual([
      expect.stringMatching(
        /bar AAPL at 2024-01-02T14:31:00.000Z: price 1e\+308 is not a finite price .*counted, not logged$/,
      ),
      expect.stringMatching(
        /bar AAPL at 2024-02-01T14:30:00.000Z closes \d+ minutes after the session clock/,
      ),
    ]);
    expect(processor.report().rowsSkipped).toBe(3);
    processor.stop();
    const summary = await run;
    expect(summary).toMatchObject({ stopped: true, barsDone: 2 });
  });

  it('tells the first bar on each closed day as it arrives (a wrong time zone shows at once), counts the rest', async () => {
    const server = await scriptedServer();
    const consumer = recorder();
    const problems: string[] = [];
    const processor = new DataProcessor({
      store: new SessionData(),
      calendar,
      feed: new AlpacaBarFeed({ url: server.url, key: 'k', secret: 's' }),
      clock: new FeedClock(60),
      symbols: ['AAPL'],
      streams: ['1m'],
      consumer,
      endDate: '2024-01-16',
      stepGraceMs: 3_600_000,
      minWallGraceMs: 60_000,
      onProblem: (m) => problems.push(m),
    });
    const run = processor.run();
    await server.connected;
    const at = (time: string, close = 100): FeedBar => ({ ...bar('AAPL', 0, close), time: Date.parse(time) });
    // Saturday, then Martin Luther King Jr. Day twice (New York 10:00 and 10:01), then Tuesday's open.
    server.send(
      at('2024-01-13T15:00:00Z'),
      at('2024-01-15T15:00:00Z'),
      at('2024-01-15T15:01:00Z'),
      at('2024-01-16T14:30:00Z'),
      at('2024-01-16T14:31:00Z'),
    );
    await vi.waitFor(() => expect(consumer.steps[0]).toBe(Date.parse('2024-01-16T14:31:00Z')), {
      timeout: 5000,
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^a bar at 2024-01-13T15:00:00.000Z falls on 2024-01-13 \(not a trading weekday\), a day the calendar has no session: skipped/,
      ),
      expect.stringMatching(
        /^a bar at 2024-01-15T15:00:00.000Z falls on 2024-01-15 \(Martin Luther King Jr. Day\)/,
      ),
    ]);
    processor.stop();
    const summary = await run;
    expect(summary).toMatchObject({ stopped: true, barsOnClosedDays: 3 });
    expect(summary.closedDaysWithBars).toEqual([
      { date: '2024-01-13', name: 'not a trading weekday', bars: 1 },
      { date: '2024-01-15', name: 'Martin Luther King Jr. Day', bars: 2 },
    ]);
  });

  it('does not end a live session because of one bar dated days ahead of the wall clock', async () => {
    const server = await scriptedServer();
    const consumer = recorder();
    // The wall clock reads 90 s after the open, as on the day itself.
    const wall = new LiveWallClock(() => OPEN + 90_000);
    const processor = new DataProcessor({
      store: new SessionData(),
      calendar,
      feed: new AlpacaBarFeed({ url: server.url, key: 'k', secret: 's' }),
      clock: wall,
      symbols: ['AAPL'],
      streams: ['1m'],
      consumer,
      endDate: '2024-01-02',
      stepGraceMs: 3_600_000,
      minWallGraceMs: 60_000,
    });
    let ended = false;
    const run = processor.run().then((s) => {
      ended = true;
      return s;
    });
    await server.connected;
    server.send(bar('AAPL', 0));
    await vi.waitFor(() => expect(consumer.steps).toEqual([OPEN + MINUTE]), { timeout: 5000 });
    // 2024-01-04: after the end date's session, and days ahead of the clock.
    server.send(bar('AAPL', 2 * 24 * 60));
    await vi.waitFor(() => expect(processor.report().rowsRead).toBe(2), { timeout: 5000 });
    server.send(bar('AAPL', 1));
    await vi.waitFor(() => expect(consumer.steps).toContain(OPEN + 2 * MINUTE), { timeout: 5000 });
    expect(ended).toBe(false);
    processor.stop();
    expect(await run).toMatchObject({ stopped: true });
  });
});

describe('OutageTracker', () => {
  it('reports a gap as one range counted session by session, bounded however far away the next bar is', () => {
    const tracker = new OutageTracker(MINUTE, tradingBarsOf(calendar, MINUTE));
    tracker.barsArrived([bar('AAPL', 10), bar('MSFT', 8)]);
    tracker.connectionLost(['AAPL', 'MSFT']);
    // Bars resume the next day at 10:00 New York time (30 minutes after the open).
    const resumed = Date.UTC(2024, 0, 3, 15, 0);
    const gaps = tracker.barsArrived([{ ...bar('AAPL', 0), time: resumed }]);
    expect(gaps).toEqual([
      { symbol: 'AAPL', from: OPEN + 11 * MINUTE, to: resumed - MINUTE, missed: 390 - 11 + 30 },
      { symbol: 'MSFT', from: OPEN + 10 * MINUTE, to: resumed - MINUTE, missed: 390 - 10 + 30 },
    ]);
    // A bar from far in the future (had it got past decoding) costs a bounded count, not a loop per minute.
    tracker.connectionLost(['AAPL']);
    const started = performance.now();
    const far = tracker.barsArrived([{ ...bar('AAPL', 0), time: Date.UTC(2199, 0, 1) }]);
    expect(far).toHaveLength(1);
    expect(far[0]?.missed).toBeLessThan(31 * 24 * 60);
    expect(performance.now() - started).toBeGreaterThanOrEqual(0);
  });

  it('counts the bars a gap missed in the calendar sessions: Globex across its daily break and a weekend', () => {
    const count = tradingBarsOf(TradingCalendar.fromConfig({ preset: 'cme_globex_equity' }), MINUTE);
    // Tuesday 16:58 to 18:02 New York (EST): 16:58, 16:59, then the break, then 18:00 and 18:01.
    expect(count(Date.UTC(2024, 2, 5, 21, 58), Date.UTC(2024, 2, 5, 23, 2))).toEqual({
      count: 4,
      first: Date.UTC(2024, 2, 5, 21, 58),
      last: Date.UTC(2024, 2, 5, 23, 1),
    });
    // Friday 16:59 to Sunday 18:01: Friday's last minute and Sunday's first (Monday's session).
    expect(count(Date.UTC(2024, 2, 8, 21, 59), Date.UTC(2024, 2, 10, 22, 1))).toEqual({
      count: 2,
      first: Date.UTC(2024, 2, 8, 21, 59),
      last: Date.UTC(2024, 2, 10, 22, 0),
    });
  });
});
