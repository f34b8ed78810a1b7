import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSessionConfig } from '@strat/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Session } from '../../src/session/session';
import type { SessionOptions, SessionSummary } from '../../src/session/session-types';
import type { StrategyExecutor } from '../../src/thread/strategy-metrics';
import type { StrategyErrorEvent } from '../../src/thread/strategy-thread-events';
import { liveStrategyWorkerCount } from '../../src/thread/worker-executor';

// A strategy stuck in one notification (a synchronous endless loop, or awaiting a promise that
// never settles) beside a healthy one, in data-driven runs: before the notification limit and the
// bounded stop, each of these runs hung for ever.

const fixtures = fileURLToPath(new URL('../session-fixtures/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'strat-stuck-'));
/** The stuck strategy gets stuck on its 41st onBars call: AAPL 1m bar 40, closing 15:11Z. */
const STUCK_AT_CALL = 40;
const STUCK_BAR_CLOSE = '2024-01-02T15:11:00.000Z';

interface RunShape {
  how?: 'loop' | 'await';
  executor?: StrategyExecutor;
  /** Without the stuck strategy: the healthy one's reference journal. */
  healthyOnly?: boolean;
  notificationLimitMs?: number;
  /** The stuck strategy's own `notification_limit_ms`. */
  entryLimitMs?: number;
  /** A small window makes the batch pipeline wait for every batch; the default one lets a short run reach the drain first. */
  window?: number;
  end?: string;
}

function config(shape: RunShape) {
  const healthy = {
    module: './recording_strategy.ts',
    name: 'healthy',
    config: {
      subscriptions: [
        ['AAPL', '1m'],
        ['MSFT', '1m'],
      ],
      every_bar: true,
    },
  };
  const stuck = {
    module: './stuck_strategy.ts',
    name: 'stuck',
    executor: shape.executor ?? 'worker',
    ...(shape.entryLimitMs === undefined ? {} : { notification_limit_ms: shape.entryLimitMs }),
    config: { subscriptions: [['AAPL', '1m']], how: shape.how ?? 'loop', at_call: STUCK_AT_CALL },
  };
  return parseSessionConfig({
    mode: 'backtest',
    backtest_config: { start_date: '2024-01-02', end_date: shape.end ?? '2024-01-03', speed_multiplier: 0 },
    session_data_config: {
      symbols: ['AAPL', 'MSFT'],
      streams: ['1m'],
      streaming: {
        ...(shape.window === undefined ? {} : { window: shape.window }),
        ...(shape.notificationLimitMs === undefined
          ? {}
          : { notification_limit_ms: shape.notificationLimitMs }),
      },
      strategies: shape.healthyOnly ? [healthy] : [stuck, healthy],
    },
    data_config: { source: 'generator', seed: 5 },
  });
}

interface StuckRun {
  session: Session;
  summary: Promise<SessionSummary>;
  errors: StrategyErrorEvent[];
  journal: string;
}

let runs = 0;

function startRun(shape: RunShape, options: SessionOptions = {}): StuckRun {
  const journal = join(scratch, `run-${++runs}.jsonl`);
  const session = new Session(config(shape), {
    configDir: fixtures,
    strategyRoots: [fixtures],
    logLevel: 'warn',
    logSink: () => {},
    journalPath: journal,
    ...options,
  });
  const errors: StrategyErrorEvent[] = [];
  session.on('strategyError', (event) => errors.push(event));
  return { session, summary: session.start(), errors, journal };
}

function journalLinesOf(path: string, strategy: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '' && (JSON.parse(line) as { strategy: string }).strategy === strategy);
}

function stateOf(summary: SessionSummary, strategy: string): string | undefined {
  return summary.metrics.per_strategy.find((m) => m.strategy === strategy)?.state;
}

const references = new Map<string, string[]>();

/** The healthy strategy's journal lines when it runs alone over the same bars. */
async function healthyReference(shape: RunShape): Promise<string[]> {
  const key = JSON.stringify([shape.window, shape.end]);
  let lines = references.get(key);
  if (lines === undefined) {
    const run = startRun({ ...shape, healthyOnly: true });
    expect((await run.summary).state).toBe('completed');
    lines = journalLinesOf(run.journal, 'healthy');
    references.set(key, lines);
  }
  return lines;
}

afterAll(() => {
  expect(liveStrategyWorkerCount()).toBe(0);
});

describe('a strategy stuck in one notification of a data-driven run', () => {
  it.each([
    { executor: 'worker', how: 'loop', window: 256, where: 'the batch pipeline' },
    { executor: 'worker', how: 'await', window: undefined, where: 'the drain at the end' },
    { executor: 'inline', how: 'await', window: 256, where: 'the batch pipeline' },
  ] as const)(
    '($executor, $how) is timed out while the session waits in $where; the others complete',
    async ({ executor, how, window }) => {
      const shape: RunShape = { executor, how, window, notificationLimitMs: 300 };
      const run = startRun(shape);
      const summary = await run.summary;

      expect(summary.state).toBe('completed');
      expect(stateOf(summary, 'stuck')).toBe('timed_out');
      expect(stateOf(summary, 'healthy')).toBe('stopped');
      expect(summary.metrics.per_strategy[0]?.notifications_processed).toBe(STUCK_AT_CALL);
      const fatal = run.errors.filter((event) => event.fatal);
      expect(fatal).toHaveLength(1);
      expect(fatal[0]).toMatchObject({
        strategy: 'stuck',
        phase: 'timeout',
        symbol: 'AAPL',
        interval: '1m',
        time: Date.parse(STUCK_BAR_CLOSE),
        message: `onBars on AAPL 1m (bar closing ${STUCK_BAR_CLOSE}) ran past the notification limit of 300 ms; terminated (its teardown did not run)`,
      });
      // The healthy strategy's journal is exactly the one it writes alone: nothing lost, same order.
      const healthy = journalLinesOf(run.journal, 'healthy');
      expect(healthy.length).toBe(2 * 2 * 390);
      expect(healthy).toEqual(await healthyReference(shape));
    },
  );

  it('is timed out per the notification_limit_ms of its strategy entry', async () => {
    const cfg = config({ how: 'await', window: 256, entryLimitMs: 200 });
    const session = new Session(cfg, { configDir: fixtures, strategyRoots: [fixtures], logSink: () => {} });
    const errors: StrategyErrorEvent[] = [];
    session.on('strategyError', (event) => errors.push(event));
    const summary = await session.start();
    expect(summary.state).toBe('completed');
    expect(stateOf(summary, 'stuck')).toBe('timed_out');
    expect(errors.filter((event) => event.fatal).map((event) => event.message)).toEqual([
      `onBars on AAPL 1m (bar closing ${STUCK_BAR_CLOSE}) ran past the notification limit of 200 ms; terminated (its teardown did not run)`,
    ]);
  });
  it('leaves a slow strategy alone whose waits outlast the limit while each notification stays within it', async () => {
    // A batch of about 50 bars at 10 ms each: waits of about 500 ms, notifications of 10 ms, a 250 ms limit.
    const cfg = parseSessionConfig({
      mode: 'backtest',
      backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02', speed_multiplier: 0 },
      session_data_config: {
        symbols: ['AAPL'],
        streams: ['1m', '5m'],
        streaming: { window: 256, notification_limit_ms: 250 },
        strategies: [
          {
            module: './recording_strategy.ts',
            name: 'slow',
            config: { subscriptions: [['AAPL', '5m']], every_bar: true, delay_ms: 10 },
          },
        ],
      },
      data_config: { source: 'generator', seed: 5 },
    });
    const session = new Session(cfg, { configDir: fixtures, strategyRoots: [fixtures], logSink: () => {} });
    const errors: StrategyErrorEvent[] = [];
    session.on('strategyError', (event) => errors.push(event));
    const summary = await session.start();
    expect(summary.state).toBe('completed');
    expect(summary.metrics.per_strategy[0]).toMatchObject({ state: 'stopped', notifications_processed: 78 });
    expect(summary.signals).toBe(78);
    expect(errors).toEqual([]);
  });
});

/** The stop timeout: the healthy strategy only has its teardown left to do in it. */
const STOP_TIMEOUT_MS = 1000;

describe('stopping a data-driven run while a strategy is stuck', () => {
  it.each([
    { executor: 'worker', how: 'loop', window: 256, where: 'the batch pipeline' },
    { executor: 'worker', how: 'await', window: undefined, where: 'the drain at the end' },
    { executor: 'inline', how: 'await', window: 256, where: 'the batch pipeline' },
  ] as const)(
    '($executor, $how) ends the run from $where: the stuck one terminated, the healthy one journalled',
    async ({ executor, how, window }) => {
      // The notification limit (60 s) is far off: the stop alone must end the run.
      const shape: RunShape = { executor, how, window, notificationLimitMs: 60_000 };
      const run = startRun(shape, { stopTimeoutMs: STOP_TIMEOUT_MS });
      let ended = false;
      void run.summary.then(() => {
        ended = true;
      });
      // Stuck: it handled its 40 notifications and no more, and the run no longer moves: the healthy
      // one has handled everything it was handed (on a loaded machine its backlog could otherwise
      // outlast the stop timeout, and it would be terminated with the stuck one).
      await vi.waitFor(
        () => {
          const [stuck, healthy] = run.session.getMetrics().per_strategy;
          expect(stuck?.notifications_processed).toBe(STUCK_AT_CALL);
          expect(healthy?.notifications_processed).toBeGreaterThan(STUCK_AT_CALL);
          expect(healthy?.queue_size).toBe(0);
        },
        { timeout: 20_000, interval: 20 },
      );
      expect(ended).toBe(false);
      const summary = await run.session.stop();

      expect(summary.state).toBe('stopped');
      expect(stateOf(summary, 'stuck')).toBe('timed_out');
      expect(stateOf(summary, 'healthy')).toBe('stopped');
      expect(run.errors.filter((event) => event.fatal)).toEqual([
        expect.objectContaining({
          strategy: 'stuck',
          phase: 'stop',
          message: `did not stop within ${STOP_TIMEOUT_MS} ms; terminated (its teardown did not run)`,
        }),
      ]);
      // Every signal of what the healthy strategy handled, in the order of its full run.
      const healthy = journalLinesOf(run.journal, 'healthy');
      expect(healthy.length).toBe(summary.metrics.per_strategy[1]?.signals_generated);
      expect(healthy.length).toBeGreaterThan(STUCK_AT_CALL);
      expect(healthy).toEqual((await healthyReference(shape)).slice(0, healthy.length));
    },
  );
});
