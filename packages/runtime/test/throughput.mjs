// Measures notifications/s through strategies with an empty onBars (not a test): each batch is
// pushed, handed over, and waited for (data-driven), so batch 1 measures the handshake itself.
// Usage: pnpm --filter @strat/runtime build && node test/throughput.mjs [total=1000000] [worker|inline] [strategies=1]
import { fileURLToPath } from 'node:url';
import { appendBar, createSeriesBuffers } from '@strat/core/internal';
import { resolveStrategyModule, StrategyThread } from '../dist/index.js';

const total = Number(process.argv[2] ?? 1_000_000);
const executor = process.argv[3] ?? 'worker';
const strategies = Number(process.argv[4] ?? 1);
const here = fileURLToPath(new URL('.', import.meta.url));
const resolved = resolveStrategyModule('./fixtures/empty_strategy.ts', {
  roots: [here],
  fromDir: here,
  strategyRoots: [here],
});

async function run(batch) {
  const series = createSeriesBuffers({ window: 4096 });
  const binding = { seriesId: 0, symbol: 'AAA', interval: '1m', buffer: series.buffer };
  const threads = [];
  for (let i = 0; i < strategies; i++) {
    const thread = new StrategyThread({
      name: `empty${i}`,
      module: 'empty_strategy',
      resolved,
      executor,
      series: [binding],
    });
    await thread.start();
    threads.push(thread);
  }
  const started = performance.now();
  for (let sent = 0; sent < total; ) {
    const n = Math.min(batch, total - sent);
    for (let i = 0; i < n; i++) {
      const time = (sent + i) * 60_000;
      const index = appendBar(series, time, 1, 1, 1, 1, 1);
      for (const thread of threads) thread.notify(0, index, time + 60_000);
    }
    for (const thread of threads) thread.signalReady();
    await Promise.all(threads.map((thread) => thread.waitUntilReady()));
    sent += n;
  }
  const seconds = (performance.now() - started) / 1000;
  const metrics = threads[0].getMetrics();
  await Promise.all(threads.map((thread) => thread.stop()));
  return {
    batch,
    perSecond: Math.round(total / seconds),
    seconds: seconds.toFixed(2),
    processed: metrics.notifications_processed,
  };
}

for (const batch of [1, 100, 1000]) {
  const result = await run(batch);
  console.log(
    `${executor} x${strategies}, batch ${String(batch).padStart(4)}: ${result.perSecond.toLocaleString('en-US')} notifications/s ` +
      `(${result.seconds} s, ${result.processed.toLocaleString('en-US')} processed by one strategy)`,
  );
}
