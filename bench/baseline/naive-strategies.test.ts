import { describe, expect, it } from 'vitest';
import { runSession } from '../src/run-session.mjs';
import { BENCH_SEED, replayConfig } from '../src/session-configs.mjs';
import { loadEvents } from './naive-bars.mjs';
import { naiveSmaCross } from './naive-strategies.mjs';

describe('the naive baseline', () => {
  it('gives exactly the signals of the real SMA cross on the same bars (it does the same work)', async () => {
    const range = { startDate: '2024-03-04', endDate: '2024-03-08' };
    const real: { action: string; price: number; time: number }[] = [];
    const run = await runSession(replayConfig({ symbols: ['SPY'], strategies: ['sma_cross'], ...range }), {
      executor: 'inline',
      beforeStart: (session) =>
        session.on('signal', (batch) => {
          for (const s of batch) real.push({ action: s.action, price: s.price as number, time: s.time });
        }),
    });
    const events = await loadEvents({ symbols: ['SPY'], seed: BENCH_SEED, ...range });
    const strategy = naiveSmaCross('1m', 10, 20);
    const bars = [];
    const naive: { action: string; price: number; time: number }[] = [];
    for (const event of events) {
      if (event.interval !== '1m') continue;
      bars.push(event.bar);
      for (const s of strategy.onBar('SPY', bars)) {
        naive.push({ action: s.action, price: s.price, time: event.closeTime });
      }
    }
    expect(run.baseBars).toBe(5 * 390);
    expect(events.filter((e) => e.interval === '1m')).toHaveLength(5 * 390);
    expect(events.filter((e) => e.interval === '5m')).toHaveLength(5 * 78);
    expect(real.length).toBeGreaterThan(20);
    expect(naive).toEqual(real);
  });

  it('orders closed bars like the processor: close time, then symbol, then interval', async () => {
    const events = await loadEvents({
      symbols: ['BBB', 'AAA'],
      seed: BENCH_SEED,
      startDate: '2024-03-04',
      endDate: '2024-03-04',
    });
    const keys = events.map((e) => [e.closeTime, e.rank, e.interval === '1m' ? 0 : 1] as const);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    expect(keys).toEqual(sorted);
    expect(events[0]).toMatchObject({ symbol: 'BBB', interval: '1m' });
    // The fifth minute closes both the 1m bar and the first 5m bucket of each symbol.
    expect(events.slice(8, 12).map((e) => `${e.symbol} ${e.interval}`)).toEqual([
      'BBB 1m',
      'BBB 5m',
      'AAA 1m',
      'AAA 5m',
    ]);
  });
});
