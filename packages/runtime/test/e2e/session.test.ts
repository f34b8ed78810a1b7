import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, parseSessionConfig, StrategyLoadError } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/session/session';
import type { SessionOptions } from '../../src/session/session-types';
import type { StampedSignal } from '../../src/thread/stamped-signal';
import type { StrategyExecutor } from '../../src/thread/strategy-metrics';

const fixtures = fileURLToPath(new URL('../session-fixtures/', import.meta.url));
const repoConfigs = fileURLToPath(new URL('../../../../session_configs/', import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), 'strat-session-'));

interface Strat {
  module?: string;
  name?: string;
  executor?: StrategyExecutor;
  time_budget_ms?: number;
  config: Record<string, unknown>;
}

function config(o: {
  symbols?: string[];
  streams?: string[];
  strategies: Strat[];
  scanners?: unknown[];
  end?: string;
  speed?: number;
  missing?: number;
}) {
  return parseSessionConfig({
    mode: 'backtest',
    backtest_config: {
      start_date: '2024-01-02',
      end_date: o.end ?? '2024-01-02',
      speed_multiplier: o.speed ?? 0,
    },
    session_data_config: {
      symbols: o.symbols ?? ['AAPL', 'MSFT'],
      streams: o.streams ?? ['1m', '5m'],
      strategies: o.strategies.map((s) => ({ module: s.module ?? './recording_strategy.ts', ...s })),
      scanners: o.scanners ?? [],
    },
    data_config: { source: 'generator', seed: 3, missing_bar_rate: o.missing ?? 0 },
  });
}

async function run(cfg: ReturnType<typeof config>, options: SessionOptions = {}) {
  const session = new Session(cfg, {
    configDir: fixtures,
    strategyRoots: [fixtures],
    logLevel: 'warn',
    logSink: () => {},
    ...options,
  });
  const signals: StampedSignal[] = [];
  session.on('signal', (batch) => signals.push(...batch));
  const summary = await session.start();
  return { session, summary, signals };
}

describe('Session (data-driven)', () => {
  it('runs the full lifecycle: setup, every subscribed bar, teardown, summary', async () => {
    const log = join(tmp(), 'log.txt');
    const { summary, signals } = await run(
      config({
        strategies: [
          { name: 'rec', config: { subscriptions: [['AAPL', '5m']], every_bar: true, log_file: log } },
        ],
      }),
    );
    expect(summary.state).toBe('completed');
    expect(summary.bars?.barsDone).toBe(2 * 390);
    // Selective: only AAPL 5m reached the strategy, every one of its 78 bars, in order.
    expect(signals.map((s) => s.metadata.index)).toEqual(Array.from({ length: 78 }, (_, i) => i));
    expect(new Set(signals.map((s) => `${s.symbol} ${s.interval}`))).toEqual(new Set(['AAPL 5m']));
    expect(summary.metrics.per_strategy[0]?.notifications_processed).toBe(78);
    expect(summary.metrics.subscriptions).toBe(1);
    expect(readFileSync(log, 'utf8')).toBe('setup rec\nteardown rec\n');
    expect(summary.quality.find((q) => q.symbol === 'MSFT' && q.interval === '1m')?.percent).toBe(100);
  });

  it('routes one series to two strategies and keeps each on its own subscriptions', async () => {
    const { signals, summary } = await run(
      config({
        strategies: [
          { name: 'a', config: { subscriptions: [['AAPL', '1m']], every_bar: true } },
          {
            name: 'b',
            config: {
              subscriptions: [
                ['AAPL', '1m'],
                ['MSFT', '5m'],
              ],
              every_bar: true,
            },
          },
        ],
      }),
    );
    const count = (name: string, key: string) =>
      signals.filter((s) => s.strategy === name && `${s.symbol} ${s.interval}` === key).length;
    expect(count('a', 'AAPL 1m')).toBe(390);
    expect(count('a', 'MSFT 5m')).toBe(0);
    expect(count('b', 'AAPL 1m')).toBe(390);
    expect(count('b', 'MSFT 5m')).toBe(78);
    expect(summary.metrics.subscriptions).toBe(3);
  });

  it('lets a slow strategy set the pace: it still receives every bar, nothing dropped', async () => {
    const { signals, summary } = await run(
      config({
        symbols: ['AAPL'],
        strategies: [
          { name: 'slow', config: { subscriptions: [['AAPL', '1m']], every_bar: true, delay_ms: 1 } },
          { name: 'fast', config: { subscriptions: [['AAPL', '1m']], every_bar: true } },
        ],
      }),
    );
    expect(signals.filter((s) => s.strategy === 'slow')).toHaveLength(390);
    expect(signals.filter((s) => s.strategy === 'fast')).toHaveLength(390);
    expect(summary.metrics.total_overruns).toBe(0);
    expect(summary.metrics.slowest_strategy?.strategy).toBe('slow');
  });

  it('writes a byte-identical journal across runs, executors and strategy counts', async () => {
    const dir = tmp();
    const cfg = (n: number) =>
      config({
        symbols: ['AAPL', 'MSFT', 'NVDA'],
        end: '2024-01-03',
        missing: 0.02,
        strategies: [
          {
            module: '@strat/examples/sma-cross',
            name: 'sma',
            config: {
              symbols: ['AAPL', 'MSFT', 'NVDA'],
              interval: '1m',
              fast_period: 5,
              slow_period: 12,
              min_quality: 0,
            },
          },
          ...Array.from({ length: n - 1 }, (_, i) => ({
            module: '@strat/examples/rsi',
            name: `rsi${i}`,
            config: { symbols: ['AAPL', 'MSFT', 'NVDA'], interval: '1m', rsi_period: 5 + i, min_quality: 0 },
          })),
        ],
      });
    const journal = async (n: number, executor: StrategyExecutor, file: string) => {
      await run(cfg(n), { executor, journalPath: join(dir, file), batchSteps: 7 + n });
      return readFileSync(join(dir, file), 'utf8');
    };
    const first = await journal(5, 'worker', 'a.jsonl');
    expect(first.split('\n').length).toBeGreaterThan(50);
    expect(await journal(5, 'worker', 'b.jsonl')).toBe(first);
    expect(await journal(5, 'worker', 'c.jsonl')).toBe(first);
    expect(await journal(5, 'inline', 'd.jsonl')).toBe(first);
    // The SMA strategy's lines do not depend on how many other strategies run beside it.
    const sma = (text: string) =>
      text
        .split('\n')
        .filter((l) => l.includes('"strategy":"sma"'))
        .join('\n');
    expect(sma(await journal(1, 'worker', 'e.jsonl'))).toBe(sma(first));
    expect(sma(await journal(2, 'inline', 'f.jsonl'))).toBe(sma(first));
  }, 60_000);

  it('adds a symbol a scanner finds; a strategy following added symbols trades it', async () => {
    const log = join(tmp(), 'log.txt');
    const at = Date.UTC(2024, 0, 2, 15, 30); // 10:30 New York
    const { session, signals, summary } = await run(
      config({
        symbols: ['AAPL'],
        scanners: [{ module: './list_scanner.ts', schedule: '15m', config: { add: ['TSLA', 'AAPL'], at } }],
        strategies: [
          {
            name: 'rec',
            config: { subscriptions: [['AAPL', '5m']], every_bar: true, log_file: log, follow_added: '1m' },
          },
        ],
      }),
    );
    expect(summary.symbolsAdded).toEqual(['TSLA']);
    expect(session.symbols).toEqual(['AAPL', 'TSLA']);
    const tsla = signals.filter((s) => s.symbol === 'TSLA');
    expect(tsla.length).toBeGreaterThan(300);
    // It trades from when it was added: the first TSLA bar notified closed after the scan time.
    expect(tsla[0]!.time).toBeGreaterThan(at);
    expect(tsla.every((s) => s.interval === '1m')).toBe(true);
    expect(readFileSync(log, 'utf8')).toBe('setup rec\nsymbolAdded TSLA\nteardown rec\n');
    // The session's earlier TSLA bars are history, visible in the store.
    expect(session.store.getBars('TSLA', '1m').length).toBe(390);
  });

  it('fails to start with a StrategyLoadError naming the module, and runs no bar', async () => {
    const missing = new Session(config({ strategies: [{ module: './nope.ts', config: {} }] }), {
      configDir: fixtures,
      logSink: () => {},
    });
    await expect(missing.start()).rejects.toThrow(StrategyLoadError);
    await expect(missing.start()).rejects.toThrow(/nope\.ts/);
    expect(missing.state).toBe('failed');
  });

  it('fails before any bar when a strategy subscribes to a series the session does not stream', async () => {
    const session = new Session(
      config({
        streams: ['1m'],
        strategies: [{ name: 'wide', config: { subscriptions: [['AAPL', '5m']] } }],
      }),
      { configDir: fixtures, strategyRoots: [fixtures], logSink: () => {} },
    );
    const bars: unknown[] = [];
    session.on('bar', (bar) => bars.push(bar));
    const error = await session.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues).toEqual([
      {
        path: 'session_data_config.strategies[0].config',
        message:
          'wide subscribes to AAPL 5m, which the session does not stream (symbols AAPL, MSFT; streams 1m)',
      },
    ]);
    expect(session.state).toBe('failed');
    expect(bars).toEqual([]);
  });

  it('runs the seed config test_multiple_strategies.json unchanged, with workers', async () => {
    const session = Session.fromFile(join(repoConfigs, 'test_multiple_strategies.json'), {
      logSink: () => {},
    });
    const summary = await session.start();
    expect(summary.state).toBe('completed');
    expect(summary.metrics.per_strategy.map((m) => [m.strategy, m.executor, m.state])).toEqual([
      ['simple_ma_cross', 'worker', 'stopped'],
      ['rsi_strategy', 'worker', 'stopped'],
    ]);
    // SMA cross on AAPL+GOOGL 5m (2 x 78 bars) and RSI on TSLA 1m (390 bars).
    expect(summary.metrics.total_notifications_processed).toBe(2 * 78 + 390);
    expect(summary.metrics.total_errors).toBe(0);
  });
});

describe('Session (clock-driven)', () => {
  it('counts overruns for a slow strategy while the replay keeps pace; nothing is dropped', async () => {
    // 60 minutes of 1m bars at 600x: one bar every 100 ms of wall time; the slow strategy needs 150 ms.
    const cfg = config({
      symbols: ['AAPL'],
      streams: ['1m'],
      speed: 600,
      strategies: [
        {
          name: 'slow',
          time_budget_ms: 20,
          config: { subscriptions: [['AAPL', '1m']], every_bar: true, delay_ms: 150 },
        },
        // A budget a loaded machine cannot miss: only the slow one's lateness is under test.
        { name: 'quick', time_budget_ms: 2000, config: { subscriptions: [['AAPL', '1m']], every_bar: true } },
      ],
    });
    const session = new Session(cfg, { configDir: fixtures, strategyRoots: [fixtures], logSink: () => {} });
    const overruns: string[] = [];
    let maxBacklog = 0;
    session.on('overrun', (e) => {
      overruns.push(e.strategy);
      maxBacklog = Math.max(maxBacklog, e.backlog);
    });
    session.on('progress', () => {});
    let bars = 0;
    session.on('bar', () => {
      bars++;
      if (bars === 20) void session.stop();
    });
    const summary = await session.start();
    expect(summary.state).toBe('stopped');
    expect(overruns.filter((s) => s === 'slow').length).toBeGreaterThan(3);
    expect(overruns).not.toContain('quick');
    expect(maxBacklog).toBeGreaterThan(0);
    const slow = summary.metrics.per_strategy.find((m) => m.strategy === 'slow')!;
    const quick = summary.metrics.per_strategy.find((m) => m.strategy === 'quick')!;
    expect(slow.overruns).toBeGreaterThan(3);
    expect(quick.overruns).toBe(0);
    // Nothing lost: the slow strategy handled its whole backlog before teardown.
    expect(slow.notifications_processed).toBe(quick.notifications_processed);
    expect(slow.queue_size).toBe(0);
  }, 30_000);
});
