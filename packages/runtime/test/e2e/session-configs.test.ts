import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultLiveConfig, parseSessionConfig, parseSessionConfigText } from '@strat/core';
import { serveFeedFromConfig } from '@strat/data/replay';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Session } from '../../src/session/session';
import type { StampedSignal } from '../../src/thread/stamped-signal';

const configsDir = fileURLToPath(new URL('../../../../session_configs/', import.meta.url));
const configFiles = readdirSync(configsDir).filter((f) => f.endsWith('.json'));

describe('every config in session_configs/', () => {
  it('holds the seed configs and the documented examples', () => {
    expect(configFiles).toEqual(
      expect.arrayContaining([
        'test_single_strategy.json',
        'test_multiple_strategies.json',
        'demo.json',
        'clock_driven.json',
        'csv_example.json',
        'five_strategies.json',
      ]),
    );
  });

  for (const file of configFiles) {
    it(`${file} parses and runs end to end with worker threads`, async () => {
      const path = join(configsDir, file);
      const config = parseSessionConfigText(readFileSync(path, 'utf8'), { file });
      let session: Session;
      if (config.mode === 'live') {
        // A live config runs against the local replayer serving its own backtest_config and data_config.
        const env = { STRAT_FEED_KEY: 'configs-key', STRAT_FEED_SECRET: 'configs-secret' };
        const server = await serveFeedFromConfig({ path, port: 0, speed: 12_000, env });
        onTestFinished(() => server.close());
        config.live_config = { ...(config.live_config ?? defaultLiveConfig()), feed_url: server.url };
        session = new Session(config, { configDir: configsDir, env, logSink: () => {}, executor: 'worker' });
      } else {
        session = Session.fromFile(path, { logSink: () => {}, executor: 'worker' });
      }
      const errors: string[] = [];
      session.on('strategyError', (e) => errors.push(`${e.strategy}: ${e.message}`));
      const summary = await session.start();
      expect(errors).toEqual([]);
      expect(summary.state).toBe('completed');
      expect(summary.metrics.strategies).toBe(config.session_data_config.strategies.length);
      expect(
        summary.metrics.per_strategy.every((m) => m.executor === 'worker' && m.state === 'stopped'),
      ).toBe(true);
      expect(summary.metrics.total_notifications_processed).toBeGreaterThan(0);
      expect(summary.bars?.barsDone).toBeGreaterThan(0);
      if (file === 'demo.json') {
        // The scanner adds symbols mid-session and the SMA cross (follow_added_symbols) trades them.
        expect(summary.symbolsAdded.length).toBeGreaterThan(0);
      }
    }, 60_000);
  }
});

describe('SMA cross on a 1-minute CSV', () => {
  it('gives the same signals as a straightforward reference computation, ties included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strat-sma-csv-'));
    // Prices on a coarse grid so that equal moving averages (ties) happen often.
    let seed = 17;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const closes: number[] = [];
    let price = 50;
    let csv = 'timestamp,open,high,low,close,volume\n';
    const open = Date.UTC(2024, 0, 2, 14, 30);
    for (let i = 0; i < 390; i++) {
      const prev = price;
      price = Math.max(1, price + [-1, 0, 0, 1][Math.floor(rand() * 4)]!);
      closes.push(price);
      const t = new Date(open + i * 60_000).toISOString();
      csv += `${t},${prev},${Math.max(prev, price) + 0.5},${Math.min(prev, price) - 0.5},${price},${100 + i}\n`;
    }
    writeFileSync(join(dir, 'ties.csv'), csv);
    const fast = 3;
    const slow = 6;
    const config = parseSessionConfig({
      mode: 'backtest',
      backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
      session_data_config: {
        symbols: ['TIE'],
        streams: ['1m'],
        strategies: [
          {
            module: '@strat/examples/sma-cross',
            config: { symbols: ['TIE'], interval: '1m', fast_period: fast, slow_period: slow },
          },
        ],
      },
      data_config: { source: 'csv', files: [{ path: 'ties.csv', symbol: 'TIE' }] },
    });
    const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
    const session = new Session(config, { configDir: dir, roots: [repoRoot], logSink: () => {} });
    const signals: StampedSignal[] = [];
    session.on('signal', (b) => signals.push(...b));
    await session.start();

    const mean = (end: number, n: number) => closes.slice(end - n, end).reduce((s, x) => s + x, 0) / n;
    const expected: { i: number; action: string }[] = [];
    let last = '';
    for (let k = slow; k < closes.length; k++) {
      const f = mean(k + 1, fast);
      const s = mean(k + 1, slow);
      const pf = mean(k, fast);
      const ps = mean(k, slow);
      let action = '';
      if (pf <= ps && f > s) action = 'BUY';
      else if (pf >= ps && f < s) action = 'SELL';
      if (action !== '' && action !== last) {
        expected.push({ i: k, action });
        last = action;
      }
    }
    let ties = 0;
    for (let k = slow; k < closes.length; k++) if (mean(k + 1, fast) === mean(k + 1, slow)) ties++;
    expect(ties).toBeGreaterThan(3);
    expect(expected.length).toBeGreaterThan(5);
    expect(signals.map((s) => ({ i: (s.barTime - open) / 60_000, action: s.action }))).toEqual(expected);
    expect(signals.every((s) => s.price === closes[(s.barTime - open) / 60_000])).toBe(true);
  });
});
