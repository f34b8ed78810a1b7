import { describe, expect, it, vi } from 'vitest';
import { fixture, makeSeries } from '../../../test/helpers';
import { cloneMessage } from '../clone-message';
import type { ControlMessage, HostMessage } from '../host-protocol';
import { NotificationKind, NotificationQueue } from '../queue/notification-queue';
import { createMetricsBuffer, METRIC_SLOT, metricsWords } from '../strategy-metrics';
import { createHostInit } from '../strategy-thread-options';
import { runStrategyHost } from './run-strategy-host';
import { StrategyHost } from './strategy-host';

/** A host on this thread, fed through its queue as a worker's would be. */
function hostOnThisThread() {
  const { module, resolved } = fixture('simple_ma_cross');
  const series = makeSeries(120);
  const queue = NotificationQueue.create({ capacity: 256 });
  const metrics = createMetricsBuffer();
  const init = createHostInit(
    {
      name: 'ma',
      module,
      resolved,
      config: { symbol: 'AAPL', interval: '1m', fast: 3, slow: 8 },
      series: [{ seriesId: 0, symbol: 'AAPL', interval: '1m', buffer: series.buffer as SharedArrayBuffer }],
    },
    queue.buffer,
    metrics,
  );
  const posted: HostMessage[] = [];
  const inbox: ControlMessage[] = [];
  const host = new StrategyHost(init, {
    post: (m) => posted.push(cloneMessage(m)),
    receiveControl: () => inbox.shift(),
  });
  const control = (message: ControlMessage) => {
    inbox.push(message);
    queue.pushEntry(NotificationKind.MESSAGE, 0, 0, 0);
    queue.publish();
  };
  return { host, queue, posted, control, metrics: metricsWords(metrics), series };
}

describe('runStrategyHost (the worker wait loop, here on the test thread)', () => {
  it('starts the strategy, handles batches as they are published, sleeps between them, and tears down on stop', async () => {
    const { host, queue, posted, control, metrics } = hostOnThisThread();
    const gate = new SharedArrayBuffer(4);
    const loop = runStrategyHost(host, { spinMicros: 5, parkMs: 1, spinGate: gate, cores: 1 });
    const start = Date.UTC(2024, 0, 2, 14, 30);
    for (let batch = 0; batch < 3; batch++) {
      for (let i = batch * 40; i < (batch + 1) * 40; i++) queue.push(0, i, start + (i + 1) * 60_000);
      queue.publish();
      await vi.waitFor(() => expect(queue.readCursor).toBe((batch + 1) * 40), { timeout: 10_000 });
    }
    expect(metrics[METRIC_SLOT.PROCESSED]).toBe(120);
    control({ type: 'stop' });
    await loop;
    const types = posted.map((m) => m.type);
    expect(types[0]).toBe('log'); // "setup ran"
    expect(types).toContain('started');
    expect(types.at(-1)).toBe('stopped');
    const signals = posted.flatMap((m) => (m.type === 'signals' ? m.signals : []));
    expect(signals.length).toBeGreaterThan(0);
    expect(signals.map((s) => s.seq)).toEqual(signals.map((_, i) => i + 1));
  });

  it('tears down even when the strategy does not start', async () => {
    const { module, resolved } = fixture('setup_false');
    const init = createHostInit(
      { name: 'no', module, resolved },
      NotificationQueue.create().buffer,
      createMetricsBuffer(),
    );
    const messages: HostMessage[] = [];
    await runStrategyHost(
      new StrategyHost(init, { post: (m) => messages.push(m), receiveControl: () => undefined }),
    );
    const types = messages.map((m) => m.type);
    expect(types).toContain('failed');
    expect(types.at(-1)).toBe('stopped');
    expect(messages).toContainEqual(
      expect.objectContaining({ type: 'log', record: expect.objectContaining({ message: 'teardown ran' }) }),
    );
  });
});
