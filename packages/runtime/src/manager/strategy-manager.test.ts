import { fileURLToPath } from 'node:url';
import type { LogRecord } from '@strat/core';
import { appendBar } from '@strat/core/internal';
import { SessionData } from '@strat/data';
import { describe, expect, it } from 'vitest';
import type { StampedSignal } from '../thread/stamped-signal';
import { StrategyManager } from './strategy-manager';

const fixtures = fileURLToPath(new URL('../../test/session-fixtures/', import.meta.url));
const START = Date.UTC(2024, 0, 2, 14, 30);
const MINUTE = 60_000;

/** A manager over `store` loading the test fixtures, every strategy on `executor`. */
function managerOn(store: SessionData, executor: 'worker' | 'inline'): StrategyManager {
  return new StrategyManager({
    store,
    roots: [fixtures],
    strategyRoots: [fixtures],
    configDir: fixtures,
    executorOverride: executor,
  });
}

describe.each(['worker', 'inline'] as const)('StrategyManager, data-driven (%s)', (executor) => {
  it('pipelines batches within the ring guard and emits the signals of completed batches only', async () => {
    // window 64 -> a ring of 128 slots: the writer may run 32 steps ahead of the strategy.
    const store = new SessionData({ window: 64 });
    const series = store.ensureSeries('AAA', '1m');
    const manager = managerOn(store, executor);
    const logs: LogRecord[] = [];
    manager.on('log', (record) => logs.push(record));
    const emitted: StampedSignal[][] = [];
    manager.on('signal', (batch) => emitted.push(batch));
    await manager.initialize([
      {
        module: './recording_strategy.ts',
        enabled: true,
        config: { subscriptions: [['AAA', '1m']], every_bar: true, delay_ms: 1 },
      },
    ]);
    manager.startStrategies();
    const thread = manager.threads[0];
    if (thread === undefined) throw new Error('no thread');

    const closeTimes: number[] = [];
    let sawBacklog = false;
    for (let batch = 0; batch < 30; batch++) {
      for (let step = 0; step < 5; step++) {
        const i = closeTimes.length;
        const index = appendBar(series, START + i * MINUTE, 100 + i, 101 + i, 99 + i, 100 + i, 10);
        closeTimes.push(START + (i + 1) * MINUTE);
        manager.notifyStrategies('AAA', '1m', index, START + (i + 1) * MINUTE);
      }
      await manager.waitForStrategies(closeTimes.at(-1) as number);
      const metrics = thread.getMetrics();
      if (metrics.queue_size > 0) sawBacklog = true;
      // The store never runs further ahead of the strategy than the next batch can afford.
      expect(closeTimes.length - metrics.notifications_processed).toBeLessThanOrEqual(32 - 5);
      // Whatever was emitted so far is every signal up to some bar: no gaps, no partial batch.
      const times = emitted.flat().map((s) => s.time);
      expect(times).toEqual(closeTimes.slice(0, times.length));
      expect(times.length % 5).toBe(0);
    }
    await manager.stopStrategies();
    expect(sawBacklog).toBe(true);
    const all = emitted.flat();
    expect(all.map((s) => s.time)).toEqual(closeTimes);
    expect(all.map((s) => (s.metadata as { index: number }).index)).toEqual(closeTimes.map((_, i) => i));
    expect(logs.filter((r) => r.message.includes('fell behind'))).toEqual([]);
    await manager.shutdown();
  });

  it('asks to end a batch once a strategy queue holds more than a quarter of its ring (batchFull)', async () => {
    // A window wider than the batch: no bar is overwritten before the strategy reads it.
    const store = new SessionData({ window: 20_000 });
    const series = store.ensureSeries('AAA', '1m');
    const manager = managerOn(store, executor);
    await manager.initialize([
      { module: './recording_strategy.ts', enabled: true, config: { subscriptions: [['AAA', '1m']] } },
    ]);
    manager.startStrategies();
    const thread = manager.threads[0];
    if (thread === undefined) throw new Error('no thread');
    const quarter = thread.subscription.queue.capacity >> 2;
    let i = 0;
    const notifyNext = () => {
      const index = appendBar(series, START + i * MINUTE, 100, 101, 99, 100, 10);
      i++;
      manager.notifyStrategies('AAA', '1m', index, START + i * MINUTE);
    };
    for (let round = 0; round < 2; round++) {
      const from = i;
      while (i - from < quarter) {
        notifyNext();
        if (manager.batchFull()) throw new Error(`full after ${i - from} of ${quarter} entries`);
      }
      notifyNext();
      expect(manager.batchFull()).toBe(true);
      // Handed over: the next batch starts empty.
      await manager.waitForStrategies(START + i * MINUTE);
      expect(manager.batchFull()).toBe(false);
    }
    await manager.stopStrategies();
    expect(thread.getMetrics().notifications_processed).toBe(i);
    await manager.shutdown();
  });
});
