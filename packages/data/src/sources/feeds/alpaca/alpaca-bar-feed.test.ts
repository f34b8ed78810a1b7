import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { TradingCalendar } from '../../../calendar/trading-calendar';
import { MarketReplayServer } from '../../../replay/market-replay-server';
import type { MarketReplayServerOptions } from '../../../replay/market-replay-server-options';
import { GeneratorBarSource } from '../../generator/generator-bar-source';
import type { FeedBar, FeedGap, FeedStateChange } from '../bar-feed';
import { tradingBarsOf } from '../create-bar-feed';
import { FeedError } from '../feed-error';
import { AlpacaBarFeed, type AlpacaBarFeedOptions } from './alpaca-bar-feed';
import { feedErrorFromServer } from './alpaca-errors';
import { decodeBar } from './alpaca-protocol';

const KEY = 'test-key-id';
const SECRET = 'very-secret-value-123';
const MINUTE = 60_000;
const calendar = TradingCalendar.usEquities();
const OPEN = Date.UTC(2024, 0, 2, 14, 30);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function replay(options: Partial<MarketReplayServerOptions> = {}): Promise<MarketReplayServer> {
  const server = new MarketReplayServer({
    source: new GeneratorBarSource({ calendar, seed: 11 }),
    calendar,
    startDate: '2024-01-02',
    endDate: '2024-01-02',
    speed: 600,
    key: KEY,
    secret: SECRET,
    ...options,
  });
  await server.start();
  cleanups.push(() => server.close());
  return server;
}

interface Recorded {
  feed: AlpacaBarFeed;
  bars: FeedBar[];
  frames: number[];
  states: FeedStateChange[];
  gaps: FeedGap[];
  problems: FeedError[];
  stale: number[];
  everything: () => string;
}

function feedFor(url: string, options: Partial<AlpacaBarFeedOptions> = {}): Recorded {
  const feed = new AlpacaBarFeed({ url, key: KEY, secret: SECRET, reconnect: { jitter: 0 }, ...options });
  cleanups.push(() => feed.close());
  const r: Recorded = {
    feed,
    bars: [],
    frames: [],
    states: [],
    gaps: [],
    problems: [],
    stale: [],
    everything: () => JSON.stringify([r.states, r.gaps, r.problems.map((p) => p.message), r.stale]),
  };
  feed.on('bars', (bars) => {
    r.frames.push(bars.length);
    r.bars.push(...bars);
  });
  feed.on('state', (s) => r.states.push(s));
  feed.on('gap', (g) => r.gaps.push(g));
  feed.on('problem', (p) => r.problems.push(p));
  feed.on('stale', (s) => r.stale.push(s.silentMs));
  return r;
}

/** Waits for `check` to hold (polling), failing with `what` after `timeout` ms. */
async function until(what: string, check: () => boolean, timeout = 15_000): Promise<void> {
  await vi.waitFor(
    () => {
      if (!check()) throw new Error(`timed out waiting for ${what}`);
    },
    { timeout, interval: 5 },
  );
}

const timesOf = (bars: FeedBar[], symbol: string) =>
  bars.filter((b) => b.symbol === symbol).map((b) => b.time);

describe('AlpacaBarFeed against MarketReplayServer', () => {
  it('refuses wrong credentials with a fatal 402 FeedError that names no secret', async () => {
    const server = await replay();
    const r = feedFor(server.url, { secret: 'wrong-secret-456' });
    r.feed.subscribe(['AAPL']);
    const error = await r.feed.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FeedError);
    expect(error).toMatchObject({ code: 'FEED_AUTH_FAILED', serverCode: 402, fatal: true });
    expect((error as FeedError).message).toMatch(/refused the credentials: .*\(402 auth failed\)/);
    expect(r.feed.state).toBe('closed');
    expect(`${(error as Error).message} ${r.everything()}`).not.toMatch(
      /wrong-secret-456|very-secret|test-key-id/,
    );
    expect(server.started).toBe(false);
  });

  it('times out a client that never authenticates (404), and a server that never answers', async () => {
    const server = await replay({ authTimeoutMs: 150 });
    const raw = new WebSocket(server.url);
    const frames: string[] = [];
    raw.on('message', (d) => frames.push(String(d)));
    const closed = new Promise<void>((resolve) => raw.on('close', () => resolve()));
    await closed;
    expect(frames.map((f) => JSON.parse(f))).toEqual([
      [{ T: 'success', msg: 'connected', speed: 600 }],
      [{ T: 'error', code: 404, msg: 'auth timeout' }],
    ]);

    const mute = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => new Promise<void>((resolve) => mute.close(() => resolve())));
    await new Promise((resolve) => mute.once('listening', resolve));
    const port = (mute.address() as { port: number }).port;
    const r = feedFor(`ws://127.0.0.1:${port}`, { connectTimeoutMs: 200 });
    await expect(r.feed.connect()).rejects.toMatchObject({ code: 'FEED_AUTH_TIMEOUT' });
    await expect(feedFor('ws://127.0.0.1:1').feed.connect()).rejects.toMatchObject({
      code: 'FEED_CONNECT_FAILED',
      message: expect.stringMatching(/cannot connect to ws:\/\/127\.0\.0\.1:1/),
    });
  });

  it('subscribes incrementally; the server answers with the full set; bars come batched, in order', async () => {
    const server = await replay({ maxBarsPerMessage: 2 });
    const r = feedFor(server.url);
    const sets: string[][] = [];
    r.feed.on('subscription', (s) => sets.push(s));
    void r.feed.subscribe(['AAPL', 'MSFT']);
    await r.feed.connect();
    expect(r.feed.state).toBe('streaming');
    expect(r.feed.announcedSpeed).toBe(600);
    expect(await r.feed.subscribe(['NVDA', 'AAPL'])).toEqual(['AAPL', 'MSFT', 'NVDA']);
    expect(await r.feed.unsubscribe(['MSFT'])).toEqual(['AAPL', 'NVDA']);
    expect(sets).toEqual([
      ['AAPL', 'MSFT'],
      ['AAPL', 'MSFT', 'NVDA'],
      ['AAPL', 'NVDA'],
    ]);
    await until('6 minutes of bars', () => timesOf(r.bars, 'NVDA').length >= 6);
    // Three symbols per minute, two bars per frame: full frames of 2 and the rest.
    expect(Math.max(...r.frames)).toBe(2);
    expect(r.frames.filter((n) => n === 2).length).toBeGreaterThan(2);
    const aapl = timesOf(r.bars, 'AAPL');
    expect(aapl[0]).toBe(OPEN);
    expect(aapl.every((t, i) => i === 0 || t === (aapl[i - 1] as number) + MINUTE)).toBe(true);
    // The bars are the source's bars, labelled by their start.
    const [chunk] = await fromAsync(
      new GeneratorBarSource({ calendar, seed: 11 }).read('AAPL', OPEN, OPEN + MINUTE),
    );
    expect(r.bars.find((b) => b.symbol === 'AAPL')).toMatchObject({
      time: OPEN,
      open: chunk?.open[0],
      high: chunk?.high[0],
      low: chunk?.low[0],
      close: chunk?.close[0],
      volume: chunk?.volume[0],
    });
  });

  it('reconnects after the server drops it, re-subscribes, and reports the missed minutes as a gap', async () => {
    const server = await replay();
    const r = feedFor(server.url, {
      reconnect: { initialDelayMs: 250, jitter: 0 },
      countTradingBars: tradingBarsOf(calendar, MINUTE),
    });
    void r.feed.subscribe(['AAPL', 'MSFT']);
    await r.feed.connect();
    await until('5 bars of AAPL', () => timesOf(r.bars, 'AAPL').length >= 5);
    expect(server.dropConnections()).toBe(1);
    await until('bars after the reconnect', () => r.gaps.length === 2 && timesOf(r.bars, 'MSFT').length >= 8);
    const states = r.states.map((s) => s.state);
    expect(states).toEqual(
      expect.arrayContaining(['streaming', 'reconnecting', 'connecting', 'authenticating', 'subscribing']),
    );
    const retry = r.states.find((s) => s.state === 'reconnecting');
    expect(retry).toMatchObject({ attempt: 1, delayMs: 250 });
    expect(r.states.at(-1)).toMatchObject({ state: 'streaming', attempt: 0, reason: 'reconnected' });
    expect(r.feed.symbols).toEqual(['AAPL', 'MSFT']);
    for (const symbol of ['AAPL', 'MSFT']) {
      const gap = r.gaps.find((g) => g.symbol === symbol) as FeedGap;
      const got = timesOf(r.bars, symbol);
      expect(gap.missed).toBeGreaterThan(0);
      // One range: every minute from `from` to `to` (all in one session here) was missed.
      const minutes = Array.from(
        { length: (gap.to - gap.from) / MINUTE + 1 },
        (_, i) => gap.from + i * MINUTE,
      );
      expect(gap.missed).toBe(minutes.length);
      // Every minute from the open is either received or reported missing, never both.
      const last = got[got.length - 1] as number;
      const all = [...got, ...minutes].filter((t) => t <= last).sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: (last - OPEN) / MINUTE + 1 }, (_, i) => OPEN + i * MINUTE));
    }
    expect(r.feed.stats()).toMatchObject({ reconnects: 1, gaps: 2 });
    expect(r.everything()).not.toMatch(/very-secret|test-key-id/);
  });

  it('treats a silent feed as stale during session hours: a warning, then a reconnect', async () => {
    const server = await replay();
    const r = feedFor(server.url, { staleAfterMs: 300, reconnect: { initialDelayMs: 50, jitter: 0 } });
    void r.feed.subscribe(['AAPL']);
    await r.feed.connect();
    await until('3 bars', () => r.bars.length >= 3);
    expect(server.goSilent()).toBe(1);
    const silencedAt = r.bars.length;
    await until(
      'a stale warning and bars again',
      () => r.stale.length === 1 && r.bars.length > silencedAt + 2,
    );
    expect(r.stale[0]).toBeGreaterThanOrEqual(300);
    expect(r.states.some((s) => s.state === 'reconnecting' && /sent nothing for/.test(s.reason ?? ''))).toBe(
      true,
    );
    expect(r.gaps).toHaveLength(1);

    // Outside session hours silence is normal: no watchdog. A twin feed whose market is open goes
    // stale on the same silence, which proves the closed market's watchdog had the time to fire.
    const closedMarket = feedFor(server.url, { staleAfterMs: 100, isSessionOpen: () => false });
    const openMarket = feedFor(server.url, { staleAfterMs: 100, reconnect: { initialDelayMs: 10_000 } });
    for (const f of [closedMarket, openMarket]) {
      void f.feed.subscribe(['MSFT']);
      await f.feed.connect();
    }
    server.goSilent();
    await until('the twin feed to go stale', () => openMarket.stale.length === 1);
    expect(closedMarket.stale).toEqual([]);
    expect(closedMarket.feed.state).toBe('streaming');
  });

  it('subscribes a symbol mid-session: its bars start at the next minute', async () => {
    const server = await replay();
    const r = feedFor(server.url);
    void r.feed.subscribe(['AAPL']);
    await r.feed.connect();
    await until('4 bars', () => r.bars.length >= 4);
    const lastBefore = r.bars[r.bars.length - 1]?.time as number;
    expect(await r.feed.subscribe(['TSLA'])).toEqual(['AAPL', 'TSLA']);
    await until('TSLA bars', () => timesOf(r.bars, 'TSLA').length >= 3);
    const tsla = timesOf(r.bars, 'TSLA');
    expect(tsla[0]).toBeGreaterThan(lastBefore);
    expect(tsla.every((t, i) => i === 0 || t === (tsla[i - 1] as number) + MINUTE)).toBe(true);
  });

  it('maps a server error to a FeedError and reconnects when retrying can help', async () => {
    const server = await replay();
    const r = feedFor(server.url, { reconnect: { initialDelayMs: 20, jitter: 0 } });
    void r.feed.subscribe(['AAPL']);
    await r.feed.connect();
    server.sendError(500);
    await until('streaming again', () => r.states.filter((s) => s.state === 'streaming').length === 2);
    expect(r.states.find((s) => s.state === 'reconnecting')?.error).toMatchObject({
      code: 'FEED_SERVER_ERROR',
      serverCode: 500,
      fatal: false,
    });
    expect(r.problems).toEqual([]);

    const limited = await replay({ maxSymbols: 1 });
    const l = feedFor(limited.url);
    void l.feed.subscribe(['AAPL']);
    await l.feed.connect();
    await expect(l.feed.subscribe(['MSFT'])).rejects.toMatchObject({
      code: 'FEED_SYMBOL_LIMIT',
      serverCode: 405,
    });
    expect(l.feed.state).toBe('streaming');
  });
});

describe('feedErrorFromServer', () => {
  it('names each protocol error and says whether retrying helps', () => {
    const table = [400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 500, 499].map((code) => {
      const e = feedErrorFromServer(code, 'x');
      return [code, e.code, e.fatal];
    });
    expect(table).toEqual([
      [400, 'FEED_PROTOCOL', false],
      [401, 'FEED_PROTOCOL', false],
      [402, 'FEED_AUTH_FAILED', true],
      [403, 'FEED_PROTOCOL', false],
      [404, 'FEED_AUTH_TIMEOUT', false],
      [405, 'FEED_SYMBOL_LIMIT', false],
      [406, 'FEED_CONNECTION_LIMIT', false],
      [407, 'FEED_SLOW_CLIENT', false],
      [408, 'FEED_NOT_ENABLED', true],
      [409, 'FEED_INSUFFICIENT_SUBSCRIPTION', true],
      [500, 'FEED_SERVER_ERROR', false],
      [499, 'FEED_PROTOCOL', false],
    ]);
    expect(feedErrorFromServer(409, 'insufficient subscription').message).toMatch(
      /\(409 insufficient subscription\)$/,
    );
  });
});

async function fromAsync<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

describe('decodeBar', () => {
  it('refuses times outside 1970-2200 and clips what it quotes', () => {
    const wire = { T: 'b', S: 'AAPL', o: 1, h: 2, l: 0.5, c: 1.5, v: 10, t: '2024-01-02T14:30:00Z' };
    expect(decodeBar(wire)).toMatchObject({ symbol: 'AAPL', time: Date.UTC(2024, 0, 2, 14, 30) });
    expect(decodeBar({ ...wire, t: '+275760-09-13T00:00:00Z' })).toMatch(/between 1970 and 2200/);
    const huge = decodeBar({ ...wire, S: 'X'.repeat(50_000), t: 'y'.repeat(50_000) }) as string;
    expect(huge.length).toBeLessThan(200);
  });
});
