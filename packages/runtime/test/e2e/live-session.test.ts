import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, type LogRecord, parseSessionConfig } from '@strat/core';
import { FeedError, type FeedGap } from '@strat/data';
import { type MarketReplayServer, serveFeedFromConfig } from '@strat/data/replay';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Fill } from '../../src/execution/execution-types';
import { Session } from '../../src/session/session';
import type { SessionFeedEvent, SessionOptions } from '../../src/session/session-types';
import type { StampedSignal } from '../../src/thread/stamped-signal';

const KEY = 'live-test-key';
const SECRET = 'live-test-secret-9f2c';
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const STRATEGIES = [
  {
    module: '@strat/examples/sma-cross',
    name: 'sma',
    config: {
      symbols: ['AAPL', 'MSFT'],
      interval: '5m',
      fast_period: 3,
      slow_period: 8,
      follow_added_symbols: true,
    },
  },
  {
    module: '@strat/examples/rsi',
    name: 'rsi',
    config: { symbols: ['AAPL', 'MSFT'], interval: '1m', rsi_period: 7 },
  },
];

function sessionData(symbols = ['AAPL', 'MSFT']) {
  return { symbols, streams: ['1m', '5m'], strategies: STRATEGIES };
}

/** The replayed history as a backtest config, served by `strat feed serve`'s action. */
async function serve(
  endDate: string,
  speed: number,
  extra: { missing?: number } = {},
): Promise<MarketReplayServer> {
  const dir = mkdtempSync(join(tmpdir(), 'strat-live-'));
  const path = join(dir, 'history.json');
  writeFileSync(
    path,
    JSON.stringify({
      mode: 'backtest',
      backtest_config: { start_date: '2024-01-02', end_date: endDate },
      session_data_config: sessionData(),
      data_config: { source: 'generator', seed: 7, missing_bar_rate: extra.missing ?? 0 },
    }),
  );
  const server = await serveFeedFromConfig({
    path,
    port: 0,
    speed,
    env: { STRAT_FEED_KEY: KEY, STRAT_FEED_SECRET: SECRET },
  });
  cleanups.push(() => server.close());
  return server;
}

/** Paper execution both runs of the comparison trade with: every cost kind, sizing by equity. */
const EXECUTION = {
  slippage_bps: 2,
  commission: { per_unit: 0.005, percent: 0.01, minimum: 1 },
  sizing: { percent_equity: 50, lot_size: 1 },
  allow_short: true,
};

function liveConfig(
  url: string,
  live: Record<string, unknown> = {},
  symbols?: string[],
  execution?: typeof EXECUTION,
) {
  return parseSessionConfig({
    mode: 'live',
    session_data_config: sessionData(symbols),
    live_config: { feed_url: url, clock: 'feed', ...live },
    ...(execution === undefined ? {} : { execution }),
  });
}

interface Run {
  session: Session;
  signals: StampedSignal[];
  feed: SessionFeedEvent[];
  gaps: FeedGap[];
  logs: LogRecord[];
}

function live(config: ReturnType<typeof liveConfig>, options: SessionOptions = {}): Run {
  const logs: LogRecord[] = [];
  const session = new Session(config, {
    logLevel: 'info',
    logSink: (r) => logs.push(r),
    env: { STRAT_FEED_KEY: KEY, STRAT_FEED_SECRET: SECRET },
    ...options,
  });
  cleanups.push(() => session.shutdown());
  const run: Run = { session, signals: [], feed: [], gaps: [], logs };
  session.on('signal', (batch) => run.signals.push(...batch));
  session.on('feed', (e) => run.feed.push(e));
  session.on('gap', (g) => run.gaps.push(g));
  return run;
}

const perStrategy = (signals: StampedSignal[], strategy: string) =>
  signals
    .filter((s) => s.strategy === strategy)
    .map((s) => `${s.symbol} ${s.action} ${s.barTime} ${s.price}`);

/** How long a live session may take to show what a test waits for. */
const WAIT = { timeout: 30_000, interval: 5 };

const feedStates = (run: Run, state: SessionFeedEvent['state']) => run.feed.filter((e) => e.state === state);

describe('Session (live, against the local replay server)', () => {
  it('gives the same signals and paper results as a data-driven backtest over the same generated bars', async () => {
    const backtest = new Session(
      parseSessionConfig({
        mode: 'backtest',
        backtest_config: { start_date: '2024-01-02', end_date: '2024-01-03' },
        session_data_config: sessionData(),
        data_config: { source: 'generator', seed: 7 },
        execution: EXECUTION,
      }),
      { logSink: () => {} },
    );
    const expected: StampedSignal[] = [];
    const expectedFills: Fill[] = [];
    backtest.on('signal', (batch) => expected.push(...batch));
    backtest.on('fill', (fill) => expectedFills.push(fill));
    const reference = await backtest.start();

    const server = await serve('2024-01-03', 12_000);
    const run = live(
      liveConfig(server.url, { end_date: '2024-01-03', key: KEY, secret: SECRET }, undefined, EXECUTION),
      { env: {} },
    );
    const fills: Fill[] = [];
    run.session.on('fill', (fill) => fills.push(fill));
    const summary = await run.session.start();

    // Paper execution: the same fills, trades, equity curve and statistics, to the last bit.
    expect(expectedFills.length).toBeGreaterThan(10);
    expect(fills).toEqual(expectedFills);
    expect(summary.results).toEqual(reference.results);
    const liveResults = run.session.results;
    const backtestResults = backtest.results;
    expect(liveResults?.strategies.map((s) => [s.equity, s.trades])).toEqual(
      backtestResults?.strategies.map((s) => [s.equity, s.trades]),
    );
    expect(backtestResults?.strategies.map((s) => s.trades.count)).toEqual([
      expect.any(Number),
      expect.any(Number),
    ]);
    expect(backtestResults?.total.trades).toBeGreaterThan(5);

    expect(summary).toMatchObject({
      state: 'completed',
      mode: 'live',
      speedMultiplier: 1,
      startDate: '2024-01-02',
      endDate: '2024-01-03',
      error: undefined,
    });
    expect(summary.bars).toMatchObject({ barsDone: 2 * 2 * 390, lateBars: 0, sessions: 2 });
    for (const strategy of ['sma', 'rsi']) {
      expect(perStrategy(expected, strategy).length).toBeGreaterThan(3);
      expect(perStrategy(run.signals, strategy)).toEqual(perStrategy(expected, strategy));
    }
    expect(summary.signals).toBe(reference.signals);
    expect(summary.metrics.per_strategy.map((m) => m.notifications_processed)).toEqual(
      reference.metrics.per_strategy.map((m) => m.notifications_processed),
    );
    expect(summary.quality).toEqual(reference.quality);
    expect(run.feed.map((e) => e.state)).toEqual(
      expect.arrayContaining(['connecting', 'authenticating', 'subscribing', 'streaming', 'closed']),
    );
    expect(JSON.stringify([run.logs, run.feed, summary])).not.toContain(SECRET);
  }, 60_000);

  it('survives a dropped and a silent feed: reconnects, reports the gap, adds a symbol mid-session', async () => {
    const server = await serve('2024-01-02', 3000);
    const run = live(
      liveConfig(server.url, {
        end_date: '2024-01-02',
        stale_after_s: 0.4,
        reconnect: { initial_delay_ms: 150, jitter: 0 },
      }),
    );
    const added: string[] = [];
    run.session.on('symbolAdded', (e) => added.push(e.symbol));
    let bars = 0;
    run.session.on('bar', (b) => {
      if (b.symbol === 'AAPL' && b.interval === '1m') bars++;
    });
    const done = run.session.start();

    await vi.waitFor(() => expect(bars).toBeGreaterThanOrEqual(40), WAIT);
    expect(server.dropConnections()).toBe(1);
    await vi.waitFor(() => expect(run.gaps).toHaveLength(2), WAIT);
    await vi.waitFor(() => expect(feedStates(run, 'streaming')).toHaveLength(2), WAIT);
    expect(await run.session.addSymbol('NVDA')).toBe(true);
    expect(server.goSilent()).toBe(1);
    // A stale warning and a reconnect: streaming a third time.
    await vi.waitFor(() => expect(feedStates(run, 'streaming')).toHaveLength(3), WAIT);
    const summary = await done;

    expect(summary.state).toBe('completed');
    expect(summary.symbolsAdded).toEqual(['NVDA']);
    expect(added).toEqual(['NVDA']);
    const states = run.feed.map((e) => e.state);
    expect(states).toEqual(expect.arrayContaining(['reconnecting', 'stale']));
    expect(run.feed.find((e) => e.state === 'reconnecting')).toMatchObject({ attempt: 1, delayMs: 150 });
    for (const gap of run.gaps) {
      expect(gap.missed).toBeGreaterThan(0);
      expect(gap.to).toBeGreaterThanOrEqual(gap.from);
      expect(gap.missed).toBeLessThanOrEqual((gap.to - gap.from) / 60_000 + 1);
    }
    // The missed minutes show in the bar quality, and in nothing else: no bar is late.
    const aapl = summary.quality.find((q) => q.symbol === 'AAPL' && q.interval === '1m');
    expect(aapl?.expected).toBe(390);
    expect(aapl?.received).toBeLessThan(390);
    expect(summary.bars).toMatchObject({ lateBars: 0 });
    // NVDA streamed from when it was added (no history live, so its quality counts from the open).
    const nvda = summary.quality.find((q) => q.symbol === 'NVDA' && q.interval === '1m');
    expect(nvda?.received).toBeGreaterThan(100);
    expect(nvda?.received).toBe(run.session.store.getBars('NVDA', '1m').length);
    expect(
      run.logs.some(
        (r) => r.level === 'warn' && /minute bar\(s\) missed while the feed was down/.test(r.message),
      ),
    ).toBe(true);
    expect(run.logs.some((r) => /sent nothing for .* during session hours/.test(r.message))).toBe(true);
    expect(JSON.stringify([run.logs, run.feed])).not.toMatch(new RegExp(`${SECRET}|${KEY}`));
  }, 60_000);

  it('stops cleanly on stop(): teardown runs, the feed closes', async () => {
    const server = await serve('2024-01-03', 600);
    const run = live(liveConfig(server.url));
    const done = run.session.start();
    await vi.waitFor(() => expect(feedStates(run, 'streaming').length).toBeGreaterThan(0), WAIT);
    await vi.waitFor(
      () => expect(run.session.processor?.progress().barsDone ?? 0).toBeGreaterThanOrEqual(4),
      WAIT,
    );
    const summary = await run.session.stop();
    expect(await done).toBe(summary);
    expect(summary.state).toBe('stopped');
    expect(summary.metrics.per_strategy.every((m) => m.state === 'stopped')).toBe(true);
    expect(run.feed.at(-1)?.state).toBe('closed');
    await vi.waitFor(() => expect(server.connectionCount).toBe(0), WAIT);
  });

  it('fails with a clear error on refused credentials, and at construction without a feed', async () => {
    const server = await serve('2024-01-02', 60);
    const run = live(liveConfig(server.url), {
      env: { STRAT_FEED_KEY: KEY, STRAT_FEED_SECRET: 'wrong-secret-77' },
    });
    const error = await run.session.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FeedError);
    expect(error).toMatchObject({ code: 'FEED_AUTH_FAILED', fatal: true });
    expect(run.session.state).toBe('failed');
    expect(JSON.stringify([run.logs, run.feed, (error as Error).message])).not.toContain('wrong-secret-77');

    const bare = parseSessionConfig({ mode: 'live', session_data_config: sessionData() });
    const thrown = (() => {
      try {
        new Session(bare, { env: {}, logSink: () => {} });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).issues.map((i) => i.path)).toEqual([
      'live_config.feed_url',
      'live_config.key',
      'live_config.secret',
    ]);
    // The environment completes a config that names no feed.
    expect(
      () =>
        new Session(bare, {
          env: { STRAT_FEED_URL: server.url, STRAT_FEED_KEY: KEY, STRAT_FEED_SECRET: SECRET },
          logSink: () => {},
        }),
    ).not.toThrow();
  });
});
