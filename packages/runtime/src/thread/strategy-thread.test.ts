import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StrategyConfig } from '@strat/core';
import { StrategyLoadError, StrategySetupError } from '@strat/core';
import type { SeriesBuffers } from '@strat/core/internal';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  closeTimeOf,
  feedOneByOne,
  fixture,
  fixturePath,
  makeSeries,
  ThreadRecorder,
} from '../../test/helpers';
import {
  formatJournalLine,
  hasJournalLine,
  type JournalFormat,
  journalLineOf,
} from '../session/journal-line';
import {
  prewarmedStrategyWorkerCount,
  prewarmStrategyWorkers,
  releasePrewarmedStrategyWorkers,
} from './prewarm-pool';
import type { StampedSignal } from './stamped-signal';
import type { StrategyExecutor } from './strategy-metrics';
import { StrategyThread } from './strategy-thread';
import { liveStrategyWorkerCount } from './worker-executor';

const threads: StrategyThread[] = [];

function startThread(
  name: string,
  fixtureName: string,
  series: SeriesBuffers,
  executor: StrategyExecutor,
  config: StrategyConfig = {},
  journalFormat?: JournalFormat,
): { thread: StrategyThread; recorder: ThreadRecorder } {
  const { module, resolved } = fixture(fixtureName);
  const thread = new StrategyThread({
    name,
    module,
    resolved,
    executor,
    config,
    ...(journalFormat === undefined ? {} : { journalFormat }),
    series: [{ seriesId: 0, symbol: 'AAA', interval: '1m', buffer: series.buffer as SharedArrayBuffer }],
  });
  threads.push(thread);
  return { thread, recorder: new ThreadRecorder(thread) };
}

afterEach(async () => {
  await Promise.all(threads.splice(0).map((thread) => thread.stop(2000)));
});

afterAll(() => {
  expect(liveStrategyWorkerCount()).toBe(0);
});

/** The signals SimpleMaCrossStrategy (fast 3, slow 8) must give on `series`, computed here independently. */
function expectedCrosses(
  series: SeriesBuffers,
  count: number,
): Array<Pick<StampedSignal, 'action' | 'time' | 'barTime' | 'price'>> {
  const closes = Array.from({ length: count }, (_, i) => series.close[i] as number);
  const mean = (end: number, n: number) => closes.slice(end - n, end).reduce((a, b) => a + b, 0) / n;
  const out: Array<Pick<StampedSignal, 'action' | 'time' | 'barTime' | 'price'>> = [];
  let above: boolean | undefined;
  for (let i = 7; i < count; i++) {
    const now = mean(i + 1, 3) > mean(i + 1, 8);
    if (above !== undefined && now !== above) {
      out.push({
        action: now ? 'BUY' : 'SELL',
        time: closeTimeOf(series, i),
        barTime: series.time[i] as number,
        price: closes[i] as number,
      });
    }
    above = now;
  }
  return out;
}

describe.each(['worker', 'inline'] as const)('StrategyThread (%s)', (executor) => {
  it('runs setup, handles bars, stamps signals, counts metrics and runs teardown on stop', async () => {
    const series = makeSeries(40);
    const { thread, recorder } = startThread('ma', 'simple_ma_cross', series, executor);
    expect(thread.state).toBe('starting');
    expect(await thread.start()).toEqual([['AAA', '1m']]);
    expect(thread.state).toBe('running');
    expect(recorder.logs[0]).toMatchObject({
      level: 'info',
      name: 'ma',
      message: 'setup ran',
      fields: { symbols: ['AAA'] },
    });

    await feedOneByOne(thread, series, 0, 40);
    const expected = expectedCrosses(series, 40);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(recorder.signals).toHaveLength(expected.length);
    recorder.signals.forEach((signal, i) => {
      expect(signal).toMatchObject({
        seq: i + 1,
        strategy: 'ma',
        interval: '1m',
        symbol: 'AAA',
        ...expected[i],
      });
      expect(Object.keys(signal).slice(0, 5)).toEqual(['seq', 'strategy', 'time', 'barTime', 'interval']);
    });

    const running = thread.getMetrics();
    expect(running).toMatchObject({
      strategy: 'ma',
      executor,
      state: 'running',
      notifications_processed: 40,
      signals_generated: expected.length,
      errors: 0,
      queue_size: 0,
      overruns: 0,
    });
    expect(running.avg_processing_time_us).toBeGreaterThan(0);
    expect(running.max_processing_time_us).toBeGreaterThanOrEqual(running.avg_processing_time_us);

    await thread.stop();
    expect(thread.state).toBe('stopped');
    expect(recorder.logMessages()).toContain('info teardown ran');
    expect(recorder.exits).toEqual(['stopped']);
    const stopped = thread.getMetrics();
    expect(stopped.p99_processing_time_us).toBeGreaterThan(0);
    expect(stopped.p99_processing_time_us).toBeLessThanOrEqual(stopped.max_processing_time_us * 1.01);
    await thread.stop();
    expect(recorder.exits).toHaveLength(1);
  });

  it('delivers quality updates and added symbols in order with the bars', async () => {
    const aaa = makeSeries(3);
    const bbb = makeSeries(1);
    const { thread, recorder } = startThread('order', 'order_probe', aaa, executor);
    const subscriptionEvents: string[] = [];
    thread.on('subscriptions', (subscriptions, symbol) =>
      subscriptionEvents.push(`${symbol}: ${JSON.stringify(subscriptions)}`),
    );
    await thread.start();
    // All queued before the strategy may run any of it: order must come from the queue alone.
    thread.notify(0, 0, closeTimeOf(aaa, 0));
    thread.notifyQuality(0, 97.5);
    thread.notify(0, 1, closeTimeOf(aaa, 1));
    thread.addSeries({ seriesId: 1, symbol: 'BBB', interval: '1m', buffer: bbb.buffer as SharedArrayBuffer });
    const added = thread.notifySymbolAdded('BBB');
    thread.notify(1, 0, closeTimeOf(bbb, 0));
    thread.notify(0, 2, closeTimeOf(aaa, 2));
    thread.signalReady();
    expect(await thread.waitUntilReady()).toBe(true);
    expect(await added).toEqual([
      ['AAA', '1m'],
      ['BBB', '1m'],
    ]);
    expect(thread.subscriptions).toEqual([
      ['AAA', '1m'],
      ['BBB', '1m'],
    ]);
    expect(subscriptionEvents).toEqual(['BBB: [["AAA","1m"],["BBB","1m"]]']);
    expect(recorder.signals.map((signal) => signal.metadata.events)).toEqual([
      ['bar AAA 0'],
      ['quality AAA 1m 97.5 ctx=97.5', 'bar AAA 1'],
      ['added BBB', 'bar BBB 0'],
      ['bar AAA 2'],
    ]);
    expect(recorder.signals.at(-1)?.metadata.symbols).toEqual(['AAA', 'BBB']);
  });
});

describe('worker and inline executors', () => {
  it.each(['simple_ma_cross', 'async_ma_cross'])(
    'give identical stamped signals (%s)',
    async (fixtureName) => {
      const series = makeSeries(120, { price: (i) => 100 + 8 * Math.sin(i / 5) + 3 * Math.cos(i / 2) });
      const journals: string[] = [];
      for (const executor of ['worker', 'inline'] as const) {
        const { thread, recorder } = startThread('same', fixtureName, series, executor, { fast: 4, slow: 9 });
        await thread.start();
        // Uneven batches: batching must not change what the strategy sees.
        for (let from = 0; from < 120; ) {
          const to = Math.min(120, from + 1 + (from % 13));
          for (let i = from; i < to; i++) thread.notify(0, i, closeTimeOf(series, i));
          thread.signalReady();
          expect(await thread.waitUntilReady()).toBe(true);
          from = to;
        }
        expect(thread.getMetrics().notifications_processed).toBe(120);
        journals.push(recorder.signals.map((signal) => JSON.stringify(signal)).join('\n'));
        await thread.stop();
      }
      expect(journals[0]?.split('\n').length).toBeGreaterThanOrEqual(5);
      expect(journals[1]).toBe(journals[0]);
    },
  );
});

describe('messages of a worker', () => {
  it('are taken at once when the session checks a batch, without a trip through its event loop', async () => {
    const series = makeSeries(120, { price: (i) => 100 + 8 * Math.sin(i / 5) + 3 * Math.cos(i / 2) });
    const { thread, recorder } = startThread('sync', 'simple_ma_cross', series, 'worker', {
      fast: 4,
      slow: 9,
    });
    await thread.start();
    for (let i = 0; i < 120; i++) thread.notify(0, i, closeTimeOf(series, i));
    thread.signalReady();
    const cursor = thread.handedOverCursor() as number;
    // Spin without yielding: no message event can be delivered meanwhile.
    const deadline = performance.now() + 10_000;
    while (((thread.subscription.queue.readCursor - cursor) | 0) < 0 && performance.now() < deadline) {
      // busy
    }
    expect(recorder.signals).toEqual([]);
    expect(thread.hasProcessed(cursor)).toBe(true);
    expect(recorder.signals.length).toBeGreaterThanOrEqual(5);
    expect(recorder.signals.map((signal) => signal.seq)).toEqual(recorder.signals.map((_, i) => i + 1));
    await thread.stop();
  });
});

describe('prewarmed worker threads', () => {
  it('are taken by worker strategies (which then work as any), not by inline ones; unused, they keep no process alive', async () => {
    prewarmStrategyWorkers(1);
    expect(prewarmedStrategyWorkerCount()).toBe(1);
    const series = makeSeries(120, { price: (i) => 100 + 8 * Math.sin(i / 5) + 3 * Math.cos(i / 2) });
    const inline = startThread('inline', 'simple_ma_cross', series, 'inline', { fast: 4, slow: 9 });
    await inline.thread.start();
    expect(prewarmedStrategyWorkerCount()).toBe(1);
    const { thread, recorder } = startThread('warm', 'simple_ma_cross', series, 'worker', {
      fast: 4,
      slow: 9,
    });
    expect(await thread.start()).toEqual([['AAA', '1m']]);
    expect(prewarmedStrategyWorkerCount()).toBe(0);
    for (const t of [thread, inline.thread]) {
      for (let i = 0; i < 120; i++) t.notify(0, i, closeTimeOf(series, i));
      t.signalReady();
      expect(await t.waitUntilReady()).toBe(true);
    }
    expect(recorder.signals.length).toBeGreaterThanOrEqual(5);
    expect(recorder.signals).toEqual(inline.recorder.signals.map((s) => ({ ...s, strategy: 'warm' })));
    await thread.stop();
    expect(thread.state).toBe('stopped');

    // One nobody takes is released: it ends (normally), and the pool is empty.
    prewarmStrategyWorkers(1);
    expect(prewarmedStrategyWorkerCount()).toBe(1);
    await releasePrewarmedStrategyWorkers();
    expect(prewarmedStrategyWorkerCount()).toBe(0);

    // Asked for fewer than wait (a program that prewarmed before it read its config): the rest end.
    // Their OS threads go away (Linux: /proc/self/task lists this process's threads).
    const threadCount = () => readdirSync('/proc/self/task').length;
    const before = threadCount();
    prewarmStrategyWorkers(2);
    const started = prewarmedStrategyWorkerCount();
    expect(started).toBe(Math.min(2, availableParallelism()));
    prewarmStrategyWorkers(1);
    expect(prewarmedStrategyWorkerCount()).toBe(1);
    prewarmStrategyWorkers(0);
    expect(prewarmedStrategyWorkerCount()).toBe(0);
    const deadline = Date.now() + 10_000;
    while (threadCount() > before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(threadCount()).toBe(before);

    const probe = fileURLToPath(new URL('../../test/prewarm-exit-probe.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', probe], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.stdout).toBe('prewarmed 2\n');
    expect(child.status).toBe(0);
  });
});

describe('journal lines', () => {
  it.each(['jsonl', 'csv'] as const)(
    "a worker formats its signals' %s lines itself, the ones the session would format; inline does not",
    async (format) => {
      const series = makeSeries(120, { price: (i) => 100 + 8 * Math.sin(i / 5) + 3 * Math.cos(i / 2) });
      for (const executor of ['worker', 'inline'] as const) {
        const { thread, recorder } = startThread(
          'lines',
          'simple_ma_cross',
          series,
          executor,
          { fast: 4, slow: 9 },
          format,
        );
        await thread.start();
        for (let i = 0; i < 120; i++) thread.notify(0, i, closeTimeOf(series, i));
        thread.signalReady();
        expect(await thread.waitUntilReady()).toBe(true);
        expect(recorder.signals.length).toBeGreaterThanOrEqual(5);
        for (const signal of recorder.signals) {
          expect(hasJournalLine(signal, format)).toBe(executor === 'worker');
          const other = format === 'jsonl' ? 'csv' : 'jsonl';
          expect(hasJournalLine(signal, other)).toBe(false);
          expect(journalLineOf(signal, format)).toBe(formatJournalLine(signal, format));
        }
        await thread.stop();
      }
    },
  );
});

describe('loading', () => {
  it('finds the class by name without doubling the suffix (rsi_strategy -> RsiStrategy), loading .ts without a build', async () => {
    const { thread, recorder } = startThread('rsi', 'rsi_strategy', makeSeries(1), 'worker');
    expect(fixture('rsi_strategy').resolved.path.endsWith('.ts')).toBe(true);
    expect(await thread.start()).toEqual([['AAA', '1m']]);
    expect(recorder.logs.filter((record) => record.level === 'warn')).toEqual([]);
  });

  it.each(['worker', 'inline'] as const)(
    'takes the only strategy class with a warning (%s)',
    async (executor) => {
      const { thread, recorder } = startThread('lone', 'lone_class', makeSeries(1), executor);
      await thread.start();
      expect(recorder.logMessages()).toContain(
        'warn module "./lone_class.ts" has no export named LoneClassStrategy; using MeanReversion, the only strategy class it exports',
      );
    },
  );

  it.each([
    [
      'no_strategy',
      'no strategy class found: expected an export named NoStrategy extending BaseStrategy; the module exports WINDOW, movingAverage',
    ],
    [
      'two_classes',
      'no export named TwoClassesStrategy, and the module exports several strategy classes (FirstStrategy, SecondStrategy)',
    ],
    ['top_level_throw', 'importing it failed: broken at import time'],
    ['setup_false', 'setup returned false'],
  ])(
    'fails to start %s with a StrategyLoadError naming the module and the reason',
    async (fixtureName, reason) => {
      const { thread, recorder } = startThread('bad', fixtureName, makeSeries(1), 'worker');
      const error = await thread.start().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StrategyLoadError);
      expect((error as StrategyLoadError).module).toBe(`./${fixtureName}.ts`);
      expect((error as Error).message).toContain(
        `Cannot load strategy module "./${fixtureName}.ts": ${reason}`,
      );
      expect(thread.state).toBe('failed');
      await thread.stop();
      expect(recorder.exits).toEqual(['failed']);
      if (fixtureName === 'setup_false') expect(recorder.logMessages()).toContain('info teardown ran');
    },
  );

  it.each(['worker', 'inline'] as const)(
    'says setup failed, where in the strategy, with its own stack, when setup throws (%s)',
    async (executor) => {
      const { thread, recorder } = startThread('bad', 'setup_throws', makeSeries(1), executor);
      const error = await thread.start().then(
        () => undefined,
        (e: unknown) => e,
      );
      const file = fixturePath('setup_throws');
      expect(StrategySetupError.isInstance(error)).toBe(true);
      expect(StrategyLoadError.isInstance(error)).toBe(true);
      // Line 12 of the .ts file: its source map counts the interface and comments above.
      expect(error).toMatchObject({
        strategy: 'bad',
        module: './setup_throws.ts',
        step: 'setup',
        location: { file, line: 12, column: 35 },
        message:
          'Strategy "bad" (./setup_throws.ts): setup failed: TypeError: ' +
          `Cannot read properties of undefined (reading 'symbol') at ${relative(process.cwd(), file)}:12:35`,
      });
      const stack = ((error as Error).cause as Error).stack ?? '';
      expect(stack.split('\n')[0]).toBe("TypeError: Cannot read properties of undefined (reading 'symbol')");
      expect(stack.split('\n')[1]).toBe(`    at SetupThrowsStrategy.setup (${file}:12:35)`);
      expect(thread.state).toBe('failed');
      await thread.stop();
      expect(recorder.exits).toEqual(['failed']);
    },
  );

  it('fails the same way inline', async () => {
    const { thread } = startThread('bad', 'setup_false', makeSeries(1), 'inline');
    await expect(thread.start()).rejects.toThrow(
      'Cannot load strategy module "./setup_false.ts": setup returned false',
    );
    expect(thread.state).toBe('failed');
  });
});
