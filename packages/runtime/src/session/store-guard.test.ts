import { parseSessionConfig, type SessionConfigInput } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { Session } from './session';
import { PIPELINE_GUARD_STEPS, storeGuardFor } from './store-guard';

/** 64 MiB over rings of 16,384 slots of 49 bytes. */
const larger = { guard: PIPELINE_GUARD_STEPS, guardedSeries: 83 };

function config(options: {
  symbols?: number;
  speed?: number;
  executor?: 'worker' | 'inline';
  entryExecutor?: 'worker' | 'inline';
  window?: number;
}) {
  const symbols = Array.from({ length: options.symbols ?? 1 }, (_, i) => `S${i}`);
  return parseSessionConfig({
    mode: 'backtest',
    backtest_config: {
      start_date: '2024-01-02',
      end_date: '2024-01-03',
      speed_multiplier: options.speed ?? 0,
    },
    session_data_config: {
      symbols,
      streams: ['1m', '5m'],
      streaming: {
        ...(options.executor === undefined ? {} : { executor: options.executor }),
        ...(options.window === undefined ? {} : { window: options.window }),
      },
      strategies: [
        {
          module: '@strat/examples/sma-cross',
          config: { symbols: ['S0'] },
          ...(options.entryExecutor === undefined ? {} : { executor: options.entryExecutor }),
        },
      ],
    },
    data_config: { source: 'generator', seed: 3 },
  } as SessionConfigInput);
}

describe('storeGuardFor', () => {
  it('gives a data-driven backtest with a worker strategy rings with room for six batches ahead', () => {
    expect(storeGuardFor(config({}))).toEqual(larger);
    expect(storeGuardFor(config({ executor: 'inline', entryExecutor: 'worker' }))).toEqual(larger);
    // A window whose own default guard is larger keeps it.
    expect(storeGuardFor(config({ window: 100_000 }))).toEqual({ guard: 25_000, guardedSeries: 10 });
  });

  it('leaves the default where the lead gains nothing: inline strategies, clock-driven replays', () => {
    expect(storeGuardFor(config({ executor: 'inline' }))).toBeUndefined();
    expect(storeGuardFor(config({ entryExecutor: 'inline' }))).toBeUndefined();
    expect(storeGuardFor(config({}), 'inline')).toBeUndefined();
    expect(storeGuardFor(config({ executor: 'inline' }), 'worker')).toEqual(larger);
    expect(storeGuardFor(config({ speed: 60 }))).toBeUndefined();
  });

  it('keeps the default for a universe whose larger rings would pass 64 MiB (a scanner adding symbols later gets it past the 83rd series)', () => {
    // 16,384 slots of 49 bytes a ring: 82 series (41 symbols x 2 streams) fit, 84 do not.
    expect(storeGuardFor(config({ symbols: 41 }))).toEqual(larger);
    expect(storeGuardFor(config({ symbols: 42 }))).toBeUndefined();
  });
});

describe('a session store', () => {
  it('has the larger rings with a worker strategy and the default ones inline, with the same signals', async () => {
    const run = async (executor: 'worker' | 'inline') => {
      const session = new Session(config({ executor }), { logSink: () => {} });
      const signals: unknown[] = [];
      session.on('signal', (batch) => signals.push(...batch));
      try {
        const summary = await session.start();
        expect(summary.state).toBe('completed');
      } finally {
        await session.shutdown();
      }
      return { capacity: session.store.getSeries('S0', '1m')?.capacity, signals };
    };
    const worker = await run('worker');
    const inline = await run('inline');
    expect(worker.capacity).toBe(16_384);
    expect(inline.capacity).toBe(8_192);
    expect(worker.signals.length).toBeGreaterThan(0);
    expect(worker.signals).toEqual(inline.signals);
  });
});
