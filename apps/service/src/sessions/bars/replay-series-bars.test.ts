import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSessionConfig, type SessionConfig } from '@strat/core';
import { BarRecorder, Session } from '@strat/runtime';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../test/support/test-service';
import type { ServiceDatabase } from '../../store/service-database';
import type { SessionRegistry } from '../session-registry';
import { replayInWorker } from './replay-in-worker';
import { replaySeriesBars } from './replay-series-bars';
import type { SeriesColumns } from './series-columns';
import { SessionBars } from './session-bars';

const CONFIG_DIR = join(PROJECT_ROOT, 'session_configs');

function config(overrides: Record<string, unknown> = {}): SessionConfig {
  return parseSessionConfig({
    mode: 'backtest',
    backtest_config: { start_date: '2024-01-02', end_date: '2024-01-03', speed_multiplier: 5 },
    session_data_config: {
      symbols: ['AAPL', 'MSFT'],
      streams: ['1m', '15m'],
      historical: { enabled: true, warmup_bars: 20 },
      strategies: [
        {
          module: 'strategies.examples.simple_ma_cross',
          config: { symbols: ['AAPL', 'MSFT'], interval: '15m', fast_period: 2, slow_period: 3 },
        },
      ],
    },
    data_config: { source: 'generator', seed: 11, missing_bar_rate: 0.05 },
    ...overrides,
  });
}

/** What a Session of the same config published for the series (its strategies' bars). */
async function sessionBars(c: SessionConfig, symbol: string, interval: '1m' | '15m') {
  const session = new Session(
    { ...c, backtest_config: { ...c.backtest_config!, speed_multiplier: 0 } },
    {
      roots: [PROJECT_ROOT],
      configDir: CONFIG_DIR,
      logLevel: 'silent',
    },
  );
  const recorder = new BarRecorder(session);
  await session.start();
  await session.shutdown();
  const [series] = recorder.bars([{ symbol, interval }]);
  return series;
}

const plain = (bars: SeriesColumns) => ({
  time: Array.from(bars.time),
  open: Array.from(bars.open),
  high: Array.from(bars.high),
  low: Array.from(bars.low),
  close: Array.from(bars.close),
  volume: Array.from(bars.volume),
});

describe('replaySeriesBars', () => {
  it('gives the bars the session published (gaps filled, warm-up, aggregated), at any speed the config asks', async () => {
    const c = config();
    for (const interval of ['1m', '15m'] as const) {
      const expected = await sessionBars(c, 'MSFT', interval);
      const replayed = await replaySeriesBars(c, CONFIG_DIR, 'MSFT', interval);
      expect(replayed.time.length, interval).toBeGreaterThan(interval === '1m' ? 700 : 50);
      expect(plain(replayed)).toEqual(plain(expected as unknown as SeriesColumns));
    }
  });

  it('does the same on a thread of its own, and rejects with the data error when the source is gone', async () => {
    const c = config();
    const inThread = await replayInWorker({
      config: c,
      configDir: CONFIG_DIR,
      symbol: 'AAPL',
      interval: '15m',
    });
    expect(plain(inThread)).toEqual(plain(await replaySeriesBars(c, CONFIG_DIR, 'AAPL', '15m')));

    const dir = mkdtempSync(join(tmpdir(), 'strat-bars-csv-'));
    try {
      const csv = join(dir, 'gone.csv');
      writeFileSync(csv, 'timestamp,symbol,open,high,low,close,volume\n');
      const csvConfig = config({
        data_config: { source: 'csv', files: [{ path: 'gone.csv', symbol: 'AAPL' }] },
      });
      rmSync(csv);
      await expect(
        replayInWorker({ config: csvConfig, configDir: dir, symbol: 'AAPL', interval: '1m' }),
      ).rejects.toThrow(/gone\.csv/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("SessionBars' memory of series read again", () => {
  it('keeps series up to maxCachedBars, dropping the least recently used first, and reads each once', async () => {
    const stored = { config: JSON.stringify(config()), state: 'completed' };
    const db = { getSession: () => stored } as unknown as ServiceDatabase;
    const sessions = {
      view: () => ({ symbols: ['AAPL', 'MSFT'], state: 'completed', progress: null }),
      isRunning: () => false,
    } as unknown as SessionRegistry;
    const reads: string[] = [];
    const replay = async (task: { symbol: string; interval: string }) => {
      reads.push(`${task.symbol} ${task.interval}`);
      const n = task.interval === '1m' ? 100 : 10;
      const column = () => Float64Array.from({ length: n }, (_, i) => i * 60_000);
      return {
        time: column(),
        open: column(),
        high: column(),
        low: column(),
        close: column(),
        volume: column(),
      };
    };
    const bars = new SessionBars({ db, sessions, configDir: CONFIG_DIR, maxCachedBars: 115, replay });
    const ask = (symbol: string, interval: string) => bars.get('s1', { symbol, interval, maxPoints: 5000 });

    expect((await ask('AAPL', '1m')).count).toBe(100);
    await ask('AAPL', '15m');
    await ask('AAPL', '1m');
    expect(bars.cachedBars).toBe(110);
    await ask('MSFT', '15m');
    // 120 bars do not fit in 115: AAPL 15m, the least recently used, went.
    expect(bars.cachedBars).toBe(110);
    await ask('AAPL', '1m');
    await ask('AAPL', '15m');
    expect(reads).toEqual(['AAPL 1m', 'AAPL 15m', 'MSFT 15m', 'AAPL 15m']);
    // A series larger than the whole memory is answered, and only the others make room for it.
    const big = new SessionBars({ db, sessions, configDir: CONFIG_DIR, maxCachedBars: 50, replay });
    const coarse = await big.get('s1', { symbol: 'AAPL', interval: '1m', maxPoints: 10 });
    // 100 one-minute bars in 15-minute buckets: 7.
    expect(coarse).toMatchObject({ count: 100, bucket: '15m' });
    expect(coarse.bars).toHaveLength(7);
    expect(big.cachedBars).toBe(100);
  });

  it('answers 404 when the source cannot be read again, and tries again on the next request', async () => {
    const db = {
      getSession: () => ({ config: JSON.stringify(config()), state: 'completed' }),
    } as unknown as ServiceDatabase;
    const sessions = {
      view: () => ({ symbols: ['AAPL'], state: 'completed', progress: null }),
      isRunning: () => false,
    } as unknown as SessionRegistry;
    let calls = 0;
    const replay = async () => {
      calls++;
      throw new Error('data/aapl.csv: no such file');
    };
    const bars = new SessionBars({ db, sessions, configDir: CONFIG_DIR, replay });
    for (let i = 0; i < 2; i++) {
      await expect(bars.get('s1', { symbol: 'AAPL', interval: '1m', maxPoints: 10 })).rejects.toMatchObject({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: 'The bars of session s1 cannot be read again from its source: data/aapl.csv: no such file',
      });
    }
    expect(calls).toBe(2);
    expect(bars.cachedBars).toBe(0);
  });
});
