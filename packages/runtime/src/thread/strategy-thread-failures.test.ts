import { relative } from 'node:path';
import type { ResourceLimits } from 'node:worker_threads';
import type { StrategyConfig } from '@strat/core';
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
import type { StrategyExecutor } from './strategy-metrics';
import { StrategyThread } from './strategy-thread';
import { liveStrategyWorkerCount } from './worker-executor';

const threads: StrategyThread[] = [];

function startThread(
  name: string,
  fixtureName: string,
  series: SeriesBuffers,
  options: { executor?: StrategyExecutor; config?: StrategyConfig; resourceLimits?: ResourceLimits } = {},
): { thread: StrategyThread; recorder: ThreadRecorder } {
  const { module, resolved } = fixture(fixtureName);
  const thread = new StrategyThread({
    name,
    module,
    resolved,
    series: [{ seriesId: 0, symbol: 'AAA', interval: '1m', buffer: series.buffer as SharedArrayBuffer }],
    ...options,
  });
  threads.push(thread);
  return { thread, recorder: new ThreadRecorder(thread) };
}

afterEach(async () => {
  await Promise.all(threads.splice(0).map((thread) => thread.stop(1000)));
});

afterAll(() => {
  expect(liveStrategyWorkerCount()).toBe(0);
});

describe.each(['worker', 'inline'] as const)('a strategy that throws (%s)', (executor) => {
  it('has its errors counted and logged with its name, and goes on with the next bars', async () => {
    const series = makeSeries(12);
    const { thread, recorder } = startThread('thrower', 'throwing_strategy', series, { executor });
    await thread.start();
    await feedOneByOne(thread, series, 0, 12);
    // Bars 0, 3, 6, 9 fail (3 and 9 synchronously, 0 and 6 as rejected promises); the rest signal.
    expect(recorder.signals.map((signal) => signal.metadata.index)).toEqual([1, 2, 4, 5, 7, 8, 10, 11]);
    expect(recorder.signals.map((signal) => signal.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(recorder.errors.map((event) => [event.phase, event.message, event.fatal])).toEqual([
      ['onBars', 'async failure at bar 0', false],
      ['onBars', 'sync failure at bar 3', false],
      ['onBars', 'async failure at bar 6', false],
      ['onBars', 'sync failure at bar 9', false],
    ]);
    expect(recorder.errors[1]).toMatchObject({
      strategy: 'thrower',
      symbol: 'AAA',
      interval: '1m',
      time: closeTimeOf(series, 3),
    });
    // Where the strategy's own code threw: its .ts lines (tsx source maps), not the runtime's frames.
    const file = fixturePath('throwing_strategy');
    expect(recorder.errors.map((event) => event.location)).toEqual([
      { file, line: 16, column: 29 },
      { file, line: 15, column: 34 },
      { file, line: 16, column: 29 },
      { file, line: 15, column: 34 },
    ]);
    const errorLogs = recorder.logs.filter((record) => record.level === 'error');
    expect(errorLogs).toHaveLength(4);
    expect(errorLogs[1]).toMatchObject({ name: 'thrower' });
    expect(errorLogs[1]?.message).toMatch(
      /^onBars threw on AAA 1m \(bar closing .+\): sync failure at bar 3 at (\S+)$/,
    );
    expect(errorLogs[1]?.message.endsWith(` at ${relative(process.cwd(), file)}:15:34`)).toBe(true);
    expect(thread.firstError).toMatchObject({
      phase: 'onBars',
      message: 'async failure at bar 0',
      errorCount: 1,
    });
    expect(thread.getMetrics()).toMatchObject({
      notifications_processed: 12,
      signals_generated: 8,
      errors: 4,
      state: 'running',
    });
    await thread.stop();
    expect(recorder.logMessages()).toContain('info teardown ran');
  });
});

describe('a strategy that hangs', () => {
  it('overruns timed waits, does not hold up another strategy, and is terminated by stop() after the timeout', async () => {
    const series = makeSeries(20);
    const { thread: stuck, recorder } = startThread('stuck', 'hanging_strategy', series, {
      config: { hangAt: 2 },
    });
    const { thread: healthy } = startThread('healthy', 'simple_ma_cross', series);
    await Promise.all([stuck.start(), healthy.start()]);
    for (let index = 0; index < 5; index++) {
      for (const thread of [stuck, healthy]) {
        thread.notify(0, index, closeTimeOf(series, index));
        thread.signalReady();
      }
      await Promise.all([stuck.waitUntilReady(20), healthy.waitUntilReady(5000)]);
    }
    expect(healthy.getMetrics()).toMatchObject({ notifications_processed: 5, overruns: 0 });
    const stuckMetrics = stuck.getMetrics();
    expect(stuckMetrics.notifications_processed).toBe(2);
    expect(stuckMetrics.overruns).toBeGreaterThanOrEqual(3);
    expect(stuckMetrics.queue_size).toBe(3);

    await stuck.stop(300);
    // Terminated, not stopped: a dead strategy must not look like a healthy one.
    expect(stuck.state).toBe('timed_out');
    expect(recorder.errors.at(-1)).toMatchObject({
      phase: 'stop',
      fatal: true,
      message: 'did not stop within 300 ms; terminated (its teardown did not run)',
    });
    expect(recorder.exits).toEqual(['timed_out']);
    // Its waits no longer stall anyone.
    expect(await stuck.waitUntilReady()).toBe(true);

    healthy.notify(0, 5, closeTimeOf(series, 5));
    expect(await healthy.waitUntilReady(5000)).toBe(true);
    expect(healthy.getMetrics().notifications_processed).toBe(6);
  });
});

describe('a worker that dies', () => {
  // A timer's throw surfaces when the worker's event loop next runs (it yields when idle or every
  // 50 ms), so that strategy may get through the remaining bars first.
  it.each([
    ['exit', 'its worker exited unexpectedly with code 3', 4],
    ['throw', 'its worker died: uncaught in a timer', 10],
  ] as const)(
    '(%s) is marked crashed, reported, and ends only its own strategy',
    async (how, message, maxProcessed) => {
      const series = makeSeries(10);
      const { thread: crasher, recorder } = startThread('crasher', 'crashing_strategy', series, {
        config: { how, at: 3 },
      });
      const { thread: healthy } = startThread('healthy', 'simple_ma_cross', series);
      await Promise.all([crasher.start(), healthy.start()]);
      for (let index = 0; index < 10; index++) {
        for (const thread of [crasher, healthy]) {
          thread.notify(0, index, closeTimeOf(series, index));
          thread.signalReady();
        }
        // Data-driven waits: a dead strategy must not stall them.
        await Promise.all([crasher.waitUntilReady(), healthy.waitUntilReady()]);
      }
      await new Promise<void>((resolve) =>
        recorder.exits.length > 0 ? resolve() : crasher.once('exit', () => resolve()),
      );
      expect(crasher.state).toBe('crashed');
      expect(recorder.exits).toEqual(['crashed']);
      expect(recorder.errors.at(-1)).toMatchObject({
        strategy: 'crasher',
        phase: 'crash',
        fatal: true,
        message,
      });
      expect(crasher.getMetrics().state).toBe('crashed');
      expect(crasher.getMetrics().notifications_processed).toBeLessThanOrEqual(maxProcessed);
      expect(healthy.getMetrics()).toMatchObject({
        state: 'running',
        notifications_processed: 10,
        errors: 0,
      });
      await crasher.stop();
      expect(crasher.state).toBe('crashed');
    },
  );

  it('(out of memory under resourceLimits) is marked crashed', async () => {
    const series = makeSeries(3);
    const { thread, recorder } = startThread('hog', 'crashing_strategy', series, {
      config: { how: 'oom', at: 1 },
      resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 },
    });
    await thread.start();
    await feedOneByOne(thread, series, 0, 3);
    await new Promise<void>((resolve) =>
      recorder.exits.length > 0 ? resolve() : thread.once('exit', () => resolve()),
    );
    expect(thread.state).toBe('crashed');
    expect(recorder.errors.at(-1)?.message).toMatch(/out of memory/i);
  });
});
