// Run as a child process by worker-stdout.test.ts: one worker strategy that console.logs per bar.
import { appendBar, createSeriesBuffers } from '@strat/core/internal';
import { resolveStrategyModule } from '../src/loader/resolve-strategy-module';
import { StrategyThread } from '../src/thread/strategy-thread';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const series = createSeriesBuffers({ window: 16 });
const thread = new StrategyThread({
  name: 'console',
  module: './console_strategy.ts',
  resolved: resolveStrategyModule('./console_strategy.ts', {
    roots: [fixtures],
    fromDir: fixtures,
    strategyRoots: [fixtures],
  }),
  series: [{ seriesId: 0, symbol: 'AAPL', interval: '1m', buffer: series.buffer as SharedArrayBuffer }],
});
await thread.start();
const t = Date.UTC(2024, 0, 2, 14, 30);
appendBar(series, t, 1, 1, 1, 1, 1);
thread.notify(0, 0, t + 60_000);
thread.signalReady();
await thread.waitUntilReady();
await thread.stop();
process.stdout.write('RESULT-ONLY\n');
